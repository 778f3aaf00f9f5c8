import { BroadcastError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { broadcastStrides, checkShape, formatShape } from "../shape.js";
import { checkArray } from "./binary.js";

/**
 * A read-only view of `x` stretched to `shape` by numpy's rules (stretched axes have stride 0:
 * no copy). Use it as an input; as an `out` it is refused.
 * @param x the array.
 * @param shape the target shape, which `x`'s shape must broadcast to.
 * @example
 * vz.array([1, 2, 3]).broadcastTo([2, 3]).toArray(); // => [[1,2,3],[1,2,3]]
 * @throws {BroadcastError} when `x` cannot be stretched to `shape`
 */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  checkArray("broadcastTo", x);
  const target = checkShape("broadcastTo", shape);
  const lead = target.length - x.ndim;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== target[lead + i])) {
    throw new BroadcastError(
      `broadcastTo: operands could not be broadcast together with remapped shapes [original->remapped]: ${formatShape(x.shape)} and requested shape ${formatShape(target)}`,
    );
  }
  return x.withLayout("broadcastTo", target, broadcastStrides(x.shape, x.strides, target), x.offset);
}
