/**
 * The reference backend: plain TypeScript over typed arrays, written to be obviously right.
 * It defines the semantics the wasm backend is tested against.
 */
import { typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { sizeOf, type Shape } from "../../shape.js";
import { BinaryOp, type Backend, type Storage, type View } from "../backend.js";

export interface ReferenceStorage extends Storage {
  readonly data: FloatArray;
}

const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  [BinaryOp.Add]: (a, b) => a + b,
};

export class ReferenceBackend implements Backend<ReferenceStorage> {
  readonly name = "reference" as const;

  alloc(dtype: DType, length: number): ReferenceStorage {
    return { dtype, length, data: new (typedArrayClass(dtype))(length) };
  }

  free(): void {
    // Garbage collected.
  }

  write(storage: ReferenceStorage, data: ArrayLike<number>): void {
    storage.data.set(data);
  }

  read(storage: ReferenceStorage): FloatArray {
    return storage.data.slice();
  }

  binary(op: BinaryOp, _opName: string, shape: Shape, a: View<ReferenceStorage>, b: View<ReferenceStorage>, out: ReferenceStorage): void {
    const f = binaryFns[op];
    const [ad, bd, od] = [a.storage.data, b.storage.data, out.data];
    const n = sizeOf(shape);
    const index = new Array<number>(shape.length).fill(0);
    let ia = a.offset;
    let ib = b.offset;
    for (let i = 0; i < n; i++) {
      od[i] = f(ad[ia]!, bd[ib]!);
      // Step the n-d index like an odometer, moving each operand by its stride.
      for (let d = shape.length - 1; d >= 0; d--) {
        index[d]!++;
        ia += a.strides[d]!;
        ib += b.strides[d]!;
        if (index[d]! < shape[d]!) break;
        ia -= a.strides[d]! * shape[d]!;
        ib -= b.strides[d]! * shape[d]!;
        index[d] = 0;
      }
    }
  }

  cast(src: ReferenceStorage, dst: ReferenceStorage): void {
    dst.data.set(src.data);
  }
}
