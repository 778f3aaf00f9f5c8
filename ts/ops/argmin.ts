import { ArgOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { argReduceOp } from "./reduce.js";

/**
 * Index of the first smallest element along `axis` (of the flattened array when omitted); the first NaN wins, as in numpy. Indices are float64 (exact up to 2^53), since arrays hold floats.
 * @param x the array to search.
 * @param options `axis` (one; negative counts from the end; the flattened array when omitted) and `keepdims`.
 * @example
 * vz.argmin(vz.array([3, 1, 1])); // => 1
 */
export function argmin(x: NDArray, options?: { axis?: number; keepdims?: boolean }): NDArray {
  return argReduceOp("argmin", ArgOp.ArgMin, x, options);
}
