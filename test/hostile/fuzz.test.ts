/**
 * A fuzz pass over the public API: random calls with hostile arguments (wrong types, NaN and
 * huge or fractional numbers as shapes and axes, disposed arrays, arrays of the other backend,
 * `out` arrays of every kind). Each call, made alike on a wasm build and on the reference
 * backend, must return equal arrays or throw the same typed NdError on both; the process stays
 * alive and `memory()` is back at its baseline after every call.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../../ts/index.js";
import { loadAll, on, WASM_BUILDS, type TestBackend } from "../helpers/backends.js";

beforeAll(loadAll);

type Backend = TestBackend;

/** What an argument is, independently of the backend it is made on. */
type Arg =
  | { kind: "array"; shape: number[]; dtype: vz.DType; seed: number; layout: "plain" | "T" | "slice" | "broadcast" | "disposed" | "foreign" }
  | { kind: "value"; value: unknown };

const HOSTILE_NUMBERS = [NaN, Infinity, -Infinity, -1, 0.5, 2 ** 31, 2 ** 32 + 1, 2 ** 53, -0, 1e300];
const HOSTILE_VALUES = [null, undefined, "3", {}, [], [[1], [2, 3]], true, () => 1, Symbol("x"), 10n, { shape: [2] }];

const smallShape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 3 });
const arrayArg: fc.Arbitrary<Arg> = fc.record({
  kind: fc.constant("array" as const),
  shape: smallShape,
  dtype: fc.constantFrom<vz.DType>("float32", "float64"),
  seed: fc.integer({ min: 0, max: 1000 }),
  layout: fc.constantFrom("plain", "plain", "plain", "plain", "plain", "T", "slice", "broadcast", "disposed", "foreign"),
});
const value = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<Arg> => arb.map((v) => ({ kind: "value" as const, value: v }));
const hostile = value(
  fc.oneof(
    fc.double({ noDefaultInfinity: false }),
    fc.constantFrom(...HOSTILE_NUMBERS),
    fc.constantFrom(...HOSTILE_VALUES),
    fc.array(fc.constantFrom(...HOSTILE_NUMBERS), { minLength: 1, maxLength: 3 }),
    fc.record({ axis: fc.constantFrom(...HOSTILE_NUMBERS, ...HOSTILE_VALUES) }),
    arrayArg.map((a) => ({ outOf: a })),
  ),
);
/** Each parameter's usual values, and one time in five a hostile one. */
const sane = (arb: fc.Arbitrary<Arg>) => fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: hostile });
const KINDS = {
  /** an array operand (or a number, where ops take numbers) */
  a: sane(fc.oneof({ weight: 4, arbitrary: arrayArg }, { weight: 1, arbitrary: value(fc.integer({ min: -2, max: 3 })) })),
  /** an options object: none, `out`, or axis/keepdims */
  o: sane(
    fc.oneof(
      value(fc.constant(undefined)),
      value(arrayArg.map((a) => ({ outOf: a }))),
      value(fc.record({ axis: fc.integer({ min: -3, max: 3 }), keepdims: fc.boolean() }, { requiredKeys: [] })),
    ),
  ),
  /** a shape or list of axes */
  s: sane(value(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 }))),
  /** a number */
  n: sane(value(fc.oneof(fc.integer({ min: -3, max: 6 }), fc.double({ min: -10, max: 10, noNaN: true })))),
  /** an axis */
  x: sane(value(fc.integer({ min: -3, max: 3 }))),
};
type Kind = keyof typeof KINDS;

/** Public entry points and the kinds of their parameters. */
const CALLS: [string, Kind[], (...a: unknown[]) => unknown][] = [
  ["add", ["a", "a", "o"], (a, b, o) => vz.add(a as never, b as never, o as never)],
  ["mul", ["a", "a", "o"], (a, b, o) => vz.mul(a as never, b as never, o as never)],
  ["pow", ["a", "a"], (a, b) => vz.pow(a as never, b as never)],
  ["maximum", ["a", "a"], (a, b) => vz.maximum(a as never, b as never)],
  ["less", ["a", "a", "o"], (a, b, o) => vz.less(a as never, b as never, o as never)],
  ["where", ["a", "a", "a", "o"], (c, a, b, o) => vz.where(c as never, a as never, b as never, o as never)],
  ["exp", ["a", "o"], (a, o) => vz.exp(a as never, o as never)],
  ["sigmoid", ["a", "o"], (a, o) => vz.sigmoid(a as never, o as never)],
  ["clip", ["a", "n", "n"], (a, lo, hi) => vz.clip(a as never, lo as never, hi as never)],
  ["sum", ["a", "o"], (a, o) => vz.sum(a as never, o as never)],
  ["mean", ["a", "o"], (a, o) => vz.mean(a as never, o as never)],
  ["max", ["a", "o"], (a, o) => vz.max(a as never, o as never)],
  ["argmin", ["a", "o"], (a, o) => vz.argmin(a as never, o as never)],
  ["matmul", ["a", "a"], (a, b) => vz.matmul(a as never, b as never)],
  ["dot", ["a", "a"], (a, b) => vz.dot(a as never, b as never)],
  ["outer", ["a", "a"], (a, b) => vz.outer(a as never, b as never)],
  ["inner", ["a", "a"], (a, b) => vz.inner(a as never, b as never)],
  ["vdot", ["a", "a"], (a, b) => vz.vdot(a as never, b as never)],
  ["reshape", ["a", "s"], (a, s) => vz.reshape(a as never, s as never)],
  ["transpose", ["a", "s"], (a, s) => vz.transpose(a as never, s as never)],
  ["expandDims", ["a", "x"], (a, s) => vz.expandDims(a as never, s as never)],
  ["squeeze", ["a", "x"], (a, s) => vz.squeeze(a as never, s as never)],
  ["broadcastTo", ["a", "s"], (a, s) => vz.broadcastTo(a as never, s as never)],
  ["slice", ["a", "s", "x"], (a, s, t) => vz.slice(a as never, s as never, t as never)],
  ["concat", ["a", "a", "x"], (a, b, axis) => vz.concat([a, b] as never, axis as never)],
  ["stack", ["a", "a", "x"], (a, b, axis) => vz.stack([a, b] as never, axis as never)],
  ["astype", ["a", "n"], (a, d) => vz.astype(a as never, (typeof d === "number" ? (d > 0 ? "float32" : "float64") : d) as never)],
  ["array", ["s", "o"], (d, o) => vz.array(d as never, o as never)],
  ["zeros", ["s", "o"], (s, o) => vz.zeros(s as never, o as never)],
  ["full", ["s", "n"], (s, v) => vz.full(s as never, v as never)],
  ["arange", ["n", "n", "n"], (a, b, c) => vz.arange(a as never, b as never, c as never)],
  ["linspace", ["n", "n", "n"], (a, b, n) => vz.linspace(a as never, b as never, n as never)],
  ["eye", ["n", "n", "n"], (n, m, k) => vz.eye(n as never, m as never, k as never)],
  ["random.rand", ["s"], (s) => vz.random.rand(s as never)],
];

/** Makes an argument on `backend`; arrays made here are disposed by the caller. */
function materialise(arg: Arg, backend: Backend, made: vz.NDArray[]): unknown {
  if (arg.kind === "value") {
    const v = arg.value as { outOf?: Arg } | undefined;
    return v && typeof v === "object" && "outOf" in v ? { out: materialise(v.outOf!, backend, made) } : arg.value;
  }
  const other: Backend = backend === "reference" ? "wasm-simd" : "reference";
  const size = arg.shape.reduce((n, d) => n * d, 1);
  const values = Array.from({ length: size }, (_, i) => ((i * 7 + arg.seed) % 11) - 5 + (arg.seed % 3) / 4);
  const base = on(arg.layout === "foreign" ? other : backend, () => vz.array(values, { shape: arg.shape, dtype: arg.dtype }));
  made.push(base);
  const view = (() => {
    switch (arg.layout) {
      case "T":
        return base.T;
      case "slice":
        return arg.shape.length ? base.slice([null, null, -1]) : base.T;
      case "broadcast":
        return base.broadcastTo([2, ...arg.shape]);
      default:
        return base;
    }
  })();
  if (view !== base) made.push(view);
  if (arg.layout === "disposed") base.dispose();
  return view;
}

type Outcome = { ok: true; shape: readonly number[]; dtype: string; values: number[] } | { ok: false; code: string; message: string };

/** Runs one call on `backend`, returning its result's data or its error, and freeing everything. */
function run(backend: Backend, call: (...a: unknown[]) => unknown, args: Arg[]): Outcome {
  const made: vz.NDArray[] = [];
  try {
    return on(backend, () => {
      vz.random.seed(1); // random calls draw the same numbers on both backends
      const inputs = args.map((a) => materialise(a, backend, made));
      const result = call(...inputs);
      if (!(result instanceof vz.NDArray)) throw new Error(`returned ${String(result)}, not an NDArray`);
      if (!inputs.some((x) => (x as { out?: unknown })?.out === result)) made.push(result);
      return { ok: true, shape: result.shape, dtype: result.dtype, values: Array.from(result.toTypedArray()) };
    });
  } catch (error) {
    if (!(error instanceof vz.NdError)) throw error; // not typed: the property fails
    return { ok: false, code: error.code, message: error.message };
  } finally {
    for (const x of made) x.dispose();
  }
}

const sameValue = (a: number, b: number) => Object.is(a, b) || Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a), Math.abs(b));

describe.each(WASM_BUILDS)("fuzzing the public API on %s against the reference backend", (build) => {
  it("every call returns the reference's array or throws its typed error; nothing leaks", () => {
    const baseline = vz.memory().arrays;
    let calls = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...CALLS).chain(([name, kinds, call]) => fc.tuple(fc.constant(name), fc.constant(call), fc.tuple(...kinds.map((k) => KINDS[k])))),
        ([name, call, used]) => {
        const wasm = run(build, call, used);
        const ref = run("reference", call, used);
        calls++;
        expect(vz.memory().arrays, `${name}(${JSON.stringify(used.map((u) => (u.kind === "array" ? u.layout : typeof u.value)))}): arrays left behind`).toBe(baseline);
        if (!wasm.ok || !ref.ok) {
          // Errors name the backend a foreign array came from, so compare codes, not text.
          expect(wasm.ok ? "returned" : wasm.code, `${name}: ${wasm.ok ? "" : wasm.message} vs ${ref.ok ? "" : ref.message}`).toBe(ref.ok ? "returned" : ref.code);
          return;
        }
        expect(wasm.shape, name).toEqual(ref.shape);
        expect(wasm.dtype, name).toBe(ref.dtype);
        const bad = wasm.values.findIndex((v, i) => !sameValue(v, ref.values[i]!));
        expect(bad, `${name}: element ${bad}: ${wasm.values[bad]} vs ${ref.values[bad]}`).toBe(-1);
        },
      ),
      { seed: 14, numRuns: 5000, endOnFailure: true },
    );
    expect(calls).toBe(5000);
  });
});
