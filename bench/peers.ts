/** Peer libraries measured beside vectorized: TensorFlow.js with its wasm and cpu backends. */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";

export type TfBackend = "tfjs-wasm" | "tfjs-cpu";

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
