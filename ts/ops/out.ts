/**
 * The `out` option: write a result into an existing array instead of allocating one, so loops
 * can run without allocating. `out` must have the result's shape and dtype and be contiguous.
 * An input that shares `out`'s buffer is read in place when its layout is `out`'s own (each
 * element is read before it is overwritten); any other overlap is copied first, as numpy does.
 */
import { DTypeError, ValueError } from "../errors.js";
import type { DType } from "../dtype.js";
import { NDArray, type OutOption } from "../ndarray.js";
import { formatShape, type Shape } from "../shape.js";
import { sameBackend } from "./same_backend.js";

export type { OutOption };

export const OUT_OPTIONS = ["out"];

/** Checks `out` against the result's shape and dtype, and that it lives on the backend of `operand`. */
export function checkOut(op: string, out: NDArray, shape: Shape, dtype: DType, operand: NDArray): void {
  if (!(out instanceof NDArray)) throw new ValueError(`${op}: 'out' must be an NDArray`);
  out.view(op);
  sameBackend(op, [operand, out], "the operands and 'out'");
  if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    throw new ValueError(
      `${op}: non-broadcastable output operand with shape ${formatShape(out.shape)} doesn't match the broadcast shape ${formatShape(shape)}`,
    );
  }
  if (out.dtype !== dtype) {
    throw new DTypeError(`${op}: output array has dtype ${out.dtype}, but the result is ${dtype}`);
  }
  if (!out.isContiguous) throw new ValueError(`${op}: 'out' must be a contiguous array (not a transposed, sliced or broadcast view)`);
}

/**
 * `input` as the kernel may read it while writing `out`: itself, or, when it overlaps `out` in a
 * different layout, a copy (the caller frees it).
 */
export function readableWhileWriting(input: NDArray, out: NDArray | undefined, broadcastStrides: readonly number[]): NDArray {
  if (!out || !input.sharesBufferWith(out)) return input;
  const sameLayout = input.offset === out.offset && out.shape.every((d, i) => d <= 1 || broadcastStrides[i] === out.strides[i]);
  return sameLayout ? input : input.copy();
}
