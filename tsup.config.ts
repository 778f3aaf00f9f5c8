import { defineConfig, type Options } from "tsup";

/** The wasm builds, each inlined (base64) in ts/backend/wasm/generated/<flavour>/wasm_base64.ts. */
const flavours = ["relaxed", "threads-relaxed", "simd", "threads", "baseline"];
const binaryModule = /generated\/([a-z-]+)\/wasm_base64(\.js)?$/;

const shared: Options = { dts: true, sourcemap: true, target: "es2022", platform: "neutral" };

export default defineConfig([
  // ESM: code splitting puts each binary in a chunk of its own, imported when init() picks it.
  { ...shared, entry: { index: "ts/index.ts", cli: "ts/cli.ts" }, format: "esm" },
  // CJS has no code splitting, so each binary is an entry of its own (dist/wasm-<flavour>.cjs),
  // external to the index, and the index's `import()` of it becomes a lazy `require`: a CJS
  // user loads the one binary init() picks, not all five.
  {
    ...shared,
    entry: {
      index: "ts/index.ts",
      cli: "ts/cli.ts",
      ...Object.fromEntries(flavours.map((f) => [`wasm-${f}`, `ts/backend/wasm/generated/${f}/wasm_base64.ts`])),
    },
    dts: { entry: { index: "ts/index.ts", cli: "ts/cli.ts" } },
    format: "cjs",
    esbuildOptions(options) {
      options.supported = { ...options.supported, "dynamic-import": false };
    },
    esbuildPlugins: [
      {
        name: "binaries-external",
        setup(build) {
          build.onResolve({ filter: binaryModule }, (args) => {
            if (args.kind !== "dynamic-import") return undefined; // the binary's own entry
            const flavour = binaryModule.exec(args.path)![1]!;
            if (!flavours.includes(flavour)) throw new Error(`tsup: unknown wasm flavour ${flavour}`);
            return { path: `./wasm-${flavour}.cjs`, external: true };
          });
        },
      },
    ],
  },
]);
