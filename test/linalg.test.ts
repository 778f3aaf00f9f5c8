/**
 * matmul, dot, outer, inner, vdot: wasm (SIMD and baseline) against the reference backend and
 * against hand-computed products. Tolerance: the reference accumulates each dot product in
 * float64 and rounds once; GEMM accumulates in the dtype, in a blocked order, so its error is
 * bounded by k·ε·Σ|aᵢₚ·bₚⱼ| (we allow 2·k·ε times that sum, ε of the dtype).
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on, WASM_BUILDS } from "./helpers/backends.js";
import { expectIdentical, expectWithin } from "./helpers/close.js";
import { recipeArb, runOn, type Recipe } from "./helpers/layouts.js";

beforeAll(loadAll);

const run = runOn;

/** Values in [-4, 4] so products stay well inside float32's range. */
const modest = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 0.37 + i * 1.7) * 4);

/** Operand shapes for matmul: (batch…, m, k) and (batch…, k, n), batch axes broadcasting, vectors too. */
const matmulShapes = fc
  .record({
    m: fc.integer({ min: 0, max: 20 }),
    k: fc.integer({ min: 0, max: 20 }),
    n: fc.integer({ min: 0, max: 20 }),
    batch: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    ones: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    vec: fc.constantFrom("none", "a", "b", "both"),
  })
  .map(({ m, k, n, batch, ones, vec }) => {
    const batchB = batch.map((d, i) => (ones[i] ? 1 : d));
    if (vec === "both") return { a: [k], b: [k], k };
    if (vec === "a") return { a: [k], b: [...batchB, k, n], k };
    if (vec === "b") return { a: [...batch, m, k], b: [k], k };
    return { a: [...batch, m, k], b: [...batchB.slice(1), k, n], k };
  });

describe.each(WASM_BUILDS)("%s matches the reference", (build) => {
  it.each(["float32", "float64"] as const)("matmul %s: random shapes, batches, vectors and layouts", (dtype) => {
    const eps = dtype === "float32" ? 2 ** -23 : 2 ** -52;
    fc.assert(
      fc.property(
        matmulShapes.chain(({ a, b, k }) => fc.tuple(recipeArb(a, dtype, modest), recipeArb(b, dtype, modest), fc.constant(k))),
        ([ra, rb, k]) => {
          const got = run(build, [ra, rb], vz.matmul);
          const want = run("reference", [ra, rb], vz.matmul);
          expect(got.shape).toEqual(want.shape);
          // Σ|a||b| per output element, computed by the reference on |a| and |b|.
          const scale = run("reference", [ra, rb], (x, y) => vz.matmul(vz.abs(x), vz.abs(y))).data;
          expectWithin(got.data, want.data, Array.from(scale, (s) => 2 * Math.max(k, 1) * eps * s), `${ra.layout}·${rb.layout}`);
        },
      ),
      { numRuns: 80 },
    );
  });

  it("large products hit the blocked path: transposed operands, both dtypes", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const [la, lb] of [["contiguous", "contiguous"], ["transposed", "contiguous"], ["contiguous", "transposed"], ["transposed", "transposed"]] as const) {
        const ra: Recipe = { shape: [67, 130], layout: la, dtype, seed: 1, values: modest };
        const rb: Recipe = { shape: [130, 45], layout: lb, dtype, seed: 2, values: modest };
        const got = run(build, [ra, rb], vz.matmul);
        const want = run("reference", [ra, rb], vz.matmul);
        const tol = (dtype === "float32" ? 2 ** -23 : 2 ** -52) * 2 * 130 * 130 * 16;
        expectWithin(got.data, want.data, new Array(want.data.length).fill(tol), `${la}·${lb} ${dtype}`);
      }
    }
  });

  it("a blocked product's last few rows have the bits they have inside full row tiles", () => {
    // Row counts ending in an edge of 1 or 2 rows (the kernels' paired edge path) against the
    // same rows padded to a multiple of 4 (full tiles on every build); column counts of odd,
    // even and partial panel pairs.
    for (const dtype of ["float32", "float64"] as const) {
      for (const [m, n] of [[10, 13], [9, 8], [10, 6], [10, 3], [5, 21], [6, 37]] as const) {
        on(build, () =>
          vz.scope(() => {
            const k = 70;
            const padded = vz.array(modest(Math.ceil(m / 4) * 4 * k, m), { dtype }).reshape([Math.ceil(m / 4) * 4, k]);
            const B = vz.array(modest(k * n, n + 1), { dtype }).reshape([k, n]);
            const full = vz.matmul(padded, B).toTypedArray().subarray(0, m * n);
            const A = padded.slice([0, m]);
            expectIdentical(vz.matmul(A, B).toTypedArray(), full, `${dtype} (${m}, ${k})·(${k}, ${n})`);
            expectIdentical(vz.matmul(A.copy(), B).toTypedArray(), full, `${dtype} (${m}, ${k})·(${k}, ${n}), contiguous`);
          }),
        );
      }
    }
  });
});

describe.each(ALL_BACKENDS)("linear algebra on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "exact products of small integer matrices, every numpy case",
    inB(() => {
      const A = vz.array([[1, 2, 3], [4, 5, 6]]);
      const B = vz.array([[7, 8], [9, 10], [11, 12]]);
      expect(vz.matmul(A, B).toArray()).toEqual([[58, 64], [139, 154]]);
      expect(vz.matmul(A.T, A).toArray()).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
      expect(vz.matmul(B.T, A.T).toArray()).toEqual([[58, 139], [64, 154]]);
      expect(vz.matmul(A, vz.array([1, 0, -1])).toArray()).toEqual([-2, -2]);
      expect(vz.matmul(vz.array([1, -1]), A).toArray()).toEqual([-3, -3, -3]);
      const inner = vz.matmul(vz.array([1, 2, 3]), vz.array([4, 5, 6]));
      expect([inner.shape, inner.item()]).toEqual([[], 32]);
      const stack = vz.matmul(vz.stack([A, A.mul(2)]), B);
      expect(stack.toArray()).toEqual([[[58, 64], [139, 154]], [[116, 128], [278, 308]]]);
      expect(vz.matmul(vz.ones([4, 1, 2, 3]), vz.ones([5, 3, 2])).shape).toEqual([4, 5, 2, 2]);
      expect(vz.matmul(vz.zeros([2, 0]), vz.zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(vz.matmul(A, B.astype("float64")).dtype).toBe("float64");
      expect(vz.dot(A, B).toArray()).toEqual([[58, 64], [139, 154]]);
      expect(vz.dot(vz.array([1, 2]), vz.array([3, 4])).item()).toBe(11);
      expect(vz.dot(A, 2).toArray()).toEqual([[2, 4, 6], [8, 10, 12]]);
      expect(vz.outer(vz.array([1, 2]), vz.array([1, 10, 100])).toArray()).toEqual([[1, 10, 100], [2, 20, 200]]);
      expect(vz.inner(A, A).toArray()).toEqual([[14, 32], [32, 77]]);
      expect(vz.vdot(A, A).item()).toBe(91);
      expect(A.slice(null, [0, 3, 2]).matmul(vz.array([[1], [1]])).toArray()).toEqual([[4], [10]]);
    }),
  );

  it(
    "shape errors read like numpy's",
    inB(() => {
      expect(() => vz.matmul(vz.ones([3, 4]), vz.ones([3, 2]))).toThrow(
        "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)",
      );
      expect(() => vz.matmul(vz.array(1), vz.ones([2]))).toThrow(/Input operand 0 does not have enough dimensions/);
      expect(() => vz.matmul(vz.ones([2, 2, 3]), vz.ones([3, 3, 1]))).toThrow(vz.BroadcastError);
      const e = (() => {
        try {
          vz.dot(vz.ones([3, 4]), vz.ones([5, 2]));
        } catch (err) {
          return err as Error;
        }
      })();
      expect(e).toBeInstanceOf(vz.AlignmentError);
      expect(e!.message).toBe("dot: shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)");
      expect(() => vz.dot(vz.ones([3]), vz.ones([4]))).toThrow("dot: shapes (3,) and (4,) not aligned: 3 (dim 0) != 4 (dim 0)");
      expect(() => vz.vdot(vz.ones([3]), vz.ones([4]))).toThrow("vdot: vectors have different lengths (3 and 4)");
    }),
  );
});

it("matmul leaves no temporaries behind", () => {
  on("wasm-simd", () => {
    const a = vz.ones([3]);
    const b = vz.ones([3, 2]).astype("float64");
    const before = vz.memory().arrays;
    const c = vz.matmul(a, b);
    expect(vz.memory().arrays).toBe(before + 1);
    expectIdentical(c.toTypedArray(), [3, 3]);
  });
});
