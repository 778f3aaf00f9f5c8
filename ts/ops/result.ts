/** Writing an op's result: one backend call into a new array or the caller's `out`. */
import type { Storage } from "../backend/backend.js";
import { inOp } from "../errors.js";
import type { NDArray } from "../ndarray.js";

/**
 * `result` after the backend call `write` fills it (skipped when it is empty). The backend does
 * not know which op called it, so what it throws gets `opName` in front here. If anything
 * throws, a new result is freed; the caller's `out` is left to the caller.
 */
export function writeResult(opName: string, result: NDArray, out: NDArray | undefined, write: (target: Storage) => void): NDArray {
  if (result.size === 0) return result;
  let target: Storage;
  try {
    target = result.target(opName);
  } catch (error) {
    if (result !== out) result.dispose();
    throw error;
  }
  try {
    write(target);
  } catch (error) {
    if (result !== out) result.dispose();
    throw inOp(opName, error);
  }
  return result;
}
