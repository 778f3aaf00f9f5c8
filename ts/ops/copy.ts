import { NDArray } from "../ndarray.js";
import { checkOperand } from "./binary.js";

/**
 * A contiguous copy of `x` with its own buffer (materialises transposed, sliced and broadcast views).
 * @example
 * const owned = x.T.copy(); // row-major data of the transpose
 */
export function copy(x: NDArray): NDArray {
  checkOperand("copy", x, "first");
  const result = NDArray.empty(x.backend, x.dtype, x.shape);
  if (result.size > 0) x.backend.copy("copy", x.shape, x.view("copy"), result.view("copy").storage);
  return result;
}
