import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { loadAll, on, WASM_BUILDS, type TestBackend } from "./helpers/backends.js";
import { expectIdentical } from "./helpers/close.js";
import { randomValues } from "./helpers/random.js";
import { broadcastPairArb, expectedBroadcast } from "./helpers/shapes.js";

beforeAll(loadAll);

const size = (shape: number[]) => shape.reduce((n, d) => n * d, 1);

/** The same computation on a backend, returned as plain data (and its arrays freed). */
function addOn(backend: TestBackend, a: vz.NDArray | number, b: vz.NDArray | number) {
  return on(backend, () => {
    const [x, y] = [a, b].map((v) => (typeof v === "number" ? v : vz.array(v.toTypedArray(), { dtype: v.dtype, shape: v.shape })));
    const out = vz.add(x!, y!);
    const result = { shape: [...out.shape], dtype: out.dtype, data: out.toTypedArray() };
    for (const v of [x, y, out]) if (typeof v !== "number") v!.dispose();
    return result;
  });
}

describe.each(WASM_BUILDS)("add on %s matches the reference backend", (build) => {
  // Tolerance: none. IEEE addition is correctly rounded in wasm and in JS (float32 sums of
  // float32 values computed in float64 round to the same float32), so results are identical.
  for (const dtype of ["float32", "float64"] as const) {
    it(`${dtype}: random broadcast-compatible shapes, special values included`, () => {
      fc.assert(
        fc.property(broadcastPairArb(), fc.integer(), ({ a, b }, seed) => {
          const x = on("reference", () => vz.array(randomValues(size(a), seed), { dtype, shape: a }));
          const y = on("reference", () => vz.array(randomValues(size(b), seed + 1), { dtype, shape: b }));
          const got = addOn(build, x, y);
          const want = addOn("reference", x, y);
          expect(got.shape).toEqual(expectedBroadcast(a, b));
          expect(want.shape).toEqual(got.shape);
          expect(got.dtype).toBe(dtype);
          expectIdentical(got.data, want.data, `${formatPair(a, b)}`);
        }),
        { numRuns: 300 },
      );
    });
  }

  it("long rows hit the SIMD body and the scalar tail: (1000,1000)+(1000,1) and +(1,1000)", () => {
    const x = on("reference", () => vz.array(randomValues(1000 * 1000, 7), { shape: [1000, 1000] }));
    for (const shape of [[1000, 1], [1, 1000], [1000, 1000], [1003]]) {
      const y = on("reference", () => vz.array(randomValues(size(shape), 8), { shape }));
      const lhs = shape[0] === 1003 ? on("reference", () => vz.array(randomValues(1003, 9))) : x;
      expectIdentical(addOn(build, lhs, y).data, addOn("reference", lhs, y).data, `(1000,1000)+${vz.formatShape(shape)}`);
    }
  });

  it("mixed dtypes promote to float64; numbers take the array's dtype", () => {
    const f32 = on("reference", () => vz.array([0.1, 0.2, 0.3], { dtype: "float32" }));
    const f64 = on("reference", () => vz.array([[1e-12], [2e-12]], { dtype: "float64" }));
    const got = addOn(build, f32, f64);
    expect(got.dtype).toBe("float64");
    expect(got.shape).toEqual([2, 3]);
    expectIdentical(got.data, addOn("reference", f32, f64).data);
    // Math.fround: the float32 value of 0.1 is what numpy's float32 array holds.
    expect(got.data[0]).toBe(Math.fround(0.1) + 1e-12);
    const scalar = addOn(build, f32, 0.1);
    expect(scalar.dtype).toBe("float32");
    expectIdentical(scalar.data, [0.1, 0.2, 0.3].map((v) => Math.fround(Math.fround(v) + Math.fround(0.1))));
    expectIdentical(addOn(build, 2, f32).data, addOn("reference", 2, f32).data);
  });
});

describe("add: independent expectations", () => {
  it.each(["wasm-simd", "wasm", "reference"] as const)("%s: column + row broadcast, 0-d and zero-size", (backend) => {
    on(backend, () => {
      const col = vz.array([[1], [2]]);
      const row = vz.array([10, 20, 30]);
      expect(vz.add(col, row).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
      expect(row.add(col).toArray()).toEqual([[11, 21, 31], [12, 22, 32]]);
      const zeroD = vz.add(vz.array(2.5), 1);
      expect(zeroD.shape).toEqual([]);
      expect(zeroD.toArray()).toBe(3.5);
      expect(vz.add(1, 2).toArray()).toBe(3);
      const empty = vz.add(vz.array([], { shape: [0, 3] }), row);
      expect(empty.shape).toEqual([0, 3]);
      expect(empty.toArray()).toEqual([]);
      expect(vz.add(vz.array(new Float64Array(0), { shape: [2, 0] }), vz.array([5])).shape).toEqual([2, 0]);
    });
  });
});

function formatPair(a: number[], b: number[]) {
  return `${vz.formatShape(a)} + ${vz.formatShape(b)}`;
}
