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

/** Whether this engine accepts SIMD128 modules. */
export function simdSupported(): boolean {
  try {
    return WebAssembly.validate(probe);
  } catch {
    return false;
  }
}
