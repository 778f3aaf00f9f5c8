#!/usr/bin/env node
/**
 * `npx vectorized train <file.csv|file.npy> --label <column>`: logistic regression on the
 * user's own data (binary, or a softmax over integer class labels), with the demo's report (cost every `--record-every` iterations, accuracies,
 * time, speed-up over the reference backend). Without a learning rate it trains as scikit-learn's
 * `LogisticRegression()` does (L-BFGS, C = 1) on standardised features; with `--learning-rate` or
 * `--iterations`, the course's gradient descent exactly.
 */
import * as fs from "node:fs/promises";
import { performance } from "node:perf_hooks";
import * as vz from "./index.js";
import { readRegularFile } from "./io/files.js";
import { permutation } from "./models/shuffle.js";
import { closest, excerpt } from "./options.js";

const USAGE = `Usage: vectorized train <file.csv|file.npy> --label <column> [options]

  --label <name|index>    the label column (0/1, or integer classes: a softmax): a CSV header name or a column index (negative counts from the end)
  --layout <rows|cols>    rows (default): one example per row, as CSV files and sklearn have it;
                          cols: an .npy of the course's layout, one example per column, features
                          and the label as rows (--label is then a row index)
  --solver <lbfgs|gd>     lbfgs (default): L-BFGS on standardized features, as scikit-learn's
                          LogisticRegression(); gd: the course's gradient descent, the default
                          when --learning-rate, --iterations or --batch-size is given
  --C <n>                 lbfgs: inverse L2 strength, as scikit-learn's C, default 1
  --max-iterations <n>    lbfgs: at most this many iterations, default 100
  --tol <n>               lbfgs: stop when every |gradient| component is at most this, default 1e-4
  --standardize <yes|no>  train on standardized features (folded into the weights), default yes
                          for lbfgs, no for gd
  --learning-rate <n>     gd: default 0.005
  --iterations <n>        gd: default 2000
  --record-every <n>      default 100 (gd), 10 (lbfgs)
  --l2 <n>                gd: L2 penalty, default 0
  --batch-size <n>        gd: mini-batch size (default: all examples)
  --test-split <f>        fraction held out for testing, default 0.2
  --seed <n>              seed of the train/test split and mini-batches, default 0
  --dtype <float32|float64>  default float32`;

const FLAGS = ["label", "layout", "solver", "C", "max-iterations", "tol", "standardize", "learning-rate", "iterations", "record-every", "l2", "batch-size", "test-split", "seed", "dtype"];

function parse(argv: string[]): { file: string; flags: Map<string, string> } {
  const [command, file, ...rest] = argv;
  if (command !== "train" || !file || file.startsWith("--")) throw new vz.ValueError(USAGE);
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [key, value] = [rest[i]!, rest[i + 1]];
    if (!key.startsWith("--")) throw new vz.ValueError(`expected --option value pairs, got "${excerpt(key)}"\n\n${USAGE}`);
    const name = key.slice(2);
    if (!FLAGS.includes(name)) {
      const guess = closest(name, FLAGS);
      throw new vz.ValueError(`unknown option --${excerpt(name)}${guess ? ` (did you mean --${guess}?)` : ""}\n\n${USAGE}`);
    }
    if (value === undefined) throw new vz.ValueError(`--${name} needs a value\n\n${USAGE}`);
    if (flags.has(name)) throw new vz.ValueError(`--${name} is given twice`);
    flags.set(name, value);
  }
  if (!flags.has("label")) throw new vz.ValueError(`--label is required\n\n${USAGE}`);
  return { file, flags };
}

function numberFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === "" || !Number.isFinite(value)) throw new vz.ValueError(`--${name} must be a number, got "${excerpt(text)}"`);
  return value;
}

/**
 * The file as a row-major table of `m` rows: `values` (m × width), the label's column and the
 * feature columns (`layout` cols: the file holds the transpose).
 */
interface Table {
  values: vz.FloatArray;
  m: number;
  width: number;
  label: number;
  features: number[];
}

async function load(file: string, label: string, dtype: vz.DType, layout: "rows" | "cols"): Promise<Table> {
  const column = /^-?\d+$/.test(label) ? Number(label) : label;
  if (layout === "cols" && !file.endsWith(".npy")) {
    throw new vz.ValueError(`${file}: --layout cols reads an .npy table of shape (n+1, m); a CSV file has one example per row (--layout rows)`);
  }
  const bytes = await readRegularFile(fs, "train", file);
  if (file.endsWith(".npy")) {
    const stored = vz.io.readNpy(bytes, { dtype, name: file });
    try {
      const expected = layout === "rows" ? "(m, n+1)" : "(n+1, m)";
      const what = layout === "rows" ? "column" : "row";
      if (stored.ndim !== 2 || typeof column !== "number") {
        throw new vz.ValueError(`${file}: an .npy table must be 2-D ${expected} with --label given as a ${what} index, got shape ${vz.formatShape(stored.shape)}`);
      }
      const [m, width] = (layout === "rows" ? stored.shape : [stored.shape[1], stored.shape[0]]) as [number, number];
      if (column < -width || column >= width) throw new vz.ValueError(`${file}: --label ${column} is out of bounds for ${width} ${what}s`);
      const at = column < 0 ? column + width : column;
      const values = vz.scope(() => (layout === "rows" ? stored : stored.T).toTypedArray());
      return { values, m, width, label: at, features: Array.from({ length: width }, (_, j) => j).filter((j) => j !== at) };
    } finally {
      stored.dispose();
    }
  }
  const { X, y } = vz.io.readCsv(bytes, { label: column, dtype, name: file });
  try {
    // One table again (features, then the label), so both kinds of file split the same way.
    const [m, n] = X.shape as [number, number];
    const [features, labels] = [X.toTypedArray(), y.toTypedArray()];
    const values = new (dtype === "float64" ? Float64Array : Float32Array)(m * (n + 1));
    for (let r = 0; r < m; r++) {
      values.set(features.subarray(r * n, (r + 1) * n), r * (n + 1));
      values[r * (n + 1) + n] = labels[r]!;
    }
    return { values, m, width: n + 1, label: n, features: Array.from({ length: n }, (_, j) => j) };
  } finally {
    X.dispose();
    y.dispose();
  }
}

/** X (rows.length, features) and y (rows.length,) of the table's `rows`, in one pass. */
function gather(table: Table, rows: Uint32Array, dtype: vz.DType): { X: vz.FloatArray; y: vz.FloatArray } {
  const { values, width, label, features } = table;
  const n = features.length;
  const Typed = dtype === "float64" ? Float64Array : Float32Array;
  const X = new Typed(rows.length * n);
  const y = new Typed(rows.length);
  for (let r = 0, k = 0; r < rows.length; r++) {
    const base = rows[r]! * width;
    for (let c = 0; c < n; c++) X[k++] = values[base + features[c]!]!;
    y[r] = values[base + label]!;
  }
  return { X, y };
}

/** The model's options from the flags: only those given, so the model's defaults pick the solver. */
function modelOptions(flags: Map<string, string>, dtype: vz.DType): vz.LogisticRegressionOptions & { layout: "rows" } {
  const given = (name: string) => flags.has(name);
  const solver = flags.get("solver");
  if (solver !== undefined && solver !== "lbfgs" && solver !== "gd") throw new vz.ValueError(`--solver must be lbfgs or gd, got "${excerpt(solver)}"`);
  const standardize = flags.get("standardize");
  if (standardize !== undefined && standardize !== "yes" && standardize !== "no") throw new vz.ValueError(`--standardize must be yes or no, got "${excerpt(standardize)}"`);
  const numbers: [flag: string, option: keyof vz.LogisticRegressionOptions][] = [
    ["learning-rate", "learningRate"],
    ["iterations", "iterations"],
    ["record-every", "recordEvery"],
    ["l2", "l2"],
    ["batch-size", "batchSize"],
    ["C", "C"],
    ["max-iterations", "maxIterations"],
    ["tol", "gradientTolerance"],
  ];
  return {
    ...Object.fromEntries(numbers.filter(([flag]) => given(flag)).map(([flag, option]) => [option, numberFlag(flags, flag, 0)])),
    ...(solver ? { solver } : {}),
    ...(standardize ? { standardize: standardize === "yes" } : {}),
    // L-BFGS takes few iterations: a cost line every 10 of them unless asked otherwise.
    ...(!given("record-every") && (solver ?? (["learning-rate", "iterations", "batch-size"].some(given) ? "gd" : "lbfgs")) === "lbfgs" ? { recordEvery: 10 } : {}),
    seed: numberFlag(flags, "seed", 0),
    layout: "rows" as const, // the CLI's own arrays; fit streams X in whichever layout is faster
    dtype,
  };
}

/** What the model will do, in one line. */
function describe(model: vz.LogisticRegression, flags: Map<string, string>): string {
  const o = model.options;
  const scaling = o.standardize ? "features standardized (folded into the saved weights)" : "raw features";
  if (o.solver === "lbfgs") {
    const why = flags.has("solver") ? "" : " (no --learning-rate given)";
    return `solver: L-BFGS${why}, ${o.l2 ? `C = ${1 / o.l2}` : "no L2 penalty"}, tol ${o.gradientTolerance}, at most ${o.maxIterations} iterations; ${scaling}`;
  }
  return `solver: gradient descent, learning rate ${o.learningRate}, ${o.iterations} iterations${o.l2 ? `, L2 ${o.l2}` : ""}${o.batchSize ? `, batches of ${o.batchSize}` : ""}; ${scaling}`;
}

/**
 * A progress bar (iterations, cost, elapsed) on stderr when it is a terminal, drawn once
 * training has taken a second (VECTORIZED_PROGRESS_AFTER_MS overrides, for tests), at most ten
 * times a second, and erased at the end.
 */
function progressBar(total: number) {
  const stream = process.stderr;
  const after = Number(process.env["VECTORIZED_PROGRESS_AFTER_MS"] ?? 1000);
  const start = performance.now();
  let drawn = 0;
  return {
    update(iteration: number, cost: number): void {
      const now = performance.now();
      if (!stream.isTTY || now - start < after || now - drawn < 100) return;
      drawn = now;
      const width = 30;
      const filled = Math.min(width, Math.round((width * iteration) / Math.max(1, total)));
      stream.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] iteration ${iteration}/${total}  cost ${cost.toFixed(6)}  ${((now - start) / 1000).toFixed(1)} s `);
    },
    done(): void {
      if (stream.isTTY && drawn > 0) stream.write(`\r${" ".repeat(80)}\r`);
    },
  };
}

async function main(): Promise<void> {
  const { file, flags } = parse(process.argv.slice(2));
  const dtypeFlag = flags.get("dtype") ?? "float32";
  if (dtypeFlag !== "float32" && dtypeFlag !== "float64") throw new vz.ValueError(`--dtype must be float32 or float64, got "${excerpt(dtypeFlag)}"`);
  const dtype: vz.DType = dtypeFlag;
  const options = modelOptions(flags, dtype);
  const fileLayout = flags.get("layout") ?? "rows";
  if (fileLayout !== "rows" && fileLayout !== "cols") throw new vz.ValueError(`--layout must be rows or cols, got "${excerpt(fileLayout)}"`);
  const split = numberFlag(flags, "test-split", 0.2);
  if (!(split >= 0 && split < 1)) throw new vz.ValueError(`--test-split must be in [0, 1), got ${split}`);
  const model = new vz.LogisticRegression(options); // checks the options before the file is read
  const seed = model.options.seed;

  const backend = await vz.init();
  const table = await load(file, flags.get("label")!, dtype, fileLayout);
  const { m } = table;
  const order = permutation(m, seed, 0);
  const nTest = Math.floor(m * split);
  const [trainRows, testRows] = [order.subarray(nTest), order.subarray(0, nTest)];
  const train = gather(table, trainRows, dtype);
  const test = gather(table, testRows, dtype);
  const n = table.features.length;
  const Xtrain = vz.array(train.X, { dtype, shape: [trainRows.length, n] });
  const ytrain = vz.array(train.y, { dtype });
  const where = fileLayout === "rows" ? "" : " (examples in columns)";
  console.log(`vectorized: ${backend}; ${file}${where}: ${m} examples × ${n} features; ${trainRows.length} for training, ${testRows.length} for testing`);
  console.log(describe(model, flags));

  const lbfgs = model.options.solver === "lbfgs";
  const bar = progressBar(lbfgs ? model.options.maxIterations : model.options.iterations);
  const t0 = performance.now();
  try {
    model.fit(Xtrain, ytrain, {
      onProgress: ({ iteration, cost, warning }) => {
        bar.update(iteration, cost);
        if (warning) console.log(`warning: ${warning}`);
        else console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`);
      },
    });
  } finally {
    bar.done();
  }
  const seconds = (performance.now() - t0) / 1000;
  // Labels other than 0/1 train a softmax over the distinct ones (scikit-learn's classes_).
  if (String(model.classes) !== "0,1") console.log(`classes: ${model.classes.join(", ")} (a softmax over ${model.classes.length})`);
  console.log(`\ntrain accuracy: ${(100 * model.score(Xtrain, ytrain)).toFixed(2)} %`);
  if (testRows.length > 0) {
    const [Xtest, ytest] = [vz.array(test.X, { dtype, shape: [testRows.length, n] }), vz.array(test.y, { dtype })];
    console.log(`test accuracy: ${(100 * model.score(Xtest, ytest)).toFixed(2)} %`);
  }
  console.log(`trained ${model.iterationsRun} iterations in ${seconds.toFixed(3)} s`);
  const tol = model.options.gradientTolerance;
  const norm = model.gradientNorm.toPrecision(3);
  console.log(model.converged ? `converged: max |gradient| ${norm} ≤ ${tol}` : `not converged: max |gradient| ${norm} > ${tol}${model.warnings.length ? " (see the warning above)" : ""}`);

  // The reference backend on a few iterations of the same data, for the speed-up.
  if (model.iterationsRun === 0) {
    console.log("reference backend: not compared (no iterations were run)");
    return;
  }
  vz.setBackend("reference");
  // At most 20 iterations, fewer on large data (about 10^7 elements streamed in all), so the
  // comparison never takes longer than the training it compares with.
  const probe = Math.max(1, Math.min(model.iterationsRun, 20, Math.floor(1e7 / Math.max(1, train.X.length))));
  const [rX, ry] = [vz.array(train.X, { dtype, shape: [trainRows.length, n] }), vz.array(train.y, { dtype })];
  const t1 = performance.now();
  const reference = new vz.LogisticRegression({ ...options, ...(lbfgs ? { maxIterations: probe } : { iterations: probe }) }).fit(rX, ry);
  // L-BFGS may converge within the probe: time per iteration actually run.
  const refPerIteration = (performance.now() - t1) / Math.max(1, reference.iterationsRun) / 1000;
  const perIteration = seconds / model.iterationsRun;
  // Said as a speed-up where there is one: on tiny data the fit's fixed costs (copies, scaling)
  // dominate and wasm can be the slower; "0.2× faster" read as nonsense.
  const ratio = refPerIteration / perIteration;
  const comparison = ratio >= 1 ? `${ratio.toFixed(1)}× faster` : `${(1 / ratio).toFixed(1)}× slower on data this small`;
  const speedUp = perIteration > 0 ? `; ${backend} is ${comparison}` : "";
  console.log(`reference backend: ${(refPerIteration * 1e3).toFixed(3)} ms per iteration${speedUp}`);
}

main().catch((error: Error) => {
  console.error(`vectorized: ${error.message}`);
  process.exitCode = 1;
});
