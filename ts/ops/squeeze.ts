import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { normalizeAxes } from "../shape.js";
import { checkArray } from "./binary.js";

/**
 * A view of `x` without axes of length 1 (all of them, or those named by `axis`).
 * @param x the array.
 * @param axis the axis or axes of length 1 to remove; all of them when omitted.
 * @example
 * vz.zeros([1, 3, 1]).squeeze().shape; // => [3]
 * vz.zeros([2, 1]).squeeze(0); // throws ValueError: squeeze: cannot select an axis to squeeze out which has size not equal to one
 * @throws {ValueError} `squeeze: cannot select an axis to squeeze out which has size not equal to one`
 */
export function squeeze(x: NDArray, axis?: number | readonly number[]): NDArray {
  checkArray("squeeze", x);
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes("squeeze", axis, x.ndim);
  if (axes.some((a) => x.shape[a] !== 1)) {
    throw new ValueError("squeeze: cannot select an axis to squeeze out which has size not equal to one");
  }
  const keep = (_: number, i: number) => !axes.includes(i);
  return x.withLayout("squeeze", x.shape.filter(keep), x.strides.filter(keep), x.offset);
}
