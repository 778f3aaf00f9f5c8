import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { formatShape, normalizeAxis } from "../shape.js";
import { checkArray } from "./binary.js";
import { concat } from "./concat.js";
import { expandDims } from "./expand_dims.js";

/**
 * Joins arrays of one shape along a new axis.
 * @param arrays the arrays to stack, all of one shape.
 * @param axis where the new axis goes in the result.
 * @example
 * vz.stack([vz.array([1, 2]), vz.array([3, 4])], 1).toArray(); // => [[1,3],[2,4]]
 * vz.stack([vz.ones([2]), vz.ones([3])]); // throws ValueError: stack: all input arrays must have the same shape, got (2,) and (3,)
 * @throws {ValueError} `stack: all input arrays must have the same shape, got (2,) and (3,)`
 */
export function stack(arrays: readonly NDArray[], axis = 0): NDArray {
  if (!arrays?.length) throw new ValueError("stack: need at least one array to stack");
  if (!Array.isArray(arrays as unknown)) throw new ValueError(`stack: expected a list of arrays, got ${typeof arrays}`);
  arrays.forEach((a, i) => checkArray("stack", a, `#${i}`));
  const shape = arrays[0]!.shape;
  const odd = arrays.find((a) => a.ndim !== shape.length || a.shape.some((d, i) => d !== shape[i]));
  if (odd) throw new ValueError(`stack: all input arrays must have the same shape, got ${formatShape(shape)} and ${formatShape(odd.shape)}`);
  const at = normalizeAxis("stack", axis, shape.length + 1);
  const expanded = arrays.map((a) => expandDims(a, at));
  try {
    return concat(expanded, at);
  } finally {
    expanded.forEach((e) => e.dispose());
  }
}
