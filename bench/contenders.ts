/** Ready-made contenders: our three backends and the two tfjs backends, for one computation. */
import * as vz from "../ts/index.js";
import type { Contender } from "./harness.js";
import { useTf, type TfBackend } from "./peers.js";
import type * as tfTypes from "@tensorflow/tfjs-core";

export const OUR_BACKENDS = ["wasm-simd", "wasm", "reference"] as const;
export const TF_BACKENDS: TfBackend[] = ["tfjs-wasm", "tfjs-cpu"];

/**
 * Contenders for `op` over inputs made by `inputs` (row-major data and shapes). Every run
 * includes reading the result back into JS and freeing it, for ours and for tfjs alike.
 */
export function contendersFor(
  inputs: { data: Float32Array | Float64Array; shape: number[] }[],
  ours: (...xs: vz.NDArray[]) => vz.NDArray,
  theirs: (tf: typeof tfTypes, ...xs: tfTypes.Tensor[]) => tfTypes.Tensor,
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
            out.toTypedArray();
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
            out.dataSync();
            out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    }),
  );
  return [...mine, ...peers];
}
