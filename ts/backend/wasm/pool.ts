/**
 * The threaded build's workers: each instantiates the same compiled module over the same shared
 * memory and waits inside it (`pool_worker`, crate/src/parallel.rs) for jobs that the main
 * thread's kernels split into parts. Node, Bun and Deno run them as `worker_threads`, browsers
 * as module Web Workers made from a Blob: the package ships no worker file, so this needs no
 * bundler or server configuration either.
 */

/** Exports of the threaded build that the pool uses. */
export interface PoolExports {
  pool_workers(): number;
}

/** Workers in the pool after a start, and why fewer than asked for joined ("" if all did). */
export interface Started {
  workers: number;
  failure: string;
}

/**
 * What each worker runs. Plain JavaScript (no imports), so it can be evaluated from a string in
 * every engine. It does without the wasm-bindgen glue: the only import a worker can reach is the
 * memory (the kernels it runs call no JS), so every other import is a stub that throws.
 */
const WORKER_SOURCE = `
const start = ({ module, memory, stackSize }, post) => {
  const imports = {};
  for (const { module: from, name, kind } of WebAssembly.Module.imports(module)) {
    imports[from] ??= {};
    imports[from][name] = kind === "memory" ? memory : () => {
      throw new Error("vectorized worker thread: the import " + name + " is not available on a worker");
    };
  }
  const wasm = new WebAssembly.Instance(module, imports).exports;
  wasm.__wbindgen_start(stackSize);
  try {
    wasm.pool_worker();
  } catch (error) {
    wasm.pool_worker_failed();
    post({ failed: String(error && error.message || error) });
  }
};
// A worker_thread (Node, Bun, Deno) has a parentPort; a Web Worker has none. Not require:
// an eval'd worker is an ES module when Node runs with --input-type=module.
const port = typeof process === "object" && process.getBuiltinModule?.("node:worker_threads")?.parentPort;
if (port) {
  port.once("message", (data) => start(data, (message) => port.postMessage(message)));
} else {
  self.onmessage = (event) => start(event.data, (message) => self.postMessage(message));
}
`;

/** Each worker's shadow stack (wasm-bindgen allocates it; a multiple of 64 KiB). */
const STACK_SIZE = 1 << 20;

/** How long the workers may take to join before the pool gives up on them. */
const JOIN_TIMEOUT_MS = 10_000;

type NodeWorkerThreads = {
  Worker: new (source: string, options: { eval: true }) => {
    postMessage(message: unknown): void;
    terminate(): unknown;
    unref(): void;
    on(event: "message" | "error", listener: (value: unknown) => void): void;
  };
};

/** Why this engine cannot run worker threads over a shared memory, or undefined if it can. */
export function threadsUnavailable(): string | undefined {
  // Browsers hide SharedArrayBuffer from pages that are not isolated: say what to change.
  const g = globalThis as { crossOriginIsolated?: boolean };
  if (g.crossOriginIsolated === false) return "the page is not cross-origin isolated (COOP/COEP headers)";
  if (typeof SharedArrayBuffer !== "function" || typeof Atomics !== "object") return "SharedArrayBuffer is not available here";
  if (nodeWorkerThreads() === undefined && typeof Worker !== "function") return "this engine has no Worker";
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch {
    return "this engine cannot make a shared WebAssembly memory";
  }
  return undefined;
}

/**
 * worker_threads, where the engine has them (Node ≥ 20.16, Bun, Deno): unlike Web Workers, they
 * can be unref'd, so a script ends when its own work does.
 */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.("node:worker_threads") as NodeWorkerThreads | undefined;
}

/**
 * Starts `count` more workers on `module` over `memory` and resolves when they have joined the
 * pool. Never rejects: a failure leaves fewer workers and says why. Node's workers are unref'd,
 * so they never keep the process alive once the user's work is done.
 */
export async function startWorkers(module: WebAssembly.Module, memory: WebAssembly.Memory, exports: PoolExports, count: number): Promise<Started> {
  const node = nodeWorkerThreads();
  const expected = exports.pool_workers() + count;
  let failure = "";
  const fail = (why: string) => {
    failure ||= why;
  };
  const onMessage = (data: unknown) => {
    const failed = (data as { failed?: string } | undefined)?.failed;
    if (failed !== undefined) fail(`a worker thread failed: ${failed}`);
  };
  for (let i = 0; i < count && failure === ""; i++) {
    const start = { module, memory, stackSize: STACK_SIZE };
    let worker: { postMessage(message: unknown): void; terminate(): unknown } | undefined;
    try {
      if (node) {
        const w = new node.Worker(WORKER_SOURCE, { eval: true });
        w.on("message", onMessage);
        w.on("error", (error) => fail(`a worker thread failed: ${(error as Error).message}`));
        // After the listeners: adding a "message" listener refs the worker's port again.
        w.unref();
        worker = w;
      } else {
        const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: "text/javascript" }));
        const w = new Worker(url, { type: "module", name: "vectorized" });
        URL.revokeObjectURL(url);
        w.onmessage = (event) => onMessage(event.data);
        w.onerror = (event) => fail(`a worker thread failed: ${event.message}`);
        worker = w;
      }
      worker.postMessage(start);
    } catch (error) {
      void worker?.terminate(); // started but never given the module: it would wait forever
      fail(`could not start a worker thread: ${(error as Error).message}`);
    }
  }
  const deadline = Date.now() + JOIN_TIMEOUT_MS;
  while (exports.pool_workers() < expected && failure === "" && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (exports.pool_workers() < expected) fail(`worker threads did not start within ${JOIN_TIMEOUT_MS / 1000} s`);
  return { workers: exports.pool_workers(), failure };
}
