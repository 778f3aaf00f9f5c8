import { ReduceOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { reduceOp, type ReduceOptions } from "./reduce.js";

/**
 * Smallest element over the given axes; NaN if any is NaN.
 * @param x the array to reduce.
 * @param options `axis` (one or more; negative counts from the end; all axes when omitted) and `keepdims` (see {@link ReduceOptions}).
 * @example
 * vz.min(vz.array([[1, 5], [3, 2]]), { axis: 1 }); // => [1, 2]
 * vz.min(vz.ones([2, 2]), { axis: 2 }); // throws AxisError: min: axis 2 is out of bounds for array of dimension 2
 * @throws {AxisError} `min: axis 2 is out of bounds for array of dimension 2`
 * @throws {ValueError} for an empty reduction (no identity), as numpy
 */
export function min(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp("min", ReduceOp.Min, x, options);
}
