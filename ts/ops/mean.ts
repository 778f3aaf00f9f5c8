import { ReduceOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { div } from "./div.js";
import { reduceOp, reductionCount, type ReduceOptions } from "./reduce.js";

/**
 * Arithmetic mean over the given axes (all by default): the accurate sum divided by the count;
 * NaN for an empty reduction, as numpy (which also warns).
 * @param x the array to reduce.
 * @param options `axis` (one or more; negative counts from the end; all axes when omitted) and `keepdims` (see {@link ReduceOptions}).
 * @example
 * vz.mean(vz.array([[1, 2], [3, 4]]), { axis: 1, keepdims: true }); // => [[1.5], [3.5]]
 */
export function mean(x: NDArray, options?: ReduceOptions): NDArray {
  const total = reduceOp("mean", ReduceOp.Sum, x, options);
  return div(total, reductionCount("mean", x, options?.axis), { out: total });
}
