/**
 * Threads: our threaded SIMD build on every core vs on one, and numpy (OpenBLAS) on the same
 * counts. Ratios are to ours on every core. Every other case runs ours on one thread.
 */
import { availableParallelism } from "node:os";
import * as vz from "../../ts/index.js";
import { currentBackend } from "../../ts/backend/registry.js";
import { WasmBackend } from "../../ts/backend/wasm/index.js";
import { useThreads } from "../../ts/backend/wasm/init.js";
import type { BenchCase, Contender } from "../harness.js";
import { runPython } from "../python.js";

/** Square products at `sizes`, float32 and float64. Call after `init({ threads })` started the pool. */
export function threadCases(sizes = [256, 512, 1024]): BenchCase[] {
  vz.setBackend("wasm-simd");
  const backend = currentBackend("bench");
  if (!(backend instanceof WasmBackend)) return [];
  const cores = availableParallelism();
  const cases: BenchCase[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of sizes) {
      const ours = (threads: number): Contender => ({
        name: `ours ×${threads}`,
        setup() {
          vz.setBackend("wasm-simd");
          const a = vz.array(Float64Array.from({ length: n * n }, (_, i) => Math.sin(i)), { dtype, shape: [n, n] });
          const b = vz.array(Float64Array.from({ length: n * n }, (_, i) => Math.cos(i)), { dtype, shape: [n, n] });
          return {
            run() {
              useThreads(backend, threads);
              vz.matmul(a, b).dispose();
              useThreads(backend, 1);
            },
            teardown: () => (a.dispose(), b.dispose()),
          };
        },
      });
      const numpy = (threads: number): Contender => ({
        name: `numpy ×${threads}`,
        external: () => runPython("python/numpy_matmul.py", [String(n), dtype, "9"], threads),
        setup: () => ({ run() {} }),
      });
      cases.push({
        name: `threads: matmul ${n}×${n}·${n}×${n} ${dtype}`,
        flops: 2 * n ** 3,
        contenders: [ours(cores), ours(1), numpy(cores), numpy(1)],
      });
    }
  }
  return cases;
}
