import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise square: `x * x`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.square(vz.array([2, -3])); // => [4, 9]
 */
export function square(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("square", UnaryOp.Square, x, options);
}
