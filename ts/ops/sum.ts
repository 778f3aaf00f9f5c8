import { ReduceOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { reduceOp, type ReduceOptions } from "./reduce.js";

/**
 * Sum of the elements over the given axes (all by default); float32 sums accumulate accurately.
 * @param x the array to reduce.
 * @param options `axis` (one or more; negative counts from the end; all axes when omitted) and `keepdims` (see {@link ReduceOptions}).
 * @example
 * vz.sum(vz.array([[1, 2], [3, 4]]), { axis: 0 }); // => [4, 6]
 * vz.sum(vz.ones([2, 2]), { axis: 2 }); // throws AxisError: sum: axis 2 is out of bounds for array of dimension 2
 * @throws {AxisError} `sum: axis 2 is out of bounds for array of dimension 2`
 */
export function sum(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp("sum", ReduceOp.Sum, x, options);
}
