import type { NDArray } from "../ndarray.js";
import { normalizeAxis } from "../shape.js";
import { checkArray } from "./binary.js";

/**
 * A view of `x` with a new axis of length 1 at `axis` (which counts in the result's axes).
 * @param x the array.
 * @param axis where the new axis of length 1 goes in the result (negative counts from the end).
 * @example
 * vz.array([1, 2, 3]).expandDims(1).shape; // => [3, 1]
 */
export function expandDims(x: NDArray, axis: number): NDArray {
  checkArray("expandDims", x);
  const at = normalizeAxis("expandDims", axis, x.ndim + 1);
  const shape = [...x.shape];
  const strides = [...x.strides];
  shape.splice(at, 0, 1);
  strides.splice(at, 0, 0);
  return x.withLayout("expandDims", shape, strides, x.offset);
}
