import { defineConfig } from "tsup";

export default defineConfig({
  entry: { index: "ts/index.ts", cli: "ts/cli.ts" },
  format: ["esm", "cjs"],
  dts: true,
  sourcemap: true,
  clean: true,
  target: "es2022",
  platform: "neutral",
});
