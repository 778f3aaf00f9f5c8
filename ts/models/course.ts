/**
 * The course's functions, with the notebook's names and shapes, for learners who follow it in
 * JS: w is (n_x, 1), b a number, X (n_x, m) with examples in columns, Y (1, m). They run on the
 * fused kernels (one pass over X per step); the notebook's own formulas are in the docs.
 */
import { LogisticLayout } from "../backend/backend.js";
import { ValueError, withOpName } from "../errors.js";
import { sameBackend } from "../ops/same_backend.js";
import { NDArray } from "../ndarray.js";
import { zeros } from "../creation.js";
import { formatShape } from "../shape.js";
import { sigmoid } from "../ops/sigmoid.js";
import { scope } from "../scope.js";
import { predictDeep, type Parameters } from "./course_deep.js";
import { checkFinite, checkLabels, checkLabelValues, design, packed } from "./data.js";
import { descend } from "./training.js";
import { propagateUnfused } from "./unfused.js";

/**
 * From these sizes on, one course-layout step on wasm runs as the composition of ops (two
 * streaming GEMVs and the element-wise formulas) rather than the fused cols pass: with many
 * examples the cols pass reads X as tiles across n_x concurrent row streams, which the
 * prefetchers follow poorly. Measured (`npm run bench -- --filter "logistic step ("`, same run,
 * Node 24, 2-core EPYC): the composition 2.2× faster at (784, 60000) f32 and 1.5× at f64, and
 * (issue 10) 1.4× at (1000, 100000); the fused pass 2.5× faster at (12288, 209), one tile wide.
 * Training re-lays X once and runs the rows pass instead (LogisticRegression.fit).
 */
const UNFUSED_FROM = { features: 256, examples: 8192 };

export { sigmoid };

/**
 * `w` of zeros, shape (dim, 1), and `b = 0`.
 * @param dim n_x, the number of features.
 * @throws {ValueError} a dim that is not a positive integer.
 * @example
 * const { w, b } = vz.course.initializeWithZeros(2);
 * [w.toArray(), b]; // => [[[0], [0]], 0]
 */
export function initializeWithZeros(dim: number): { w: NDArray; b: number } {
  if (!Number.isInteger(dim) || dim < 1) throw new ValueError(`initializeWithZeros: dim must be a positive integer, got ${dim}`);
  return { w: zeros([dim, 1]), b: 0 };
}

/**
 * The gradients of the cost, as `propagate` and `optimize` return them.
 * @example
 * const { grads } = vz.course.propagate(vz.zeros([1, 1]), 0, vz.ones([1, 2]), vz.array([[0, 1]]));
 * [grads.dw.shape, grads.db]; // => [[1, 1], 0]
 */
export interface Grads {
  /** ∂J/∂w, (n_x, 1). */
  dw: NDArray;
  /** ∂J/∂b. */
  db: number;
}

function checkParams(op: string, w: NDArray, b: number, X: NDArray): { nx: number; m: number } {
  const d = design(op, X, "cols");
  if (!(w instanceof NDArray) || w.ndim !== 2 || w.shape[1] !== 1 || w.shape[0] !== d.nx) {
    throw new ValueError(`${op}: w must have shape (${d.nx},1) to match X of shape ${formatShape(X.shape)}, got ${w instanceof NDArray ? formatShape(w.shape) : typeof w}`);
  }
  w.view(op);
  sameBackend(op, [w, X], "w and X");
  if (typeof b !== "number" || !Number.isFinite(b)) throw new ValueError(`${op}: b must be a finite number, got ${b}`);
  return d;
}

/**
 * What training needs beyond shapes: labels in [0, 1] and a finite X, unless `valuesLater`
 * (the caller reads both off the cost, then calls {@link checkTrainingValues} if it is not finite).
 */
function checkTrainingData(op: string, X: NDArray, Y: NDArray, d: { nx: number; m: number }, valuesLater = false): void {
  checkLabels(op, Y, X, "cols", d);
  if (d.m === 0) throw new ValueError(`${op}: X has no examples`);
  if (!valuesLater) checkTrainingValues(op, X, Y);
}

/** Labels in [0, 1], then a finite X: the first bad value found is named. */
function checkTrainingValues(op: string, X: NDArray, Y: NDArray): void {
  checkLabelValues(op, Y, false);
  checkFinite(op, X);
}

/**
 * Forward and backward propagation: `A = σ(wᵀX + b)`, the cost
 * `J = −(1/m)·Σ[Y·log A + (1−Y)·log(1−A)]` (computed in a form that never takes log(0)),
 * `dw = (1/m)·X·(A−Y)ᵀ`, `db = (1/m)·Σ(A−Y)`.
 * @param w the weights, (n_x, 1).
 * @param b the bias.
 * @param X the examples, (n_x, m).
 * @param Y the labels, (1, m), in [0, 1].
 * @throws {ValueError} shapes that do not match, labels outside [0, 1], NaN in X.
 * @example
 * // The notebook's test case.
 * const w = vz.array([[1], [2]], { dtype: "float64" }), b = 2;
 * const X = vz.array([[1, 2, -1], [3, 4, -3.2]], { dtype: "float64" }), Y = vz.array([[1, 0, 1]], { dtype: "float64" });
 * const { grads, cost } = vz.course.propagate(w, b, X, Y);
 * grads.dw; // => [[0.99845601], [2.39507239]]
 * grads.db; // => 0.00145557813678
 * cost; // => 5.801545319394
 */
export function propagate(w: NDArray, b: number, X: NDArray, Y: NDArray): { grads: Grads; cost: number } {
  const d = checkParams("propagate", w, b, X);
  const dtype = w.dtype;
  if (w.backend.name !== "reference" && d.nx >= UNFUSED_FROM.features && d.m >= UNFUSED_FROM.examples && X.dtype === dtype && Y.dtype === dtype) {
    checkTrainingData("propagate", X, Y, d);
    const { cost, dw, db } = propagateUnfused(w, b, X, Y);
    return { grads: { dw, db }, cost };
  }
  // X's finiteness and the labels' range are read off the cost instead of passes of their own
  // (a third of the time of a small step): a NaN or ±inf in X makes its example's z NaN or ±inf
  // (w·inf is never finite), and for a label in [0, 1] the loss at such a z is NaN or +inf
  // (max(z, 0) − y·z takes inf − inf, 0·inf or NaN; the losses are ≥ 0, so nothing cancels); the
  // kernel makes the loss of a label outside [0, 1] +inf. So a finite cost proves both, and only
  // a cost that is not finite pays for the scans that name the bad value. Labels converted to
  // the weights' dtype are checked first, as the user gave them (rounding could bring them in).
  checkTrainingData("propagate", X, Y, d, true);
  const [x, y, wv] = [packed(X, dtype), packed(Y, dtype), packed(w, dtype)];
  const dw = NDArray.empty(w.backend, dtype, Object.freeze([d.nx, 1])); // frozen: taken as it is, not copied
  try {
    if (y.owned) checkLabelValues("propagate", Y, false);
    const [xs, ys, ws, dws] = [x.array.view("propagate").storage, y.array.view("propagate").storage, wv.array.view("propagate").storage, dw.target("propagate")];
    const { cost, db } = withOpName("propagate", () => w.backend.logisticGrad(LogisticLayout.Cols, xs, d.nx, d.m, ys, ws, b, 0, dws));
    if (!Number.isFinite(cost)) checkTrainingValues("propagate", X, Y);
    return { grads: { dw, db }, cost };
  } catch (error) {
    dw.dispose();
    throw error;
  } finally {
    for (const p of [x, y, wv]) if (p.owned) p.array.dispose();
  }
}

/**
 * Gradient descent: `numIterations` times `w := w − α·dw`, `b := b − α·db`. Records the cost
 * every 100 iterations (printed as the notebook does with `printCost`). Returns the learned
 * parameters, the last gradients and the costs; the `w` passed in is not modified.
 * @param w the initial weights, (n_x, 1).
 * @param b the initial bias.
 * @param X the examples, (n_x, m).
 * @param Y the labels, (1, m), in [0, 1].
 * @param numIterations how many steps.
 * @param learningRate α.
 * @param printCost print the cost every 100 iterations, as the notebook does.
 * @throws {ValueError} shapes that do not match, bad labels, a bad count or rate.
 * @throws {DivergenceError} when the cost stops being finite.
 * @example
 * // The notebook's test case.
 * const w = vz.array([[1], [2]], { dtype: "float64" }), b = 2;
 * const X = vz.array([[1, 2, -1], [3, 4, -3.2]], { dtype: "float64" }), Y = vz.array([[1, 0, 1]], { dtype: "float64" });
 * const { params, grads, costs } = vz.course.optimize(w, b, X, Y, 100, 0.009);
 * params.w; // => [[0.19033591], [0.12259159]]
 * params.b; // => 1.92535983008
 * grads.dw; // => [[0.67752042], [1.41625495]]
 * costs; // => [5.80154532]
 */
export function optimize(
  w: NDArray,
  b: number,
  X: NDArray,
  Y: NDArray,
  numIterations: number,
  learningRate: number,
  printCost = false,
): { params: { w: NDArray; b: number }; grads: Grads; costs: number[] } {
  const d = checkParams("optimize", w, b, X);
  checkTrainingData("optimize", X, Y, d);
  if (!Number.isInteger(numIterations) || numIterations < 1) throw new ValueError(`optimize: numIterations must be a positive integer, got ${numIterations}`);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new ValueError(`optimize: learningRate must be a positive number, got ${learningRate}`);
  const dtype = w.dtype;
  const [x, y] = [packed(X, dtype), packed(Y, dtype)];
  const copy = w.astype(dtype);
  const params = copy.reshape(d.nx, 1); // a view that keeps the copy's buffer alive
  copy.dispose();
  try {
    const costs: number[] = [];
    let bias = b;
    // All but the last iteration inside wasm; the last one here, to return its gradients.
    descend({
      iterations: numIterations - 1,
      recordEvery: 100,
      step: (chunk) => {
        const r = withOpName("optimize", () =>
          w.backend.logisticTrain(LogisticLayout.Cols, x.array.view("optimize").storage, d.nx, d.m, y.array.view("optimize").storage, params.view("optimize").storage, bias, {
            learningRate, l2: 0, recordEvery: 100, tolerance: 0, ...chunk,
          }),
        );
        bias = r.bias;
        return r;
      },
      onCost: (iteration, c) => {
        costs.push(c);
        if (printCost) console.log(`Cost after iteration ${iteration}: ${c.toFixed(6)}`);
      },
      diverged: (done, c) => `optimize: the cost is ${c} at iteration ${done}: training diverged (learning rate ${learningRate} is too large, or the data overflow ${dtype})`,
    });
    const { grads, cost } = propagate(params, bias, X, Y);
    if ((numIterations - 1) % 100 === 0) {
      costs.push(cost);
      if (printCost) console.log(`Cost after iteration ${numIterations - 1}: ${cost.toFixed(6)}`);
    }
    const step = grads.dw.mul(learningRate);
    const next = params.sub(step);
    [step, params].forEach((a) => a.dispose());
    return { params: { w: next, b: bias - learningRate * grads.db }, grads, costs };
  } catch (error) {
    params.dispose();
    throw error;
  } finally {
    for (const p of [x, y]) if (p.owned) p.array.dispose();
  }
}

/**
 * 0/1 predictions, shape (1, m): logistic regression's `predict(w, b, X)`, 1 where
 * `σ(wᵀX + b) > 0.5`; or the deep application's `predict(X, y, parameters)`, 1 where the
 * L-layer model's AL > 0.5 (y, the labels, is not used: the notebook prints the accuracy).
 * @param w the weights, (n_x, 1).
 * @param b the bias.
 * @param X the examples, (n_x, m).
 * @throws {ValueError} shapes that do not match.
 * @example
 * const w = vz.array([[0.1124579], [0.23106775]], { dtype: "float64" }), b = -0.3;
 * const X = vz.array([[1, -1.1, -3.2], [1.2, 2, 0.1]], { dtype: "float64" });
 * vz.course.predict(w, b, X); // => [[1, 1, 0]]
 */
export function predict(w: NDArray, b: number, X: NDArray): NDArray;
/**
 * The deep application's `predict(X, y, parameters)`: 1 where the L-layer model's AL > 0.5.
 * @param X the examples, (n_x, m).
 * @param y the labels (not used: the notebook prints the accuracy).
 * @param parameters `{ W1, b1, …, WL, bL }`.
 * @throws {ValueError} shapes that do not match.
 * @example
 * const parameters = { W1: vz.array([[1, -1]], { dtype: "float64" }), b1: vz.array([[0]], { dtype: "float64" }) };
 * vz.course.predict(vz.array([[2, 0], [1, 3]], { dtype: "float64" }), vz.array([[1, 0]]), parameters); // => [[1, 0]]
 */
export function predict(X: NDArray, y: NDArray, parameters: Parameters): NDArray;
export function predict(first: NDArray, second: number | NDArray, third: NDArray | Parameters): NDArray {
  if (typeof second !== "number" && !(third instanceof NDArray)) return predictDeep(first, third);
  return predictLogistic(first, second as number, third as NDArray);
}

function predictLogistic(w: NDArray, b: number, X: NDArray): NDArray {
  const d = checkParams("predict", w, b, X);
  const x = packed(X, w.dtype);
  const wv = packed(w, w.dtype);
  const a = NDArray.empty(w.backend, w.dtype, Object.freeze([1, d.m]));
  try {
    if (d.m > 0) withOpName("predict", () => w.backend.logisticForward(LogisticLayout.Cols, x.array.view("predict").storage, d.nx, d.m, wv.array.view("predict").storage, b, a.target("predict")));
    return a.greater(0.5);
  } finally {
    a.dispose();
    for (const p of [x, wv]) if (p.owned) p.array.dispose();
  }
}

/**
 * What the notebook's `model` returns (its dict `d`, with camelCase keys).
 * @example
 * const X = vz.array([[0, 1, 2, 3]], { dtype: "float64" }), Y = vz.array([[0, 0, 1, 1]], { dtype: "float64" });
 * const d = vz.course.model(X, Y, X, Y, 1000, 0.5);
 * [d.trainAccuracy, d.testAccuracy]; // => [100, 100]
 */
export interface ModelResult {
  /** The costs every 100 iterations. */
  costs: number[];
  /** Predictions on the test set, (1, m_test). */
  yPredictionTest: NDArray;
  /** Predictions on the training set, (1, m_train). */
  yPredictionTrain: NDArray;
  /** The learned weights, (n_x, 1). */
  w: NDArray;
  /** The learned bias. */
  b: number;
  /** α, as given. */
  learningRate: number;
  /** The iterations, as given. */
  numIterations: number;
  /** Percent, as the notebook prints them. */
  trainAccuracy: number;
  /** Percent, as the notebook prints them. */
  testAccuracy: number;
}

/**
 * The notebook's `model`: zeros, `optimize`, then predictions and accuracies on both sets
 * (`100 − mean(|Ŷ − Y|)·100`, printed with `printCost`).
 * @param XTrain the training examples, (n_x, m_train).
 * @param YTrain the training labels, (1, m_train).
 * @param XTest the test examples, (n_x, m_test).
 * @param YTest the test labels, (1, m_test).
 * @param numIterations how many steps (2000).
 * @param learningRate α (0.5).
 * @param printCost print the costs and accuracies, as the notebook does.
 * @throws {ValueError} shapes that do not match, bad labels, a bad count or rate.
 * @throws {DivergenceError} when the cost stops being finite.
 * @example
 * const X = vz.array([[0, 1, 2, 3]], { dtype: "float64" }), Y = vz.array([[0, 0, 1, 1]], { dtype: "float64" });
 * vz.course.model(X, Y, X, Y, 1000, 0.5).yPredictionTrain; // => [[0, 0, 1, 1]]
 */
export function model(
  XTrain: NDArray,
  YTrain: NDArray,
  XTest: NDArray,
  YTest: NDArray,
  numIterations = 2000,
  learningRate = 0.5,
  printCost = false,
): ModelResult {
  const d = design("model", XTrain, "cols");
  checkLabels("model", YTrain, XTrain, "cols", d);
  const dTest = design("model", XTest, "cols");
  checkLabels("model", YTest, XTest, "cols", dTest);
  sameBackend("model", [XTrain, XTest], "XTrain and XTest");
  if (dTest.nx !== d.nx) {
    throw new ValueError(`model: XTest has ${dTest.nx} features (shape ${formatShape(XTest.shape)}) but XTrain has ${d.nx} (shape ${formatShape(XTrain.shape)})`);
  }
  checkLabelValues("model", YTrain, true);
  checkLabelValues("model", YTest, true);
  checkFinite("model", XTrain, "XTrain");
  checkFinite("model", XTest, "XTest");
  // initializeWithZeros(dim), on XTrain's backend and in its dtype.
  const start = NDArray.empty(XTrain.backend, XTrain.dtype, [d.nx, 1]);
  start.backend.fill(start.view("model").storage, 0);
  try {
    const { params, grads, costs } = optimize(start, 0, XTrain, YTrain, numIterations, learningRate, printCost);
    grads.dw.dispose();
    const yPredictionTest = predict(params.w, params.b, XTest);
    const yPredictionTrain = predict(params.w, params.b, XTrain);
    // The notebook's formula; its temporaries are freed with the scope.
    const accuracy = (pred: NDArray, Y: NDArray) => scope(() => 100 - pred.sub(Y.reshape(pred.shape)).abs().mean().item() * 100);
    const trainAccuracy = accuracy(yPredictionTrain, YTrain);
    const testAccuracy = accuracy(yPredictionTest, YTest);
    if (printCost) {
      console.log(`train accuracy: ${trainAccuracy} %`);
      console.log(`test accuracy: ${testAccuracy} %`);
    }
    return { costs, yPredictionTest, yPredictionTrain, w: params.w, b: params.b, learningRate, numIterations, trainAccuracy, testAccuracy };
  } finally {
    start.dispose();
  }
}

export {
  initializeParameters,
  initializeParametersDeep,
  linearForward,
  linearActivationForward,
  LModelForward,
  computeCost,
  linearBackward,
  linearActivationBackward,
  LModelBackward,
  updateParameters,
  twoLayerModel,
  LLayerModel,
  nnModel,
  gradientCheck,
  type Parameters,
  type LayerCache,
  type LinearCache,
  type Activation,
} from "./course_deep.js";
