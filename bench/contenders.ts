/** Ready-made contenders: our three backends and the two tfjs backends, for one computation. */
import * as vz from "../ts/index.js";
import type { Contender } from "./harness.js";
import { useTf, type TfBackend } from "./peers.js";
import type * as tfTypes from "@tensorflow/tfjs-core";

export const OUR_BACKENDS = ["wasm-simd", "wasm", "reference"] as const;
export const TF_BACKENDS: TfBackend[] = ["tfjs-wasm", "tfjs-cpu"];

/**
 * Contenders for `op` over inputs made by `inputs` (row-major data and shapes). Every run
 * computes a new result and frees it; with `readBack` it also copies the result into JS first,
 * for ours and for tfjs alike.
 */
export function contendersFor(
  inputs: { data: Float32Array | Float64Array; shape: number[] }[],
  ours: (...xs: vz.NDArray[]) => vz.NDArray,
  theirs: (tf: typeof tfTypes, ...xs: tfTypes.Tensor[]) => tfTypes.Tensor,
  { readBack = false } = {},
): Contender[] {
  const dtype = inputs[0]!.data instanceof Float64Array ? "float64" : "float32";
  const mine = OUR_BACKENDS.map(
    (name): Contender => ({
      name,
      setup() {
        vz.setBackend(name);
        const xs = inputs.map((x) => vz.array(x.data, { dtype, shape: x.shape }));
        return {
          run() {
            vz.setBackend(name);
            const out = ours(...xs);
            if (readBack) out.toTypedArray();
            out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    }),
  );
  if (dtype === "float64") return mine; // tfjs computes in float32 only
  const peers = TF_BACKENDS.map(
    (name): Contender => ({
      name,
      setup() {
        const tf = useTf(name);
        const xs = inputs.map((x) => tf.tensor(x.data as Float32Array, x.shape, "float32"));
        return {
          run() {
            useTf(name);
            const out = theirs(tf, ...xs);
            if (readBack) out.dataSync();
            out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    }),
  );
  return [...mine, ...peers];
}

/**
 * The memory-bandwidth yardstick: copying `bytes` between two typed arrays (the engine's
 * memcpy), so an op's GB/s reads as a fraction of what this machine can move. Count its bytes
 * as read + written, as the ops' are.
 */
export function copyYardstick(bytes: number): Contender {
  return {
    name: "copy yardstick",
    setup() {
      const src = new Uint8Array(bytes).fill(1);
      const dst = new Uint8Array(bytes);
      return { run: () => dst.set(src) };
    },
  };
}
