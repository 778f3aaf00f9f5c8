import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise logistic sigmoid; saturates to exactly 0 and 1, never NaN for finite x: `1 / (1 + e⁻ˣ)`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.sigmoid(vz.array([0, 1000, -1000])); // => [0.5, 1, 0]
 */
export function sigmoid(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("sigmoid", UnaryOp.Sigmoid, x, options);
}
