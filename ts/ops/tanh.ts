import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise hyperbolic tangent: `tanh x`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.tanh(vz.array([0, 100])); // => [0, 1]
 */
export function tanh(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("tanh", UnaryOp.Tanh, x, options);
}
