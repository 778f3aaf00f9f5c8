import { IndexError, ValueError } from "../errors.js";
import type { NDArray, SliceSpec } from "../ndarray.js";
import { checkArray } from "./binary.js";
import { show } from "../options.js";

export type { SliceSpec };

/**
 * Basic slicing, `x[0:2, :, ::-1]` in numpy: a view, no copy. Axes without a spec are kept whole.
 * @param x the array.
 * @param specs one {@link SliceSpec} per leading axis.
 * @example
 * const X = vz.arange(9).reshape(3, 3), x = vz.arange(4);
 * X.slice([0, 2], null);     // => [[0, 1, 2], [3, 4, 5]]
 * // X[0:2, :] in numpy
 * X.slice(null, 1);          // => [1, 4, 7]
 * // X[:, 1]: the shape drops that axis
 * x.slice([null, null, -1]); // => [3, 2, 1, 0]
 * // x[::-1]
 * X.slice(5);                // throws IndexError: slice: index 5 is out of bounds for axis 0 with size 3
 * @throws {IndexError} `slice: index 5 is out of bounds for axis 0 with size 3`
 */
export function slice(x: NDArray, ...specs: SliceSpec[]): NDArray {
  checkArray("slice", x);
  if (specs.length > x.ndim) {
    throw new IndexError(`slice: too many indices for array: array is ${x.ndim}-dimensional, but ${specs.length} were indexed`);
  }
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = x.offset;
  x.shape.forEach((n, axis) => {
    const spec = specs[axis] ?? null;
    if (spec !== null && typeof spec !== "number" && !Array.isArray(spec)) {
      throw new IndexError(`slice: only integers, [start, stop, step] lists and null are valid indices, got ${typeof spec} for axis ${axis}`);
    }
    const stride = x.strides[axis]!;
    if (typeof spec === "number") {
      if (!Number.isInteger(spec) || spec < -n || spec >= n) {
        throw new IndexError(`slice: index ${show(spec)} is out of bounds for axis ${axis} with size ${n}`);
      }
      offset += (spec < 0 ? spec + n : spec) * stride;
      return;
    }
    const [start, length, step] = sliceIndices(spec ?? [], n);
    if (length > 0) offset += start * stride;
    shape.push(length);
    strides.push(stride * step);
  });
  return x.withLayout("slice", shape, strides, offset);
}

/** Python's `slice.indices`: the first index, the number of elements and the step. */
function sliceIndices(spec: readonly (number | null | undefined)[], n: number): [number, number, number] {
  const step = spec[2] ?? 1;
  if (!Number.isInteger(step) || step === 0) throw new ValueError(step === 0 ? "slice: slice step cannot be zero" : `slice: step ${show(step)} must be an integer`);
  for (const v of spec.slice(0, 2)) {
    if (v !== null && v !== undefined && !Number.isInteger(v)) throw new ValueError(`slice: slice indices must be integers or null, got ${show(v)}`);
  }
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const resolve = (v: number | null | undefined, fallback: number, lo: number, hi: number) =>
    v === null || v === undefined ? fallback : clamp(v < 0 ? v + n : v, lo, hi);
  if (step > 0) {
    const start = resolve(spec[0], 0, 0, n);
    const stop = resolve(spec[1], n, 0, n);
    return [start, Math.max(0, Math.ceil((stop - start) / step)), step];
  }
  const start = resolve(spec[0], n - 1, -1, n - 1);
  const stop = resolve(spec[1], -1, -1, n - 1);
  return [start, Math.max(0, Math.ceil((start - stop) / -step)), step];
}
