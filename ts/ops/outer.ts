import type { NDArray } from "../ndarray.js";
import { checkOperand, operandArrays } from "./binary.js";
import { mul } from "./mul.js";
import { withTemporaries } from "./temporaries.js";

/**
 * The outer product of two arrays, flattened first: `out[i, j] = a[i]·b[j]`, shape (a.size, b.size).
 * @param a the first operand (an array or a number).
 * @param b the second operand (an array or a number).
 * @example
 * vz.outer(vz.array([1, 2]), vz.array([1, 10, 100])).toArray(); // => [[1,10,100],[2,20,200]]
 */
export function outer(a: NDArray | number, b: NDArray | number): NDArray {
  checkOperand("outer", a, "first");
  checkOperand("outer", b, "second");
  // One broadcast multiply: a column against a row writes the result in one pass.
  return withTemporaries((temp) => {
    const [x, y] = operandArrays("outer", [a, b], temp) as [NDArray, NDArray];
    return mul(temp(x.reshape(-1, 1)), temp(y.reshape(-1)));
  });
}
