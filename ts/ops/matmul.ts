import { promoteTypes } from "../dtype.js";
import { BroadcastError, ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { broadcastStrides, formatShape } from "../shape.js";
import { checkOperand } from "./binary.js";
import { sameBackend } from "./same_backend.js";
import { withTemporaries } from "./temporaries.js";
import { writeResult } from "./result.js";

const SIGNATURE = "(n?,k),(k,m?)->(n?,m?)";

/**
 * Matrix product with numpy's `matmul` semantics: 2-D·2-D; a 1-D operand is a vector (its
 * axis is removed from the result, so 1-D·1-D gives a 0-d array); ≥ 3-D operands are stacks of
 * matrices whose batch axes broadcast. Transposed and sliced operands reach the kernel as
 * strides, never copied. Float32 with float64 gives float64.
 * @param a the left operand (1-D: a row vector; ≥ 3-D: a stack of matrices).
 * @param b the right operand (1-D: a column vector; ≥ 3-D: a stack of matrices).
 * @example
 * const W = vz.ones([4, 3]), X = vz.arange(6).reshape(3, 2), w = vz.array([[1], [2], [3]]);
 * vz.matmul(W, X).shape; // => [4, 2]
 * // (n_h, n_x)·(n_x, m) → (n_h, m)
 * vz.matmul(w.T, X);     // => [[16, 22]]
 * // w.T is read through strides, not copied
 * vz.matmul(vz.ones([3, 4]), vz.ones([3])); // throws ValueError: matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)
 * @throws {ValueError} `matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size 3 is different from 4)`
 */
export function matmul(a: NDArray, b: NDArray): NDArray {
  checkOperand("matmul", a, "first");
  checkOperand("matmul", b, "second");
  if (!(a instanceof NDArray) || !(b instanceof NDArray)) throw new ValueError("matmul: operands must be NDArrays, not numbers (use mul for scalars)");
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ValueError(`matmul: Input operand ${a.ndim === 0 ? 0 : 1} does not have enough dimensions (has 0, gufunc core with signature ${SIGNATURE} requires 1)`);
  }
  if (a.backend !== b.backend) sameBackend("matmul", [a, b]);
  // Two matrices of one dtype (the common case) need no temporaries.
  if (a.ndim === 2 && b.ndim === 2 && a.dtype === b.dtype) return product(a, b, a, b);
  return withTemporaries((temp) => {
    const dtype = promoteTypes(a.dtype, b.dtype);
    // Vectors become matrices (a row for a, a column for b); their axis is dropped at the end.
    const a2 = a.ndim === 1 ? temp(a.expandDims(0)) : a;
    const b2 = b.ndim === 1 ? temp(b.expandDims(1)) : b;
    const A = a2.dtype === dtype ? a2 : temp(a2.astype(dtype));
    const B = b2.dtype === dtype ? b2 : temp(b2.astype(dtype));
    const full = product(A, B, a, b);
    const shape = full.shape.filter((_, d) => !((d === full.ndim - 2 && a.ndim === 1) || (d === full.ndim - 1 && b.ndim === 1)));
    if (shape.length === full.ndim) return full;
    temp(full);
    return full.reshape(shape);
  });
}

/**
 * `A·B` for operands of ≥ 2 axes and one dtype, batch axes broadcast: a new array of shape
 * `batch ++ [m, n]`. `a` and `b` are the operands as the user gave them, for error messages.
 */
function product(A: NDArray, B: NDArray, a: NDArray, b: NDArray): NDArray {
  const m = A.shape[A.ndim - 2]!;
  const k = A.shape[A.ndim - 1]!;
  const k2 = B.shape[B.ndim - 2]!;
  const n = B.shape[B.ndim - 1]!;
  if (k !== k2) {
    throw new ValueError(`matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature ${SIGNATURE} (size ${k2} is different from ${k})`);
  }
  const va = A.view("matmul");
  const vb = B.view("matmul");
  let batch: number[] = [];
  let viewA = va;
  let viewB = vb;
  if (A.ndim > 2 || B.ndim > 2) {
    const batchA = A.shape.slice(0, -2);
    const batchB = B.shape.slice(0, -2);
    batch = broadcastBatch(batchA, batchB, a, b);
    viewA = { ...va, strides: [...broadcastStrides(batchA, va.strides.slice(0, -2), batch), ...va.strides.slice(-2)] };
    viewB = { ...vb, strides: [...broadcastStrides(batchB, vb.strides.slice(0, -2), batch), ...vb.strides.slice(-2)] };
  }
  // A new shape, frozen here so the array takes it as it is instead of copying it.
  const shape = Object.freeze(batch.length === 0 ? [m, n] : [...batch, m, n]);
  return writeResult("matmul", NDArray.empty(A.backend, A.dtype, shape), undefined, (target) => A.backend.matmul(batch, m, k, n, viewA, viewB, target));
}

function broadcastBatch(a: readonly number[], b: readonly number[], x: NDArray, y: NDArray): number[] {
  const ndim = Math.max(a.length, b.length);
  return Array.from({ length: ndim }, (_, i) => {
    const da = a[a.length - ndim + i] ?? 1;
    const db = b[b.length - ndim + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new BroadcastError(
        `matmul: operands could not be broadcast together with shapes ${formatShape(x.shape)} ${formatShape(y.shape)} (batch dimensions ${formatShape(a)} and ${formatShape(b)})`,
      );
    }
    return da === 1 ? db : da;
  });
}
