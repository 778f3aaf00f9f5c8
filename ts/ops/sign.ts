import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise sign: -1, 0 or 1 (NaN stays NaN): `sign(x)`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.sign(vz.array([-3, 0, 2])); // => [-1, 0, 1]
 */
export function sign(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("sign", UnaryOp.Sign, x, options);
}
