/**
 * Seeded random arrays. The stream is generated in TypeScript and written into the array, so
 * every backend gets the same numbers for the same seed.
 *
 * The generator is xoshiro128** (32-bit state words, fast without 64-bit integers), seeded by
 * splitmix32; uniform floats take 53 random bits; normals use the Box–Muller transform.
 */
import { ValueError } from "./errors.js";
import type { DTypeOption } from "./creation.js";
import { fromFunction } from "./creation.js";
import type { NDArray } from "./ndarray.js";
import { checkShape, sizeOf } from "./shape.js";
import { checkOptions, show } from "./options.js";

let state = new Uint32Array(4);
seed(Date.now() >>> 0);

/**
 * Restarts the stream: the same seed gives the same arrays on every backend.
 * @param value an integer.
 * @throws {ValueError} a seed that is not an integer.
 * @example
 * vz.random.seed(42);
 * const a = vz.random.rand([3]).toArray();
 * vz.random.seed(42);
 * const b = vz.random.rand([3]).toArray();
 * JSON.stringify(a) === JSON.stringify(b); // => true
 * vz.random.seed(0.5); // throws ValueError: random.seed: seed must be an integer, got 0.5
 */
export function seed(value: number): void {
  if (!Number.isInteger(value)) throw new ValueError(`random.seed: seed must be an integer, got ${show(value)}`);
  let s = value >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  state = Uint32Array.from([splitmix(), splitmix(), splitmix(), splitmix()]);
  if (state.every((w) => w === 0)) state[0] = 1; // the all-zero state is a fixed point
}

/**
 * @internal Runs `fn` on the stream `seed(value)` starts, then puts the global stream back where
 * it was: a model's seeded initialisation neither depends on nor disturbs the user's draws.
 */
export function withSeed<T>(value: number, fn: () => T): T {
  const saved = state;
  seed(value);
  try {
    return fn();
  } finally {
    state = saved;
  }
}

/** The next 32 random bits (xoshiro128**). */
function next32(): number {
  const s = state;
  const result = Math.imul(rotl(Math.imul(s[1]!, 5), 7), 9) >>> 0;
  const t = s[1]! << 9;
  s[2]! ^= s[0]!;
  s[3]! ^= s[1]!;
  s[1]! ^= s[2]!;
  s[0]! ^= s[3]!;
  s[2]! ^= t;
  s[3] = rotl(s[3]!, 11);
  return result;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** A uniform float in [0, 1) with 53 random bits. */
function uniform01(): number {
  return ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;
}

/**
 * A shape, or a number for a 1-D shape.
 * @example
 * vz.random.rand(3).shape; // => [3]
 */
export type ShapeArg = number | readonly number[];

function dims(op: string, shape: ShapeArg): number[] {
  return checkShape(op, typeof shape === "number" ? [shape] : shape);
}

/**
 * Uniform samples in [0, 1).
 * @param shape the shape of the result.
 * @param options `dtype` (float32 unless given).
 * @example
 * vz.random.rand([2, 3]).shape; // => [2, 3]
 */
export function rand(shape: ShapeArg, options: DTypeOption = {}): NDArray {
  checkOptions("random.rand", options, ["dtype"]);
  const d = dims("random.rand", shape);
  return fromFunction("random.rand", sizeOf(d), uniform01, options.dtype, d);
}

/**
 * Uniform samples in [low, high).
 * @param low the lower bound (included).
 * @param high the upper bound (excluded).
 * @param shape the shape of the result.
 * @param options `dtype` (float32 unless given).
 * @throws {ValueError} bounds that are not finite.
 * @example
 * const u = vz.random.uniform(-1, 1, [100]);
 * [vz.min(u).item() >= -1, vz.max(u).item() < 1]; // => [true, true]
 */
export function uniform(low: number, high: number, shape: ShapeArg, options: DTypeOption = {}): NDArray {
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new ValueError(`random.uniform: low and high must be finite, got ${show(low)} and ${show(high)}`);
  checkOptions("random.uniform", options, ["dtype"]);
  const d = dims("random.uniform", shape);
  return fromFunction("random.uniform", sizeOf(d), () => low + (high - low) * uniform01(), options.dtype, d);
}

/**
 * Standard normal samples (mean 0, variance 1), by Box–Muller.
 * @param shape the shape of the result.
 * @param options `dtype` (float32 unless given).
 * @example
 * const w = vz.random.randn([784, 1]).mul(0.01); // small random weights
 * w.shape; // => [784, 1]
 */
export function randn(shape: ShapeArg, options: DTypeOption = {}): NDArray {
  checkOptions("random.randn", options, ["dtype"]);
  const d = dims("random.randn", shape);
  let spare: number | undefined;
  const normal = () => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    const u = 1 - uniform01(); // (0, 1]: log(u) is finite
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * uniform01();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return fromFunction("random.randn", sizeOf(d), normal, options.dtype, d);
}
