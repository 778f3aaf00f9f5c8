/** Loads every backend once so a suite can run the same checks on each. */
import * as vz from "../../ts/index.js";

/**
 * The three wasm builds. The relaxed one needs relaxed SIMD, which Node 20 enables with
 * `--experimental-wasm-relaxed-simd` (vitest.config.ts passes it to the test workers): loadAll
 * fails rather than skip it when the engine lacks it.
 */
export const WASM_BUILDS = ["wasm-relaxed", "wasm-simd", "wasm"] as const;
export const ALL_BACKENDS = [...WASM_BUILDS, "reference"] as const;
export type TestBackend = (typeof ALL_BACKENDS)[number];

/**
 * Loads the three wasm builds (leaving wasm-simd active, the build most suites single out). The
 * SIMD and relaxed builds are their single-thread flavours, as pages that are not cross-origin
 * isolated get them; test/threads.test.ts covers the threaded ones.
 */
export async function loadAll(): Promise<void> {
  await vz.init({ simd: false });
  await vz.init({ relaxed: true, threads: 1 });
  await vz.init({ relaxed: false, threads: 1 });
}

/** Runs `fn` with `name` as the active backend, restoring the previous one afterwards. */
export function on<T>(name: TestBackend, fn: () => T): T {
  const previous = vz.backendName();
  vz.setBackend(name);
  try {
    return fn();
  } finally {
    if (previous) vz.setBackend(previous);
  }
}
