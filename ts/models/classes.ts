/**
 * The classes of a model's labels, as scikit-learn finds them (`classes_ = np.unique(y)`):
 * labels all in [0, 1] (0/1, or probabilities as soft labels) make a binary model, as the
 * course's; any other labels must be non-negative integers, and the distinct ones present are
 * the classes, in increasing order. A class that no example has is not a class (scikit-learn's
 * rule: with labels 0, 1, 3 there are three classes and the model never predicts 2), so no
 * class is ever trained without examples (whose bias would fall without bound).
 */
import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";

/** The largest class label: 2²⁴ − 1, the last integer float32 holds exactly (labels are stored in the model's dtype). */
export const MAX_CLASS_LABEL = 2 ** 24 - 1;

/**
 * `undefined` for binary labels (all in [0, 1]); otherwise the sorted distinct class labels,
 * at least two of them.
 * @throws {ValueError} a NaN, a negative or non-integer label (outside [0, 1]), a label above
 *   {@link MAX_CLASS_LABEL}, or a single class
 */
export function classesOf(op: string, Y: NDArray): number[] | undefined {
  const labels = Y.toTypedArray(); // m values: small next to X
  if (labels.every((v) => v >= 0 && v <= 1)) return undefined;
  const seen = new Set<number>();
  labels.forEach((v, i) => {
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new ValueError(
        `${op}: labels must be 0/1 (or probabilities in [0, 1]) for a binary model, or non-negative integer classes for a multiclass one; found ${v} at position ${i}`,
      );
    }
    if (v > MAX_CLASS_LABEL) throw new ValueError(`${op}: class label ${v} at position ${i} is too large: class labels must be at most ${MAX_CLASS_LABEL} (2**24 - 1, exact in float32)`);
    seen.add(v);
  });
  if (seen.size < 2) throw new ValueError(`${op}: needs examples of at least 2 classes, but the labels hold only one class: ${[...seen][0]}`);
  return [...seen].sort((a, b) => a - b);
}

/** Each label's index in `classes` (sorted), as `Float64Array` of m indices; -1 for a label not among them. */
export function classIndices(labels: ArrayLike<number>, classes: readonly number[]): Float64Array {
  const index = new Map(classes.map((c, k) => [c, k]));
  return Float64Array.from({ length: labels.length }, (_, i) => index.get(labels[i]!) ?? -1);
}
