/**
 * Every NDArray op on the wasm builds (SIMD and baseline) against the reference backend, on
 * random shapes (0-d, zero-size, size-1 axes, up to 6-D), random layouts (transposed, sliced,
 * reversed, broadcast views), both dtypes and IEEE special values.
 *
 * Tolerances, per op (the reference rounds a float64 `Math.*` result once into the dtype):
 * - exact (bit-identical, NaN = NaN): add, sub, mul, div, maximum, minimum, comparisons, where,
 *   neg, abs, square, sqrt, clip, copies, views, max/min/argmax/argmin — IEEE rounds these
 *   correctly in both. sign and relu: exact up to the sign of a zero result.
 * - pow: ≤ 2 ulp (C's pow in Rust against V8's Math.pow, both ≈1 ulp).
 * - exp, log, log1p, sigmoid, tanh: ≤ 3 ulp float32, ≤ 5 ulp float64 (the wasm kernels'
 *   stated bounds of 2 and 4 ulp, plus the reference's own ≤ 1 ulp).
 * - sum, mean, prod: |Δ| ≤ 8·ε·Σ|x| (·n for prod's relative error), ε of the dtype.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { loadAll, WASM_BUILDS } from "./helpers/backends.js";
import { expectIdentical, expectUlpClose, expectWithin } from "./helpers/close.js";
import { recipeArb, runOn } from "./helpers/layouts.js";
import { prng } from "./helpers/random.js";
import { broadcastPairArb, shapeArb } from "./helpers/shapes.js";

beforeAll(loadAll);

const DTYPES = ["float32", "float64"] as const;
const RUNS = 60;

const run = runOn;

/** Values with magnitudes that sum without overflow, plus NaN, ±Inf and −0 now and then. */
function tameValues(n: number, seed: number): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => {
    const r = next();
    if (r < 0.03) return [NaN, Infinity, -Infinity, -0][Math.floor(next() * 4)]!;
    return (next() - 0.5) * 200;
  });
}

/** Values near 1 so long products stay finite. */
function nearOne(n: number, seed: number): number[] {
  const next = prng(seed);
  return Array.from({ length: n }, () => 0.5 + next() * 1.5);
}

const binaryOps: [string, (a: vz.NDArray, b: vz.NDArray) => vz.NDArray, number][] = [
  ["add", vz.add, 0],
  ["sub", vz.sub, 0],
  ["mul", vz.mul, 0],
  ["div", vz.div, 0],
  ["pow", vz.pow, 2],
  ["maximum", vz.maximum, 0],
  ["minimum", vz.minimum, 0],
  ["equal", vz.equal, 0],
  ["notEqual", vz.notEqual, 0],
  ["greater", vz.greater, 0],
  ["greaterEqual", vz.greaterEqual, 0],
  ["less", vz.less, 0],
  ["lessEqual", vz.lessEqual, 0],
];

describe.each(WASM_BUILDS)("%s matches the reference", (build) => {
  describe.each(DTYPES)("%s", (dtype) => {
    it.each(binaryOps)("%s on broadcast shapes and strided layouts", (_name, op, maxUlp) => {
      fc.assert(
        fc.property(
          broadcastPairArb(6, 3).chain(({ a, b }) => fc.tuple(recipeArb(a, dtype), recipeArb(b, dtype))),
          (recipes) => {
            const got = run(build, recipes, op);
            const want = run("reference", recipes, op);
            expect(got.shape).toEqual(want.shape);
            if (maxUlp === 0) expectIdentical(got.data, want.data, `${recipes.map((r) => r.layout)}`);
            else expectUlpClose(got.data, want.data, dtype, maxUlp);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it("where: three broadcast operands, NaN conditions count as true", () => {
      fc.assert(
        fc.property(
          broadcastPairArb(4, 3).chain(({ a, b }) => fc.tuple(recipeArb(a, dtype), recipeArb(b, dtype), recipeArb(a.slice(1), dtype))),
          (recipes) => {
            // Conditions from the same random values: about a third zero, some NaN.
            const cond = { ...recipes[0], values: (n: number, s: number) => tameValues(n, s).map((v, i) => (i % 3 === 0 ? 0 : v)) };
            const f = (c: vz.NDArray, a: vz.NDArray, b: vz.NDArray) => vz.where(c, a, b);
            expectIdentical(run(build, [cond, recipes[1], recipes[2]], f).data, run("reference", [cond, recipes[1], recipes[2]], f).data);
          },
        ),
        { numRuns: RUNS },
      );
    });

    const unaryOps: [string, (x: vz.NDArray) => vz.NDArray, number, boolean][] = [
      ["neg", vz.neg, 0, false],
      ["abs", vz.abs, 0, false],
      ["sign", vz.sign, 0, true],
      ["square", vz.square, 0, false],
      ["sqrt", vz.sqrt, 0, false],
      ["relu", vz.relu, 0, true],
      ["clip", (x) => vz.clip(x, -1.5, 2.25), 0, false],
      ["exp", vz.exp, dtype === "float32" ? 3 : 5, false],
      ["log", vz.log, dtype === "float32" ? 3 : 5, false],
      ["log1p", vz.log1p, dtype === "float32" ? 3 : 5, false],
      ["sigmoid", vz.sigmoid, dtype === "float32" ? 3 : 5, false],
      ["tanh", vz.tanh, dtype === "float32" ? 3 : 5, false],
    ];
    it.each(unaryOps)("%s on every layout", (name, op, maxUlp, zeroSignFree) => {
      fc.assert(
        fc.property(
          shapeArb(6, 3).chain((shape) => recipeArb(shape, dtype)),
          (recipe) => {
            const got = run(build, [recipe], op);
            const want = run("reference", [recipe], op);
            expect(got.shape).toEqual(recipe.shape);
            const norm = (d: ArrayLike<number>) => (zeroSignFree ? Array.from(d, (v) => (v === 0 ? 0 : v)) : d);
            if (maxUlp === 0) expectIdentical(norm(got.data), norm(want.data), `${name} ${recipe.layout}`);
            else expectUlpClose(got.data, want.data, dtype, maxUlp, `${name} ${recipe.layout}`);
          },
        ),
        { numRuns: RUNS },
      );
    });

    const eps = dtype === "float32" ? 2 ** -23 : 2 ** -52;
    const reductions: [string, (x: vz.NDArray, axis: number[] | undefined, keepdims: boolean) => vz.NDArray, "exact" | "sum" | "prod"][] = [
      ["sum", (x, axis, keepdims) => vz.sum(x, { axis, keepdims }), "sum"],
      ["mean", (x, axis, keepdims) => vz.mean(x, { axis, keepdims }), "sum"],
      ["prod", (x, axis, keepdims) => vz.prod(x, { axis, keepdims }), "prod"],
      ["max", (x, axis, keepdims) => vz.max(x, { axis, keepdims }), "exact"],
      ["min", (x, axis, keepdims) => vz.min(x, { axis, keepdims }), "exact"],
    ];
    it.each(reductions)("%s over random axes, with and without keepdims", (name, op, kind) => {
      fc.assert(
        fc.property(
          shapeArb(5, 4).chain((shape) =>
            fc.tuple(
              recipeArb(shape, dtype, kind === "prod" ? nearOne : tameValues),
              fc.option(fc.subarray(shape.map((_, i) => i)), { nil: undefined }),
              fc.boolean(),
            ),
          ),
          ([recipe, axis, keepdims]) => {
            const empty = recipe.shape.some((d, i) => d === 0 && (axis === undefined || axis.includes(i)));
            if (empty && (name === "max" || name === "min")) {
              expect(() => run(build, [recipe], (x) => op(x, axis, keepdims))).toThrow(/which has no identity/);
              return;
            }
            const got = run(build, [recipe], (x) => op(x, axis, keepdims));
            const want = run("reference", [recipe], (x) => op(x, axis, keepdims));
            expect(got.shape).toEqual(want.shape);
            if (kind === "exact") return expectIdentical(got.data, want.data, name);
            // Tolerance from the magnitudes summed into each output (a sum of |x| over the same axes).
            const scale = run("reference", [recipe], (x) => vz.sum(vz.abs(x), { axis, keepdims })).data;
            const n = recipe.shape.reduce((k, d, i) => (axis === undefined || axis.includes(i) ? k * d : k), 1);
            const divisor = name === "mean" ? Math.max(n, 1) : 1;
            const tol = Array.from(scale, (s, i) => (kind === "prod" ? 8 * eps * n * Math.abs(want.data[i]!) : (8 * eps * s) / divisor) + 1e-300);
            expectWithin(got.data, want.data, tol, `${name} ${recipe.layout} axis=${axis} keepdims=${keepdims}`);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it.each(["argmax", "argmin"] as const)("%s along each axis and flattened", (name) => {
      fc.assert(
        fc.property(
          shapeArb(4, 4).filter((s) => s.every((d) => d > 0)).chain((shape) =>
            fc.tuple(recipeArb(shape, dtype, (n, s) => tameValues(n, s).map((v) => Math.round(v / 40))), fc.option(fc.nat(Math.max(0, shape.length - 1)), { nil: undefined })),
          ),
          ([recipe, axis]) => {
            const ax = recipe.shape.length === 0 ? undefined : axis;
            const f = (x: vz.NDArray) => vz[name](x, { axis: ax });
            const got = run(build, [recipe], f);
            expect(got.dtype).toBe("float64");
            expectIdentical(got.data, run("reference", [recipe], f).data, `${name} axis=${ax}`);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it("copies, casts and views read every layout exactly", () => {
      const other = dtype === "float32" ? "float64" : "float32";
      const views: ((x: vz.NDArray) => vz.NDArray)[] = [
        (x) => x.copy(),
        (x) => x.astype(other),
        (x) => x.ravel(),
        (x) => x.flatten(),
        (x) => x.T.copy(),
        (x) => x.reshape(-1),
        (x) => x.expandDims(0).squeeze(0),
        (x) => (x.ndim > 0 ? vz.concat([x, x], x.ndim - 1) : x.copy()),
        (x) => vz.stack([x, x.neg()], 0),
      ];
      fc.assert(
        fc.property(shapeArb(5, 3).chain((shape) => recipeArb(shape, dtype)), fc.nat(views.length - 1), (recipe, k) => {
          const f = views[k]!;
          const got = run(build, [recipe], f);
          const want = run("reference", [recipe], f);
          expect(got.shape).toEqual(want.shape);
          expect(got.dtype).toBe(want.dtype);
          expectIdentical(got.data, want.data, `view #${k} of ${recipe.layout}`);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });
});
