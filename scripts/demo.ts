/**
 * `npm run demo`: the course's logistic regression, end to end, on a dataset of the course's
 * shape made deterministically in code (no downloads): 64×64×3 "images" (n_x = 12288), 209
 * for training and 50 for testing, examples in columns. Prints the cost every 100 iterations
 * as the notebook does, the accuracies, the time, the speed-up over the pure-TypeScript
 * reference backend, and writes the learning curve as an SVG.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import * as vz from "../ts/index.js";
import { learningCurveSvg } from "./learning_curve.js";

const [NX, M_TRAIN, M_TEST] = [64 * 64 * 3, 209, 50];
const [ITERATIONS, LEARNING_RATE] = [2000, 0.005];

/**
 * Two classes of noisy images: class 1 has a slightly brighter centre patch than class 0 (hard
 * enough that the test accuracy shows overfitting, as the course's cat pictures do). Pixels are
 * scaled to [0, 1] (the notebook's `/255`). The same seed always gives the same data.
 */
function dataset(m: number, seed: number) {
  vz.random.seed(seed);
  const noise = vz.random.rand([NX, m], { dtype: "float64" }).toTypedArray();
  const labels = new Float64Array(m).map((_, i) => ((i * 7919 + seed) % 3 === 0 ? 1 : 0));
  const x = new Float32Array(NX * m);
  for (let p = 0; p < NX; p++) {
    const [row, col] = [Math.floor(p / 192), Math.floor((p % 192) / 3)];
    const centre = Math.abs(row - 32) < 16 && Math.abs(col - 32) < 16;
    for (let i = 0; i < m; i++) x[p * m + i] = 0.7 * noise[p * m + i]! + (centre && labels[i] ? 0.11 : 0.1);
  }
  return { X: vz.array(x, { shape: [NX, m] }), Y: vz.array(labels, { shape: [1, m] }) };
}

const backend = await vz.init();
console.log(`vectorized: ${backend} backend. Data: X_train (${NX}, ${M_TRAIN}), X_test (${NX}, ${M_TEST}), examples in columns.\n`);
const train = dataset(M_TRAIN, 1);
const test = dataset(M_TEST, 2);

const model = new vz.LogisticRegression({ learningRate: LEARNING_RATE, iterations: ITERATIONS });
const t0 = performance.now();
model.fit(train.X, train.Y, { onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`) });
const seconds = (performance.now() - t0) / 1000;
console.log(`\ntrain accuracy: ${(100 * model.score(train.X, train.Y)).toFixed(2)} %`);
console.log(`test accuracy: ${(100 * model.score(test.X, test.Y)).toFixed(2)} %`);
console.log(`trained ${ITERATIONS} iterations in ${seconds.toFixed(3)} s (${((seconds / ITERATIONS) * 1e3).toFixed(3)} ms per iteration)`);

// The reference backend is slow: time 50 iterations of it and compare per iteration.
vz.setBackend("reference");
const refTrain = dataset(M_TRAIN, 1);
const t1 = performance.now();
new vz.LogisticRegression({ learningRate: LEARNING_RATE, iterations: 50 }).fit(refTrain.X, refTrain.Y);
const refPerIteration = (performance.now() - t1) / 50 / 1000;
console.log(`reference backend: ${(refPerIteration * 1e3).toFixed(2)} ms per iteration: ${backend} is ${(refPerIteration / (seconds / ITERATIONS)).toFixed(1)}× faster`);

const out = resolve("demo-output/learning-curve.svg");
mkdirSync(resolve("demo-output"), { recursive: true });
writeFileSync(out, learningCurveSvg(model.costs, 100, `Learning rate = ${LEARNING_RATE}`));
console.log(`learning curve: ${out}`);
