import { AlignmentError, ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { formatShape } from "../shape.js";
import { checkOperand } from "./binary.js";
import { matmul } from "./matmul.js";
import { mul } from "./mul.js";

/**
 * numpy's `dot` for arrays of up to 2 dimensions: a number or 0-d array scales the other; two
 * vectors give their inner product (0-d); matrix·vector, vector·matrix and matrix·matrix are
 * matrix products. For stacks of matrices use `matmul`.
 * @param a the first operand (an array or a number).
 * @param b the second operand (an array or a number).
 * @example
 * const w = vz.array([[1], [2]]), X = vz.array([[1, 0, 2], [0, 1, 2]]);
 * vz.dot(w.T, X); // => [[1, 2, 6]]
 * // (1, n_x)·(n_x, m) → (1, m)
 * vz.dot(vz.ones([3, 4]), vz.ones([5, 2])); // throws AlignmentError: dot: shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)
 * @throws {AlignmentError} `dot: shapes (3,4) and (5,2) not aligned: 4 (dim 1) != 5 (dim 0)`
 */
export function dot(a: NDArray | number, b: NDArray | number): NDArray {
  checkOperand("dot", a, "first");
  checkOperand("dot", b, "second");
  if (!(a instanceof NDArray) || !(b instanceof NDArray) || a.ndim === 0 || b.ndim === 0) return mul(a, b);
  if (a.ndim > 2 || b.ndim > 2) {
    throw new ValueError(`dot: arrays of more than 2 dimensions (${formatShape(a.shape)} and ${formatShape(b.shape)}) are not supported: use matmul for stacks of matrices`);
  }
  const ka = a.ndim - 1;
  const kb = 0; // b's first axis in both the vector and the matrix case
  if (a.shape[ka] !== b.shape[kb]) {
    throw new AlignmentError(
      `dot: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} not aligned: ${a.shape[ka]} (dim ${ka}) != ${b.shape[kb]} (dim ${kb})`,
    );
  }
  return matmul(a, b);
}
