/**
 * Element-wise and broadcast ops against the copy yardstick: sigmoid and exp at 1e6 and 1e7,
 * and a (1000,1000) matrix plus a row and plus a column. Each run makes a new result and frees
 * it (no read-back); GB/s counts the bytes read and written once. Inputs lie in [−10, 10].
 */
import * as vz from "../../ts/index.js";
import { contendersFor, copyYardstick } from "../contenders.js";
import { jax, type NptsArray } from "../peers.js";
import type { BenchCase } from "../harness.js";
import { filled } from "../filled.js";

export function elementwiseCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const n of [1e6, 1e7]) {
    // Inputs in [−10, 10], where activations live. (Beyond |x| ≈ 87, float32 sigmoid and exp
    // have subnormal results, which x86 computes with slow microcode assists; tfjs flushes them
    // to 0, we keep them exact: see the closing note of issue 3.)
    const x = { data: filled(n, "float32", 10), shape: [n] };
    const bytes = 2 * 4 * n;
    cases.push({
      name: `sigmoid ${n.toExponential(0)} float32`,
      bytes,
      contenders: [...contendersFor([x], (a) => vz.sigmoid(a), (tf, a) => tf.sigmoid(a), {
          // numpy-ts has no sigmoid: the numpy user's 1/(1+exp(−x)).
          js: {
            numpyTs: (np, a) => {
              const minus = np.negative(a);
              const e = np.exp(minus);
              const denominator = np.add(e, 1);
              const out = np.reciprocal(denominator);
              [minus, e, denominator].forEach((t) => t.dispose());
              return out;
            },
            jax: (_np, a) => jax.nn.sigmoid(a),
          },
          numpy: "1 / (1 + np.exp(-a))",
        }), copyYardstick(bytes / 2)],
    });
    cases.push({
      name: `exp ${n.toExponential(0)} float32`,
      bytes,
      contenders: [...contendersFor([x], (a) => vz.exp(a), (tf, a) => tf.exp(a), { js: { numpyTs: (np, a) => np.exp(a), jax: (np, a) => np.exp(a) }, numpy: "np.exp(a)" }), copyYardstick(bytes / 2)],
    });
  }
  for (const shape of [[1, 1000], [1000, 1]]) {
    const a = { data: filled(1e6, "float32"), shape: [1000, 1000] };
    const b = { data: filled(1000, "float32"), shape };
    cases.push({
      name: `add (1000,1000)+${vz.formatShape(shape)} float32`,
      bytes: 2 * 4e6,
      contenders: [...contendersFor([a, b], (x, y) => vz.add(x, y), (tf, x, y) => tf.add(x, y), { js: { numpyTs: (np, x, y) => np.add(x, y), jax: (np, x, y) => np.add(x, y) }, numpy: "a + b" }), copyYardstick(4e6)],
    });
  }
  return cases;
}

/** Reductions: sum of a (1000,1000) matrix along each axis and over all of it. */
export function reduceCases(): BenchCase[] {
  const x = { data: filled(1e6, "float32"), shape: [1000, 1000] };
  return ([0, 1, undefined] as const).map((axis) => ({
    name: `sum (1000,1000) axis=${axis ?? "all"} float32`,
    bytes: 4e6,
    contenders: [
      ...contendersFor([x], (a) => vz.sum(a, { axis }), (tf, a) => tf.sum(a, axis), {
        js: { numpyTs: (np, a) => np.sum(a, axis) as NptsArray, jax: (np, a) => np.sum(a, axis) },
        numpy: `np.sum(a${axis === undefined ? "" : `, axis=${axis}`})`,
      }),
      copyYardstick(2e6),
    ],
  }));
}
