/**
 * Loading the wasm backend. Both binaries are inlined in the package as base64 (as
 * rapier-compat does), so loading needs no file paths, no `fetch(file://)` in Node and no
 * bundler configuration; `init({ wasm })` takes the user's own bytes, URL or Module instead.
 */
import { WasmInitError } from "../../errors.js";
import { decodeBase64 } from "./base64.js";
import type { Glue, InitInput } from "./glue.js";
import { WasmBackend } from "./index.js";
import { simdSupported } from "./simd_probe.js";
import * as baselineGlue from "./generated/baseline/vectorized_core.js";
import * as simdGlue from "./generated/simd/vectorized_core.js";
import { wasmBase64 as baselineBase64 } from "./generated/baseline/wasm_base64.js";
import { wasmBase64 as simdBase64 } from "./generated/simd/wasm_base64.js";

export interface InitOptions {
  /** `false` forces the baseline build; `true` requires SIMD. Default: SIMD where supported. */
  simd?: boolean;
  /** The module to load instead of the inlined one: bytes, a URL (fetched), or a compiled Module. */
  wasm?: InitInput;
}

/** The build's own glue module. Each build has its own copy, so both can be loaded at once. */
const glues: Record<"wasm-simd" | "wasm", Glue> = {
  "wasm-simd": simdGlue as unknown as Glue,
  wasm: baselineGlue as unknown as Glue,
};
const inlined = { "wasm-simd": simdBase64, wasm: baselineBase64 };

const loads = new Map<string, Promise<WasmBackend>>();

/** Loads (once per build and source) and returns the wasm backend `options` ask for. */
export function loadWasmBackend(options: InitOptions = {}): Promise<WasmBackend> {
  const name = chooseBuild(options.simd);
  // Concurrent and repeated calls for the inlined build share one load.
  const key = options.wasm === undefined ? name : undefined;
  const cached = key && loads.get(key);
  if (cached) return cached;
  const load = instantiate(name, options.wasm);
  if (key) {
    loads.set(key, load);
    load.catch(() => loads.delete(key)); // a failed load may be retried
  }
  return load;
}

function chooseBuild(simd: boolean | undefined): "wasm-simd" | "wasm" {
  if (simd === false) return "wasm";
  if (simdSupported()) return "wasm-simd";
  if (simd === true) {
    throw new WasmInitError("init: { simd: true } was asked for, but this engine does not support WebAssembly SIMD128");
  }
  return "wasm";
}

async function instantiate(name: "wasm-simd" | "wasm", source: InitInput | undefined): Promise<WasmBackend> {
  const glue = glues[name];
  let exports;
  try {
    exports = await glue.default({ module_or_path: source ?? decodeBase64(inlined[name]) });
  } catch (error) {
    throw new WasmInitError(`init: could not load the ${name} WebAssembly module: ${(error as Error).message}`);
  }
  const isa = glue.simd_isa();
  const expected = name === "wasm-simd" ? "wasm128" : "scalar";
  if (isa !== expected) {
    throw new WasmInitError(
      `init: the module given was built with the ${isa} lane layer, but ${name} was asked for` +
        (name === "wasm-simd" ? " (pass { simd: false } with a baseline module)" : ""),
    );
  }
  return new WasmBackend(name, glue, exports);
}
