/**
 * The contract both backends implement. Backends receive validated, already-broadcast
 * layouts; all shape policy lives in the ops.
 */
import type { DType, FloatArray } from "../dtype.js";
import type { Shape } from "../shape.js";

export type BackendName = "wasm-simd" | "wasm" | "reference";

/** A flat buffer of `length` elements owned by one backend. */
export interface Storage {
  readonly dtype: DType;
  readonly length: number;
}

/** A strided read of a storage (element strides; 0 on broadcast axes). */
export interface View<S extends Storage = Storage> {
  readonly storage: S;
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Binary element-wise ops; the numbers are the kernel codes shared with the Rust crate. */
export const BinaryOp = { Add: 0 } as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

export interface Backend<S extends Storage = Storage> {
  readonly name: BackendName;
  /** A new, uninitialised buffer. @throws {OutOfMemoryError} */
  alloc(dtype: DType, length: number): S;
  /** Releases a buffer; called exactly once per buffer. */
  free(storage: S): void;
  /** Copies `data` (converted to the storage's dtype) into the start of the buffer. */
  write(storage: S, data: ArrayLike<number>): void;
  /** A copy of the whole buffer. */
  read(storage: S): FloatArray;
  /** `out = op(a, b)` with `a`, `b` laid out over `shape`; `out` is contiguous. */
  binary(op: BinaryOp, opName: string, shape: Shape, a: View<S>, b: View<S>, out: S): void;
  /** `dst = src` converted to `dst`'s dtype; both contiguous and the same length. */
  cast(src: S, dst: S): void;
}
