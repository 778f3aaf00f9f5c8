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
import * as threadsGlue from "./generated/threads/vectorized_core.js";
import * as threadsRelaxedGlue from "./generated/threads-relaxed/vectorized_core.js";
import { startWorkers, threadsUnavailable, type PoolExports } from "./pool.js";

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
  /**
   * Threads that run the large kernels (a positive integer): matrix products (GEMM, GEMV, the
   * dense network's layers), element-wise ops (unary, binary with broadcasting, `where`,
   * copies and dtype conversions), reductions (sum, mean, prod, max, min, argmax, argmin, by
   * axis or whole) and logistic regression's training step. Small arrays stay on one thread.
   * Results are the same bits for any number of threads. Default: every core
   * (`os.availableParallelism()`, `navigator.hardwareConcurrency`) where the engine can share
   * WebAssembly memory with workers (Node, Deno, Bun, cross-origin-isolated pages), else 1.
   * More than one loads the chosen SIMD build's threaded flavour (relaxed or SIMD128; the
   * baseline build has none); {@link threads} says how many run and why not more.
   */
  threads?: number;
}

/**
 * How many threads run kernels on the active backend, and why not more.
 * @example
 * vz.setBackend("reference");
 * vz.threads().count; // => 1
 */
export interface ThreadInfo {
  /** Threads running kernels: the calling thread plus the pool's workers. */
  count: number;
  /** Why there are not more ("" when as many as asked for run). */
  reason: string;
}

type BuildName = "wasm-relaxed" | "wasm-simd" | "wasm";

/** A build's wasm-bindgen glue and its inlined binary, imported on demand. */
interface Flavour<G extends Glue = Glue> {
  glue: G;
  bytes: () => Promise<string>;
}

/**
 * Each build's single-thread flavour, its threaded one (the same kernels over shared memory, so
 * the same bits), and the lane layer its `vectorized_isa` section names. The binaries are
 * imported on demand, so a page downloads only the one it runs and bundlers put each in a chunk
 * of its own.
 */
const builds: Record<BuildName, { single: Flavour; threads?: Flavour<Glue & PoolExports>; isa: string }> = {
  "wasm-relaxed": {
    single: { glue: relaxedGlue, bytes: async () => (await import("./generated/relaxed/wasm_base64.js")).wasmBase64 },
    threads: { glue: threadsRelaxedGlue, bytes: async () => (await import("./generated/threads-relaxed/wasm_base64.js")).wasmBase64 },
    isa: "relaxed",
  },
  "wasm-simd": {
    single: { glue: simdGlue, bytes: async () => (await import("./generated/simd/wasm_base64.js")).wasmBase64 },
    threads: { glue: threadsGlue, bytes: async () => (await import("./generated/threads/wasm_base64.js")).wasmBase64 },
    isa: "wasm128",
  },
  wasm: { single: { glue: baselineGlue, bytes: async () => (await import("./generated/baseline/wasm_base64.js")).wasmBase64 }, isa: "scalar" },
};

const loads = new Map<BuildName, Promise<WasmBackend>>();

/**
 * Loads (once per build; concurrent calls share the load) the wasm backend `options` ask for,
 * with the threads they ask for.
 */
export async function loadWasmBackend(options: InitOptions = {}): Promise<WasmBackend> {
  if (options.wasm === undefined) {
    const wanted = options.threads ?? defaultThreads();
    const name = chooseBuild(options.simd, options.relaxed);
    const threaded = wanted > 1 && builds[name].threads !== undefined && threadsUnavailable() === undefined;
    const backend = await (loads.get(name) ?? load(name, threaded ? "threads" : "single"));
    await setThreads(backend, wanted);
    return backend;
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
  const threaded = WebAssembly.Module.customSections(module, "vectorized_threads").length > 0;
  const backend = await load(name, threaded ? "threads" : "single", module);
  await setThreads(backend, options.threads ?? (threaded ? defaultThreads() : 1));
  return backend;
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

/** Threads a default `init()` asks for: every core the engine reports. */
function defaultThreads(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
}

/** A threaded build's pool: its glue, module and memory (for new workers), and what runs. */
interface PoolState {
  glue: Glue & PoolExports;
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Workers started and joined. */
  workers: number;
  /** Why a start failed ("" if none did); no more workers are started after one has. */
  failure: string;
  /** The last change of thread count: changes run one after another (concurrent `init`s). */
  changing: Promise<void>;
}

const pools = new Map<WasmBackend, PoolState>();
const threadInfo = new WeakMap<WasmBackend, ThreadInfo>();

/**
 * Loads one build. `"threads"` loads its threaded flavour (shared memory; workers are started
 * by {@link setThreads}) under the same name: it computes the same bits.
 */
function load(name: BuildName, flavour: "single" | "threads", given?: WebAssembly.Module): Promise<WasmBackend> {
  const threaded = flavour === "threads" ? builds[name].threads : undefined;
  const { glue, bytes } = threaded ?? builds[name].single;
  const loading = (given ? Promise.resolve(given) : bytes().then((b) => WebAssembly.compile(decodeBase64(b) as BufferSource)))
    .then(async (module) => {
      const exports = await glue.default({ module_or_path: module });
      const backend = new WasmBackend(name, glue, exports);
      if (threaded) pools.set(backend, { glue: threaded.glue, module, memory: exports.memory, workers: 0, failure: "", changing: Promise.resolve() });
      return backend;
    })
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

/**
 * Makes `wanted` threads run the backend's kernels: starts workers if the pool has fewer, or
 * leaves the extra ones waiting. Single-thread builds stay at one and say why.
 */
async function setThreads(backend: WasmBackend, wanted: number): Promise<void> {
  const pool = pools.get(backend);
  if (!pool) {
    const why =
      threadsUnavailable() ??
      (backend.name === "wasm"
        ? "the wasm build (no SIMD) has no threads"
        : `the ${backend.name} build in use was loaded without threads (by an earlier init() with threads: 1, or from a module given to init)`);
    threadInfo.set(backend, { count: 1, reason: wanted > 1 ? why : "" });
    return;
  }
  pool.changing = pool.changing.then(async () => {
    if (wanted - 1 > pool.workers && pool.failure === "") {
      const started = await startWorkers(pool.module, pool.memory, pool.glue, wanted - 1 - pool.workers);
      pool.workers = started.workers;
      pool.failure = started.failure;
    }
    useThreads(backend, wanted);
  });
  await pool.changing;
}

/**
 * @internal Runs the backend's kernels on `wanted` threads, or as many as its pool has started
 * (synchronous: starts none). The bench uses it to compare thread counts within one case.
 */
export function useThreads(backend: WasmBackend, wanted: number): void {
  const pool = pools.get(backend);
  if (!pool) return;
  const count = Math.min(wanted, 1 + pool.workers);
  pool.glue.pool_set_threads(count);
  threadInfo.set(backend, { count, reason: count < wanted ? pool.failure || "fewer workers have started" : "" });
}

/**
 * @internal Splits every parallel kernel of every threaded build loaded from `units` units of
 * its work on (0: from the crossovers measured into the crate), for the crossover measurement
 * (bench/crossover.ts) and the tests.
 */
export function splitFrom(units: number): void {
  for (const pool of pools.values()) pool.glue.pool_split_from(units);
}

/** @internal Jobs that have run on more than one thread so far, in every threaded build loaded (tests check that a kernel split). */
export function parallelJobs(): number {
  let jobs = 0;
  for (const pool of pools.values()) jobs += pool.glue.pool_jobs();
  return jobs;
}

/** @internal What {@link threads} reports for a loaded backend. */
export function threadsOf(backend: WasmBackend): ThreadInfo {
  return threadInfo.get(backend) ?? { count: 1, reason: "" };
}

/** The build a module is, from the `vectorized_isa` custom section the crate embeds. */
function buildOf(module: WebAssembly.Module): BuildName {
  const [section] = WebAssembly.Module.customSections(module, "vectorized_isa");
  const isa = section && new TextDecoder().decode(section);
  const name = (Object.keys(builds) as BuildName[]).find((k) => builds[k].isa === isa);
  if (!name) throw new WasmInitError("init: the module given is not a vectorized build (it has no vectorized_isa section)");
  return name;
}
