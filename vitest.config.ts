import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // memory.test.ts calls gc() to show the FinalizationRegistry frees forgotten arrays.
    execArgv: ["--expose-gc"],
  },
});
