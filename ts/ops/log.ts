import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise natural logarithm: log(0) is -Infinity, log(x < 0) is NaN: `ln x`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.log(vz.array([1, Math.E])); // => [0, 1]
 */
export function log(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("log", UnaryOp.Log, x, options);
}
