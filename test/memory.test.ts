import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";

beforeAll(loadAll);

const live = () => {
  const { arrays, buffers, bytes } = vz.memory();
  return { arrays, buffers, bytes };
};

/**
 * Lets earlier tests' garbage go (collected, then finalized between tasks), so that a count of
 * live arrays taken after it does not drop when the FinalizationRegistry frees that garbage
 * during a test that awaits.
 */
const settle = async () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  expect(gc, "vitest runs with --expose-gc").toBeTypeOf("function");
  for (let round = 0; round < 5; round++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe.each(ALL_BACKENDS)("memory on %s", (backend) => {
  it("views share one buffer, freed when the last view lets go", () =>
    on(backend, () => {
      const before = live();
      const base = vz.arange(12).reshape(3, 4);
      const views = [base.T, base.slice([0, 2]), base.broadcastTo([2, 3, 4]), base.reshape(-1), base.expandDims(0)];
      expect(live().arrays - before.arrays).toBe(7); // arange + reshape + five views
      expect(live().buffers - before.buffers).toBe(1);
      base.dispose();
      expect(views[0]!.toArray()).toEqual([[0, 4, 8], [1, 5, 9], [2, 6, 10], [3, 7, 11]]);
      for (const v of views) v.dispose();
      expect(live().buffers - before.buffers).toBe(1); // arange's own array is still held
    }));

  it("dispose() and [Symbol.dispose] are safe twice; `using` frees at block end", () =>
    on(backend, () => {
      const before = live();
      {
        using x = vz.ones([4]);
        x.dispose();
        x[Symbol.dispose]();
        expect(x.isDisposed).toBe(true);
        expect(() => x.sum()).toThrow("sum: array of shape (4,) was used after dispose()");
        expect(() => x.T).toThrow(vz.DisposedError);
      }
      {
        using y = vz.zeros([2, 2]);
        expect(y.isDisposed).toBe(false);
      }
      expect(live()).toEqual(before);
    }));

  it("scope() frees what the function made except what it returns, nested and returned in objects", () =>
    on(backend, () => {
      const before = live();
      const kept = vz.scope(() => {
        const a = vz.ones([3]);
        const b = a.add(1);
        const inner = vz.scope(() => {
          const t = b.mul(2);
          return { t, list: [t.add(1)] };
        });
        return { sum: inner.t.add(inner.list[0]!), extra: [b] };
      });
      expect(kept.sum.toArray()).toEqual([9, 9, 9]);
      expect(kept.extra[0]!.toArray()).toEqual([2, 2, 2]);
      expect(live().arrays - before.arrays).toBe(2);
      kept.sum.dispose();
      kept.extra[0]!.dispose();
      expect(live()).toEqual(before);
    }));

  it("scope() frees everything when the function throws", () =>
    on(backend, () => {
      const before = live();
      expect(() =>
        vz.scope(() => {
          vz.ones([10]).add(2);
          vz.add(vz.ones([3]), vz.ones([4]));
        }),
      ).toThrow(vz.BroadcastError);
      expect(live()).toEqual(before);
    }));

  it("scope() works with async functions, and concurrent async scopes keep their own arrays", async () => {
    vz.setBackend(backend);
    await settle();
    const before = live();
    const tick = () => new Promise((resolve) => setTimeout(resolve, 1));
    const work = (k: number) =>
      vz.scope(async () => {
        let x = vz.full([8], k);
        for (let i = 0; i < 5; i++) {
          await tick();
          x = x.add(1); // intermediates stay in this scope across awaits
        }
        return x;
      });
    const [a, b] = await Promise.all([work(1), work(100)]);
    expect(a.toArray()).toEqual(new Array(8).fill(6));
    expect(b.toArray()).toEqual(new Array(8).fill(105));
    expect(live().arrays - before.arrays).toBe(2);
    a.dispose();
    b.dispose();
    await expect(vz.scope(async () => (vz.ones([2]), await tick(), Promise.reject(new Error("boom"))))).rejects.toThrow("boom");
    expect(live()).toEqual(before);
  });

  it("scope() of a plain function that returns a promise: what it makes synchronously is freed, its callbacks' arrays belong to the scope around it", async () => {
    vz.setBackend(backend);
    await settle();
    const before = live();
    const made: vz.NDArray[] = [];
    const outerKept = await vz.scope(async () => {
      const inner = await vz.scope(() => {
        made.push(vz.ones([2])); // synchronous: this scope's, freed when it closes
        return Promise.resolve().then(() => made.push(vz.ones([3]))); // later: the async scope around it
      });
      expect(inner).toBe(2);
      expect(made.map((x) => x.isDisposed)).toEqual([true, false]);
      return vz.zeros([1]);
    });
    expect(made[1]!.isDisposed).toBe(true); // freed with the outer scope, which did not return it
    expect(live().arrays - before.arrays).toBe(1);
    outerKept.dispose();
    expect(live()).toEqual(before);
  });

  it("ops with `out` write in place without allocating, and copy inputs that overlap differently", () =>
    on(backend, () => {
      const x = vz.arange(6).reshape(2, 3);
      const y = vz.ones([3]);
      const before = live();
      for (let i = 0; i < 10; i++) vz.add(x, y, { out: x });
      vz.exp(vz.zeros([2, 3]), { out: x });
      expect(live().arrays - before.arrays).toBe(1); // only the zeros
      expect(x.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
      const z = vz.arange(4).reshape(2, 2);
      vz.add(z, z.T, { out: z }); // z.T overlaps z in another layout: read from a copy
      expect(z.toArray()).toEqual([[0, 3], [3, 6]]);
      expect(() => vz.add(x, 1, { out: vz.zeros([3]) })).toThrow(
        "add: non-broadcastable output operand with shape (3,) doesn't match the broadcast shape (2,3)",
      );
      expect(() => vz.add(x, 1, { out: vz.zeros([2, 3], { dtype: "float64" }) })).toThrow(vz.DTypeError);
      expect(() => vz.add(x, 1, { out: vz.zeros([3, 2]).T })).toThrow(/'out' must be a contiguous array/);
    }));

  it("every op, outside any scope, leaves nothing behind but its result", () =>
    on(backend, () => {
      vz.random.seed(3);
      // Inputs (views included) made first, so that only what each op makes is counted.
      const a = vz.random.rand([3, 4]);
      const [b, v, c, d64] = [vz.random.rand([4]), vz.random.rand([4]), vz.random.rand([4, 2]), vz.random.rand([3, 1], { dtype: "float64" })];
      const [aT, cT, mask, row, c24] = [a.T, c.T, vz.greater(a, 0.5), d64.reshape(1, 3), c.reshape(2, 4)];
      const ops: Record<string, () => vz.NDArray | vz.NDArray[]> = {
        add: () => vz.add(a, b), promote: () => vz.add(a, d64), scalar: () => vz.add(a, 2), pow: () => vz.pow(a, 2), div: () => vz.div(1, aT),
        minimum: () => vz.minimum(aT, row), equal: () => vz.equal(a, b), where: () => vz.where(mask, a, 0), exp: () => vz.exp(aT),
        sigmoid: () => vz.sigmoid(aT), clip: () => vz.clip(a, 0.2, 0.8), sqrt: () => vz.sqrt(aT), relu: () => vz.relu(a),
        sum: () => vz.sum(a), sumAxis: () => vz.sum(aT, { axis: 0, keepdims: true }), mean: () => vz.mean(aT, { axis: 1 }), prod: () => vz.prod(a, { axis: 1 }),
        max: () => vz.max(aT, { axis: 1 }), argmax: () => vz.argmax(a, { axis: 0 }), argmin: () => vz.argmin(aT),
        matmul: () => vz.matmul(a, c), matvec: () => vz.matmul(a, v), transposed: () => vz.matmul(cT, aT), dot: () => vz.dot(a, c),
        outer: () => vz.outer(b, v), inner: () => vz.inner(a, c24), vdot: () => vz.vdot(b, v),
        reshape: () => a.reshape(4, 3), ravel: () => aT.ravel(), flatten: () => a.flatten(), astype: () => a.astype("float64"), copy: () => aT.copy(),
        concat: () => vz.concat([a, a], 1), stack: () => vz.stack([b, v]), broadcastTo: () => vz.broadcastTo(b, [2, 4]),
        slice: () => a.slice([0, 2], [1, null, 2]), squeeze: () => d64.squeeze(), expandDims: () => vz.expandDims(b, 0),
        npy: () => vz.io.readNpy(vz.io.writeNpy(aT)), csv: () => Object.values(vz.io.readCsv("a,b\n1,2\n", { label: "b" })).filter((x) => x instanceof vz.NDArray),
      };
      for (const [name, op] of Object.entries(ops)) {
        const before = live();
        const result = op();
        (Array.isArray(result) ? result : [result]).forEach((r) => r.dispose());
        expect(live(), name).toEqual(before);
      }
      const before = live();
      expect(vz.sum(b).item()).toBeGreaterThan(0); // item() reads; the caller still owns the sum
      expect(live().arrays - before.arrays).toBe(1);
    }));
});

describe("wasm memory", () => {
  it("100 000 ops inside scopes leave memory at its baseline", () => {
    vz.setBackend("wasm-simd");
    const x = vz.random.rand([16]);
    const before = live();
    for (let i = 0; i < 10_000; i++) {
      vz.scope(() => {
        let y = x.add(1);
        for (let k = 0; k < 9; k++) y = k % 3 === 0 ? y.mul(x) : k % 3 === 1 ? y.sigmoid() : y.sum({ keepdims: true }).add(x);
      });
    }
    expect(live()).toEqual(before);
    x.dispose();
  });

  it("results stay right while memory grows mid-sequence (growth detaches old views)", () => {
    vz.setBackend("wasm");
    const start = vz.memory().wasmMemoryBytes["wasm"]!;
    const a = vz.arange(1000);
    const grown: vz.NDArray[] = [];
    let b = a.add(1);
    // Each 8 MB array forces memory.grow; keep using the small arrays in between.
    for (let i = 0; i < 8; i++) {
      grown.push(vz.zeros([2_000_000]));
      b = vz.scope(() => b.add(a).sub(a));
      expect(b.slice([998, 1000]).toArray()).toEqual([999, 1000]);
    }
    expect(vz.memory().wasmMemoryBytes["wasm"]!).toBeGreaterThan(start + 60e6);
    expect(vz.sum(a).item()).toBe(499500);
    grown.forEach((g) => g.dispose());
  });

  it("asking for more than wasm can give throws OutOfMemoryError; earlier arrays stay usable", () => {
    vz.setBackend("wasm-simd");
    const kept = vz.arange(5);
    const before = live();
    // One buffer over 2 GiB: more than a wasm32 allocation can be.
    const huge = () => vz.zeros([600_000_000]);
    expect(huge).toThrow(vz.OutOfMemoryError);
    expect(huge).toThrow("cannot allocate 2400000000 bytes for 600000000 float32 elements: one WebAssembly buffer holds at most 2147483647 bytes");
    try {
      huge();
    } catch (error) {
      expect((error as vz.OutOfMemoryError).bytes).toBe(2_400_000_000);
    }
    // Buffers that fit one by one, but not all together in wasm32's 4 GiB: memory.grow fails.
    const first = vz.zeros([500_000_000]);
    const second = vz.zeros([500_000_000]);
    const third = () => vz.add(first, 1);
    expect(third).toThrow(/cannot allocate 2000000000 bytes for 500000000 float32 elements: WebAssembly memory \(\d+ bytes\) cannot grow any further/);
    first.dispose();
    second.dispose();
    expect(live()).toEqual(before);
    expect(kept.add(1).toArray()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("forgotten arrays", () => {
  it("the FinalizationRegistry frees arrays that were dropped without dispose()", async () => {
    vz.setBackend("wasm-simd");
    await settle();
    const before = live();
    (() => {
      for (let i = 0; i < 50; i++) vz.ones([1000]).add(1); // 100 arrays, no references kept
    })();
    expect(live().arrays - before.arrays).toBe(100);
    await settle();
    expect(live()).toEqual(before);
  });
});
