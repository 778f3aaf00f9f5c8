/**
 * Shape arithmetic shared by both backends: sizes, strides and numpy broadcasting. Output
 * shapes are computed here, once per op, before any kernel runs.
 */
import { BroadcastError } from "./errors.js";

export type Shape = readonly number[];

/** numpy's tuple form: `()`, `(5,)`, `(3,4)`. */
export function formatShape(shape: Shape): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(",")})`;
}

/** Number of elements: 1 for a 0-d shape, 0 when any axis is 0. */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
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
export function broadcastStrides(shape: Shape, strides: readonly number[], target: Shape): number[] {
  const lead = target.length - shape.length;
  return target.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : strides[i - lead]!));
}
