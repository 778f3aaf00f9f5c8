/**
 * Dense networks: a few gradient-descent steps of the course's L-layer network at its shapes,
 * a softmax network on mini-batches, and a small planar network (where per-op costs show):
 * DenseNetwork against the same math in numpy (one thread) and in TensorFlow.js ops.
 */
import type { Tensor as T } from "@tensorflow/tfjs-core";
import * as vz from "../../ts/index.js";
import type { BenchCase, Contender } from "../harness.js";
import { fastest } from "../contenders.js";
import { useTf } from "../peers.js";
import { runPython } from "../python.js";

interface Workload {
  name: string;
  layers: number[];
  m: number;
  hidden: "relu" | "tanh";
  steps: number;
  /** Mini-batch size, or 0 for full batch. */
  batch: number;
}

const WORKLOADS: Workload[] = [
  { name: "L-layer [12288,20,7,5,1], 209 examples, 10 steps", layers: [12288, 20, 7, 5, 1], m: 209, hidden: "relu", steps: 10, batch: 0 },
  { name: "softmax [784,128,10], 50 mini-batch steps of 128 (of 6400)", layers: [784, 128, 10], m: 6400, hidden: "relu", steps: 50, batch: 128 },
  { name: "planar [2,4,1] tanh, 400 examples, 100 steps", layers: [2, 4, 1], m: 400, hidden: "tanh", steps: 100, batch: 0 },
];

/** The inputs every contender trains on: X (n_x, m) uniform in [0, 1), labels i mod K (0/1 for one unit). */
function inputs({ layers, m }: Workload) {
  const K = layers[layers.length - 1]!;
  const X = new Float32Array(layers[0]! * m).map((_, i) => (Math.sin(i) + 1) / 2);
  const labels = Float32Array.from({ length: m }, (_, i) => (K === 1 ? i % 2 : i % K));
  return { X, labels, K };
}

function ours(w: Workload): Contender {
  return {
    name: `DenseNetwork ${fastest()}`,
    setup() {
      vz.setBackend(fastest());
      const { X, labels } = inputs(w);
      const x = vz.array(X, { shape: [w.layers[0]!, w.m] });
      const y = vz.array(labels, { shape: [1, w.m] });
      // Steady state, as the peers are timed: each run continues training (warmStart).
      const options = { layers: w.layers, hidden: w.hidden, learningRate: 0.01, recordEvery: w.steps, warmStart: true, ...(w.batch ? { batchSize: w.batch } : {}) };
      const net = new vz.DenseNetwork(options).fit(x, y, { iterations: 1 });
      return {
        run: () => void net.fit(x, y, { iterations: w.steps }),
        teardown: () => [x, y, net].forEach((a) => a.dispose()),
      };
    },
  };
}

function numpy(w: Workload): Contender {
  return {
    name: "numpy (1 thread, the course's code)",
    setup: () => ({ run: () => undefined }),
    external: () => runPython("python/numpy_network.py", [w.layers.join(","), String(w.m), "float32", w.hidden, String(w.steps), String(w.batch), "5"]),
  };
}

/** The same steps in tfjs ops, backpropagation written out as ours and numpy's. */
function tfjs(w: Workload): Contender {
  return {
    name: "tfjs-wasm",
    setup() {
      const tf = useTf("tfjs-wasm");
      const { X, labels, K } = inputs(w);
      const x: T = tf.tensor2d(X, [w.layers[0]!, w.m]);
      const t: T = K === 1 ? tf.tensor2d(labels, [1, w.m]) : tf.transpose(tf.oneHot(tf.tensor1d(labels, "int32"), K));
      let params: { W: T; b: T }[] = w.layers.slice(1).map((n, l) => ({ W: tf.randomNormal([n, w.layers[l]!]), b: tf.zeros([n, 1]) }));
      const g = w.hidden === "relu" ? tf.relu : tf.tanh;
      const step = (xb: T, tb: T) =>
        tf.tidy(() => {
          const acts: T[] = [xb];
          const zs: T[] = [];
          params.forEach(({ W, b }, l) => {
            const z = tf.add(tf.matMul(W as never, acts[l]! as never), b);
            zs.push(z);
            acts.push(l < params.length - 1 ? g(z) : K === 1 ? tf.sigmoid(z) : tf.transpose(tf.softmax(tf.transpose(z))));
          });
          const mb = xb.shape[1]!;
          let dz = tf.sub(acts[acts.length - 1]!, tb);
          const next = params.map((p) => p);
          for (let l = params.length - 1; l >= 0; l--) {
            const { W, b } = params[l]!;
            const dW = tf.div(tf.matMul(dz as never, acts[l]! as never, false, true), mb);
            const db = tf.div(tf.sum(dz, 1, true), mb);
            if (l > 0) {
              const da = tf.matMul(W as never, dz as never, true, false);
              dz = w.hidden === "relu" ? tf.mul(da, tf.step(zs[l - 1]!)) : tf.mul(da, tf.sub(1, tf.square(acts[l]!)));
            }
            next[l] = { W: tf.keep(tf.sub(W, tf.mul(dW, 0.01))), b: tf.keep(tf.sub(b, tf.mul(db, 0.01))) };
          }
          return next;
        });
      return {
        run() {
          useTf("tfjs-wasm");
          for (let s = 0; s < w.steps; s++) {
            const start = w.batch ? (s * w.batch) % w.m : 0;
            const [xb, tb]: [T, T] = w.batch ? [tf.slice(x, [0, start], [-1, w.batch]), tf.slice(t, [0, start], [-1, w.batch])] : [x, t];
            const next = step(xb, tb);
            params.forEach(({ W, b }) => [W, b].forEach((a) => a.dispose()));
            if (w.batch) [xb, tb].forEach((a) => a.dispose());
            params = next;
          }
          params[0]!.W.dataSync();
        },
        teardown: () => [x, t, ...params.flatMap(({ W, b }) => [W, b])].forEach((a) => a.dispose()),
      };
    },
  };
}

export function networkCases(): BenchCase[] {
  return WORKLOADS.map((w) => ({ name: `dense network: ${w.name} float32`, contenders: [ours(w), numpy(w), tfjs(w)] }));
}
