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
import { courseImages, type Dataset, type Split } from "./datasets.js";
import { learningCurveSvg } from "./learning_curve.js";

const [ITERATIONS, LEARNING_RATE] = [2000, 0.005];

/** The dataset as arrays on the active backend. */
function arrays({ nx, train, test }: Dataset) {
  const of = ({ X, Y, m }: Split) => ({ X: vz.array(X, { shape: [nx, m] }), Y: vz.array(Y, { shape: [1, m] }) });
  return { train: of(train), test: of(test) };
}

const backend = await vz.init();
const data = courseImages();
console.log(`vectorized: ${backend} backend. Data: X_train (${data.nx}, ${data.train.m}), X_test (${data.nx}, ${data.test.m}), examples in columns.\n`);
const { train, test } = arrays(data);

const model = new vz.LogisticRegression({ learningRate: LEARNING_RATE, iterations: ITERATIONS });
const t0 = performance.now();
model.fit(train.X, train.Y, { onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`) });
const seconds = (performance.now() - t0) / 1000;
console.log(`\ntrain accuracy: ${(100 * model.score(train.X, train.Y)).toFixed(2)} %`);
console.log(`test accuracy: ${(100 * model.score(test.X, test.Y)).toFixed(2)} %`);
console.log(`trained ${ITERATIONS} iterations in ${seconds.toFixed(3)} s (${((seconds / ITERATIONS) * 1e3).toFixed(3)} ms per iteration)`);

// The reference backend is slow: time 50 iterations of it and compare per iteration.
vz.setBackend("reference");
const refTrain = arrays(data).train;
const t1 = performance.now();
new vz.LogisticRegression({ learningRate: LEARNING_RATE, iterations: 50 }).fit(refTrain.X, refTrain.Y);
const refPerIteration = (performance.now() - t1) / 50 / 1000;
console.log(`reference backend: ${(refPerIteration * 1e3).toFixed(2)} ms per iteration: ${backend} is ${(refPerIteration / (seconds / ITERATIONS)).toFixed(1)}× faster`);

const out = resolve("demo-output/learning-curve.svg");
mkdirSync(resolve("demo-output"), { recursive: true });
writeFileSync(out, learningCurveSvg(model.costs, 100, `Learning rate = ${LEARNING_RATE}`));
console.log(`learning curve: ${out}`);
