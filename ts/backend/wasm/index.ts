/**
 * The wasm backend: buffers live in WebAssembly memory and every op is one call into the Rust
 * kernels. Typed-array views of memory are made per access and never kept: growing memory
 * detaches every earlier view of its buffer.
 */
import { bytesPerElement, typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { fromKernelError, OutOfMemoryError } from "../../errors.js";
import type { Shape } from "../../shape.js";
import type { Backend, BackendName, BinaryOp, Storage, View } from "../backend.js";
import type { Glue, WasmExports } from "./glue.js";

export interface WasmStorage extends Storage {
  /** Byte address in wasm memory. */
  readonly ptr: number;
}

/** wasm32 addresses are 32-bit: no buffer can reach 4 GiB. */
const MAX_BUFFER_BYTES = 2 ** 32 - 1;

export class WasmBackend implements Backend<WasmStorage> {
  constructor(
    readonly name: Extract<BackendName, "wasm-simd" | "wasm">,
    private readonly glue: Glue,
    private readonly exports: WasmExports,
  ) {}

  alloc(dtype: DType, length: number): WasmStorage {
    const bytes = length * bytesPerElement(dtype);
    // Checked here because the size would wrap around when passed as a 32-bit usize.
    const ptr = bytes > MAX_BUFFER_BYTES ? 0 : this.glue.alloc_bytes(bytes);
    if (ptr === 0) {
      const have = this.exports.memory.buffer.byteLength;
      throw new OutOfMemoryError(
        `cannot allocate ${bytes} bytes for ${length} ${dtype} elements: WebAssembly memory ` +
          `(${have} bytes) cannot grow any further`,
        bytes,
      );
    }
    return { dtype, length, ptr };
  }

  free(storage: WasmStorage): void {
    this.glue.free_bytes(storage.ptr, storage.length * bytesPerElement(storage.dtype));
  }

  write(storage: WasmStorage, data: ArrayLike<number>): void {
    this.view(storage).set(data);
  }

  read(storage: WasmStorage): FloatArray {
    return this.view(storage).slice();
  }

  binary(op: BinaryOp, opName: string, shape: Shape, a: View<WasmStorage>, b: View<WasmStorage>, out: WasmStorage): void {
    const kernel = out.dtype === "float32" ? this.glue.binary_f32 : this.glue.binary_f64;
    try {
      kernel(
        op,
        Uint32Array.from(shape),
        a.storage.ptr,
        a.storage.length,
        Int32Array.from(a.strides),
        a.offset,
        b.storage.ptr,
        b.storage.length,
        Int32Array.from(b.strides),
        b.offset,
        out.ptr,
        out.length,
      );
    } catch (error) {
      throw fromKernelError(opName, error);
    }
  }

  cast(src: WasmStorage, dst: WasmStorage): void {
    const convert = src.dtype === "float32" ? this.glue.cast_f32_f64 : this.glue.cast_f64_f32;
    if (src.dtype === dst.dtype) this.view(dst).set(this.view(src));
    else convert(src.ptr, dst.ptr, src.length);
  }

  /** A fresh view of a buffer; invalid after the next allocation (memory may grow). */
  private view(storage: WasmStorage): FloatArray {
    return new (typedArrayClass(storage.dtype))(this.exports.memory.buffer, storage.ptr, storage.length);
  }
}
