/**
 * A dense (fully connected) network in the course's notation: `layers` [n_x, n_1, …, n_L],
 * hidden layers `g` (ReLU, tanh, σ or leaky ReLU), and a σ output (one unit, binary labels,
 * cross-entropy) or a softmax output (K units, labels 0…K−1, categorical cross-entropy),
 * trained by full-batch gradient descent. Each step is the library's ops (GEMMs with the bias
 * broadcast, element-wise activations), its temporaries freed per iteration.
 */
import { NetworkHidden, NetworkOutput } from "../backend/backend.js";
import { currentBackend } from "../backend/registry.js";
import { isDType, type DType } from "../dtype.js";
import { DisposedError, DivergenceError, DTypeError, NotFittedError, ValueError, withOpName } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { argmax } from "../ops/argmax.js";
import { div } from "../ops/div.js";
import { greater } from "../ops/greater.js";
import { mul } from "../ops/mul.js";
import { sameBackend } from "../ops/same_backend.js";
import { sub } from "../ops/sub.js";
import { checkOptions } from "../options.js";
import { randn, withSeed } from "../random.js";
import { scope, untracked } from "../scope.js";
import { formatShape } from "../shape.js";
import { checkFinite, checkLabels, checkLabelValues, design, packed, type Layout } from "./data.js";
import { HIDDEN, type Hidden } from "./network/activation.js";
import { batches, type Batches } from "./network/batches.js";
import { backward, cost, forward, type Layer, type Output } from "./network/propagation.js";
import { descend } from "./training.js";

/**
 * The options of a {@link DenseNetwork}; a misspelt one is an error that names the right one.
 * @example
 * new vz.DenseNetwork({ layers: [2, 3, 1] }).options.output; // => sigmoid
 * new vz.DenseNetwork({ layers: [2, 3, 1], hiden: "tanh" }); // throws ValueError: DenseNetwork: unknown option 'hiden' (did you mean 'hidden'?)…
 */
export interface DenseNetworkOptions {
  /** Layer sizes [n_x, n_1, …, n_L]: the input's features, then each layer's units (n_L = 1 for σ, K for softmax). */
  layers: readonly number[];
  /** Hidden layers' activation. Default "relu". */
  hidden?: Hidden;
  /** Output: "sigmoid" (n_L = 1, labels 0/1) or "softmax" (labels 0…n_L−1). Default: sigmoid when n_L is 1, else softmax. */
  output?: Output;
  /** α in `W := W − α·dW`. Default 0.0075 (the course's L-layer network). */
  learningRate?: number;
  /** Gradient-descent steps. Default 2500. */
  iterations?: number;
  /** Record the cost (and call `onProgress`) every this many iterations, from iteration 0. Default 100. */
  recordEvery?: number;
  /** λ of an L2 penalty `(λ/2m)·Σ‖W_l‖²`. Default 0. */
  l2?: number;
  /** Stop once the cost changes by less than this between iterations. Default 0 (never). */
  tolerance?: number;
  /** Mini-batch size; each epoch visits the examples in a fresh seeded shuffle, and `iterations` counts mini-batch steps. Default: all m (batch gradient descent). */
  batchSize?: number;
  /** Seed of the default initialisation (randn(n_l, n_{l−1})/√n_{l−1}, b = 0) and of the mini-batch shuffle. Default 1. */
  seed?: number;
  /** Computation dtype. Default: X's dtype. */
  dtype?: DType;
  /** "cols": X (n_x, m), Y (1, m), the course's. "rows": X (m, n_x), y (m,), sklearn's. Default "cols". */
  layout?: Layout;
  /** Each `fit` after the first continues from the parameters the previous one reached. Default false. */
  warmStart?: boolean;
}

/**
 * A recorded point of a network's training, as `onProgress` receives it.
 * @example
 * const seen = [];
 * new vz.DenseNetwork({ layers: [1, 2, 1], iterations: 3, recordEvery: 1 }).fit(vz.ones([1, 2]), vz.array([[0, 1]]), { onProgress: (p) => seen.push(p.iteration) });
 * seen; // => [0, 1, 2]
 */
export interface NetworkProgress {
  iteration: number;
  cost: number;
}

/**
 * The options of one {@link DenseNetwork.fit} call.
 * @example
 * const start = { W1: vz.zeros([3, 2]), b1: vz.zeros([3, 1]), W2: vz.ones([1, 3]), b2: vz.zeros([1, 1]) };
 * const net = new vz.DenseNetwork({ layers: [2, 3, 1] }).fit(vz.ones([2, 4]), vz.array([[0, 1, 0, 1]]), { iterations: 0, initialParameters: start });
 * net.parameters.W2; // => [[1, 1, 1]]
 */
export interface DenseFitOptions {
  /** Called with each recorded cost, every `recordEvery` iterations. */
  onProgress?: (progress: NetworkProgress) => void;
  /** Iterations for this call instead of the model's `iterations`. */
  iterations?: number;
  /** W1, b1, …, WL, bL to start from (shapes (n_l, n_{l−1}) and (n_l, 1)), instead of the seeded initialisation. */
  initialParameters?: Record<string, NDArray>;
}

/**
 * The JSON form of a fitted network (`toJSON()` / `DenseNetwork.fromJSON()`).
 * @example
 * const net = new vz.DenseNetwork({ layers: [1, 2, 1], iterations: 5 }).fit(vz.ones([1, 2]), vz.array([[0, 1]]));
 * const json = net.toJSON();
 * Object.keys(json.parameters); // => ["W1", "b1", "W2", "b2"]
 * vz.DenseNetwork.fromJSON(json).options.layers; // => [1, 2, 1]
 */
export interface DenseNetworkJSON {
  format: "vectorized.DenseNetwork";
  version: 1;
  options: Required<Omit<DenseNetworkOptions, "dtype" | "output" | "batchSize">> & { dtype: DType; output: Output; batchSize?: number };
  /** W1, b1, … as row-major numbers. */
  parameters: Record<string, number[]>;
  costs: number[];
  iterationsRun: number;
}

const DEFAULTS = { hidden: "relu" as Hidden, learningRate: 0.0075, iterations: 2500, recordEvery: 100, l2: 0, tolerance: 0, seed: 1, layout: "cols" as Layout, warmStart: false };
const OPTIONS = ["layers", "output", "dtype", "batchSize", ...Object.keys(DEFAULTS)];
const FIT_OPTIONS = ["onProgress", "iterations", "initialParameters"];

/** One `fit`'s training: the data, the parameters it updates, and where costs go. */
interface TrainingRun {
  data: { X: NDArray; T: NDArray; dtype: DType };
  params: Layer[];
  shuffled: Batches | undefined;
  iterations: number;
  progress: (iteration: number, cost: number) => void;
}

type Settings = typeof DEFAULTS & { layers: readonly number[]; output: Output; dtype?: DType; batchSize?: number };

/**
 * A dense (fully connected) network trained by gradient descent, in the course's notation:
 * `layers` [n_x, n_1, …, n_L], X (n_x, m) with examples in columns (or rows with
 * `layout: "rows"`), a σ output for labels 0/1 or a softmax output for classes 0…K−1.
 * @example
 * const X = vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]);
 * const Y = vz.array([[0, 0, 1, 1]]);
 * const net = new vz.DenseNetwork({ layers: [2, 3, 1], hidden: "tanh", learningRate: 0.5, iterations: 200 }).fit(X, Y);
 * net.predict(X); // => [[0, 0, 1, 1]]
 * net.score(X, Y); // => 1
 */
export class DenseNetwork {
  readonly options: Readonly<Settings>;
  #layers: Layer[] | undefined;
  #costs: number[] = [];
  #iterationsRun = 0;
  #disposed = false;

  /** @throws {ValueError} bad or misspelt options (named) */
  constructor(options: DenseNetworkOptions) {
    const op = "DenseNetwork";
    if (typeof options !== "object" || options === null) throw new ValueError(`${op}: options with at least { layers } are required`);
    checkOptions(op, options, OPTIONS);
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const o = { ...DEFAULTS, ...given } as Settings & { output?: Output };
    const { layers } = o;
    if (!Array.isArray(layers) || layers.length < 2 || !layers.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new ValueError(`${op}: layers must list at least two positive integers [n_x, …, n_L], got ${Array.isArray(layers) ? formatShape(layers) : typeof layers}`);
    }
    const check = (name: string, v: unknown, integer: boolean, allowZero: boolean) => {
      if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < 0 || (!allowZero && v === 0)) {
        throw new ValueError(`${op}: ${name} must be a ${allowZero ? "non-negative" : "positive"} ${integer ? "integer" : "number"}, got ${String(v)}`);
      }
    };
    check("learningRate", o.learningRate, false, false);
    check("iterations", o.iterations, true, true);
    check("recordEvery", o.recordEvery, true, false);
    check("l2", o.l2, false, true);
    check("tolerance", o.tolerance, false, true);
    if (o.batchSize !== undefined) check("batchSize", o.batchSize, true, false);
    if (!Number.isInteger(o.seed)) throw new ValueError(`${op}: seed must be an integer, got ${String(o.seed)}`);
    if (!HIDDEN.includes(o.hidden)) throw new ValueError(`${op}: hidden must be one of ${HIDDEN.map((h) => `"${h}"`).join(", ")}, got ${JSON.stringify(o.hidden)}`);
    const units = layers[layers.length - 1]!;
    const output = o.output ?? (units === 1 ? "sigmoid" : "softmax");
    if (output !== "sigmoid" && output !== "softmax") throw new ValueError(`${op}: output must be "sigmoid" or "softmax", got ${JSON.stringify(output)}`);
    if (output === "sigmoid" && units !== 1) throw new ValueError(`${op}: a sigmoid output has 1 unit, but layers ends with ${units} (use output "softmax" for ${units} classes)`);
    if (output === "softmax" && units < 2) throw new ValueError(`${op}: a softmax output needs at least 2 units (classes), got ${units}`);
    if (o.dtype !== undefined && !isDType(o.dtype)) throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(o.dtype)}`);
    if (o.layout !== "cols" && o.layout !== "rows") throw new ValueError(`${op}: layout must be "cols" or "rows", got ${JSON.stringify(o.layout)}`);
    if (typeof o.warmStart !== "boolean") throw new ValueError(`${op}: warmStart must be true or false, got ${JSON.stringify(o.warmStart)}`);
    this.options = Object.freeze({ ...o, layers: Object.freeze([...layers]), output });
  }

  /** The cost at iterations 0, recordEvery, 2·recordEvery, … of the last `fit`. */
  get costs(): number[] {
    return [...this.#costs];
  }

  /** Iterations the last `fit` ran (fewer than asked when `tolerance` stopped it). */
  get iterationsRun(): number {
    return this.#iterationsRun;
  }

  /** Copies of W1, b1, …, WL, bL (the caller owns them: dispose them, or use a scope). */
  get parameters(): Record<string, NDArray> {
    const layers = this.#fitted("parameters");
    return Object.fromEntries(layers.flatMap(({ W, b }, l) => [[`W${l + 1}`, W.copy()], [`b${l + 1}`, b.copy()]]));
  }

  /**
   * Trains on X and Y from the seeded initialisation (or `initialParameters`, or with
   * `warmStart` from where the previous `fit` ended). The model is unchanged if this throws.
   * @throws {ValueError} bad shapes, labels, NaN or ±Infinity in X, arrays on different backends
   * @throws {DivergenceError} when the cost stops being finite (with the iteration)
   */
  fit(X: NDArray, Y: NDArray, fitOptions: DenseFitOptions = {}): this {
    const op = "fit";
    this.#alive(op);
    checkOptions(op, fitOptions, FIT_OPTIONS);
    const { onProgress, iterations = this.options.iterations, initialParameters } = fitOptions;
    if (!Number.isInteger(iterations) || iterations < 0) throw new ValueError(`${op}: iterations must be a non-negative integer, got ${String(iterations)}`);
    if (onProgress !== undefined && typeof onProgress !== "function") throw new ValueError(`${op}: onProgress must be a function, got ${typeof onProgress}`);
    const data = this.#data(op, X, Y);
    const { batchSize, seed } = this.options;
    if (batchSize !== undefined && batchSize > data.X.shape[1]!) {
      data.dispose();
      throw new ValueError(`${op}: batchSize ${batchSize} is larger than the number of examples, ${data.X.shape[1]}`);
    }
    const warm = initialParameters === undefined && this.options.warmStart ? this.#layers : undefined;
    let params: Layer[] = [];
    const shuffled = batchSize === undefined ? undefined : untracked(() => batches(data.X, data.T, batchSize, seed));
    try {
      params = untracked(() => (warm ? copyLayers(warm, data.dtype) : this.#initial(op, data, initialParameters)));
      const costs: number[] = [];
      const progress = (iteration: number, c: number) => {
        costs.push(c);
        onProgress?.({ iteration, cost: c });
      };
      const train = data.X.backend.networkTrain ? this.#trainInWasm : this.#trainWithOps;
      const done = train.call(this, { data, params, shuffled, iterations, progress });
      // Steps between records are not costed: a non-finite parameter still means divergence.
      const overflowed = params.some(({ W, b }) => [W, b].some((a) => a.backend.firstNonFinite(a.shape, a.view(op)) >= 0));
      if (overflowed) throw this.#diverged(done, NaN, data.dtype);
      // Success: only now does the model change.
      this.#free();
      this.#layers = params;
      this.#costs = costs;
      this.#iterationsRun = done;
      return this;
    } catch (error) {
      disposeLayers(params);
      throw error;
    } finally {
      shuffled?.dispose();
      data.dispose();
    }
  }

  /**
   * σ's P(y = 1 | x), shape (1, m) ((m,) in rows); softmax's class probabilities, (K, m) ((m, K) in rows).
   * @throws {NotFittedError} before `fit`; {ValueError} for X of the wrong width or backend
   */
  predictProba(X: NDArray): NDArray {
    const op = "predictProba";
    const layers = this.#fitted(op);
    const { layout, hidden, output } = this.options;
    const d = design(op, X, layout);
    sameBackend(op, [layers[0]!.W, X], "the network's parameters and X");
    if (d.nx !== this.options.layers[0]) throw new ValueError(`${op}: X has ${d.nx} features (shape ${formatShape(X.shape)}) but the network takes ${this.options.layers[0]}`);
    return scope(() => {
      const cols = layout === "cols" ? X : X.T;
      const dtype = layers[0]!.W.dtype;
      const { AL } = forward(layers, cols.dtype === dtype ? cols : cols.astype(dtype), hidden, output);
      if (layout === "cols") return AL;
      return output === "sigmoid" ? AL.reshape(-1) : AL.T.copy();
    });
  }

  /** σ: 1 where P(y = 1 | x) > 0.5, else 0; softmax: the most probable class. Shaped (1, m), or (m,) in rows. */
  predict(X: NDArray): NDArray {
    const p = this.predictProba(X);
    try {
      return scope(() => {
        if (this.options.output === "sigmoid") return greater(p, 0.5);
        const classes = argmax(p, { axis: this.options.layout === "cols" ? 0 : 1 });
        const labels = classes.astype(p.dtype);
        return this.options.layout === "cols" ? labels.reshape(1, -1) : labels;
      });
    } finally {
      p.dispose();
    }
  }

  /** Accuracy of `predict(X)` against the labels Y: the exact fraction of hits, in [0, 1]. */
  score(X: NDArray, Y: NDArray): number {
    this.#fitted("score");
    checkLabels("score", Y, X, this.options.layout, design("score", X, this.options.layout));
    this.#checkClasses("score", Y);
    const predicted = this.predict(X);
    try {
      const [p, y] = [predicted.toTypedArray(), Y.toTypedArray()];
      let hits = 0;
      for (let i = 0; i < p.length; i++) if (p[i] === y[i]) hits++;
      return p.length === 0 ? NaN : hits / p.length;
    } finally {
      predicted.dispose();
    }
  }

  /**
   * The course's gradient check: every parameter θ_i moved by ±ε, the two-sided difference
   * `(J(θ+ε) − J(θ−ε))/2ε` against backpropagation's gradient, in float64, and
   * `‖grad − approx‖ / (‖grad‖ + ‖approx‖)` (below ~1e-7 when backpropagation is right).
   * On the fitted parameters, or the seeded initialisation before `fit`. 2·P forward passes
   * for P parameters: meant for small networks and a few examples.
   */
  gradientCheck(X: NDArray, Y: NDArray, { epsilon = 1e-7 }: { epsilon?: number } = {}): { difference: number; gradient: Float64Array; approximation: Float64Array } {
    const op = "gradientCheck";
    this.#alive(op);
    if (!(epsilon > 0) || !Number.isFinite(epsilon)) throw new ValueError(`${op}: epsilon must be a positive number, got ${String(epsilon)}`);
    const data = this.#data(op, X, Y, "float64");
    try {
      return scope(() => {
        const base = this.#layers ? copyLayers(this.#layers, "float64") : this.#initial(op, data, undefined);
        const { hidden, output, l2 } = this.options;
        const J = (layers: Layer[]) => cost(forward(layers, data.X, hidden, output).caches[layers.length - 1]!.Z, data.T, output, layers, l2);
        const grads = backward(base, forward(base, data.X, hidden, output).caches, data.T, hidden, l2);
        const gradient = flatten(grads);
        const theta = flatten(base);
        const approximation = new Float64Array(theta.length);
        const backend = data.X.backend;
        for (let i = 0; i < theta.length; i++) {
          const at = (delta: number) =>
            scope(() => {
              const moved = Float64Array.from(theta);
              moved[i]! += delta;
              return J(unflatten(moved, base, backend));
            });
          approximation[i] = (at(epsilon) - at(-epsilon)) / (2 * epsilon);
        }
        const norm = (v: Float64Array) => Math.hypot(...v);
        const diff = norm(gradient.map((g, i) => g - approximation[i]!));
        return { difference: diff / (norm(gradient) + norm(approximation)), gradient, approximation };
      });
    } finally {
      data.dispose();
    }
  }

  /**
   * The fitted network as plain JSON (what `JSON.stringify(net)` writes).
   * @throws {NotFittedError} before `fit`.
   */
  toJSON(): DenseNetworkJSON {
    const layers = this.#fitted("toJSON");
    return {
      format: "vectorized.DenseNetwork",
      version: 1,
      options: { ...this.options, layers: [...this.options.layers], dtype: layers[0]!.W.dtype },
      parameters: Object.fromEntries(layers.flatMap(({ W, b }, l) => [[`W${l + 1}`, Array.from(W.toTypedArray())], [`b${l + 1}`, Array.from(b.toTypedArray())]])),
      costs: [...this.#costs],
      iterationsRun: this.#iterationsRun,
    };
  }

  /**
   * A fitted network from `toJSON()`'s output, on the current backend.
   * @throws {ValueError} for anything `toJSON()` would not have written
   */
  static fromJSON(json: DenseNetworkJSON): DenseNetwork {
    const op = "DenseNetwork.fromJSON";
    if (typeof json !== "object" || json === null || json.format !== "vectorized.DenseNetwork" || json.version !== 1) {
      throw new ValueError(`${op}: not a vectorized.DenseNetwork (version 1) document`);
    }
    checkOptions(op, json, ["format", "version", "options", "parameters", "costs", "iterationsRun"]);
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    if (typeof json.options !== "object" || json.options === null || !isDType(json.options.dtype)) {
      throw new ValueError(`${op}: options must be an object with the dtype the network was fit in ("float32" or "float64")`);
    }
    if (!Array.isArray(json.costs) || !json.costs.every(finite)) throw new ValueError(`${op}: costs must be an array of finite numbers`);
    if (!Number.isInteger(json.iterationsRun) || json.iterationsRun < 0) throw new ValueError(`${op}: iterationsRun must be a non-negative integer`);
    const model = new DenseNetwork(json.options);
    const { layers } = model.options;
    const names = layers.slice(1).flatMap((_, l) => [`W${l + 1}`, `b${l + 1}`]);
    if (typeof json.parameters !== "object" || json.parameters === null) throw new ValueError(`${op}: parameters must be an object of ${names.join(", ")}`);
    checkOptions(`${op}: parameters`, json.parameters, names);
    const backend = currentBackend(op);
    model.#layers = untracked(() => {
      const made: Layer[] = [];
      try {
        for (let l = 1; l < layers.length; l++) {
          const shapes = { W: [layers[l]!, layers[l - 1]!], b: [layers[l]!, 1] };
          const arrays = (["W", "b"] as const).map((kind) => {
            const values = json.parameters[`${kind}${l}`];
            const size = shapes[kind][0]! * shapes[kind][1]!;
            if (!Array.isArray(values) || values.length !== size || !values.every(finite)) {
              throw new ValueError(`${op}: parameters.${kind}${l} must be ${size} finite numbers (shape ${formatShape(shapes[kind])})`);
            }
            const a = NDArray.empty(backend, json.options.dtype, shapes[kind]);
            backend.write(a.view(op).storage, values);
            return a;
          });
          made.push({ W: arrays[0]!, b: arrays[1]! });
        }
        return made;
      } catch (error) {
        disposeLayers(made);
        throw error;
      }
    });
    model.#costs = [...json.costs];
    model.#iterationsRun = json.iterationsRun;
    return model;
  }

  /** Frees the parameters. Safe to call twice; the model cannot be used afterwards. */
  dispose(): void {
    this.#free();
    this.#disposed = true;
  }

  /** Frees the parameters: what `using net = new vz.DenseNetwork(…)` calls at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The op-by-op loop (backends without `networkTrain`): returns the iterations run. */
  #trainWithOps({ data, params, shuffled, iterations, progress }: TrainingRun): number {
    const { learningRate, l2, recordEvery, tolerance, hidden, output } = this.options;
    let previous: number | undefined;
    let done = 0;
    for (; done < iterations; done++) {
      const recorded = done % recordEvery === 0;
      const c = scope(() => {
        const { X, T } = shuffled?.batch(done) ?? data;
        const { caches } = forward(params, X, hidden, output);
        const value = recorded || tolerance > 0 ? cost(caches[caches.length - 1]!.Z, T, output, params, l2) : undefined;
        if (value !== undefined && !Number.isFinite(value)) throw this.#diverged(done, value, data.dtype);
        const grads = backward(params, caches, T, hidden, l2);
        params.forEach((p, l) => {
          sub(p.W, mul(grads[l]!.W, learningRate), { out: p.W });
          sub(p.b, mul(grads[l]!.b, learningRate), { out: p.b });
        });
        return value;
      });
      if (recorded && c !== undefined) progress(done, c);
      if (tolerance > 0 && c !== undefined && previous !== undefined && Math.abs(previous - c) < tolerance) return done + 1;
      previous = c;
    }
    return done;
  }

  /**
   * The same steps in wasm (kernels/network.rs): one call per stretch to the next recorded
   * cost (and, with mini-batches, to the epoch's end: each step a column range of the epoch's shuffled copy).
   */
  #trainInWasm({ data, params, shuffled, iterations, progress }: TrainingRun): number {
    const { learningRate, l2, recordEvery, tolerance, hidden, output, layers } = this.options;
    const backend = data.X.backend;
    const x = packed(data.X, data.dtype);
    const storages = params.flatMap(({ W, b }) => [W.view("fit").storage, b.view("fit").storage]);
    try {
      const full = { x: x.array.view("fit").storage, t: data.T.view("fit").storage, m: data.X.shape[1]!, ld: data.X.shape[1]! };
      const { done } = descend({
        iterations,
        recordEvery,
        // Mini-batches: a call's steps are consecutive column ranges of one epoch's shuffled copy.
        ...(shuffled ? { epochSteps: shuffled.perEpoch } : {}),
        step: ({ iterations: steps, firstIteration, prevCost }) =>
          withOpName("fit", () =>
            backend.networkTrain!(layers, NetworkHidden[hidden], NetworkOutput[output], shuffled?.data(firstIteration, steps) ?? full, storages, {
              learningRate, l2, iterations: steps, firstIteration, recordEvery, tolerance, prevCost,
            }),
          ),
        onCost: progress,
        diverged: (iteration, cost) => this.#diverged(iteration, cost ?? NaN, data.dtype).message,
      });
      return done;
    } finally {
      if (x.owned) x.array.dispose();
    }
  }

  #free(): void {
    if (this.#layers) disposeLayers(this.#layers);
    this.#layers = undefined;
  }

  #alive(op: string): void {
    if (this.#disposed) throw new DisposedError(`${op}: this DenseNetwork was disposed`);
  }

  #fitted(op: string): Layer[] {
    this.#alive(op);
    if (!this.#layers) throw new NotFittedError(`${op}: this DenseNetwork is not fitted yet: call fit(X, Y) first`);
    return this.#layers;
  }

  #diverged(iteration: number, value: number, dtype: DType): DivergenceError {
    return new DivergenceError(
      `fit: the cost is ${value} at iteration ${iteration}: training diverged (learning rate ${this.options.learningRate} is too large, or the data overflow ${dtype})`,
      iteration,
    );
  }

  /** X in the course's layout and dtype, and the targets T (Y, or one-hot for softmax); dispose() frees what was made. */
  #data(op: string, X: NDArray, Y: NDArray, dtype?: DType): { X: NDArray; T: NDArray; dtype: DType; dispose(): void } {
    const { layout, layers } = this.options;
    const d = design(op, X, layout);
    checkLabels(op, Y, X, layout, d);
    if (d.nx !== layers[0]) throw new ValueError(`${op}: X has ${d.nx} features (shape ${formatShape(X.shape)}) but layers[0] is ${layers[0]}`);
    if (d.m === 0) throw new ValueError(`${op}: X of shape ${formatShape(X.shape)} has no examples`);
    this.#checkClasses(op, Y);
    checkFinite(op, X);
    const type = dtype ?? this.options.dtype ?? X.dtype;
    return untracked(() => {
      const cols = layout === "cols" ? X : X.T;
      const x = cols.dtype === type ? cols : cols.astype(type);
      if (cols !== X && cols !== x) cols.dispose();
      const T = this.options.output === "sigmoid" ? asRow(Y, type) : oneHot(Y, layers[layers.length - 1]!, type);
      return { X: x, T, dtype: type, dispose: () => [x === X ? undefined : x, T].forEach((a) => a?.dispose()) };
    });
  }

  /** Labels: in [0, 1] for σ; integers 0…K−1 for softmax. */
  #checkClasses(op: string, Y: NDArray): void {
    if (this.options.output === "sigmoid") return checkLabelValues(op, Y, false);
    const K = this.options.layers[this.options.layers.length - 1]!;
    const labels = Y.toTypedArray();
    const bad = labels.findIndex((v) => !(Number.isInteger(v) && v >= 0 && v < K));
    if (bad >= 0) throw new ValueError(`${op}: labels must be class numbers 0…${K - 1} for a softmax of ${K} units; found ${labels[bad]} at position ${bad}`);
  }

  /** The starting parameters: the user's (checked and copied) or the seeded initialisation. */
  #initial(op: string, data: { X: NDArray; dtype: DType }, given: Record<string, NDArray> | undefined): Layer[] {
    const { layers, seed } = this.options;
    const backend = data.X.backend;
    const made: Layer[] = [];
    try {
      if (given) {
        const names = layers.slice(1).flatMap((_, l) => [`W${l + 1}`, `b${l + 1}`]);
        if (typeof given !== "object" || given === null) throw new ValueError(`${op}: initialParameters must be an object of ${names.join(", ")}`);
        checkOptions(`${op}: initialParameters`, given, names);
        for (let l = 1; l < layers.length; l++) {
          const shapes = { W: [layers[l]!, layers[l - 1]!], b: [layers[l]!, 1] };
          const [W, b] = (["W", "b"] as const).map((kind) => {
            const a = given[`${kind}${l}`];
            const name = `${kind}${l}`;
            if (!(a instanceof NDArray)) throw new ValueError(`${op}: initialParameters.${name} is missing (an NDArray of shape ${formatShape(shapes[kind])})`);
            a.view(op);
            if (a.ndim !== 2 || a.shape[0] !== shapes[kind][0] || a.shape[1] !== shapes[kind][1]) {
              throw new ValueError(`${op}: initialParameters.${name} has shape ${formatShape(a.shape)}; layers ${formatShape(layers)} make it ${formatShape(shapes[kind])}`);
            }
            sameBackend(op, [data.X, a], `X and initialParameters.${name}`);
            return a;
          }) as [NDArray, NDArray];
          checkFinite(op, W, `initialParameters.W${l}`);
          checkFinite(op, b, `initialParameters.b${l}`);
          made.push({ W: W.astype(data.dtype), b: b.astype(data.dtype) });
        }
        return made;
      }
      // The course's deep initialisation: W_l = randn(n_l, n_{l−1}) / √n_{l−1}, b_l = 0.
      withSeed(seed, () => {
        for (let l = 1; l < layers.length; l++) {
          const normal = scope(() => randn([layers[l]!, layers[l - 1]!], { dtype: "float64" }));
          const W = scope(() => div(normal, Math.sqrt(layers[l - 1]!)).astype(data.dtype));
          normal.dispose();
          const b = NDArray.empty(backend, data.dtype, [layers[l]!, 1]);
          backend.fill(b.view(op).storage, 0);
          made.push({ W: sameBackendOrCopy(W, backend), b });
        }
      });
      return made;
    } catch (error) {
      disposeLayers(made);
      throw error;
    }
  }
}

/** `a` on `backend` (randn draws on the current backend, which may not be X's). */
function sameBackendOrCopy(a: NDArray, backend: NDArray["backend"]): NDArray {
  if (a.backend === backend) return a;
  const moved = NDArray.empty(backend, a.dtype, a.shape);
  backend.write(moved.view("fit").storage, a.toTypedArray());
  a.dispose();
  return moved;
}

/** The m labels as a (1, m) row of `dtype` (a copy). */
function asRow(Y: NDArray, dtype: DType): NDArray {
  const copy = Y.astype(dtype);
  const row = copy.reshape(1, -1);
  copy.dispose(); // the view keeps the buffer
  return row;
}

/** Class labels (m values) as a one-hot (K, m) matrix. */
function oneHot(Y: NDArray, K: number, dtype: DType): NDArray {
  const labels = Y.toTypedArray();
  const m = labels.length;
  const T = NDArray.empty(Y.backend, dtype, [K, m]);
  const values = new Float64Array(K * m);
  labels.forEach((k, i) => (values[k * m + i] = 1));
  T.backend.write(T.view("fit").storage, values);
  return T;
}

function copyLayers(layers: readonly Layer[], dtype: DType): Layer[] {
  return layers.map(({ W, b }) => ({ W: W.astype(dtype), b: b.astype(dtype) }));
}

function disposeLayers(layers: readonly Layer[]): void {
  for (const { W, b } of layers) [W, b].forEach((a) => a.dispose());
}

/** Every parameter, W1 b1 W2 b2 …, row-major, in one float64 vector. */
function flatten(layers: readonly Layer[]): Float64Array {
  const parts = layers.flatMap(({ W, b }) => [W.toTypedArray(), b.toTypedArray()]);
  const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `flatten`'s inverse: layers shaped as `like`, on `backend` (float64). */
function unflatten(theta: Float64Array, like: readonly Layer[], backend: NDArray["backend"]): Layer[] {
  let at = 0;
  const take = (shape: readonly number[]) => {
    const a = NDArray.empty(backend, "float64", shape);
    const size = shape[0]! * shape[1]!;
    backend.write(a.view("gradientCheck").storage, theta.subarray(at, at + size));
    at += size;
    return a;
  };
  return like.map(({ W, b }) => ({ W: take(W.shape), b: take(b.shape) }));
}
