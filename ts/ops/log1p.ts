import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise `ln(1 + x)`, accurate for tiny x: `ln(1 + x)`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.log1p(vz.array([1e-10])); // => [1e-10]
 */
export function log1p(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("log1p", UnaryOp.Log1p, x, options);
}
