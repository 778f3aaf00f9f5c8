// Asserts that a wasm binary does (simd) or does not (baseline) contain SIMD128 instructions,
// by disassembling it with wabt's wasm-objdump. Usage: node scripts/check-simd.mjs <simd|baseline> <file>
import { execFileSync } from "node:child_process";

/** Counts the v128 instructions (v128.*, i8x16.*, …, f64x2.*) in a wasm file's disassembly. */
export function countSimdInstructions(file) {
  const text = execFileSync("wasm-objdump", ["-d", file], { encoding: "utf8", maxBuffer: 1 << 28 });
  const matches = text.match(/\b(v128|[if](8x16|16x8|32x4|64x2))\.\w+/g);
  return matches ? matches.length : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [variant, file] = process.argv.slice(2);
  const count = countSimdInstructions(file);
  const ok = variant === "simd" ? count > 0 : count === 0;
  console.log(`check-simd: ${file}: ${count} SIMD instructions (${variant}: ${ok ? "ok" : "WRONG"})`);
  if (!ok) process.exit(1);
}
