/**
 * The shared driver of binary element-wise ops: scalars to 0-d arrays, dtype promotion,
 * numpy broadcasting (stride 0, no copies), then one kernel call on the operands' backend.
 */
import type { BinaryOp, View } from "../backend/backend.js";
import { currentBackend } from "../backend/registry.js";
import { promoteTypes, type DType } from "../dtype.js";
import { inOp, ValueError } from "../errors.js";
import { NDArray, type Operand } from "../ndarray.js";
import { broadcastShapes, broadcastStrides, sameShape, sizeOf, type Shape } from "../shape.js";
import { checkOptions } from "../options.js";
import { checkOut, OUT_OPTIONS, readableWhileWriting, type OutOption } from "./out.js";
import { sameBackend } from "./same_backend.js";
import { withTemporaries } from "./temporaries.js";
import { writeResult } from "./result.js";

export type { Operand };

/** `op(lhs, rhs)` with broadcasting, into a new array or `options.out`. */
export function binaryOp(opName: string, op: BinaryOp, lhs: Operand, rhs: Operand, options?: OutOption): NDArray {
  // The common case, two arrays of one dtype into a new array, skips the general path's
  // temporaries, casts and overlap checks: on small arrays those cost more than the kernel.
  if (options === undefined && lhs instanceof NDArray && rhs instanceof NDArray && lhs.dtype === rhs.dtype) {
    return binaryArrays(opName, op, lhs, rhs);
  }
  checkOperand(opName, lhs, "first");
  checkOperand(opName, rhs, "second");
  checkOptions(opName, options, OUT_OPTIONS);
  return withTemporaries((temp) => {
    const [a0, b0] = operandArrays(opName, [lhs, rhs], temp) as [NDArray, NDArray];
    const dtype = promoteTypes(a0.dtype, b0.dtype);
    const shape = broadcastShapes(opName, a0.shape, b0.shape);
    const out = options?.out;
    if (out) checkOut(opName, out, shape, dtype, a0);
    const [a, b] = [a0, b0].map((x) => prepareInput(x, dtype, shape, out, temp)) as [NDArray, NDArray];
    const [va, vb] = [broadcastView(opName, a, shape), broadcastView(opName, b, shape)];
    return writeResult(opName, out ?? NDArray.empty(a.backend, dtype, shape), out, (target) => a.backend.binary(op, shape, va, vb, target));
  });
}

/** `op(a, b)` for two live arrays of one dtype, into a new array. */
function binaryArrays(opName: string, op: BinaryOp, a: NDArray, b: NDArray): NDArray {
  const va = a.view(opName);
  const vb = b.view(opName);
  const backend = a.backend;
  if (b.backend !== backend) sameBackend(opName, [a, b]);
  const pair = shapePair(opName, a.shape, b.shape);
  const n = pair.size;
  const result = NDArray.empty(backend, a.dtype, pair.shape, n);
  if (n === 0) return result;
  // Operands that are each either contiguous over the result's shape or a single element are
  // one run of n elements (strides 1 or 0): the kernel gets a rank-1 layout.
  const runA = a.size === 1 ? 0 : a.size === n && a.isContiguous ? 1 : -1;
  const runB = b.size === 1 ? 0 : b.size === n && b.isContiguous ? 1 : -1;
  let kernelShape = pair.dims;
  let ka = va;
  let kb = vb;
  if (runA >= 0 && runB >= 0) {
    kernelShape = runA ? a.asRun(opName).shape : runB ? b.asRun(opName).shape : [n];
    ka = runA ? a.asRun(opName).view : run(va, 0);
    kb = runB ? b.asRun(opName).view : run(vb, 0);
  } else if (!pair.same) {
    ka = a.stretched(opName, pair.shape);
    kb = b.stretched(opName, pair.shape);
  }
  // writeResult's steps, without its closure (an allocation per op): a new result is live and
  // contiguous, so its whole buffer is the target.
  try {
    backend.binary(op, kernelShape, ka, kb, result.target(opName));
  } catch (error) {
    result.dispose();
    throw inOp(opName, error);
  }
  return result;
}

/** What {@link binaryArrays} derives from its operands' shapes. */
interface ShapePair {
  readonly a: Shape;
  readonly b: Shape;
  readonly same: boolean;
  /** The result's shape, frozen (the result shares it). */
  readonly shape: Shape;
  /** The same, not frozen, for the kernel call: V8 (Node 20) reads a frozen array's elements ~3× slower. */
  readonly dims: Shape;
  readonly size: number;
}

/** The last pair of shapes `shapePair` saw: an op loop repeats its operands, whose (frozen) shapes are the same objects each time. */
let lastPair: ShapePair | undefined;

/** @throws {BroadcastError} when `a` and `b` do not broadcast together. */
function shapePair(opName: string, a: Shape, b: Shape): ShapePair {
  if (lastPair && a === lastPair.a && b === lastPair.b) return lastPair;
  const same = sameShape(a, b);
  const shape = same ? a : Object.freeze(broadcastShapes(opName, a, b));
  const pair = { a, b, same, shape, dims: [...shape], size: sizeOf(shape) };
  // An NDArray's shape is frozen, so the same object is the same shape.
  if (Object.isFrozen(a) && Object.isFrozen(b)) lastPair = pair;
  return pair;
}

/** A view (of an array of `shape`) read as the broadcast `target` shape: stride 0 on stretched axes. */
function broadcast(v: View, shape: Shape, target: Shape): View {
  return { storage: v.storage, strides: broadcastStrides(shape, v.strides, target), offset: v.offset };
}

/** A view read as one run of elements with `stride` 1 (contiguous) or 0 (a single element). */
export function run(v: View, stride: number): View {
  return { storage: v.storage, strides: [stride], offset: v.offset };
}

/** Rejects anything but arrays and numbers, and disposed arrays (naming the op). */
export function checkOperand(opName: string, x: unknown, which: string): void {
  if (x instanceof NDArray) x.view(opName);
  else if (typeof x !== "number") {
    throw new ValueError(`${opName}: the ${which} operand must be an NDArray or a number, got ${x === null ? "null" : typeof x}`);
  }
}

/** Rejects anything but a live NDArray (for ops that take no numbers). */
export function checkArray(opName: string, x: unknown, which = "first"): asserts x is NDArray {
  if (!(x instanceof NDArray)) throw new ValueError(`${opName}: the ${which} argument must be an NDArray, got ${x === null ? "null" : typeof x}`);
  x.view(opName);
}

/**
 * The operands as arrays on one backend: numbers become 0-d arrays of the first array
 * operand's dtype (numpy's Python scalars), or float32 when all are numbers.
 */
export function operandArrays(opName: string, operands: readonly Operand[], temp: (x: NDArray) => NDArray): NDArray[] {
  const like = operands.find((x): x is NDArray => x instanceof NDArray);
  const arrays = operands.map((x) => (x instanceof NDArray ? x : temp(scalar(opName, x, like))));
  sameBackend(opName, arrays);
  return arrays;
}

/** An input ready for the kernel: cast to `dtype`, and copied if it overlaps `out` in another layout. */
export function prepareInput(x: NDArray, dtype: DType, shape: Shape, out: NDArray | undefined, temp: (x: NDArray) => NDArray): NDArray {
  const cast = x.dtype === dtype ? x : temp(x.astype(dtype));
  if (!out) return cast;
  const readable = readableWhileWriting(cast, out, broadcastStrides(cast.shape, cast.strides, shape));
  return readable === cast ? cast : temp(readable);
}

/** `x`'s view with strides broadcast to `shape`. */
export function broadcastView(opName: string, x: NDArray, shape: Shape): View {
  return broadcast(x.view(opName), x.shape, shape);
}

/** A 0-d array holding `value`, with `like`'s dtype and backend (or float32 on the current backend). */
export function scalar(opName: string, value: number, like?: NDArray, dtype?: DType): NDArray {
  const backend = like?.backend ?? currentBackend(opName);
  const result = NDArray.empty(backend, dtype ?? like?.dtype ?? "float32", []);
  backend.write(result.target(opName), [value]);
  return result;
}
