/** The shared driver of reductions: axes and keepdims, then one kernel call. */
import type { ArgOp, ReduceOp } from "../backend/backend.js";
import { ValueError } from "../errors.js";
import { NDArray, type ReduceOptions } from "../ndarray.js";
import { normalizeAxes, normalizeAxis } from "../shape.js";
import { checkArray } from "./binary.js";
import { checkOptions } from "../options.js";
import { writeResult } from "./result.js";

export type { ReduceOptions };

/** The reduced-axes mask and the result's shape. */
function plan(opName: string, x: NDArray, axis: ReduceOptions["axis"], keepdims: boolean) {
  const axes = normalizeAxes(opName, axis, x.ndim);
  const reduced = x.shape.map((_, d) => axes.includes(d));
  // Frozen: the result takes it as it is instead of copying it.
  const shape = Object.freeze(keepdims ? x.shape.map((n, d) => (reduced[d] ? 1 : n)) : x.shape.filter((_, d) => !reduced[d]));
  const count = x.shape.reduce((n, d, i) => (reduced[i] ? n * d : n), 1);
  return { reduced, shape, count };
}

/** numpy's `ufunc.reduce` names, for its "no identity" error. */
const numpyName: Record<string, string> = { max: "maximum", min: "minimum", argmax: "argmax", argmin: "argmin" };

function checkNotEmpty(opName: string, count: number, x: NDArray): void {
  if (count === 0 && x.size === 0 && opName !== "sum" && opName !== "prod" && opName !== "mean") {
    const what = opName.startsWith("arg") ? `attempt to get ${opName} of an empty sequence` : `zero-size array to reduction operation ${numpyName[opName]} which has no identity`;
    throw new ValueError(`${opName}: ${what}`);
  }
}

/** `op` over `options.axis` of `x`, in `x`'s dtype. */
export function reduceOp(opName: string, op: ReduceOp, x: NDArray, options?: ReduceOptions): NDArray {
  checkOptions(opName, options, ["axis", "keepdims"]);
  checkArray(opName, x);
  if (options?.axis === undefined && !options?.keepdims && x.isContiguous) {
    // All of a contiguous array (the common case): one run of its elements, into a 0-d result.
    checkNotEmpty(opName, x.size, x);
    const { shape, view } = x.asRun(opName);
    return writeResult(opName, NDArray.empty(x.backend, x.dtype, SCALAR), undefined, (target) => x.backend.reduce(op, shape, view, ALL, target));
  }
  const { reduced, shape, count } = plan(opName, x, options?.axis, options?.keepdims ?? false);
  checkNotEmpty(opName, count, x);
  const view = x.view(opName);
  return writeResult(opName, NDArray.empty(x.backend, x.dtype, shape), undefined, (target) => x.backend.reduce(op, x.shape, view, reduced, target));
}

/** The mask of a reduction over the one axis of a run. */
const ALL = [true];
/** A 0-d result's shape, frozen so that new arrays share it instead of copying it. */
const SCALAR: readonly number[] = Object.freeze([]);

/** Index of the first extreme along `axis` (of the flattened array when omitted), as float64. */
export function argReduceOp(opName: string, op: ArgOp, x: NDArray, options: { axis?: number; keepdims?: boolean } = {}): NDArray {
  checkOptions(opName, options, ["axis", "keepdims"]);
  checkArray(opName, x);
  if (options.axis !== undefined && typeof options.axis !== "number") {
    throw new ValueError(`${opName}: axis must be a single integer (or omitted for the flattened array)`);
  }
  const axis = options.axis === undefined ? undefined : normalizeAxis(opName, options.axis, x.ndim);
  const keepdims = options.keepdims ?? false;
  const { reduced, shape, count } = plan(opName, x, axis, keepdims);
  if (count === 0) {
    const what = `attempt to get ${opName} of an empty sequence`;
    throw new ValueError(`${opName}: ${what}`);
  }
  const view = x.view(opName);
  return writeResult(opName, NDArray.empty(x.backend, "float64", shape), undefined, (target) => x.backend.argReduce(op, x.shape, view, reduced, target));
}

/** @internal The number of elements each output of a reduction combines. */
export function reductionCount(opName: string, x: NDArray, axis: ReduceOptions["axis"]): number {
  return plan(opName, x, axis, false).count;
}


