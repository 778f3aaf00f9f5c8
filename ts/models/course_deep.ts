/**
 * The course's deep-network functions ("Building your Deep Neural Network: Step by Step", its
 * application, the planar-data notebook and "Gradient Checking"), with the notebooks' names in
 * camelCase and their shapes: X (n_x, m), examples in columns; `parameters` { W1, b1, …, WL, bL }
 * with W_l (n_l, n_{l−1}) and b_l (n_l, 1); hidden layers ReLU (tanh in the planar model) and a
 * σ output. Every array they return belongs to the caller; their temporaries are freed.
 * `DenseNetwork` is the same math as a model with options, checks and speed.
 */
import { zeros } from "../creation.js";
import { ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { add } from "../ops/add.js";
import { div } from "../ops/div.js";
import { greater } from "../ops/greater.js";
import { log } from "../ops/log.js";
import { matmul } from "../ops/matmul.js";
import { mul } from "../ops/mul.js";
import { neg } from "../ops/neg.js";
import { sub } from "../ops/sub.js";
import { sum } from "../ops/sum.js";
import { randn, withSeed } from "../random.js";
import { scope } from "../scope.js";
import { formatShape } from "../shape.js";
import { checkLabels, checkLabelValues, design } from "./data.js";
import { activate, backActivate, type Hidden } from "./network/activation.js";

/**
 * The notebooks' `parameters`: { W1, b1, …, WL, bL }, W_l (n_l, n_{l−1}), b_l (n_l, 1).
 * @example
 * Object.keys(vz.course.initializeParametersDeep([4, 3, 1])); // => ["W1", "b1", "W2", "b2"]
 */
export type Parameters = Record<string, NDArray>;

/**
 * A layer's activation in the course's functions: "sigmoid", "relu", "tanh" or "leakyRelu".
 * @example
 * const { A } = vz.course.linearActivationForward(vz.array([[1, -2]]), vz.array([[2]]), vz.array([[0]]), "relu");
 * A; // => [[2, 0]]
 */
export type Activation = Hidden;

/**
 * `linear_cache`: the inputs of `Z = W·A + b`.
 * @example
 * const { cache } = vz.course.linearForward(vz.ones([2, 3]), vz.ones([1, 2]), vz.zeros([1, 1]));
 * cache.A.shape; // => [2, 3]
 */
export interface LinearCache {
  A: NDArray;
  W: NDArray;
  b: NDArray;
}

/**
 * A layer's cache: `(linear_cache, activation_cache)`, the latter Z.
 * @example
 * const { cache } = vz.course.linearActivationForward(vz.ones([2, 3]), vz.ones([1, 2]), vz.zeros([1, 1]), "sigmoid");
 * cache.activationCache; // => [[2, 2, 2]]
 */
export interface LayerCache {
  linearCache: LinearCache;
  /** Z */
  activationCache: NDArray;
}

/** The notebooks' `np.random.seed(1)` before initialising, on our stream. */
const SEED = 1;

/**
 * Parameters of a 2-layer network: W = randn·0.01, b = 0 (seeded as the notebook).
 * @param nX input features
 * @param nH hidden units
 * @param nY output units
 * @example
 * const p = vz.course.initializeParameters(2, 3, 1);
 * p.W1.shape; // => [3, 2]
 * p.b2; // => [[0]]
 */
export function initializeParameters(nX: number, nH: number, nY: number): Parameters {
  [nX, nH, nY].forEach((n) => {
    if (!Number.isInteger(n) || n < 1) throw new ValueError(`initializeParameters: layer sizes must be positive integers, got ${n}`);
  });
  return withSeed(SEED, () =>
    scope(() => ({
      W1: mul(randn([nH, nX]), 0.01),
      b1: zeros([nH, 1]),
      W2: mul(randn([nY, nH]), 0.01),
      b2: zeros([nY, 1]),
    })),
  );
}

/**
 * Parameters of an L-layer network: W_l = randn(n_l, n_{l−1}) / √n_{l−1}, b_l = 0 (the application's initialisation).
 * @param layerDims [n_x, n_1, …, n_L]
 * @example
 * vz.course.initializeParametersDeep([5, 4, 1]).W2.shape; // => [1, 4]
 */
export function initializeParametersDeep(layerDims: readonly number[]): Parameters {
  if (!Array.isArray(layerDims) || layerDims.length < 2 || !layerDims.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ValueError(`initializeParametersDeep: layerDims must list at least two positive integers, got ${Array.isArray(layerDims) ? formatShape(layerDims) : typeof layerDims}`);
  }
  return withSeed(SEED, () =>
    scope(() => {
      const parameters: Parameters = {};
      for (let l = 1; l < layerDims.length; l++) {
        parameters[`W${l}`] = div(randn([layerDims[l]!, layerDims[l - 1]!]), Math.sqrt(layerDims[l - 1]!));
        parameters[`b${l}`] = zeros([layerDims[l]!, 1]);
      }
      return parameters;
    }),
  );
}

/**
 * `Z = W·A + b`, and the cache (A, W, b) backward propagation needs.
 * @param A the previous layer's activations (n_{l−1}, m)
 * @param W the weights (n_l, n_{l−1})
 * @param b the bias (n_l, 1)
 * @example
 * vz.course.linearForward(vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]), vz.array([[1, 2]]), vz.array([[0.5]])).Z; // => [[2.5, 1.5, 4.5, 3.5]]
 */
export function linearForward(A: NDArray, W: NDArray, b: NDArray): { Z: NDArray; cache: LinearCache } {
  return { Z: scope(() => add(matmul(W, A), b)), cache: { A, W, b } };
}

/**
 * `A = g(W·A_prev + b)` for g "sigmoid", "relu", "tanh" or "leakyRelu", and the layer's cache.
 * @param APrev the previous layer's activations (n_{l−1}, m)
 * @param W the weights (n_l, n_{l−1})
 * @param b the bias (n_l, 1)
 * @param activation the layer's g
 * @example
 * vz.course.linearActivationForward(vz.array([[1, -2]]), vz.array([[2]]), vz.array([[0]]), "relu").A; // => [[2, 0]]
 * @throws {ValueError} an unknown activation
 */
export function linearActivationForward(APrev: NDArray, W: NDArray, b: NDArray, activation: Activation): { A: NDArray; cache: LayerCache } {
  const g = checkActivation("linearActivationForward", activation);
  const { Z, cache } = linearForward(APrev, W, b);
  return { A: scope(() => activate(g, Z)), cache: { linearCache: cache, activationCache: Z } };
}

/**
 * [LINEAR → RELU] × (L−1) → LINEAR → SIGMOID: the output AL (1, m) and every layer's cache.
 * @param X the examples (n_x, m)
 * @param parameters { W1, b1, …, WL, bL }
 * @example
 * const { AL, caches } = vz.course.LModelForward(vz.ones([5, 3]), vz.course.initializeParametersDeep([5, 4, 1]));
 * AL.shape; // => [1, 3]
 * caches.length; // => 2
 */
export function LModelForward(X: NDArray, parameters: Parameters): { AL: NDArray; caches: LayerCache[] } {
  const L = layerCount("LModelForward", parameters);
  const caches: LayerCache[] = [];
  let A = X;
  for (let l = 1; l <= L; l++) {
    const step = linearActivationForward(A, parameters[`W${l}`]!, parameters[`b${l}`]!, l === L ? "sigmoid" : "relu");
    caches.push(step.cache);
    A = step.A;
  }
  return { AL: A, caches };
}

/**
 * The cross-entropy cost `−(1/m)·Σ[Y·log(AL) + (1 − Y)·log(1 − AL)]` (the notebook's formula, from AL).
 * @param AL the output's probabilities (1, m)
 * @param Y the labels (1, m)
 * @example
 * vz.course.computeCost(vz.array([[0.8, 0.9, 0.4]]), vz.array([[1, 1, 0]])); // => 0.27977655
 */
export function computeCost(AL: NDArray, Y: NDArray): number {
  const m = Y.shape[Y.ndim - 1]!;
  return scope(() => -sum(add(mul(Y, log(AL)), mul(sub(1, Y), log(sub(1, AL))))).item() / m);
}

/**
 * From dZ of a layer: `dW = (1/m)·dZ·A_prevᵀ`, `db = (1/m)·Σ dZ` (over the examples), `dA_prev = Wᵀ·dZ`.
 * @param dZ the gradient of the cost with respect to the layer's Z (n_l, m)
 * @param cache the layer's linear cache (A_prev, W, b)
 * @example
 * const A = vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]);
 * const { dW, db } = vz.course.linearBackward(vz.array([[1, -1, 0.5, 0]]), { A, W: vz.array([[1, 2]]), b: vz.array([[0.5]]) });
 * dW; // => [[0, 0.375]]
 * db; // => [[0.125]]
 */
export function linearBackward(dZ: NDArray, cache: LinearCache): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const m = cache.A.shape[1]!;
  return scope(() => ({
    dAPrev: matmul(cache.W.T, dZ),
    dW: mul(matmul(dZ, cache.A.T), 1 / m),
    db: mul(sum(dZ, { axis: 1, keepdims: true }), 1 / m),
  }));
}

/**
 * `dZ = dA ⊙ g′(Z)` for the layer's activation, then `linearBackward`.
 * @param dA the gradient of the cost with respect to the layer's A (n_l, m)
 * @param cache the layer's cache from `linearActivationForward`
 * @param activation the layer's g
 * @example
 * const { cache } = vz.course.linearActivationForward(vz.array([[1, -2]]), vz.array([[2]]), vz.array([[0]]), "relu");
 * vz.course.linearActivationBackward(vz.array([[1, 1]]), cache, "relu").db; // => [[0.5]]
 */
export function linearActivationBackward(dA: NDArray, cache: LayerCache, activation: Activation): { dAPrev: NDArray; dW: NDArray; db: NDArray } {
  const g = checkActivation("linearActivationBackward", activation);
  const dZ = scope(() => backActivate(g, dA, cache.activationCache, activate(g, cache.activationCache)));
  try {
    return linearBackward(dZ, cache.linearCache);
  } finally {
    dZ.dispose();
  }
}

/**
 * Gradients { dA0, dW1, db1, …, dA(L−1), dWL, dbL } from `dAL = −(Y/AL − (1 − Y)/(1 − AL))` backwards.
 * @param AL the output of `LModelForward` (1, m)
 * @param Y the labels (1, m)
 * @param caches the caches of `LModelForward`
 * @example
 * const X = vz.ones([5, 3]);
 * const { AL, caches } = vz.course.LModelForward(X, vz.course.initializeParametersDeep([5, 4, 1]));
 * vz.course.LModelBackward(AL, vz.array([[0, 1, 1]]), caches).dW1.shape; // => [4, 5]
 */
export function LModelBackward(AL: NDArray, Y: NDArray, caches: readonly LayerCache[]): Parameters {
  const L = caches.length;
  const grads: Parameters = {};
  const labels = Y.reshape(AL.shape);
  try {
    let dA = scope(() => neg(sub(div(labels, AL), div(sub(1, labels), sub(1, AL)))));
    for (let l = L; l >= 1; l--) {
      const step = linearActivationBackward(dA, caches[l - 1]!, l === L ? "sigmoid" : "relu");
      if (l === L) dA.dispose();
      grads[`dA${l - 1}`] = step.dAPrev;
      grads[`dW${l}`] = step.dW;
      grads[`db${l}`] = step.db;
      dA = step.dAPrev;
    }
    return grads;
  } finally {
    labels.dispose();
  }
}

/**
 * `W_l − α·dW_l`, `b_l − α·db_l` for every layer, as new arrays (the notebook's `parameters` is not changed).
 * @param parameters { W1, b1, … }
 * @param grads { dW1, db1, … } (dA entries are ignored)
 * @param learningRate α
 * @example
 * vz.course.updateParameters({ W1: vz.array([[1, 2]]), b1: vz.array([[0]]) }, { dW1: vz.array([[1, 1]]), db1: vz.array([[2]]) }, 0.5).W1; // => [[0.5, 1.5]]
 */
export function updateParameters(parameters: Parameters, grads: Parameters, learningRate: number): Parameters {
  const L = layerCount("updateParameters", parameters);
  return scope(() => {
    const next: Parameters = {};
    for (let l = 1; l <= L; l++) {
      for (const kind of ["W", "b"]) {
        const g = grads[`d${kind}${l}`];
        if (!(g instanceof NDArray)) throw new ValueError(`updateParameters: grads has no d${kind}${l}`);
        next[`${kind}${l}`] = sub(parameters[`${kind}${l}`]!, mul(g, learningRate));
      }
    }
    return next;
  });
}

/**
 * The application's L-layer model: initializeParametersDeep, then gradient descent; costs every 100 iterations.
 * @param X the examples (n_x, m)
 * @param Y the labels (1, m)
 * @param layersDims [n_x, n_1, …, 1]
 * @param learningRate α (0.0075)
 * @param numIterations gradient-descent steps (3000)
 * @param printCost print the cost every 100 iterations, as the notebook
 * @example
 * const X = vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]);
 * const { parameters, costs } = vz.course.LLayerModel(X, vz.array([[0, 0, 1, 1]]), [2, 3, 1], 0.5, 101);
 * costs.length; // => 2
 * vz.course.predict(X, vz.array([[0, 0, 1, 1]]), parameters); // => [[0, 0, 1, 1]]
 */
export function LLayerModel(X: NDArray, Y: NDArray, layersDims: readonly number[], learningRate = 0.0075, numIterations = 3000, printCost = false): { parameters: Parameters; costs: number[] } {
  checkData("LLayerModel", X, Y, layersDims[0], learningRate, numIterations);
  return train(initializeParametersDeep(layersDims), learningRate, numIterations, printCost, (p) => {
    const { AL, caches } = LModelForward(X, p);
    return { cost: computeCost(AL, Y), grads: LModelBackward(AL, Y, caches) };
  });
}

/**
 * The application's 2-layer model LINEAR → RELU → LINEAR → SIGMOID (layersDims [n_x, n_h, n_y]).
 * @param X the examples (n_x, m)
 * @param Y the labels (1, m)
 * @param layersDims [n_x, n_h, n_y]
 * @param learningRate α (0.0075)
 * @param numIterations gradient-descent steps (3000)
 * @param printCost print the cost every 100 iterations, as the notebook
 * @example
 * vz.course.twoLayerModel(vz.ones([2, 4]), vz.array([[0, 1, 0, 1]]), [2, 3, 1], 0.1, 201).costs.length; // => 3
 */
export function twoLayerModel(X: NDArray, Y: NDArray, layersDims: readonly [number, number, number], learningRate = 0.0075, numIterations = 3000, printCost = false): { parameters: Parameters; costs: number[] } {
  checkData("twoLayerModel", X, Y, layersDims[0], learningRate, numIterations);
  const [nX, nH, nY] = layersDims;
  return train(initializeParameters(nX, nH, nY), learningRate, numIterations, printCost, (p) => {
    const { AL, caches } = LModelForward(X, p);
    return { cost: computeCost(AL, Y), grads: LModelBackward(AL, Y, caches) };
  });
}

/**
 * The planar-data notebook's one-hidden-layer model: tanh hidden layer of nH units, σ output, learning rate 1.2.
 * @param X the examples (n_x, m)
 * @param Y the labels (1, m)
 * @param nH hidden units
 * @param numIterations gradient-descent steps (10000)
 * @param printCost print the cost every 100 iterations
 * @example
 * const X = vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]);
 * vz.course.predict(X, vz.array([[0, 0, 1, 1]]), vz.course.nnModel(X, vz.array([[0, 0, 1, 1]]), 4, 1000)); // => [[0, 0, 1, 1]]
 */
export function nnModel(X: NDArray, Y: NDArray, nH: number, numIterations = 10000, printCost = false): Parameters {
  checkData("nnModel", X, Y, X?.shape?.[0], 1.2, numIterations);
  const start = initializeParameters(X.shape[0]!, nH, 1);
  return train(start, 1.2, numIterations, printCost, (p) => {
    const hidden = linearActivationForward(X, p["W1"]!, p["b1"]!, "tanh");
    const out = linearActivationForward(hidden.A, p["W2"]!, p["b2"]!, "sigmoid");
    const cost = computeCost(out.A, Y);
    // dZ2 = A2 − Y, dZ1 = W2ᵀdZ2 ⊙ (1 − A1²): the notebook's backward_propagation.
    const m = X.shape[1]!;
    const dZ2 = sub(out.A, Y);
    const dZ1 = mul(matmul(p["W2"]!.T, dZ2), sub(1, mul(hidden.A, hidden.A)));
    const grads = {
      dW1: mul(matmul(dZ1, X.T), 1 / m),
      db1: mul(sum(dZ1, { axis: 1, keepdims: true }), 1 / m),
      dW2: mul(matmul(dZ2, hidden.A.T), 1 / m),
      db2: mul(sum(dZ2, { axis: 1, keepdims: true }), 1 / m),
    };
    return { cost, grads };
  }).parameters;
}

/** The application's `predict(X, y, parameters)` (exported as `course.predict`): 1 where AL > 0.5, as a (1, m) array. */
export function predictDeep(X: NDArray, parameters: Parameters): NDArray {
  return scope(() => greater(LModelForward(X, parameters).AL, 0.5));
}

/**
 * "Gradient Checking" (`gradient_check_n`) for the L-layer model: each parameter moved by ±ε,
 * `(J(θ+ε) − J(θ−ε))/2ε` against `gradients` (from LModelBackward), returning
 * `‖grad − approx‖ / (‖grad‖ + ‖approx‖)`; below ~1e-7 when backpropagation is right.
 * @param parameters { W1, b1, … }
 * @param gradients { dW1, db1, … } at those parameters
 * @param X the examples (n_x, m)
 * @param Y the labels (1, m)
 * @param epsilon the step ε (1e-7)
 * @example
 * const X = vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]), Y = vz.array([[0, 0, 1, 1]]);
 * const parameters = vz.course.initializeParametersDeep([2, 3, 1]);
 * const { AL, caches } = vz.course.LModelForward(X, parameters);
 * vz.course.gradientCheck(parameters, vz.course.LModelBackward(AL, Y, caches), X, Y) < 1e-7; // => true
 */
export function gradientCheck(parameters: Parameters, gradients: Parameters, X: NDArray, Y: NDArray, epsilon = 1e-7): number {
  const L = layerCount("gradientCheck", parameters);
  const names = Array.from({ length: L }, (_, l) => [`W${l + 1}`, `b${l + 1}`]).flat();
  const theta = names.map((n) => Float64Array.from(parameters[n]!.toTypedArray()));
  const grad = names.flatMap((n) => {
    const g = gradients[`d${n}`];
    if (!(g instanceof NDArray)) throw new ValueError(`gradientCheck: gradients has no d${n}`);
    return Array.from(g.toTypedArray());
  });
  const J = (values: Float64Array[]) =>
    scope(() => {
      const p: Parameters = {};
      names.forEach((n) => (p[n] = NDArray.empty(X.backend, "float64", parameters[n]!.shape)));
      names.forEach((n, i) => X.backend.write(p[n]!.view("gradientCheck").storage, values[i]!));
      const x = X.astype("float64");
      const y = Y.astype("float64");
      return computeCost(LModelForward(x, p).AL, y);
    });
  const approx: number[] = [];
  theta.forEach((values, k) =>
    values.forEach((_, i) => {
      const moved = (delta: number) => theta.map((t, j) => (j === k ? Float64Array.from(t, (v, q) => (q === i ? v + delta : v)) : t));
      approx.push((J(moved(epsilon)) - J(moved(-epsilon))) / (2 * epsilon));
    }),
  );
  const norm = (v: number[]) => Math.hypot(...v);
  return norm(grad.map((g, i) => g - approx[i]!)) / (norm(grad) + norm(approx));
}

/** Gradient descent over `step`'s gradients, recording the cost every 100 iterations as the notebooks. */
function train(
  start: Parameters,
  learningRate: number,
  numIterations: number,
  printCost: boolean,
  step: (p: Parameters) => { cost: number; grads: Parameters },
): { parameters: Parameters; costs: number[] } {
  let parameters = start;
  const costs: number[] = [];
  try {
    for (let i = 0; i < numIterations; i++) {
      const current = parameters;
      const { cost, next } = scope(() => {
        const { cost, grads } = step(current);
        return { cost, next: updateParameters(current, grads, learningRate) };
      });
      Object.values(current).forEach((a) => a.dispose());
      parameters = next;
      if (i % 100 === 0 || i === numIterations - 1) {
        if (printCost) console.log(`Cost after iteration ${i}: ${cost}`);
        if (i % 100 === 0) costs.push(cost);
      }
    }
    return { parameters, costs };
  } catch (error) {
    Object.values(parameters).forEach((a) => a.dispose());
    throw error;
  }
}

/** The models' arguments, checked before anything is allocated. */
function checkData(op: string, X: NDArray, Y: NDArray, nX: number | undefined, learningRate: number, numIterations: number): void {
  if (!Number.isInteger(numIterations) || numIterations < 0) throw new ValueError(`${op}: numIterations must be a non-negative integer, got ${numIterations}`);
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new ValueError(`${op}: learningRate must be a positive number, got ${learningRate}`);
  const d = design(op, X, "cols");
  checkLabels(op, Y, X, "cols", d);
  checkLabelValues(op, Y, false);
  if (d.nx !== nX) throw new ValueError(`${op}: X has ${d.nx} features (shape ${formatShape(X.shape)}) but layersDims[0] is ${nX}`);
}

function layerCount(op: string, parameters: Parameters): number {
  if (typeof parameters !== "object" || parameters === null) throw new ValueError(`${op}: parameters must be an object { W1, b1, … }`);
  let L = 0;
  while (parameters[`W${L + 1}`] instanceof NDArray && parameters[`b${L + 1}`] instanceof NDArray) L++;
  if (L === 0) throw new ValueError(`${op}: parameters has no W1 and b1`);
  return L;
}

function checkActivation(op: string, activation: unknown): Hidden {
  if (activation === "relu" || activation === "sigmoid" || activation === "tanh" || activation === "leakyRelu") return activation;
  throw new ValueError(`${op}: activation must be "sigmoid", "relu", "tanh" or "leakyRelu", got ${JSON.stringify(activation)}`);
}
