import type { NDArray } from "../ndarray.js";
import { reshape } from "./reshape.js";

/**
 * `x` as 1-D, row-major: a view when `x` is contiguous, otherwise a copy (numpy's `ravel`).
 * @param x the array.
 * @example
 * vz.array([[1, 2], [3, 4]]).T.ravel(); // => [1, 3, 2, 4]
 */
export function ravel(x: NDArray): NDArray {
  return reshape(x, [-1]);
}
