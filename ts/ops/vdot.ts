import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { checkOperand, operandArrays } from "./binary.js";
import { matmul } from "./matmul.js";
import { withTemporaries } from "./temporaries.js";

/**
 * The dot product of two arrays flattened to vectors (numpy's `vdot` for real numbers), as a 0-d array.
 * @param a the first operand (an array or a number).
 * @param b the second operand (an array or a number).
 * @example
 * vz.vdot(vz.array([[1, 2], [3, 4]]), vz.ones([2, 2])).item(); // => 10
 * @throws {ValueError} when the sizes differ
 */
export function vdot(a: NDArray | number, b: NDArray | number): NDArray {
  checkOperand("vdot", a, "first");
  checkOperand("vdot", b, "second");
  return withTemporaries((temp) => {
    const [x, y] = operandArrays("vdot", [a, b], temp) as [NDArray, NDArray];
    if (x.size !== y.size) throw new ValueError(`vdot: vectors have different lengths (${x.size} and ${y.size})`);
    return matmul(temp(x.reshape(-1)), temp(y.reshape(-1)));
  });
}
