import { UnaryOp } from "../backend/backend.js";
import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Limits every element to `[min, max]`: `minimum(maximum(x, min), max)`; NaN stays NaN.
 * @param x the input: an array, or a number (a 0-d float32 array).
 * @param min the lower bound.
 * @param max the upper bound (at least `min`).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.clip(vz.array([-2, 0.5, 3]), 0, 1); // => [0, 0.5, 1]
 */
export function clip(x: NDArray | number, min: number, max: number, options?: OutOption): NDArray {
  if (typeof min !== "number" || typeof max !== "number") {
    throw new ValueError(`clip: min and max must be numbers, got ${typeof min} and ${typeof max}`);
  }
  return unaryOp("clip", UnaryOp.Clip, x, options, min, max);
}
