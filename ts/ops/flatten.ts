import type { NDArray } from "../ndarray.js";
import { copy } from "./copy.js";

/**
 * A 1-D copy of `x` in row-major order (always a copy, as numpy's `flatten`).
 * @param x the array.
 * @example
 * vz.array([[1, 2], [3, 4]]).flatten(); // => [1, 2, 3, 4]
 */
export function flatten(x: NDArray): NDArray {
  const packed = copy(x);
  try {
    return packed.withLayout("flatten", [packed.size], [1], 0);
  } finally {
    packed.dispose();
  }
}
