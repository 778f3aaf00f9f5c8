// Asserts that a wasm binary contains SIMD128 and relaxed-SIMD instructions (relaxed,
// threads-relaxed), SIMD128 and no relaxed ones (simd, threads), or no SIMD at all (baseline), by
// disassembling it with wabt's wasm-objdump. Usage: node scripts/check-simd.mjs <relaxed|simd|threads|threads-relaxed|baseline> <file>
import { execFileSync } from "node:child_process";

function disassemble(file) {
  return execFileSync("wasm-objdump", ["-d", file], { encoding: "utf8", maxBuffer: 1 << 28 });
}

/** Counts the v128 instructions (v128.*, i8x16.*, …, f64x2.*) in a wasm file's disassembly. */
export function countSimdInstructions(file) {
  const matches = disassemble(file).match(/\b(v128|[if](8x16|16x8|32x4|64x2))\.\w+/g);
  return matches ? matches.length : 0;
}

/** Counts the relaxed-SIMD instructions (`f32x4.relaxed_madd`, …) in a wasm file's disassembly. */
export function countRelaxedInstructions(file) {
  const matches = disassemble(file).match(/\b[if](8x16|16x8|32x4|64x2)\.relaxed_\w+/g);
  return matches ? matches.length : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const [variant, file] = process.argv.slice(2);
  const simd = countSimdInstructions(file);
  const relaxed = countRelaxedInstructions(file);
  const ok = { relaxed: simd > 0 && relaxed > 0, simd: simd > 0 && relaxed === 0, threads: simd > 0 && relaxed === 0, "threads-relaxed": simd > 0 && relaxed > 0, baseline: simd === 0 }[variant] ?? false;
  console.log(`check-simd: ${file}: ${simd} SIMD instructions, ${relaxed} relaxed (${variant}: ${ok ? "ok" : "WRONG"})`);
  if (!ok) process.exit(1);
}
