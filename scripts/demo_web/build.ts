/**
 * Bundles the demo page with Vite into `outDir`. The page imports "vectorized" as users do,
 * resolved to this repository's built package (dist/), wasm inlined and loaded on demand.
 */
import { fileURLToPath } from "node:url";
import { build } from "vite";

const here = fileURLToPath(new URL(".", import.meta.url));
const entry = fileURLToPath(new URL("../../dist/index.js", import.meta.url));

export async function buildDemoPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: here,
    base: "./",
    logLevel: "warn",
    resolve: { alias: { vectorized: entry } },
    // ES module workers keep the package's lazily loaded wasm chunks separate (only the build
    // in use is fetched); both are bundled for browsers that lack SIMD.
    worker: { format: "es" },
    // Each inlined wasm build is a ~600 kB chunk of base64: expected, so no warning.
    build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  });
}
