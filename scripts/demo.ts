/**
 * `npm run demo`: the course's logistic regression (or, with `-- --model deep`, the
 * application's L-layer network), end to end, on a dataset of the course's
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

/** `--model logistic` (the default) or `--model deep`: the application's L-layer network. */
function chosenModel(args: string[]): "logistic" | "deep" {
  if (args.length === 0) return "logistic";
  if (args.length === 2 && args[0] === "--model" && (args[1] === "logistic" || args[1] === "deep")) return args[1];
  console.error(`demo: unknown arguments ${args.join(" ")}; use --model logistic or --model deep`);
  process.exit(2);
}

const kind = chosenModel(process.argv.slice(2));
// The deep network at the notebook's 0.0075 oscillates on these synthetic images (its cost
// jumps, then sticks at the majority class); 0.005 descends smoothly.
const { ITERATIONS, LEARNING_RATE } = kind === "logistic" ? { ITERATIONS: 2000, LEARNING_RATE: 0.005 } : { ITERATIONS: 2500, LEARNING_RATE: 0.005 };
/** The application's network: [12288, 20, 7, 5, 1], ReLU hidden layers, a sigmoid output. */
const LAYERS = [12288, 20, 7, 5, 1];

const makeModel = (iterations: number) =>
  kind === "logistic"
    ? new vz.LogisticRegression({ learningRate: LEARNING_RATE, iterations })
    : new vz.DenseNetwork({ layers: LAYERS, learningRate: LEARNING_RATE, iterations });

/** The dataset as arrays on the active backend. */
function arrays({ nx, train, test }: Dataset) {
  const of = ({ X, Y, m }: Split) => ({ X: vz.array(X, { shape: [nx, m] }), Y: vz.array(Y, { shape: [1, m] }) });
  return { train: of(train), test: of(test) };
}

const backend = await vz.init();
const data = courseImages();
console.log(`vectorized: ${backend} backend. Data: X_train (${data.nx}, ${data.train.m}), X_test (${data.nx}, ${data.test.m}), examples in columns.`);
console.log(kind === "logistic" ? "Model: logistic regression.\n" : `Model: a dense network, layers ${JSON.stringify(LAYERS)} (ReLU, then sigmoid).\n`);
const { train, test } = arrays(data);

const model = makeModel(ITERATIONS);
const t0 = performance.now();
model.fit(train.X, train.Y, { onProgress: ({ iteration, cost }) => console.log(`Cost after iteration ${iteration}: ${cost.toFixed(6)}`) });
const seconds = (performance.now() - t0) / 1000;
console.log(`\ntrain accuracy: ${(100 * model.score(train.X, train.Y)).toFixed(2)} %`);
console.log(`test accuracy: ${(100 * model.score(test.X, test.Y)).toFixed(2)} %`);
if (kind === "deep") console.log("(the images are noise with a faint bright patch: the network memorises its 209 training images, the overfitting the course discusses)");
console.log(`trained ${ITERATIONS} iterations in ${seconds.toFixed(3)} s (${((seconds / ITERATIONS) * 1e3).toFixed(3)} ms per iteration)`);

// The reference backend is slow: time a few iterations of it and compare per iteration.
vz.setBackend("reference");
const refTrain = arrays(data).train;
const refIterations = kind === "logistic" ? 50 : 3;
const t1 = performance.now();
makeModel(refIterations).fit(refTrain.X, refTrain.Y);
const refPerIteration = (performance.now() - t1) / refIterations / 1000;
console.log(`reference backend: ${(refPerIteration * 1e3).toFixed(2)} ms per iteration: ${backend} is ${(refPerIteration / (seconds / ITERATIONS)).toFixed(1)}× faster`);

const out = resolve(`demo-output/learning-curve${kind === "logistic" ? "" : "-deep"}.svg`);
mkdirSync(resolve("demo-output"), { recursive: true });
writeFileSync(out, learningCurveSvg(model.costs, 100, `Learning rate = ${LEARNING_RATE}`));
console.log(`learning curve: ${out}`);
