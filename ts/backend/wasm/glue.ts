/**
 * The shape of a wasm-bindgen module generated from `crate/src/bindings.rs`, as the backend uses
 * it. Both builds (SIMD and baseline) export exactly this.
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
}

export type InitInput = BufferSource | WebAssembly.Module | Response | URL | string;

export interface Glue {
  default(options: { module_or_path: InitInput | Promise<InitInput> }): Promise<WasmExports>;
  alloc_bytes(bytes: number): number;
  free_bytes(ptr: number, bytes: number): void;
  simd_isa(): string;
  binary_f32: BinaryKernel;
  binary_f64: BinaryKernel;
  cast_f32_f64(src: number, dst: number, length: number): void;
  cast_f64_f32(src: number, dst: number, length: number): void;
}

type BinaryKernel = (
  op: number,
  shape: Uint32Array,
  aPtr: number,
  aLength: number,
  aStrides: Int32Array,
  aOffset: number,
  bPtr: number,
  bLength: number,
  bStrides: Int32Array,
  bOffset: number,
  outPtr: number,
  outLength: number,
) => void;
