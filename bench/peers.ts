/**
 * Peer libraries measured beside vectorized: TensorFlow.js (wasm and cpu backends), numpy-ts
 * and jax-js (its wasm device, every computation under `jit`), each set up as its README shows.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import * as jax from "@jax-js/jax";
import * as npts from "numpy-ts";

export type TfBackend = "tfjs-wasm" | "tfjs-cpu";
export { jax, npts };

// numpy-ts keeps its arrays in one wasm memory of a fixed size, 256 MiB unless configured before
// the first array; the largest inputs here (10⁸ elements, 400–800 MB) need more, as its
// heap-exhausted warning advises (past it, results fall back to slower JS arrays).
npts.configureWasm({ maxMemory: 2 ** 31 });

/** Initialises both tfjs backends; tfjs-wasm single-threaded with SIMD, as ours runs. */
export async function initTf(): Promise<typeof tf> {
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  tf.env().set("WASM_HAS_SIMD_SUPPORT", true);
  for (const name of ["wasm", "cpu"]) {
    if (!(await tf.setBackend(name))) throw new Error(`bench: the tfjs ${name} backend failed to initialise`);
    await tf.ready();
  }
  return tf;
}

export function useTf(backend: TfBackend): typeof tf {
  void tf.setBackend(backend === "tfjs-wasm" ? "wasm" : "cpu");
  return tf;
}

/**
 * Initialises jax-js on its wasm device (its default probes WebGPU through `navigator`, which
 * Node lacks). jax-js 0.1.25 tests `data instanceof Float16Array` when it makes an array, and
 * Node 20 has no Float16Array: an empty stand-in class makes that test false, nothing else.
 */
export async function initJax(): Promise<void> {
  (globalThis as { Float16Array?: unknown }).Float16Array ??= class Float16Array {};
  await jax.init("wasm");
  jax.defaultDevice("wasm");
}

/** jax-js arrays are reference-counted: a function takes ownership of its arguments (`.ref` keeps one). */
export type JaxArray = jax.Array;
export type NptsArray = npts.NDArray;
