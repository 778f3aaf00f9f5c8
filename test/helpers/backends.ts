/** Loads every backend once so a suite can run the same checks on each. */
import * as vz from "../../ts/index.js";

export const WASM_BUILDS = ["wasm-simd", "wasm"] as const;
export const ALL_BACKENDS = [...WASM_BUILDS, "reference"] as const;
export type TestBackend = (typeof ALL_BACKENDS)[number];

/** Loads both wasm builds (leaving wasm-simd active). */
export async function loadAll(): Promise<void> {
  await vz.init({ simd: false });
  await vz.init();
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
