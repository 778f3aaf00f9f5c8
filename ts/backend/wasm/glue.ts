/**
 * The boundary between TypeScript and the Rust crate, typed by wasm-bindgen itself: `Glue` is
 * the module wasm-bindgen generates from `crate/src/bindings.rs` (its `.d.ts` is part of the
 * build, in `generated/`), so a signature changed on one side and not the other fails to
 * type-check. The three builds (relaxed, SIMD128, baseline) export exactly the same functions;
 * init.ts checks each build's module against this one type, with no cast.
 *
 * Pointers are byte addresses in the module's memory; lengths are in elements; strides and
 * offsets in elements. Shapes and strides travel through the layout descriptor (see
 * `bindings.rs`), never as arrays.
 */
import type * as SimdGlue from "./generated/simd/vectorized_core.js";

/** What instantiation returns, as the backend uses it: the module's memory. */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
}

/**
 * A build's wasm-bindgen module: the functions `bindings.rs` exports, exactly as wasm-bindgen
 * declares them, and `default`, which instantiates it. (The raw exports `default` resolves to
 * differ between builds, multi-value returns in the SIMD builds, a return pointer in the
 * baseline's, so only the memory is taken from them.)
 */
export interface Glue extends Omit<typeof SimdGlue, "default" | "initSync"> {
  default(options: { module_or_path: BufferSource | WebAssembly.Module }): Promise<WasmExports>;
}

/**
 * A wasm binary as {@link init} takes it: bytes, a compiled Module, a Response, or a URL to fetch.
 * @example
 * const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // a valid module, but not vectorized's
 * await vz.init({ wasm: empty }); // throws WasmInitError: …
 */
export type InitInput = BufferSource | WebAssembly.Module | Response | URL | string;

/** The crate's `TrainReport` (a wasm-bindgen class): one training call's outcome by name; `free()` once read. */
export type TrainReport = Pick<SimdGlue.TrainReport, "iterations" | "stop" | "cost" | "bias" | "gradientMax" | "costs" | "free">;
