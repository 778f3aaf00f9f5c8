import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { normalizeAxis } from "../shape.js";
import { checkArray } from "./binary.js";

/**
 * `x` with its axes permuted (reversed by default): a view, no data moves.
 * @param x the array.
 * @param axes the new order of the axes (a permutation); reversed when omitted.
 * @example
 * vz.zeros([2, 3, 4]).transpose([1, 0, 2]).shape; // => [3, 2, 4]
 * vz.zeros([2, 3]).transpose([0, 0]); // throws ValueError: transpose: axes don't match array
 * @throws {ValueError} `transpose: axes don't match array`
 */
export function transpose(x: NDArray, axes?: readonly number[]): NDArray {
  checkArray("transpose", x);
  if (axes !== undefined && !Array.isArray(axes)) throw new ValueError(`transpose: axes must be a list of integers, got ${typeof axes}`);
  const order = axes ? axes.map((a) => normalizeAxis("transpose", a, x.ndim)) : x.shape.map((_, i) => x.ndim - 1 - i);
  if (order.length !== x.ndim || new Set(order).size !== x.ndim) throw new ValueError("transpose: axes don't match array");
  return x.withLayout(
    "transpose",
    order.map((a) => x.shape[a]!),
    order.map((a) => x.strides[a]!),
    x.offset,
  );
}
