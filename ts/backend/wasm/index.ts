/**
 * The wasm backend: buffers live in WebAssembly memory and every op is one call into the Rust
 * kernels. Typed-array views of memory are made per access and never kept: growing memory
 * detaches every earlier view of its buffer (wasm-bindgen issues #1668, #4395).
 */
import { bytesPerElement, typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { fromKernelError, LayoutError, OutOfMemoryError } from "../../errors.js";
import { registerWasmMemory } from "../../memory.js";
import type { Shape } from "../../shape.js";
import type { ArgOp, Backend, BackendName, BinaryOp, LogisticLayout, ReduceOp, Storage, TrainParams, TrainResult, UnaryOp, View } from "../backend.js";
import type { Glue, WasmExports } from "./glue.js";

export interface WasmStorage extends Storage {
  /** Byte address in wasm memory. */
  readonly ptr: number;
}

type WView = View<WasmStorage>;

/**
 * The largest single buffer: Rust allocations are limited to `isize::MAX` bytes, 2 GiB − 1 on
 * wasm32 (all buffers together may use up to the engine's 4 GiB).
 */
const MAX_BUFFER_BYTES = 2 ** 31 - 1;

const suffix = (dtype: DType) => (dtype === "float32" ? "f32" : "f64");

/** A view as the four kernel arguments: pointer, buffer length, strides, offset. */
function operand(v: WView): [number, number, Int32Array, number] {
  return [v.storage.ptr, v.storage.length, Int32Array.from(v.strides), v.offset];
}

export class WasmBackend implements Backend<WasmStorage> {
  constructor(
    readonly name: Extract<BackendName, "wasm-simd" | "wasm">,
    private readonly glue: Glue,
    private readonly exports: WasmExports,
  ) {
    registerWasmMemory(name, exports.memory);
  }

  alloc(dtype: DType, length: number): WasmStorage {
    const bytes = length * bytesPerElement(dtype);
    // Checked here, so the size cannot wrap around when passed as a 32-bit usize.
    const ptr = bytes > MAX_BUFFER_BYTES ? 0 : this.glue.alloc_bytes(bytes);
    if (ptr === 0) {
      const have = this.exports.memory.buffer.byteLength;
      const why =
        bytes > MAX_BUFFER_BYTES
          ? `one WebAssembly buffer holds at most ${MAX_BUFFER_BYTES} bytes`
          : `WebAssembly memory (${have} bytes) cannot grow any further`;
      throw new OutOfMemoryError(`cannot allocate ${bytes} bytes for ${length} ${dtype} elements: ${why}`, bytes);
    }
    return { dtype, length, ptr };
  }

  free(storage: WasmStorage): void {
    this.glue.free_bytes(storage.ptr, storage.length * bytesPerElement(storage.dtype));
  }

  write(storage: WasmStorage, data: ArrayLike<number>, at = 0): void {
    this.view(storage).set(data, at);
  }

  fill(storage: WasmStorage, value: number): void {
    this.view(storage).fill(value);
  }

  read(storage: WasmStorage): FloatArray {
    return this.view(storage).slice();
  }

  copy(opName: string, shape: Shape, src: WView, out: WasmStorage, at = 0): void {
    const kernel = this.glue[`copy_${suffix(src.storage.dtype)}_${suffix(out.dtype)}`];
    const size = shape.reduce((n, d) => n * d, 1);
    if (at + size > out.length) throw new LayoutError(`${opName}: copy of ${size} elements at ${at} overflows a buffer of ${out.length}`);
    const outPtr = out.ptr + at * bytesPerElement(out.dtype);
    this.call(opName, () => kernel(Uint32Array.from(shape), ...operand(src), outPtr, size));
  }

  binary(op: BinaryOp, opName: string, shape: Shape, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`binary_${suffix(out.dtype)}`];
    this.call(opName, () => kernel(op, Uint32Array.from(shape), ...operand(a), ...operand(b), out.ptr, out.length));
  }

  where(opName: string, shape: Shape, cond: WView, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`where_${suffix(out.dtype)}`];
    this.call(opName, () => kernel(Uint32Array.from(shape), ...operand(cond), ...operand(a), ...operand(b), out.ptr, out.length));
  }

  unary(op: UnaryOp, opName: string, shape: Shape, a: WView, out: WasmStorage, lo: number, hi: number): void {
    const kernel = this.glue[`unary_${suffix(out.dtype)}`];
    this.call(opName, () => kernel(op, Uint32Array.from(shape), ...operand(a), out.ptr, out.length, lo, hi));
  }

  reduce(op: ReduceOp, opName: string, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const kernel = this.glue[`reduce_${suffix(out.dtype)}`];
    this.call(opName, () => kernel(op, Uint32Array.from(shape), ...operand(a), Uint8Array.from(reduced, Number), out.ptr, out.length));
  }

  matmul(opName: string, batch: Shape, m: number, k: number, n: number, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`matmul_${suffix(out.dtype)}`];
    this.call(opName, () => kernel(Uint32Array.from(batch), m, k, n, ...operand(a), ...operand(b), out.ptr, out.length));
  }

  logisticGrad(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, l2: number, dw: WasmStorage, indices?: Uint32Array) {
    const kernel = this.glue[`logistic_grad_${suffix(x.dtype)}`];
    let result: Float64Array = new Float64Array(2);
    this.call("propagate", () => {
      result = kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, l2, dw.ptr, indices ?? new Uint32Array(0));
    });
    return { cost: result[0]!, db: result[1]! };
  }

  logisticForward(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, w: WasmStorage, b: number, out: WasmStorage): void {
    const kernel = this.glue[`logistic_forward_${suffix(x.dtype)}`];
    this.call("predictProba", () => kernel(layout, x.ptr, nx, m, w.ptr, b, out.ptr));
  }

  logisticTrain(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, p: TrainParams): TrainResult {
    const kernel = this.glue[`logistic_train_${suffix(x.dtype)}`];
    let r: Float64Array = new Float64Array(5);
    this.call("fit", () => {
      r = kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN, p.order ?? new Uint32Array(0), p.batchSize ?? 0);
    });
    const stops = ["completed", "converged", "diverged"] as const;
    return { iterations: r[0]!, stop: stops[r[1]!]!, lastCost: r[2] ? r[3]! : undefined, bias: r[4]!, costs: Array.from(r.subarray(5)) };
  }

  packColsToRows(x: WasmStorage, nx: number, m: number, out: WasmStorage): void {
    const kernel = this.glue[`pack_cols_to_rows_${suffix(x.dtype)}`];
    this.call("fit", () => kernel(x.ptr, nx, m, out.ptr));
  }

  argReduce(op: ArgOp, opName: string, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const kernel = this.glue[`arg_reduce_${suffix(a.storage.dtype)}`];
    this.call(opName, () => kernel(op, Uint32Array.from(shape), ...operand(a), Uint8Array.from(reduced, Number), out.ptr, out.length));
  }

  /** Runs a kernel, turning its `"<code>: <message>"` errors into our typed errors. */
  private call(opName: string, kernel: () => void): void {
    try {
      kernel();
    } catch (error) {
      throw fromKernelError(opName, error);
    }
  }

  /** A fresh view of a buffer; invalid after the next allocation (memory may grow). */
  private view(storage: WasmStorage): FloatArray {
    return new (typedArrayClass(storage.dtype))(this.exports.memory.buffer, storage.ptr, storage.length);
  }
}
