import { ArgOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { argReduceOp } from "./reduce.js";

/**
 * Index of the first largest element along `axis` (of the flattened array when omitted); the first NaN wins, as in numpy. Indices are float64 (exact up to 2^53), since arrays hold floats.
 * @param x the array to search.
 * @param options `axis` (one; negative counts from the end; the flattened array when omitted) and `keepdims`.
 * @example
 * vz.argmax(vz.array([[1, 5], [7, 2]]), { axis: 1 }); // => [1, 0]
 */
export function argmax(x: NDArray, options?: { axis?: number; keepdims?: boolean }): NDArray {
  return argReduceOp("argmax", ArgOp.ArgMax, x, options);
}
