import { NDArray } from "../ndarray.js";
import { checkArray } from "./binary.js";
import { writeResult } from "./result.js";

/**
 * A contiguous copy of `x` with its own buffer (materialises transposed, sliced and broadcast views).
 * @example
 * const owned = x.T.copy(); // row-major data of the transpose
 */
export function copy(x: NDArray): NDArray {
  checkArray("copy", x);
  return writeResult(NDArray.empty(x.backend, x.dtype, x.shape), undefined, (result) => x.backend.copy("copy", x.shape, x.view("copy"), result.target("copy")));
}
