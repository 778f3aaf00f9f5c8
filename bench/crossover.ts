/**
 * Measures where two threads start to beat one, per kernel family, for the thresholds in
 * crate/src/kernels/crossover.rs and GEMM's PARALLEL_MIN: `npx tsx bench/crossover.ts [--quick]`
 * (`--calibrate`: the calibration and the job's cost only, e.g. beside a bench run; `--only <text>`:
 * the families whose name contains it).
 *
 * First a calibration that involves no wasm: the same pure-JS loop on one worker_thread, then
 * split over two (on a machine where other work takes the second core, two workers are no
 * faster, and neither is anything below). Then the cost of one parallel job (a 64-element add
 * forced to split, two threads against one). Then every family at sizes from 2¹⁰ elements up,
 * each split from the first element on (`splitFrom(1)`), one and two threads interleaved round
 * by round: the medians, their ratio, and the smallest size from which every larger one ran
 * faster on two.
 */
import { availableParallelism, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import * as vz from "../ts/index.js";
import { currentBackend } from "../ts/backend/registry.js";
import { WasmBackend } from "../ts/backend/wasm/index.js";
import { splitFrom, useThreads } from "../ts/backend/wasm/init.js";

const quick = process.argv.includes("--quick");
const calibrateOnly = process.argv.includes("--calibrate");
/** `--only <text>`: the families whose name contains it. */
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
const ROUNDS = quick ? 5 : 9;
const ROUND_MS = quick ? 10 : 25;

/** A pure-JS loop of `iterations` square roots on `workers` worker_threads at once: its wall time. */
async function jsLoop(workers: number, iterations: number): Promise<number> {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    let s = 0;
    for (let i = 0; i < workerData; i++) s += Math.sqrt(i);
    parentPort.postMessage(s);
  `;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: workers }, () => new Promise((done, fail) => {
      const w = new Worker(source, { eval: true, workerData: iterations / workers });
      w.once("message", done);
      w.once("error", fail);
    })),
  );
  return performance.now() - t0;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

console.log(`${new Date().toISOString()}, ${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const calibration: [number, number][] = [];
for (let r = 0; r < 3; r++) calibration.push([await jsLoop(1, 1e8), await jsLoop(2, 1e8)]);
const [one, two] = [median(calibration.map((c) => c[0])), median(calibration.map((c) => c[1]))];
console.log(`calibration (pure JS, 10⁸ sqrt): 1 worker ${one.toFixed(0)} ms, 2 workers ${two.toFixed(0)} ms: ×${(one / two).toFixed(2)} (2 = a free second core)`);

await vz.init({ relaxed: false, threads: 2 });
vz.setBackend("wasm-simd");
const backend = currentBackend("crossover");
if (!(backend instanceof WasmBackend) || vz.threads().count < 2) throw new Error(`no threaded build: ${JSON.stringify(vz.threads())}`);

/** Median ms of `run` on 1 and 2 threads, interleaved round by round. */
function time(run: () => void): [number, number] {
  const samples = { 1: [] as number[], 2: [] as number[] };
  for (const t of [1, 2]) (useThreads(backend as WasmBackend, t), run()); // warm-up
  let batch = 1;
  useThreads(backend as WasmBackend, 1);
  for (let t0 = performance.now(); performance.now() - t0 < ROUND_MS; batch++) run();
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of [1, 2] as const) {
      useThreads(backend as WasmBackend, t);
      const t0 = performance.now();
      for (let i = 0; i < batch; i++) run();
      samples[t].push((performance.now() - t0) / batch);
    }
  }
  useThreads(backend as WasmBackend, 1);
  return [median(samples[1]), median(samples[2])];
}

splitFrom(1);
const tiny = [vz.ones([64], { dtype: "float32" }), vz.ones([64], { dtype: "float32" })] as const;
const [tinyOne, tinyTwo] = time(() => vz.add(tiny[0], tiny[1]).dispose());
console.log(`one parallel job (a 64-element add split in two): 1 thread ${(tinyOne * 1e3).toFixed(1)} µs, 2 threads ${(tinyTwo * 1e3).toFixed(1)} µs: the job costs ~${((tinyTwo - tinyOne) * 1e3).toFixed(1)} µs`);

if (calibrateOnly) {
  splitFrom(0);
  process.exit(0);
}

interface Family {
  name: string;
  /** Inputs for about `n` units of work; returns the op and its units (in the crate's terms). */
  make(n: number, dtype: "float32" | "float64"): { run: () => void; units: number; dispose: () => void };
}

const filled = (shape: number[], dtype: "float32" | "float64") =>
  vz.array(Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i)), { dtype, shape });

const unaryFamily = (name: string, f: (a: vz.NDArray) => vz.NDArray): Family => ({
  name,
  make(n, dtype) {
    const a = filled([n], dtype);
    return { run: () => f(a).dispose(), units: n, dispose: () => a.dispose() };
  },
});

const families: Family[] = [
  unaryFamily("add (contiguous)", (a) => vz.add(a, a)),
  {
    name: "add (rows, n/1000 × 1000) + (1, 1000)",
    make(n, dtype) {
      const rows = Math.max(1, Math.round(n / 1000));
      const [a, b] = [filled([rows, 1000], dtype), filled([1, 1000], dtype)];
      return { run: () => vz.add(a, b).dispose(), units: rows * 1000, dispose: () => (a.dispose(), b.dispose()) };
    },
  },
  unaryFamily("exp", (a) => vz.exp(a)),
  unaryFamily("sigmoid", (a) => vz.sigmoid(a)),
  {
    name: "copy of a transpose",
    make(n, dtype) {
      const side = Math.max(2, Math.round(Math.sqrt(n)));
      const a = filled([side, side], dtype);
      return { run: () => vz.copy(vz.transpose(a)).dispose(), units: side * side, dispose: () => a.dispose() };
    },
  },
  unaryFamily("sum (all)", (a) => vz.sum(a)),
  {
    name: "sum axis 0 (square)",
    make(n, dtype) {
      const side = Math.max(2, Math.round(Math.sqrt(n)));
      const a = filled([side, side], dtype);
      return { run: () => vz.sum(a, { axis: 0 }).dispose(), units: side * side, dispose: () => a.dispose() };
    },
  },
  {
    name: "sum axis 1 (square)",
    make(n, dtype) {
      const side = Math.max(2, Math.round(Math.sqrt(n)));
      const a = filled([side, side], dtype);
      return { run: () => vz.sum(a, { axis: 1 }).dispose(), units: side * side, dispose: () => a.dispose() };
    },
  },
  unaryFamily("argmax (all)", (a) => vz.argmax(a)),
  {
    name: "gemv A·x (square A)",
    make(n, dtype) {
      const side = Math.max(2, Math.round(Math.sqrt(n)));
      const [a, x] = [filled([side, side], dtype), filled([side, 1], dtype)];
      return { run: () => vz.matmul(a, x).dispose(), units: side * side, dispose: () => (a.dispose(), x.dispose()) };
    },
  },
  {
    name: "gemv x·A (square A)",
    make(n, dtype) {
      const side = Math.max(2, Math.round(Math.sqrt(n)));
      const [x, a] = [filled([1, side], dtype), filled([side, side], dtype)];
      return { run: () => vz.matmul(x, a).dispose(), units: side * side, dispose: () => (a.dispose(), x.dispose()) };
    },
  },
  {
    name: "gemm (square, units m·k·n)",
    make(n, dtype) {
      const side = Math.max(4, Math.round(Math.cbrt(n)));
      const [a, b] = [filled([side, side], dtype), filled([side, side], dtype)];
      return { run: () => vz.matmul(a, b).dispose(), units: side ** 3, dispose: () => (a.dispose(), b.dispose()) };
    },
  },
  {
    name: "gemm, a network layer's dW (20, 209)·(209, n)",
    make(n, dtype) {
      const cols = Math.max(4, Math.round(n / (20 * 209)));
      const [a, b] = [filled([20, 209], dtype), filled([209, cols], dtype)];
      return { run: () => vz.matmul(a, b).dispose(), units: 20 * 209 * cols, dispose: () => (a.dispose(), b.dispose()) };
    },
  },
  {
    name: "gemm, a network layer (20, k)·(k, 209)",
    make(n, dtype) {
      const k = Math.max(4, Math.round(n / (20 * 209)));
      const [a, b] = [filled([20, k], dtype), filled([k, 209], dtype)];
      return { run: () => vz.matmul(a, b).dispose(), units: 20 * k * 209, dispose: () => (a.dispose(), b.dispose()) };
    },
  },
];

const exponents = quick ? [10, 12, 14, 16, 18, 20, 22] : [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
for (const dtype of ["float32", "float64"] as const) {
  for (const family of families.filter((f) => !only || f.name.includes(only))) {
    const rows: string[] = [];
    let crossover: number | undefined;
    const gemm = family.name.startsWith("gemm");
    for (const e of gemm ? exponents.map((x) => x + 6) : exponents) {
      const { run, units, dispose } = family.make(2 ** e, dtype);
      const [t1, t2] = time(run);
      dispose();
      const bytes = units * (dtype === "float32" ? 4 : 8);
      rows.push(`  ${String(units).padStart(10)} units (${(bytes / 1024).toFixed(0).padStart(6)} KiB): 1 thread ${t1.toFixed(4)} ms, 2 threads ${t2.toFixed(4)} ms, ×${(t1 / t2).toFixed(2)}`);
      if (t2 < t1) crossover ??= units;
      else crossover = undefined;
    }
    const where = crossover === undefined ? "none in range" : `${crossover} units (${((crossover * (dtype === "float32" ? 4 : 8)) / 1024).toFixed(0)} KiB)`;
    console.log(`${family.name} ${dtype}: two threads faster from ${where}\n${rows.join("\n")}`);
  }
}
splitFrom(0);
console.log(`load average at end ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
