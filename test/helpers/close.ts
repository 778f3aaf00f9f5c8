/** Array comparisons with stated tolerances. */
import { expect } from "vitest";

/**
 * Element-wise equality of two results, NaN equal to NaN and -0 distinct from +0 (Object.is),
 * for ops that IEEE arithmetic rounds exactly (add: the same correctly rounded result everywhere).
 */
export function expectIdentical(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`${what} element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

/** The size of one unit in the last place at `x` in `dtype` (subnormal spacing near 0). */
export function ulpOf(x: number, dtype: "float32" | "float64"): number {
  const [mantissa, minExp] = dtype === "float32" ? [23, -149] : [52, -1074];
  const a = Math.abs(x);
  if (a === 0 || !Number.isFinite(a)) return 2 ** minExp;
  return 2 ** Math.max(Math.floor(Math.log2(a)) - mantissa, minExp);
}

/** Distance in ulps (at the expected value); 0 for identical specials, Infinity for mismatched ones. */
export function ulpDistance(actual: number, expected: number, dtype: "float32" | "float64"): number {
  if (Object.is(actual, expected) || (actual === 0 && expected === 0)) return 0;
  if (!Number.isFinite(actual) || !Number.isFinite(expected)) return Infinity;
  return Math.abs(actual - expected) / ulpOf(expected, dtype);
}

/** Every element within `maxUlp` of the expected one (specials must match exactly; ±0 equal). */
export function expectUlpClose(actual: ArrayLike<number>, expected: ArrayLike<number>, dtype: "float32" | "float64", maxUlp: number, what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(actual[i]!, expected[i]!, dtype);
    if (!(d <= maxUlp)) expect.fail(`${what} element ${i}: got ${actual[i]}, expected ${expected[i]} (${d} ulp > ${maxUlp})`);
  }
}

/** |actual − expected| ≤ tol[i] element-wise; non-finite expected values must match exactly. */
export function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: ArrayLike<number>, what = ""): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= tol[i]! : Object.is(a, e);
    if (!ok) expect.fail(`${what} element ${i}: got ${a}, expected ${e} ± ${tol[i]}`);
  }
}
