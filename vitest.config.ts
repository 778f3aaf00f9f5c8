import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // memory.test.ts calls gc() to show the FinalizationRegistry frees forgotten arrays. Node 20
    // has relaxed SIMD behind a flag (the suites run the relaxed build too); Node 22 and later
    // have it on by default and reject the flag.
    execArgv: ["--expose-gc", ...(Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [])],
  },
});
