import { ReshapeError, ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import { contiguousStrides, formatShape, sizeOf } from "../shape.js";
import { checkArray } from "./binary.js";
import { copy } from "./copy.js";

/**
 * `x` with a new shape of the same size; one axis may be -1 (inferred). A view when `x` is
 * contiguous, otherwise a copy.
 * @param x the array.
 * @param shape the new shape, of the same size; one entry may be -1 (inferred).
 * @example
 * vz.arange(6).reshape(2, -1).shape; // => [2, 3]
 * vz.arange(6).reshape(4); // throws ReshapeError: reshape: cannot reshape array of size 6 into shape (4,)
 * @throws {ReshapeError} `reshape: cannot reshape array of size 6 into shape (4,)`
 */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  checkArray("reshape", x);
  const target = inferShape(x.size, shape);
  if (!x.isContiguous) {
    const packed = copy(x);
    try {
      return packed.withLayout("reshape", target, contiguousStrides(target), 0);
    } finally {
      packed.dispose(); // the view keeps the buffer alive
    }
  }
  return x.withLayout("reshape", target, contiguousStrides(target), x.offset);
}

/** `shape` with its -1 (if any) resolved so the sizes match. */
export function inferShape(size: number, shape: readonly number[]): number[] {
  if (!Array.isArray(shape)) throw new ValueError(`reshape: shape must be a list of integers, got ${typeof shape}`);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new ValueError("reshape: can only specify one unknown dimension");
  if (shape.some((d) => !Number.isInteger(d) || d < -1)) {
    throw new ValueError(`reshape: shape ${formatShape(shape)} must hold non-negative integers (and at most one -1)`);
  }
  const known = sizeOf(shape.filter((d) => d !== -1));
  const result = shape.map((d) => (d === -1 ? (known === 0 ? -1 : size / known) : d));
  if (result.some((d) => d === -1 || !Number.isInteger(d)) || sizeOf(result) !== size) {
    throw new ReshapeError(`reshape: cannot reshape array of size ${size} into shape ${formatShape(shape)}`);
  }
  return result;
}
