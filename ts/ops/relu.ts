import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise rectified linear unit (NaN stays NaN): `max(x, 0)`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.relu(vz.array([-1, 2])); // => [0, 2]
 */
export function relu(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("relu", UnaryOp.Relu, x, options);
}
