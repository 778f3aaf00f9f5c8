import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";

beforeAll(loadAll);

/** The error each backend throws for `fn`, so the messages can be compared across backends. */
function errorOn(backend: (typeof ALL_BACKENDS)[number], fn: () => unknown): Error {
  try {
    on(backend, fn);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`no error on ${backend}`);
}

describe.each(ALL_BACKENDS)("errors on %s", (backend) => {
  it("incompatible shapes: BroadcastError with numpy's message", () => {
    const error = errorOn(backend, () => vz.add(vz.array(new Float32Array(12), { shape: [3, 4] }), vz.array([1, 2, 3, 4, 5])));
    expect(error).toBeInstanceOf(vz.BroadcastError);
    expect(error).toBeInstanceOf(vz.NdError);
    expect((error as vz.NdError).code).toBe("BroadcastError");
    expect(error.message).toBe("add: operands could not be broadcast together with shapes (3,4) (5,)");
    expect(errorOn(backend, () => vz.add(vz.array([[1, 2, 3], [4, 5, 6]]), vz.array([[1, 2], [3, 4], [5, 6]]))).message).toBe(
      "add: operands could not be broadcast together with shapes (2,3) (3,2)",
    );
    expect(errorOn(backend, () => vz.add(vz.array([], { shape: [0] }), vz.array([1, 2]))).message).toBe(
      "add: operands could not be broadcast together with shapes (0,) (2,)",
    );
  });

  it("array(): size mismatch, ragged input, bad elements, bad dtype", () => {
    expect(errorOn(backend, () => vz.array([1, 2, 3, 4, 5, 6], { shape: [4] })).message).toBe(
      "array: cannot reshape array of size 6 into shape (4,)",
    );
    const ragged = errorOn(backend, () => vz.array([[1, 2], [3]]));
    expect(ragged).toBeInstanceOf(vz.ValueError);
    expect(ragged.message).toMatch(/inhomogeneous shape after 1 dimensions. The detected shape was \(2,\) \+ inhomogeneous part/);
    expect(errorOn(backend, () => vz.array([1, "a" as unknown as number])).message).toBe("array: could not convert string to float: 'a'");
    expect(errorOn(backend, () => vz.array([1], { dtype: "int8" as vz.DType }))).toBeInstanceOf(vz.DTypeError);
    expect(errorOn(backend, () => vz.add(vz.array([1]), "2" as unknown as number)).message).toBe(
      "add: the second operand must be an NDArray or a number, got string",
    );
  });

  it("a disposed array: DisposedError naming the op; dispose twice is safe; memory returns to baseline", () => {
    on(backend, () => {
      const before = vz.memory();
      const a = vz.array([1, 2, 3]);
      const b = a.add(1);
      expect(vz.memory().arrays).toBe(before.arrays + 2);
      a.dispose();
      a.dispose();
      expect(a.isDisposed).toBe(true);
      expect(() => vz.add(a, b)).toThrow(vz.DisposedError);
      expect(() => vz.add(b, a)).toThrow("add: array of shape (3,) was used after dispose()");
      expect(() => a.toArray()).toThrow(/toTypedArray: array of shape \(3,\) was used after dispose/);
      expect(b.toArray()).toEqual([2, 3, 4]);
      b.dispose();
      expect(vz.memory()).toEqual(before);
    });
  });
});

describe("memory", () => {
  it("an error inside an op leaks nothing: temporaries (scalars, casts) are freed", () => {
    const before = vz.memory();
    const a = vz.array([[1, 2, 3]], { dtype: "float64" });
    const b = vz.array([1, 2], { dtype: "float32" });
    expect(() => vz.add(a, b)).toThrow(vz.BroadcastError);
    expect(() => vz.add(b, 5).add(a)).toThrow(vz.BroadcastError);
    expect(vz.memory().arrays).toBe(before.arrays + 3); // a, b and the kept result of b + 5
  });

  it("a buffer larger than wasm32 can address is an OutOfMemoryError; earlier arrays stay usable", () => {
    const kept = vz.array([1, 2, 3]);
    const col = vz.array(new Float32Array(40000), { shape: [40000, 1] });
    const row = vz.array(new Float32Array(40000), { shape: [1, 40000] });
    const error = (() => {
      try {
        vz.add(col, row); // 1.6e9 float32 = 6.4 GB
      } catch (e) {
        return e as vz.OutOfMemoryError;
      }
    })();
    expect(error).toBeInstanceOf(vz.OutOfMemoryError);
    expect(error!.bytes).toBe(6_400_000_000);
    expect(error!.message).toMatch(/cannot allocate 6400000000 bytes for 1600000000 float32 elements/);
    expect(kept.add(1).toArray()).toEqual([2, 3, 4]);
  });
});
