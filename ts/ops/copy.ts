import { NDArray } from "../ndarray.js";
import { checkArray } from "./binary.js";
import { writeResult } from "./result.js";

/**
 * A contiguous copy of `x` with its own buffer (materialises transposed, sliced and broadcast views).
 * @param x the array (any layout).
 * @example
 * const x = vz.array([[1, 2], [3, 4]]);
 * const owned = x.T.copy(); // row-major data of the transpose, in a buffer of its own
 * owned.toTypedArray(); // => Float32Array.of(1, 3, 2, 4)
 */
export function copy(x: NDArray): NDArray {
  checkArray("copy", x);
  const view = x.view("copy");
  return writeResult("copy", NDArray.empty(x.backend, x.dtype, x.shape), undefined, (target) => x.backend.copy(x.shape, view, target));
}
