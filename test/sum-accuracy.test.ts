// float32 sums accumulate accurately: 1e7 values summed naively in float32 drift by ~1e-3
// relative; ours stay within a few float32 ulps of the exact (float64) sum.
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { loadAll, on, WASM_BUILDS } from "./helpers/backends.js";
import { prng } from "./helpers/random.js";

beforeAll(loadAll);

const N = 10_000_000;

/** The values as float32, and their exact sum (float64 accumulation of float32 values is exact to ~1e-16 relative here). */
function data(kind: "uniform" | "mixed") {
  const next = prng(kind === "uniform" ? 11 : 12);
  const values = new Float32Array(N);
  for (let i = 0; i < N; i++) values[i] = kind === "uniform" ? next() : (next() - 0.5) * 2 ** Math.floor(next() * 8);
  let exact = 0;
  let magnitude = 0;
  for (let i = 0; i < N; i++) {
    exact += values[i]!;
    magnitude += Math.abs(values[i]!);
  }
  return { values, exact, magnitude };
}

describe.each(WASM_BUILDS)("float32 sum of 1e7 values on %s", (build) => {
  it.each(["uniform", "mixed"] as const)("%s values: within 2 float32 ulps of Σ|x| of the exact sum", (kind) => {
    const { values, exact, magnitude } = data(kind);
    const got = on(build, () => vz.scope(() => vz.sum(vz.array(values)).item()));
    // The stated bound: |error| ≤ 2·2^-24·Σ|x| (pairwise/blocked summation keeps it O(log n)·ε,
    // far below the naive loop's n·ε).
    const bound = 2 * 2 ** -24 * magnitude;
    expect(Math.abs(got - exact)).toBeLessThanOrEqual(bound);
    // A naive float32 loop misses by far more on the uniform data: the bound is a real one.
    if (kind === "uniform") {
      let naive = Math.fround(0);
      for (let i = 0; i < N; i++) naive = Math.fround(naive + values[i]!);
      expect(Math.abs(naive - exact)).toBeGreaterThan(10 * bound);
    }
  });
});
