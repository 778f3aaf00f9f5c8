import { ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { formatShape } from "../shape.js";
import { checkOperand } from "./binary.js";
import { matmul } from "./matmul.js";
import { mul } from "./mul.js";
import { withTemporaries } from "./temporaries.js";

/**
 * numpy's `inner`: the sum product over the last axes of both; for vectors, their dot product.
 * The result's shape is `a.shape[:-1] ++ b.shape[:-1]`.
 * @param a the first operand (an array or a number).
 * @param b the second operand (an array or a number).
 * @example
 * vz.inner(vz.array([1, 2, 3]), vz.array([0, 1, 0])).item(); // => 2
 * @throws {ValueError} when the last axes differ in length
 */
export function inner(a: NDArray | number, b: NDArray | number): NDArray {
  checkOperand("inner", a, "first");
  checkOperand("inner", b, "second");
  if (!(a instanceof NDArray) || !(b instanceof NDArray) || a.ndim === 0 || b.ndim === 0) return mul(a, b);
  const k = a.shape[a.ndim - 1]!;
  if (b.shape[b.ndim - 1] !== k) {
    throw new ValueError(`inner: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} not aligned: ${k} (dim ${a.ndim - 1}) != ${b.shape[b.ndim - 1]} (dim ${b.ndim - 1})`);
  }
  return withTemporaries((temp) => {
    const rows = temp(a.reshape(-1, k));
    const cols = temp(b.reshape(-1, k));
    const flat = temp(matmul(rows, temp(cols.T)));
    return flat.reshape([...a.shape.slice(0, -1), ...b.shape.slice(0, -1)]);
  });
}
