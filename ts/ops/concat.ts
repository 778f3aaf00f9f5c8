import { promoteTypes } from "../dtype.js";
import { inOp, ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { normalizeAxis } from "../shape.js";
import { checkArray } from "./binary.js";
import { copy } from "./copy.js";
import { sameBackend } from "./same_backend.js";
import { transpose } from "./transpose.js";

/**
 * Joins arrays along an existing axis (numpy's `concatenate`); dtypes promote.
 * @param arrays the arrays to join: same dtype promotion as the binary ops, equal shapes except along `axis`.
 * @param axis the axis to join along (negative counts from the end).
 * @example
 * vz.concat([vz.ones([2, 3]), vz.zeros([1, 3])]).shape;          // => [3, 3]
 * vz.concat([vz.ones([2, 3]), vz.zeros([2, 1])], 1).shape;       // => [2, 4]
 * @throws {ValueError} when the shapes differ off the joining axis (numpy's message)
 */
export function concat(arrays: readonly NDArray[], axis = 0): NDArray {
  if (!arrays?.length) throw new ValueError("concat: need at least one array to concatenate");
  if (!Array.isArray(arrays as unknown)) throw new ValueError(`concat: expected a list of arrays, got ${typeof arrays}`);
  arrays.forEach((a, i) => checkArray("concat", a, `#${i}`));
  const first = arrays[0]!;
  if (first.ndim === 0) throw new ValueError("concat: zero-dimensional arrays cannot be concatenated");
  const at = normalizeAxis("concat", axis, first.ndim);
  arrays.forEach((a, i) => {
    if (a.ndim !== first.ndim) {
      throw new ValueError(
        `concat: all the input array dimensions except for the concatenation axis must match exactly, but the array at index 0 has ${first.ndim} dimension(s) and the array at index ${i} has ${a.ndim} dimension(s)`,
      );
    }
    const d = a.shape.findIndex((n, k) => k !== at && n !== first.shape[k]);
    if (d >= 0) {
      throw new ValueError(
        `concat: all the input array dimensions except for the concatenation axis must match exactly, but along dimension ${d}, the array at index 0 has size ${first.shape[d]} and the array at index ${i} has size ${a.shape[d]}`,
      );
    }
  });
  sameBackend("concat", arrays, "arrays");
  const dtype = arrays.map((a) => a.dtype).reduce(promoteTypes);
  // Move the joining axis to the front: then each input fills one contiguous block.
  const order = [at, ...first.shape.keys()].filter((k, i) => i === 0 || k !== at);
  const moved = arrays.map((a) => transpose(a, order));
  const joined = NDArray.empty(first.backend, dtype, [moved.reduce((n, m) => n + m.shape[0]!, 0), ...moved[0]!.shape.slice(1)]);
  try {
    let filled = 0;
    for (const m of moved) {
      if (m.size > 0) {
        const [view, target] = [m.view("concat"), joined.view("concat").storage];
        try {
          first.backend.copy(m.shape, view, target, filled);
        } catch (error) {
          throw inOp("concat", error);
        }
      }
      filled += m.size;
    }
    if (at === 0) return joined;
    const back = transpose(joined, order.map((_, i) => order.indexOf(i)));
    try {
      return copy(back);
    } finally {
      back.dispose();
      joined.dispose();
    }
  } catch (error) {
    joined.dispose();
    throw error;
  } finally {
    moved.forEach((m) => m.dispose());
  }
}
