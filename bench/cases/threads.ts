/**
 * Threads: our threaded SIMD build on every core vs on one, and numpy on the same counts
 * (OPENBLAS_NUM_THREADS; numpy's element-wise ops and reductions run on one thread whatever it
 * says). Ratios are to ours on every core. Every other case runs ours on one thread. On a
 * machine where other work takes the second core, neither ours nor numpy's second thread has one
 * to run on: `npx tsx bench/crossover.ts` calibrates that first (a pure-JS loop on one and two
 * worker_threads).
 */
import { availableParallelism } from "node:os";
import * as vz from "../../ts/index.js";
import { LogisticLayout } from "../../ts/backend/backend.js";
import { currentBackend } from "../../ts/backend/registry.js";
import { WasmBackend } from "../../ts/backend/wasm/index.js";
import { useThreads } from "../../ts/backend/wasm/init.js";
import { numpyOp } from "../contenders.js";
import type { BenchCase, Contender } from "../harness.js";
import { runPython } from "../python.js";
import { filled } from "../filled.js";

type Input = { data: Float32Array | Float64Array; shape: number[] };

/** Cases of ours on every core and on one, numpy on as many and on one. Call after `init({ threads })` started the pool. */
export function threadCases(sizes = [256, 512, 1024]): BenchCase[] {
  vz.setBackend("wasm-simd");
  const backend = currentBackend("bench");
  if (!(backend instanceof WasmBackend)) return [];
  const cores = availableParallelism();
  // One core: nothing to compare (and the harness refuses two contenders of one name).
  if (cores < 2) return [];

  /** Ours on `threads` threads: `op` over `inputs` made into arrays on the threaded build. */
  const ours = (threads: number, inputs: Input[], op: (...a: vz.NDArray[]) => vz.NDArray | void): Contender => ({
    name: `ours ×${threads}`,
    setup() {
      vz.setBackend("wasm-simd");
      const arrays = inputs.map(({ data, shape }) => vz.array(data, { dtype: data instanceof Float64Array ? "float64" : "float32", shape }));
      return {
        run() {
          useThreads(backend, threads);
          op(...arrays)?.dispose();
          useThreads(backend, 1);
        },
        teardown: () => arrays.forEach((a) => a.dispose()),
      };
    },
  });
  const opCase = (name: string, inputs: Input[], op: (...a: vz.NDArray[]) => vz.NDArray | void, numpy: string, extra: Partial<BenchCase> = {}): BenchCase => ({
    name: `threads: ${name}`,
    ...extra,
    contenders: [ours(cores, inputs, op), ours(1, inputs, op), numpyOp(numpy, inputs, cores), numpyOp(numpy, inputs, 1)],
  });

  const cases: BenchCase[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    const size = dtype === "float32" ? 4 : 8;
    for (const n of sizes) {
      const square = (f: (i: number) => number) => ({ data: Float64Array.from({ length: n * n }, (_, i) => f(i)), shape: [n, n] });
      const [a, b] = [square(Math.sin), square(Math.cos)].map(({ data, shape }) => ({ data: dtype === "float32" ? Float32Array.from(data) : data, shape }));
      cases.push(opCase(`matmul ${n}×${n}·${n}×${n} ${dtype}`, [a!, b!], (x, y) => vz.matmul(x!, y!), "a @ b", { flops: 2 * n ** 3 }));
    }
    const A = { data: filled(4000 * 4000, dtype, 1), shape: [4000, 4000] };
    cases.push(opCase(`gemv (4000,4000)·(4000,1) ${dtype}`, [A, { data: filled(4000, dtype, 1), shape: [4000, 1] }], (x, y) => vz.matmul(x!, y!), "a @ b", { bytes: 16e6 * size }));
    cases.push(opCase(`gemv (1,4000)·(4000,4000) ${dtype}`, [{ data: filled(4000, dtype, 1), shape: [1, 4000] }, A], (x, y) => vz.matmul(x!, y!), "a @ b", { bytes: 16e6 * size }));
    // The course network's layer-1 products (one block of rows: one job of column slices).
    for (const [m, k, n] of [[20, 12288, 209], [20, 209, 12288]] as const) {
      const [a, b] = [{ data: filled(m * k, dtype, 1), shape: [m, k] }, { data: filled(k * n, dtype, 1), shape: [k, n] }];
      cases.push(opCase(`matmul (${m},${k})·(${k},${n}) ${dtype}`, [a, b], (x, y) => vz.matmul(x!, y!), "a @ b", { flops: 2 * m * k * n }));
    }
    const big = { data: filled(1e7, dtype, 10), shape: [1e7] };
    cases.push(opCase(`exp 1e7 ${dtype}`, [big], (x) => vz.exp(x!), "np.exp(a)", { bytes: 2e7 * size }));
    cases.push(opCase(`add 1e7 ${dtype}`, [big, big], (x, y) => vz.add(x!, y!), "a + b", { bytes: 3e7 * size }));
    cases.push(opCase(`sum 1e7 ${dtype}`, [big], (x) => vz.sum(x!), "np.sum(a)", { bytes: 1e7 * size }));
    cases.push(opCase(`argmax 1e7 ${dtype}`, [big], (x) => vz.argmax(x!), "np.argmax(a)", { bytes: 1e7 * size }));
  }
  const matrix = { data: filled(1e6, "float32"), shape: [1000, 1000] };
  cases.push(opCase("sigmoid 1e6 float32", [{ data: filled(1e6, "float32", 10), shape: [1e6] }], (x) => vz.sigmoid(x!), "1 / (1 + np.exp(-a))", { bytes: 8e6 }));
  cases.push(opCase("add (1000,1000)+(1,1000) float32", [matrix, { data: filled(1000, "float32"), shape: [1, 1000] }], (x, y) => vz.add(x!, y!), "a + b", { bytes: 8e6 }));
  for (const axis of [0, 1, undefined]) {
    cases.push(opCase(`sum (1000,1000) ${axis === undefined ? "all" : `axis ${axis}`} float32`, [matrix], (x) => vz.sum(x!, { axis }), `np.sum(a, axis=${axis ?? "None"})`, { bytes: 4e6 }));
  }
  cases.push(logisticStep(cores, backend, "rows"), logisticStep(cores, backend, "cols"), denseNetwork(cores, backend));
  return cases;
}

/** The fused logistic step at (1000, 100000) float32 in either layout, as bench/cases/logistic.ts times it. */
function logisticStep(cores: number, backend: WasmBackend, layout: "rows" | "cols"): BenchCase {
  const [nx, m] = [1000, 100_000];
  const code = layout === "rows" ? LogisticLayout.Rows : LogisticLayout.Cols;
  const ours = (threads: number): Contender => ({
    name: `ours ×${threads}`,
    setup() {
      vz.setBackend("wasm-simd");
      const X = vz.array(filled(nx * m, "float32").map((v) => v / 100), { shape: layout === "rows" ? [m, nx] : [nx, m] });
      const Y = vz.array(new Float64Array(m).map((_, i) => i % 2), { dtype: "float32", shape: [m] });
      const w = vz.full([nx], 0.01, { dtype: "float32" });
      const dw = vz.zeros([nx], { dtype: "float32" });
      const s = (a: vz.NDArray) => a.view("bench").storage;
      return {
        run() {
          useThreads(backend, threads);
          X.backend.logisticGrad(code, s(X), nx, m, s(Y), s(w), 0.1, 0, s(dw));
          useThreads(backend, 1);
        },
        teardown: () => [X, Y, w, dw].forEach((a) => a.dispose()),
      };
    },
  });
  const numpy = (threads: number): Contender => ({
    name: `numpy ×${threads}`,
    setup: () => ({ run() {} }),
    external: () => runPython("python/numpy_step.py", [String(nx), String(m), "float32", layout, "9"], threads),
  });
  return { name: `threads: logistic step (${nx},${m}) ${layout} float32`, bytes: nx * m * 4, contenders: [ours(cores), ours(1), numpy(cores), numpy(1)] };
}

/** The course's L-layer network, 10 full-batch steps (its layers' products go through GEMM). */
function denseNetwork(cores: number, backend: WasmBackend): BenchCase {
  const [layers, m, steps] = [[12288, 20, 7, 5, 1], 209, 10];
  const ours = (threads: number): Contender => ({
    name: `ours ×${threads}`,
    setup() {
      vz.setBackend("wasm-simd");
      const x = vz.array(new Float32Array(layers[0]! * m).map((_, i) => (Math.sin(i) + 1) / 2), { shape: [layers[0]!, m] });
      const y = vz.array(Float32Array.from({ length: m }, (_, i) => i % 2), { shape: [1, m] });
      const net = new vz.DenseNetwork({ layers, hidden: "relu", learningRate: 0.01, recordEvery: steps, warmStart: true }).fit(x, y, { iterations: 1 });
      return {
        run() {
          useThreads(backend, threads);
          net.fit(x, y, { iterations: steps });
          useThreads(backend, 1);
        },
        teardown: () => [x, y, net].forEach((a) => a.dispose()),
      };
    },
  });
  const numpy = (threads: number): Contender => ({
    name: `numpy ×${threads}`,
    setup: () => ({ run() {} }),
    external: () => runPython("python/numpy_network.py", [layers.join(","), String(m), "float32", "relu", String(steps), "0", "5"], threads),
  });
  return { name: `threads: dense network L-layer [12288,20,7,5,1] 209 examples, ${steps} steps float32`, contenders: [ours(cores), ours(1), numpy(cores), numpy(1)] };
}
