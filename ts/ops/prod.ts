import { ReduceOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { reduceOp, type ReduceOptions } from "./reduce.js";

/**
 * Product of the elements over the given axes (1 for an empty reduction).
 * @param x the array to reduce.
 * @param options `axis` (one or more; negative counts from the end; all axes when omitted) and `keepdims` (see {@link ReduceOptions}).
 * @example
 * vz.prod(vz.array([1, 2, 3, 4])); // => 24
 * vz.prod(vz.ones([2, 2]), { axis: 2 }); // throws AxisError: prod: axis 2 is out of bounds for array of dimension 2
 * @throws {AxisError} `prod: axis 2 is out of bounds for array of dimension 2`
 */
export function prod(x: NDArray, options?: ReduceOptions): NDArray {
  return reduceOp("prod", ReduceOp.Prod, x, options);
}
