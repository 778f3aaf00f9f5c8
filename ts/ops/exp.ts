import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise exponential, SIMD in wasm (error bound in the README): `eˣ`.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.exp(vz.array([0, 1])); // => [1, 2.7182817]
 */
export function exp(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("exp", UnaryOp.Exp, x, options);
}
