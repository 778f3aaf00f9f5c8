/** Writing an op's result: a kernel call into a new array or the caller's `out`. */
import type { NDArray } from "../ndarray.js";

/**
 * `result` after `write` fills it (skipped when it is empty). If `write` throws, a new result is
 * freed; the caller's `out` is left to the caller.
 */
export function writeResult(result: NDArray, out: NDArray | undefined, write: (result: NDArray) => void): NDArray {
  try {
    if (result.size > 0) write(result);
    return result;
  } catch (error) {
    if (result !== out) result.dispose();
    throw error;
  }
}
