#!/usr/bin/env node
/**
 * `npx vectorized train <file.csv|file.npy> --label <column>`: logistic regression on the
 * user's own data, with the demo's report (cost every `--record-every` iterations, accuracies,
 * time, speed-up over the reference backend).
 */
import { readFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import * as vz from "./index.js";
import { permutation } from "./models/shuffle.js";

const USAGE = `Usage: vectorized train <file.csv|file.npy> --label <column> [options]

  --label <name|index>    the label column (0/1): a CSV header name or a column index (negative counts from the end)
  --layout <rows|cols>    rows (default): one example per row, as CSV files and sklearn have it;
                          cols: an .npy of the course's layout, one example per column, features
                          and the label as rows (--label is then a row index)
  --learning-rate <n>     default 0.005
  --iterations <n>        default 2000
  --record-every <n>      default 100
  --l2 <n>                L2 penalty, default 0
  --batch-size <n>        mini-batch size (default: all examples)
  --test-split <f>        fraction held out for testing, default 0.2
  --seed <n>              seed of the train/test split and mini-batches, default 0
  --dtype <float32|float64>  default float32`;

function parse(argv: string[]): { file: string; flags: Map<string, string> } {
  const [command, file, ...rest] = argv;
  if (command !== "train" || !file) throw new vz.ValueError(USAGE);
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [key, value] = [rest[i]!, rest[i + 1]];
    if (!key.startsWith("--") || value === undefined) throw new vz.ValueError(`expected --option value pairs, got "${key}"\n\n${USAGE}`);
    flags.set(key.slice(2), value);
  }
  if (!flags.has("label")) throw new vz.ValueError(`--label is required\n\n${USAGE}`);
  return { file, flags };
}

function numberFlag(flags: Map<string, string>, name: string, fallback: number): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new vz.ValueError(`--${name} must be a number, got "${text}"`);
  return value;
}

/** X (m, n) and y (m,) from the file (`layout` cols: the file holds the transpose). */
async function load(file: string, label: string, dtype: vz.DType, layout: "rows" | "cols"): Promise<{ X: vz.NDArray; y: vz.NDArray }> {
  const column = /^-?\d+$/.test(label) ? Number(label) : label;
  if (layout === "cols" && !file.endsWith(".npy")) {
    throw new vz.ValueError(`${file}: --layout cols reads an .npy table of shape (n+1, m); a CSV file has one example per row (--layout rows)`);
  }
  if (file.endsWith(".npy")) {
    const stored = vz.io.readNpy(await bytesOf(file), { dtype, name: file });
    const expected = layout === "rows" ? "(m, n+1)" : "(n+1, m)";
    const what = layout === "rows" ? "column" : "row";
    if (stored.ndim !== 2 || typeof column !== "number") {
      throw new vz.ValueError(`${file}: an .npy table must be 2-D ${expected} with --label given as a ${what} index, got shape ${vz.formatShape(stored.shape)}`);
    }
    const table = layout === "rows" ? stored : stored.T;
    const at = column < 0 ? column + table.shape[1]! : column;
    const keep = Array.from({ length: table.shape[1]! }, (_, j) => j).filter((j) => j !== at);
    const y = table.slice(null, at).copy();
    const X = vz.concat(keep.map((j) => table.slice(null, [j, j + 1])), 1);
    return { X, y };
  }
  const { X, y } = vz.io.readCsv(await bytesOf(file), { label: column, dtype, name: file });
  return { X, y };
}

/** The file's bytes (read here rather than by vz.io.load*, which need Node ≥ 20.16). */
async function bytesOf(file: string): Promise<Uint8Array> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new vz.IOError(`${file}: cannot read the file: ${(error as Error).message}`, file);
  }
}

async function main(): Promise<void> {
  const { file, flags } = parse(process.argv.slice(2));
  const dtype = (flags.get("dtype") ?? "float32") as vz.DType;
  const options = {
    learningRate: numberFlag(flags, "learning-rate", 0.005),
    iterations: numberFlag(flags, "iterations", 2000),
    recordEvery: numberFlag(flags, "record-every", 100),
    l2: numberFlag(flags, "l2", 0),
    seed: numberFlag(flags, "seed", 0),
    layout: "rows" as const, // the CLI's own arrays; fit streams X in whichever layout is faster
    dtype,
    ...(flags.has("batch-size") ? { batchSize: numberFlag(flags, "batch-size", 0) } : {}),
  };
  const fileLayout = flags.get("layout") ?? "rows";
  if (fileLayout !== "rows" && fileLayout !== "cols") throw new vz.ValueError(`--layout must be rows or cols, got "${fileLayout}"`);
  const split = numberFlag(flags, "test-split", 0.2);
  if (!(split >= 0 && split < 1)) throw new vz.ValueError(`--test-split must be in [0, 1), got ${split}`);

  const backend = await vz.init();
  const { X, y } = await load(file, flags.get("label")!, dtype, fileLayout);
  const m = X.shape[0]!;
  const order = permutation(m, options.seed, 0);
  const nTest = Math.floor(m * split);
  const pick = (rows: Uint32Array, a: vz.NDArray) => vz.concat(Array.from(rows, (i) => a.slice([i, i + 1])));
  const [train, test] = [order.subarray(nTest), order.subarray(0, nTest)];
  const Xtrain = pick(train, X);
  const ytrain = pick(train, y);
  const where = fileLayout === "rows" ? "" : " (examples in columns)";
  console.log(`vectorized: ${backend}; ${file}${where}: ${m} examples × ${X.shape[1]} features; ${train.length} for training, ${test.length} for testing`);

  const model = new vz.LogisticRegression(options);
  const t0 = performance.now();
  model.fit(Xtrain, ytrain, { onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`) });
  const seconds = (performance.now() - t0) / 1000;
  console.log(`\ntrain accuracy: ${(100 * model.score(Xtrain, ytrain)).toFixed(2)} %`);
  if (test.length > 0) console.log(`test accuracy: ${(100 * model.score(pick(test, X), pick(test, y))).toFixed(2)} %`);
  console.log(`trained ${model.iterationsRun} iterations in ${seconds.toFixed(3)} s`);

  vz.setBackend("reference");
  const probe = Math.min(options.iterations, 20);
  const [rX, ry] = [vz.array(Xtrain.toTypedArray(), { dtype, shape: Xtrain.shape }), vz.array(ytrain.toTypedArray(), { dtype })];
  const t1 = performance.now();
  new vz.LogisticRegression({ ...options, iterations: probe }).fit(rX, ry);
  const refPerIteration = (performance.now() - t1) / probe / 1000;
  const perIteration = seconds / Math.max(model.iterationsRun, 1);
  console.log(`reference backend: ${(refPerIteration * 1e3).toFixed(3)} ms per iteration; ${backend} is ${(refPerIteration / perIteration).toFixed(1)}× faster`);
}

main().catch((error: Error) => {
  console.error(`vectorized: ${error.message}`);
  process.exitCode = 1;
});
