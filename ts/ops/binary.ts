/**
 * The shared driver of binary element-wise ops: scalars to 0-d arrays, dtype promotion,
 * numpy broadcasting (stride 0, no copies), then one kernel call on the operands' backend.
 */
import type { BinaryOp } from "../backend/backend.js";
import { currentBackend } from "../backend/registry.js";
import { scalarLike } from "../creation.js";
import { promoteTypes, type DType } from "../dtype.js";
import { ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes, broadcastStrides, sizeOf } from "../shape.js";

export type Operand = NDArray | number;

export function binaryOp(opName: string, op: BinaryOp, lhs: Operand, rhs: Operand): NDArray {
  const temporaries: NDArray[] = [];
  const keep = (x: NDArray): NDArray => (temporaries.push(x), x);
  try {
    let a = lhs instanceof NDArray ? lhs : undefined;
    let b = rhs instanceof NDArray ? rhs : undefined;
    checkOperand(opName, lhs, "first");
    checkOperand(opName, rhs, "second");
    // Scalars take the other operand's dtype and backend, as numpy's Python scalars do.
    if (!a && !b) b = keep(scalarOn(opName, rhs as number));
    a ??= keep(scalarLike(lhs as number, b!));
    b ??= keep(scalarLike(rhs as number, a));
    if (a.backend !== b.backend) {
      throw new ValueError(`${opName}: operands live on different backends (${a.backend.name} and ${b.backend.name})`);
    }
    const dtype = promoteTypes(a.dtype, b.dtype);
    if (a.dtype !== dtype) a = keep(astype(opName, a, dtype));
    if (b.dtype !== dtype) b = keep(astype(opName, b, dtype));

    const shape = broadcastShapes(opName, a.shape, b.shape);
    const backend = a.backend;
    const out = backend.alloc(dtype, sizeOf(shape));
    const result = new NDArray(backend, out, shape);
    if (result.size > 0) {
      const [va, vb] = [a.view(opName), b.view(opName)];
      backend.binary(
        op,
        opName,
        shape,
        { ...va, strides: broadcastStrides(a.shape, va.strides, shape) },
        { ...vb, strides: broadcastStrides(b.shape, vb.strides, shape) },
        out,
      );
    }
    return result;
  } finally {
    for (const t of temporaries) t.dispose();
  }
}

function checkOperand(opName: string, x: unknown, which: string): void {
  if (!(x instanceof NDArray) && typeof x !== "number") {
    throw new ValueError(`${opName}: the ${which} operand must be an NDArray or a number, got ${x === null ? "null" : typeof x}`);
  }
  if (x instanceof NDArray) x.view(opName); // throws DisposedError naming the op
}

function scalarOn(opName: string, value: number): NDArray {
  const backend = currentBackend(opName);
  const storage = backend.alloc("float32", 1);
  backend.write(storage, [value]);
  return new NDArray(backend, storage, []);
}

/** A copy of `x` in `dtype`, with the same layout over a converted copy of its buffer. */
function astype(opName: string, x: NDArray, dtype: DType): NDArray {
  const view = x.view(opName);
  const storage = x.backend.alloc(dtype, view.storage.length);
  x.backend.cast(view.storage, storage);
  return new NDArray(x.backend, storage, x.shape, x.strides, x.offset);
}
