import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise square root (NaN for negative x): `√x`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.sqrt(vz.array([4, 9])); // => [2, 3]
 */
export function sqrt(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("sqrt", UnaryOp.Sqrt, x, options);
}
