/**
 * `npm run bench:solvers`: time to a converged logistic-regression model on breast cancer,
 * digits (0 vs rest), digits (10 classes: softmax regression, scikit-learn's multinomial loss) and
 * a synthetic (m, n_x) = (100000, 1000) set: vectorized's L-BFGS (the defaults: standardized,
 * C = 1, tol 1e-4) on one thread in this process, scikit-learn's `lbfgs` on one thread
 * in the bench's venv (StandardScaler + LogisticRegression(), the same work), and vectorized's
 * gradient descent on the same standardized features (learning rate 1, until the cost changes by
 * less than 1e-7; 5 runs, or one of 300 iterations on the synthetic set). Writes
 * bench/results/solvers.md and .json. `--quick`: fewer runs, a smaller synthetic set;
 * `--filter <breast cancer|digits|10 classes|synthetic>`: one dataset (to solvers-filtered.*).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import * as vz from "../ts/index.js";
import { permutation } from "../ts/models/shuffle.js";

const quick = process.argv.includes("--quick");
const filter = process.argv.includes("--filter") ? process.argv[process.argv.indexOf("--filter") + 1] : undefined;
const out = filter ? "solvers-filtered" : "solvers";
// One thread, as scikit-learn's (OPENBLAS_NUM_THREADS=1): the relaxed build where the engine has it.
await vz.init({ threads: 1 });

interface Split {
  name: string;
  dtype: vz.DType;
  Xtrain: vz.NDArray;
  ytrain: vz.NDArray;
  Xtest: vz.NDArray;
  ytest: vz.NDArray;
}

/** A fixture CSV split as the CLI splits it (seed 0, 20 % for testing). */
function fixture(name: string, file: string, label: string, dtype: vz.DType): Split {
  const text = readFileSync(new URL(`../test/fixtures/sklearn/${file}`, import.meta.url), "utf8");
  const { X, y } = vz.io.readCsv(text, { label, dtype: "float64", name: file });
  const m = X.shape[0]!;
  const order = permutation(m, 0, 0);
  const nTest = Math.floor(m * 0.2);
  const rows = X.toArray() as number[][];
  const labels = Array.from(y.toTypedArray());
  const part = (idx: Uint32Array) => [vz.array(Array.from(idx, (i) => rows[i]!), { dtype }), vz.array(Array.from(idx, (i) => labels[i]!), { dtype })] as const;
  const [Xtrain, ytrain] = part(order.subarray(nTest));
  const [Xtest, ytest] = part(order.subarray(0, nTest));
  return { name, dtype, Xtrain, ytrain, Xtest, ytest };
}

/** A linearly generated set: x ~ N(0, 1) per feature with offsets and scales, y = [wᵀx + noise > 0]. */
function synthetic(m: number, nx: number): Split {
  vz.random.seed(17);
  const make = (count: number) => {
    const X = vz.random.randn([count, nx], { dtype: "float32" });
    const data = X.toTypedArray();
    const y = new Float32Array(count);
    const w = Float64Array.from({ length: nx }, (_, j) => Math.sin(j + 1) * 3 / Math.sqrt(nx));
    for (let i = 0; i < count; i++) {
      let z = 0;
      for (let j = 0; j < nx; j++) z += w[j]! * data[i * nx + j]!;
      y[i] = z + 0.5 * Math.sin(i * 12.9898) > 0 ? 1 : 0;
      // Raw features: an offset and a scale per feature, as measurements have.
      for (let j = 0; j < nx; j++) data[i * nx + j] = 10 * (j % 7) + data[i * nx + j]! * (1 + (j % 5));
    }
    X.dispose();
    return [vz.array(data, { shape: [count, nx] }), vz.array(y)] as const;
  };
  const [Xtrain, ytrain] = make(m);
  const [Xtest, ytest] = make(Math.floor(m / 5));
  return { name: `synthetic (${m}, ${nx})`, dtype: "float32", Xtrain, ytrain, Xtest, ytest };
}

interface Result {
  contender: string;
  medianMs: number;
  minMs: number;
  iterations: number;
  converged: boolean;
  testAccuracy: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Untimed runs first: the JIT compiles the fit's JavaScript over the first few (30 ms, then 2 ms on digits). */
const WARMUP = 5;

function ours(split: Split, contender: string, options: vz.LogisticRegressionOptions, runs: number, warmup = WARMUP): Result {
  const times: number[] = [];
  let last: vz.LogisticRegression | undefined;
  for (let r = 0; r < warmup + runs; r++) {
    last?.dispose();
    const t0 = performance.now();
    last = new vz.LogisticRegression({ layout: "rows", ...options }).fit(split.Xtrain, split.ytrain);
    if (r >= warmup) times.push(performance.now() - t0);
  }
  const model = last!;
  const result = { contender, medianMs: median(times), minMs: Math.min(...times), iterations: model.iterationsRun, converged: model.converged, testAccuracy: model.score(split.Xtest, split.ytest) };
  model.dispose();
  return result;
}

function sklearn(split: Split, runs: number): Result | undefined {
  const dir = fileURLToPath(new URL(`../target/bench-data/${split.name.replace(/\W+/g, "_")}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [file, a] of [["Xtrain", split.Xtrain], ["ytrain", split.ytrain], ["Xtest", split.Xtest], ["ytest", split.ytest]] as const) {
    writeFileSync(`${dir}/${file}.npy`, vz.io.writeNpy(a));
  }
  const python = fileURLToPath(new URL("../target/venv/bin/python", import.meta.url));
  const script = fileURLToPath(new URL("./python/sklearn_fit.py", import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  try {
    const r = JSON.parse(execFileSync(python, [script, dir, String(runs)], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }));
    return { contender: `scikit-learn lbfgs, 1 thread (${r.dtype})`, medianMs: r.medianMs, minMs: r.minMs, iterations: r.iterations, converged: r.converged, testAccuracy: r.testAccuracy };
  } catch (error) {
    console.error(`scikit-learn not run (bash scripts/python-venv.sh makes its venv): ${(error as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

const makers = [
  () => fixture("breast cancer (456, 30)", "breast_cancer.csv", "malignant", "float64"),
  () => fixture("breast cancer (456, 30)", "breast_cancer.csv", "malignant", "float32"),
  () => fixture("digits 0 vs rest (1438, 64)", "digits_zero.csv", "zero", "float64"),
  () => fixture("digits 0 vs rest (1438, 64)", "digits_zero.csv", "zero", "float32"),
  () => fixture("digits, 10 classes (1438, 64)", "digits.csv", "digit", "float64"),
  () => fixture("digits, 10 classes (1438, 64)", "digits.csv", "digit", "float32"),
  () => (quick ? synthetic(20000, 1000) : synthetic(100000, 1000)),
];
const names = ["breast cancer", "breast cancer", "digits 0", "digits 0", "digits 10 classes", "digits 10 classes", "synthetic"];
const rows: { dataset: string; dtype: vz.DType; results: Result[] }[] = [];
for (const [k, make] of makers.entries()) {
  if (filter && !names[k]!.includes(filter)) continue;
  const split = make();
  const big = split.Xtrain.size > 1e7;
  const runs = quick || big ? 3 : 31; // small fits take milliseconds: many runs for a stable median
  const results: Result[] = [ours(split, `vectorized L-BFGS (${vz.backendName()})`, {}, runs, big ? 1 : WARMUP)];
  // scikit-learn on the same split in its dtype: float32 data (vectorized's default dtype) is
  // what a user of both would hand it too, whatever it computes in.
  const sk = sklearn(split, runs);
  if (sk) results.push(sk);
  results.push(ours(split, "vectorized gradient descent (standardized, α = 1)", { solver: "gd", standardize: true, learningRate: 1, iterations: big ? 300 : 20000, tolerance: 1e-7 }, big ? 1 : 5, big ? 0 : 1));
  rows.push({ dataset: split.name, dtype: split.dtype, results });
  for (const r of results) {
    console.log(`${split.name} ${split.dtype}: ${r.contender}: median ${r.medianMs.toFixed(1)} ms (min ${r.minMs.toFixed(1)}), ${r.iterations} iterations, ${r.converged ? "converged" : "not converged"}, test accuracy ${(100 * r.testAccuracy).toFixed(2)} %`);
  }
  [split.Xtrain, split.ytrain, split.Xtest, split.ytest].forEach((a) => a.dispose());
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"} ×${cpus().length}, Node ${process.version}`;
const lines = [
  "# Time to a converged logistic-regression model",
  "",
  `${new Date().toISOString()} — ${machine}${quick ? " (--quick)" : ""}. Medians (and minima) after untimed warm-up runs; ratio = the contender's median over vectorized L-BFGS's in the same run (higher: slower than ours). Both run on one thread. Every fit standardizes the features (timed), C = 1, tol 1e-4. The machine is shared: read the ratios.`,
  "",
  "| dataset | dtype | contender | median | min | ratio | iterations | converged | test accuracy |",
  "|---|---|---|---|---|---|---|---|---|",
  ...rows.flatMap(({ dataset, dtype, results }) =>
    results.map((r) => `| ${dataset} | ${dtype} | ${r.contender} | ${r.medianMs.toFixed(1)} ms | ${r.minMs.toFixed(1)} ms | ×${(r.medianMs / results[0]!.medianMs).toFixed(2)} | ${r.iterations} | ${r.converged ? "yes" : "no"} | ${(100 * r.testAccuracy).toFixed(2)} % |`),
  ),
  "",
];
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/${out}.md`, import.meta.url), lines.join("\n"));
writeFileSync(new URL(`results/${out}.json`, import.meta.url), JSON.stringify({ machine, date: new Date().toISOString(), quick, rows }, null, 2) + "\n");
console.log(`\nwrote bench/results/${out}.md and ${out}.json`);
