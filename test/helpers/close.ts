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
