/**
 * Dense networks, the two workloads and a small one (where per-op costs show):
 * DenseNetwork against the same math in numpy (one thread), TensorFlow.js ops (tfjs-wasm, float32
 * only) and jax-js (`jit` of the `grad` update), float32 and float64.
 *
 * The whole runs are long (numpy ~15 s, tfjs-wasm minutes), so each case times a fixed fraction
 * of one and says which: the course's L-layer network runs 25 (`--quick`) or 250 of its 2500
 * iterations (full batch: every iteration is the same work, ×100 or ×10 is the whole run); the
 * softmax network runs one epoch of mini-batches of 128 over 12000 (`--quick`) or 60000
 * synthetic examples, its shuffle included (×50 or ×10 is the 10 epochs on 60000).
 */
import type { Tensor as T } from "@tensorflow/tfjs-core";
import * as vz from "../../ts/index.js";
import type { BenchCase, Contender } from "../harness.js";
import { ourBackends } from "../contenders.js";
import { jax, useTf, type JaxArray } from "../peers.js";
import { runPython } from "../python.js";
import { jaxStep, type JaxParams } from "./network_jax.js";

interface Workload {
  name: string;
  layers: number[];
  m: number;
  hidden: "relu" | "tanh";
  steps: number;
  /** Mini-batch size, or 0 for full batch. */
  batch: number;
}

/** The workloads at this run's size (see the module doc). */
function workloads(quick: boolean): Workload[] {
  const deep = quick ? 25 : 250;
  const m = quick ? 12000 : 60000;
  return [
    { name: `L-layer [12288,20,7,5,1], 209 examples, ${deep} of 2500 iterations`, layers: [12288, 20, 7, 5, 1], m: 209, hidden: "relu", steps: deep, batch: 0 },
    { name: `softmax [784,128,10], one epoch of ${m} examples in mini-batches of 128 (${quick ? "1/50" : "1/10"} of 10 epochs on 60000)`, layers: [784, 128, 10], m, hidden: "relu", steps: Math.ceil(m / 128), batch: 128 },
    { name: "planar [2,4,1] tanh, 400 examples, 100 iterations", layers: [2, 4, 1], m: 400, hidden: "tanh", steps: 100, batch: 0 },
  ];
}

type Data = Float32Array | Float64Array;

/** The inputs every contender trains on: X (n_x, m) in [0, 1], labels i mod K (0/1 for one unit). */
function inputs({ layers, m }: Workload, dtype: vz.DType) {
  const K = layers[layers.length - 1]!;
  const Array = dtype === "float32" ? Float32Array : Float64Array;
  const X: Data = new Array(layers[0]! * m).map((_, i) => (Math.sin(i) + 1) / 2);
  const labels = Float32Array.from({ length: m }, (_, i) => (K === 1 ? i % 2 : i % K));
  return { X, labels, K };
}

/** The work of one step as our kernels do it: forward, dW of every layer, dA of all but the first. */
function flops({ layers, m, steps }: Workload): number {
  let macs = 0;
  for (let l = 1; l < layers.length; l++) macs += layers[l]! * layers[l - 1]! * m * (l === 1 ? 2 : 3);
  return 2 * macs * steps;
}

const RATE = 0.01;

function ours(w: Workload, dtype: vz.DType, backend: string): Contender {
  return {
    name: `DenseNetwork ${backend}`,
    setup() {
      vz.setBackend(backend as never);
      const { X, labels } = inputs(w, dtype);
      const x = vz.array(X, { shape: [w.layers[0]!, w.m], dtype });
      const y = vz.array(labels, { shape: [1, w.m] });
      // Each run continues training (warmStart); a mini-batch fit starts an epoch, shuffle included.
      const options = { layers: w.layers, hidden: w.hidden, learningRate: RATE, recordEvery: w.steps, warmStart: true, ...(w.batch ? { batchSize: w.batch } : {}) };
      const net = new vz.DenseNetwork(options).fit(x, y, { iterations: 1 });
      return {
        run: () => {
          vz.setBackend(backend as never);
          net.fit(x, y, { iterations: w.steps });
        },
        teardown: () => [x, y, net].forEach((a) => a.dispose()),
      };
    },
  };
}

/** `clock: "cpu"`: numpy reports its process's CPU time (bench/network_cpu.ts), else wall-clock time. */
function numpy(w: Workload, dtype: vz.DType, clock: "wall" | "cpu"): Contender {
  const args = [w.layers.join(","), String(w.m), dtype, w.hidden, String(w.steps), String(w.batch), "5", ...(clock === "cpu" ? ["cpu"] : [])];
  return {
    name: "numpy (1 thread, the course's code)",
    setup: () => ({ run: () => undefined }),
    external: () => runPython("python/numpy_network.py", args),
  };
}

/** Column `order` of a mini-batch epoch: a fixed pseudo-random permutation (the peers' shuffle). */
function epochOrder(m: number): Int32Array {
  const order = Int32Array.from({ length: m }, (_, i) => i);
  let s = 12345;
  for (let i = m - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) >>> 0;
    const j = s % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The same steps in tfjs ops, backpropagation written out as ours and numpy's. */
function tfjs(w: Workload): Contender {
  return {
    name: "tfjs-wasm",
    setup() {
      const tf = useTf("tfjs-wasm");
      const { X, labels, K } = inputs(w, "float32");
      const x: T = tf.tensor2d(X as Float32Array, [w.layers[0]!, w.m]);
      const t: T = K === 1 ? tf.tensor2d(labels, [1, w.m]) : tf.transpose(tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), K), "float32"));
      const order = tf.tensor1d(epochOrder(w.m), "int32");
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
            next[l] = { W: tf.keep(tf.sub(W, tf.mul(dW, RATE))), b: tf.keep(tf.sub(b, tf.mul(db, RATE))) };
          }
          return next;
        });
      return {
        run() {
          useTf("tfjs-wasm");
          // Mini-batches: the epoch's shuffled copy first, as ours and numpy's.
          const [xs, ts] = w.batch ? [tf.gather(x, order, 1), tf.gather(t, order, 1)] : [x, t];
          for (let s = 0; s < w.steps; s++) {
            const start = s * w.batch;
            const width = Math.min(w.batch, w.m - start);
            const [xb, tb]: [T, T] = w.batch ? [tf.slice(xs, [0, start], [-1, width]), tf.slice(ts, [0, start], [-1, width])] : [x, t];
            const next = step(xb, tb);
            params.forEach(({ W, b }) => [W, b].forEach((a) => a.dispose()));
            if (w.batch) [xb, tb].forEach((a) => a.dispose());
            params = next;
          }
          if (w.batch) [xs, ts].forEach((a) => a.dispose());
          params[0]!.W.dataSync();
        },
        teardown: () => [x, t, order, ...params.flatMap(({ W, b }) => [W, b])].forEach((a) => a.dispose()),
      };
    },
  };
}

/** jax-js on its wasm device: `jit` of the `grad` update, the epoch's shuffle by `take`. */
function jaxJs(w: Workload, dtype: vz.DType): Contender {
  return {
    name: "jax-js jit(grad)",
    setup() {
      const np = jax.numpy;
      const jdtype = dtype === "float64" ? np.float64 : np.float32;
      const { X, labels, K } = inputs(w, dtype);
      const x = np.array(X, { dtype: jdtype }).reshape([w.layers[0]!, w.m]);
      const onehot = new (dtype === "float32" ? Float32Array : Float64Array)(K * w.m).map((_, i) => (K === 1 ? labels[i]! : Number(labels[i % w.m] === Math.floor(i / w.m))));
      const t = np.array(onehot, { dtype: jdtype }).reshape([K, w.m]);
      const order = np.array(epochOrder(w.m), { dtype: np.int32 });
      let params: JaxParams = w.layers.slice(1).map((n, l) => ({
        W: np.array(new (dtype === "float32" ? Float32Array : Float64Array)(n * w.layers[l]!).map((_, i) => Math.sin(i + l) / Math.sqrt(w.layers[l]!)), { dtype: jdtype }).reshape([n, w.layers[l]!]),
        b: np.zeros([n, 1], { dtype: jdtype }),
      }));
      const step = jaxStep(w.hidden, K, RATE);
      return {
        run() {
          const [xs, ts]: JaxArray[] = w.batch ? [np.take(x.ref, order.ref, 1), np.take(t.ref, order.ref, 1)] : [x, t];
          for (let s = 0; s < w.steps; s++) {
            const start = s * w.batch;
            const width = Math.min(w.batch, w.m - start);
            const [xb, tb] = w.batch ? [xs!.ref.slice([], [start, start + width]), ts!.ref.slice([], [start, start + width])] : [x.ref, t.ref];
            params = step(params, xb, tb);
          }
          if (w.batch) [xs, ts].forEach((a) => a!.dispose());
          params[0]!.W.ref.dataSync();
        },
        teardown: () => [x, t, order, ...params.flatMap(({ W, b }) => [W, b])].forEach((a) => a.dispose()),
      };
    },
  };
}

/** The cases; `clock: "cpu"` makes numpy time its CPU time, for bench/network_cpu.ts. */
export function networkCases({ quick = false, clock = "wall" as "wall" | "cpu" } = {}): BenchCase[] {
  const cases: BenchCase[] = [];
  // Our fastest build first (the ratios are to it), the SIMD128 build beside the relaxed one.
  const builds = ourBackends().filter((b) => b === "wasm-relaxed" || b === "wasm-simd");
  for (const dtype of ["float32", "float64"] as const) {
    for (const w of workloads(quick)) {
      const peers = [numpy(w, dtype, clock), ...(dtype === "float32" ? [tfjs(w)] : []), jaxJs(w, dtype)];
      cases.push({ name: `dense network: ${w.name} ${dtype}`, flops: flops(w), contenders: [...builds.map((b) => ours(w, dtype, b)), ...peers] });
    }
  }
  return cases;
}
