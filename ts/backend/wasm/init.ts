/**
 * Loading the wasm backend. Both binaries are inlined in the package as base64 (as
 * rapier-compat does), so loading needs no file paths, no `fetch(file://)` in Node and no
 * bundler configuration; `init({ wasm })` takes the user's own bytes, URL or Module instead.
 *
 * Each build has its own wasm-bindgen glue module, which holds one instance for the life of the
 * page: a build is loaded once, and a given module is paired with its build's glue by the
 * `vectorized_isa` custom section the crate embeds.
 */
import { WasmInitError } from "../../errors.js";
import { decodeBase64 } from "./base64.js";
import type { Glue, InitInput } from "./glue.js";
import { WasmBackend } from "./index.js";
import { relaxedSimdSupported, simdSupported } from "./simd_probe.js";
import * as baselineGlue from "./generated/baseline/vectorized_core.js";
import * as relaxedGlue from "./generated/relaxed/vectorized_core.js";
import * as simdGlue from "./generated/simd/vectorized_core.js";

/**
 * What {@link init} takes: which build to load, or a binary of your own.
 * @example
 * await vz.init({ simd: false }); // => "wasm"
 */
export interface InitOptions {
  /** `false` forces the baseline build; `true` requires SIMD. Default: SIMD where supported. */
  simd?: boolean;
  /**
   * `false` forces the plain SIMD128 build; `true` requires relaxed SIMD. Default: the relaxed
   * build where the engine has relaxed SIMD (its multiply-adds may be fused, so results can
   * differ in the last bits between machines, never between runs on one machine).
   */
  relaxed?: boolean;
  /**
   * A vectorized wasm binary to load instead of the inlined one: its bytes, a URL to fetch
   * (http(s) or a page-relative URL; in Node pass the bytes), a Response, or a compiled Module.
   */
  wasm?: InitInput | Promise<Response>;
}

type BuildName = "wasm-relaxed" | "wasm-simd" | "wasm";

/**
 * Each build's glue and its inlined binary. The binaries are imported on demand, so a page
 * downloads only the one it runs and bundlers put each in a chunk of its own.
 */
const builds: Record<BuildName, { glue: Glue; bytes: () => Promise<string>; isa: string }> = {
  "wasm-relaxed": { glue: relaxedGlue, bytes: async () => (await import("./generated/relaxed/wasm_base64.js")).wasmBase64, isa: "relaxed" },
  "wasm-simd": { glue: simdGlue, bytes: async () => (await import("./generated/simd/wasm_base64.js")).wasmBase64, isa: "wasm128" },
  wasm: { glue: baselineGlue, bytes: async () => (await import("./generated/baseline/wasm_base64.js")).wasmBase64, isa: "scalar" },
};

const loads = new Map<BuildName, Promise<WasmBackend>>();

/** Loads (once per build; concurrent calls share the load) the wasm backend `options` ask for. */
export async function loadWasmBackend(options: InitOptions = {}): Promise<WasmBackend> {
  if (options.wasm === undefined) {
    const name = chooseBuild(options.simd, options.relaxed);
    return loads.get(name) ?? load(name, builds[name].bytes().then(decodeBase64));
  }
  const module = await compile(options.wasm);
  const name = buildOf(module);
  if (options.simd !== undefined && options.simd !== (name !== "wasm")) {
    throw new WasmInitError(`init: { simd: ${options.simd} } was asked for, but the module given is the ${name} build`);
  }
  if (options.relaxed !== undefined && options.relaxed !== (name === "wasm-relaxed")) {
    throw new WasmInitError(`init: { relaxed: ${options.relaxed} } was asked for, but the module given is the ${name} build`);
  }
  if (loads.has(name)) {
    throw new WasmInitError(
      `init: the ${name} build is already loaded; init({ wasm }) must come before any other init() that loads it`,
    );
  }
  return load(name, module);
}

/** relaxed > SIMD > baseline, as the engine supports them and the options allow. */
function chooseBuild(simd: boolean | undefined, relaxed: boolean | undefined): BuildName {
  if (simd === false && relaxed === true) throw new WasmInitError("init: { simd: false } and { relaxed: true } contradict each other (relaxed SIMD is SIMD)");
  if (simd === false) return "wasm";
  if (relaxed !== false && relaxedSimdSupported()) return "wasm-relaxed";
  if (relaxed === true) {
    throw new WasmInitError(
      "init: { relaxed: true } was asked for, but this engine does not support WebAssembly relaxed SIMD (Node 20 needs --experimental-wasm-relaxed-simd)",
    );
  }
  if (simdSupported()) return "wasm-simd";
  if (simd === true) {
    throw new WasmInitError("init: { simd: true } was asked for, but this engine does not support WebAssembly SIMD128");
  }
  return "wasm";
}

function load(name: BuildName, source: BufferSource | WebAssembly.Module | Promise<BufferSource>): Promise<WasmBackend> {
  const { glue } = builds[name];
  const loading = Promise.resolve(source)
    .then((module_or_path) => glue.default({ module_or_path }))
    .then((exports) => new WasmBackend(name, glue, exports))
    .catch((error: Error) => {
      loads.delete(name); // the glue keeps no instance when instantiation fails: a retry may work
      throw new WasmInitError(`init: could not load the ${name} WebAssembly module: ${error.message}`);
    });
  loads.set(name, loading);
  return loading;
}

async function compile(source: NonNullable<InitOptions["wasm"]>): Promise<WebAssembly.Module> {
  try {
    const input = await source;
    if (input instanceof WebAssembly.Module) return input;
    const response = typeof input === "string" || input instanceof URL ? await fetch(input) : input;
    if (response instanceof Response && !response.ok) {
      throw new Error(`fetching ${response.url} gave HTTP ${response.status}`);
    }
    return await WebAssembly.compile(response instanceof Response ? await response.arrayBuffer() : response);
  } catch (error) {
    const inNode = typeof process === "object" && typeof process.versions?.node === "string";
    const hint = inNode && typeof source === "string" ? " (in Node, pass the file's bytes: init({ wasm: readFileSync(path) }))" : "";
    throw new WasmInitError(`init: could not compile the WebAssembly module given: ${(error as Error).message}${hint}`);
  }
}

/** The build a module is, from the `vectorized_isa` custom section the crate embeds. */
function buildOf(module: WebAssembly.Module): BuildName {
  const [section] = WebAssembly.Module.customSections(module, "vectorized_isa");
  const isa = section && new TextDecoder().decode(section);
  const name = (Object.keys(builds) as BuildName[]).find((k) => builds[k].isa === isa);
  if (!name) throw new WasmInitError("init: the module given is not a vectorized build (it has no vectorized_isa section)");
  return name;
}
