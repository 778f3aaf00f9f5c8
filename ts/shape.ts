/**
 * Shape arithmetic shared by both backends: sizes, strides and numpy broadcasting. Output
 * shapes are computed here, once per op, before any kernel runs.
 */
import { AxisError, BroadcastError, ValueError } from "./errors.js";
import { show } from "./options.js";

/**
 * A shape: the length of each axis (`[]` for a 0-d array).
 * @example
 * vz.zeros([2, 3]).shape; // => [2, 3]
 */
export type Shape = readonly number[];

/**
 * numpy's tuple form: `()`, `(5,)`, `(3,4)`.
 * @param shape the shape to print.
 * @example
 * vz.formatShape([3, 4]); // => (3,4)
 * vz.formatShape([5]); // => (5,)
 */
export function formatShape(shape: Shape): string {
  // Safe for any user input: a message about a bad shape must not throw itself.
  const dims = Array.isArray(shape) ? shape.map((d) => (typeof d === "number" ? String(d) : show(d))) : [show(shape)];
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(",")})`;
}

/** Number of elements: 1 for a 0-d shape, 0 when any axis is 0. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/** Whether two shapes are the same (same rank, same lengths). */
export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row-major (C order) strides, in elements. */
export function contiguousStrides(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = step;
    step *= shape[i]!;
  }
  return strides;
}

/**
 * numpy's broadcasting: align on the right; axes agree when equal or when one is 1.
 * @throws {BroadcastError} `<op>: operands could not be broadcast together with shapes (3,4) (5,)`
 */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 0; i < ndim; i++) {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new BroadcastError(
        `${op}: operands could not be broadcast together with shapes ${formatShape(a)} ${formatShape(b)}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides that read `shape`/`strides` as the broadcast `target` shape: stretched axes get 0. */
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): readonly number[] {
  if (sameShape(shape, target)) return strides; // nothing stretched
  const lead = target.length - shape.length;
  const out = new Array<number>(target.length);
  for (let i = 0; i < target.length; i++) out[i] = i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]!;
  return out;
}

/** Whether `strides` lay `shape` out row-major with no gaps (axes of length 1 may have any stride). */
export function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  let step = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    if (d > 1 && strides[i] !== step) return false;
    step *= d;
  }
  return true;
}

/**
 * A valid axis in [0, ndim), from a possibly negative one.
 * @throws {AxisError} `<op>: axis 2 is out of bounds for array of dimension 2`
 */
export function normalizeAxis(op: string, axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new AxisError(`${op}: axis ${show(axis)} is out of bounds for array of dimension ${ndim}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalised, distinct axes; `undefined` means all of them.
 * @throws {AxisError} out of bounds; {ValueError} repeated
 */
export function normalizeAxes(op: string, axis: number | readonly number[] | undefined, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, i) => i);
  if (typeof axis !== "number" && !Array.isArray(axis)) throw new ValueError(`${op}: axis must be an integer or a list of integers, got ${typeof axis}`);
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((a) => normalizeAxis(op, a, ndim));
  if (new Set(axes).size !== axes.length) throw new ValueError(`${op}: duplicate value in 'axis'`);
  return axes;
}

/**
 * Checks a user-given shape: a list of non-negative integers.
 * @throws {ValueError}
 */
export function checkShape(op: string, shape: readonly number[]): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new ValueError(`${op}: shape ${formatShape(shape)} must be a list of non-negative integers`);
  }
  return [...shape];
}
