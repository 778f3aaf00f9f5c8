import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise negation: `-x`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.neg(vz.array([1, -2])); // => [-1, 2]
 */
export function neg(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("neg", UnaryOp.Neg, x, options);
}
