/**
 * How many threads the active backend runs kernels on.
 */
import { currentBackend } from "./backend/registry.js";
import { threadsOf, type ThreadInfo } from "./backend/wasm/init.js";
import { WasmBackend } from "./backend/wasm/index.js";

/**
 * How many threads run the active backend's large kernels, and why not more: `init()` starts a
 * pool of workers over shared WebAssembly memory where the engine allows it (Node, Deno, Bun,
 * cross-origin-isolated pages); elsewhere one thread runs and `reason` says why.
 * @returns `{ count, reason }`, with `reason` empty when as many threads run as were asked for.
 * @throws {WasmInitError} before `init()` or `setBackend()`.
 * @example
 * vz.setBackend("reference");
 * vz.threads(); // => { count: 1, reason: "the reference backend runs on one thread" }
 */
export function threads(): ThreadInfo {
  const backend = currentBackend("threads");
  if (backend instanceof WasmBackend) return threadsOf(backend);
  return { count: 1, reason: "the reference backend runs on one thread" };
}
