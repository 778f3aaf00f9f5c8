/**
 * Feature detection for WebAssembly SIMD128: the smallest module that uses a v128 value,
 * `(module (func (result v128) (v128.const i32x4 0 0 0 0)))`. Engines without SIMD reject it.
 */
const probe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one type, () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x16, 0x01, 0x14, 0x00, // code section: one body of 20 bytes, no locals
  0xfd, 0x0c, ...new Array<number>(16).fill(0), // v128.const with 16 zero bytes
  0x0b, // end
]);

/**
 * Feature detection for relaxed SIMD: a function that returns
 * `f32x4.relaxed_madd(v128.const 0, v128.const 0, v128.const 0)`. Engines without relaxed SIMD
 * (Node 18, Node 20 without `--experimental-wasm-relaxed-simd`) reject it.
 */
/** @internal exported for the test that checks an engine without relaxed SIMD refuses it. */
export const relaxedProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: one type, () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x3d, 0x01, 0x3b, 0x00, // code section: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // three v128.const 0
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 261, LEB128)
  0x0b, // end
]);

function validates(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    return WebAssembly.validate(bytes);
  } catch {
    return false;
  }
}

/** Whether this engine accepts SIMD128 modules. */
export function simdSupported(): boolean {
  return validates(probe);
}

/** Whether this engine accepts relaxed-SIMD modules (`relaxed_madd`). */
export function relaxedSimdSupported(): boolean {
  return validates(relaxedProbe);
}
