import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { checkOperand } from "./binary.js";
import { matmul } from "./matmul.js";
import { withTemporaries } from "./temporaries.js";

/**
 * The dot product of two arrays flattened to vectors (numpy's `vdot` for real numbers), as a 0-d array.
 * @example
 * vz.vdot(vz.array([[1, 2], [3, 4]]), vz.ones([2, 2])).item(); // 10
 * @throws {ValueError} when the sizes differ
 */
export function vdot(a: NDArray, b: NDArray): NDArray {
  checkOperand("vdot", a, "first");
  checkOperand("vdot", b, "second");
  if (a.size !== b.size) throw new ValueError(`vdot: vectors have different lengths (${a.size} and ${b.size})`);
  return withTemporaries((temp) => matmul(temp(a.reshape(-1)), temp(b.reshape(-1))));
}
