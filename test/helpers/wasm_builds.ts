/**
 * The wasm builds each engine test expects test/consumer/compute.mjs to have run, by the name
 * `backendName()` reports: a new build is one more entry here (and in compute.mjs's list).
 */
export const WASM_BUILDS: readonly string[] = ["wasm-simd", "wasm"];
