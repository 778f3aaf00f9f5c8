/**
 * Logistic regression as the lecture notes teach it: one neuron, σ(wᵀx + b), the
 * cross-entropy cost, gradient descent vectorized over all m examples. Training runs inside
 * wasm, one fused kernel per step that reads X once; progress comes back every `recordEvery`
 * iterations.
 */
import { LogisticLayout, type TrainParams } from "../backend/backend.js";
import { currentBackend } from "../backend/registry.js";
import { isDType, type DType } from "../dtype.js";
import { DisposedError, DivergenceError, DTypeError, NotFittedError, OutOfMemoryError, ValueError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { formatShape } from "../shape.js";
import { checkOptions } from "../options.js";
import { sameBackend } from "../ops/same_backend.js";
import { untracked } from "../scope.js";
import { checkFinite, checkLabels, checkLabelValues, design, isPacked, layoutCode, packed, type Layout } from "./data.js";
import { permutation } from "./shuffle.js";

/**
 * The options of a {@link LogisticRegression}; a misspelt one is an error that names the right one.
 * @example
 * new vz.LogisticRegression({ learningRate: 0.1, iterations: 500, l2: 0.01, batchSize: 32, seed: 1 }).options.l2; // => 0.01
 * new vz.LogisticRegression({ learning_rate: 0.1 }); // throws ValueError: LogisticRegression: unknown option 'learning_rate' (did you mean 'learningRate'?); known options: …
 */
export interface LogisticRegressionOptions {
  /** α in `w := w − α·dw`. Default 0.005. */
  learningRate?: number;
  /** Gradient-descent steps (with `batchSize`, mini-batch steps). Default 2000. */
  iterations?: number;
  /** Record the cost (and call `onProgress`) every this many iterations, from iteration 0. Default 100. */
  recordEvery?: number;
  /** λ of an L2 penalty `(λ/2m)·‖w‖²` in the cost (and `(λ/m)·w` in dw). Default 0. */
  l2?: number;
  /** Mini-batch size; each epoch visits the examples in a fresh seeded shuffle. Default: all m (batch GD, as in the notes). */
  batchSize?: number;
  /** Seed of the mini-batch shuffle. Default 0. */
  seed?: number;
  /** Stop once the cost changes by less than this between iterations. Default 0 (never). */
  tolerance?: number;
  /** Computation dtype. Default: X's dtype. */
  dtype?: DType;
  /** `"cols"`: X is (n_x, m), examples in columns, Y is (1, m) — the course. `"rows"`: X is (m, n_x), y is (m,) — sklearn. Default "cols". */
  layout?: Layout;
  /**
   * Each `fit` after the first continues from the weights and bias the previous one reached
   * (sklearn's `warm_start`), so training can run in parts; `costs` and progress iterations then
   * count from the start of each call. Default false: every `fit` starts from zero weights.
   */
  warmStart?: boolean;
}

/**
 * A recorded point of training, as `onProgress` receives it.
 * @example
 * const seen = [];
 * new vz.LogisticRegression({ iterations: 3, recordEvery: 1 }).fit(vz.ones([1, 2]), vz.array([[0, 1]]), { onProgress: (p) => seen.push(p.iteration) });
 * seen; // => [0, 1, 2]
 */
export interface Progress {
  /** The iteration (from 0) whose cost this is. */
  iteration: number;
  /** The cost J(w, b) at that iteration, before its step. */
  cost: number;
}

/**
 * What `fit` takes besides the data.
 * @example
 * const model = new vz.LogisticRegression({ warmStart: true });
 * model.fit(vz.ones([1, 2]), vz.array([[0, 1]]), { iterations: 50 }).iterationsRun; // => 50
 */
export interface FitOptions {
  /** Called with each recorded cost, every `recordEvery` iterations. */
  onProgress?: (progress: Progress) => void;
  /** Iterations for this call instead of the model's `iterations` (with `warmStart`: train in parts of any size). */
  iterations?: number;
}

/**
 * The JSON form of a fitted model (`toJSON()` / `LogisticRegression.fromJSON()`).
 * @example
 * const model = new vz.LogisticRegression({ iterations: 10 }).fit(vz.ones([2, 2]), vz.array([[0, 1]]));
 * const json = JSON.parse(JSON.stringify(model));
 * [json.format, json.version, json.weights.length]; // => ["vectorized.LogisticRegression", 1, 2]
 */
export interface LogisticRegressionJSON {
  /** Always this string: what the document is. */
  format: "vectorized.LogisticRegression";
  /** The format's version. */
  version: 1;
  /** The model's options, every one spelt out. */
  options: Required<Omit<LogisticRegressionOptions, "batchSize" | "dtype" | "warmStart">> & { batchSize: number | null; dtype: DType; warmStart?: boolean };
  /** w, flattened. */
  weights: number[];
  /** b. */
  bias: number;
  /** The recorded costs of the last fit. */
  costs: number[];
  /** The iterations the last fit ran. */
  iterationsRun: number;
}

/**
 * From this many features on, training streams X as example rows rather than feature rows.
 * Measured (bench/results/logistic-layout.md, `npm run bench -- --filter "logistic layout"`):
 * the rows pass overtakes the cols pass between n_x = 256 and 2048 (float32 and float64, m from
 * 209 to 40 000); below, the cols pass is up to 3× faster (at n_x = 2 a row is too short for the
 * rows pass to vectorize).
 */
const ROWS_FROM_FEATURES = 512;

/** Iterations one wasm call runs at least (bar the last): its JS↔wasm overhead is then negligible. */
const MIN_CALL_ITERATIONS = 64;

const DEFAULTS = { learningRate: 0.005, iterations: 2000, recordEvery: 100, l2: 0, seed: 0, tolerance: 0, layout: "cols" as Layout, warmStart: false };
const OPTIONS = [...Object.keys(DEFAULTS), "batchSize", "dtype"];
const FIT_OPTIONS = ["onProgress", "iterations"];

/**
 * Logistic regression (a one-neuron network) trained by batch or mini-batch gradient descent,
 * in the course's notation: X is (n_x, m) with examples in columns, Y is (1, m) with 0/1 labels
 * (`layout: "rows"` takes scikit-learn's (m, n_x) and (m,)); 0..K-1 labels with K > 2 train a
 * softmax. The whole loop runs inside wasm, one fused kernel per step.
 * @example
 * const X = vz.array([[0, 1, 2, 3, 4, 5, 6, 7], [1, 0, 1, 0, 1, 0, 1, 0]], { dtype: "float64" });
 * const Y = vz.array([[0, 0, 0, 0, 1, 1, 1, 1]], { dtype: "float64" });
 * const model = new vz.LogisticRegression({ learningRate: 0.5, iterations: 300 });
 * model.fit(X, Y, { onProgress: ({ iteration, cost }) => console.log(iteration, cost) });
 * model.costs.length; // => 3
 * // J at iterations 0, 100 and 200; J(0, 0) = ln 2
 * model.costs[0]; // => 0.693147
 * model.predict(vz.array([[0.5, 6.5], [0, 0]], { dtype: "float64" })); // => [[0, 1]]
 * model.score(X, Y); // => 1
 * new vz.LogisticRegression({ learning_rate: 0.5 }); // throws ValueError: …
 */
export class LogisticRegression {
  /** The options in effect, defaults filled in. */
  readonly options: Readonly<typeof DEFAULTS & Pick<LogisticRegressionOptions, "batchSize" | "dtype">>;
  #w: NDArray | undefined;
  #b = 0;
  #costs: number[] = [];
  #iterationsRun = 0;
  #disposed = false;

  /**
   * A model with these options, not yet fitted.
   * @param options see {@link LogisticRegressionOptions}; every one has a default.
   * @throws {ValueError} an unknown option (with the likely one), or a value out of its range.
   */
  constructor(options: LogisticRegressionOptions = {}) {
    checkOptions("LogisticRegression", options, OPTIONS);
    // An option given as undefined takes its default, as if left out.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const o: typeof DEFAULTS & LogisticRegressionOptions = { ...DEFAULTS, ...given };
    const positive = (name: string, v: number, integer: boolean, allowZero: boolean) => {
      if (typeof v !== "number" || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < 0 || (!allowZero && v === 0)) {
        throw new ValueError(`LogisticRegression: ${name} must be a ${allowZero ? "non-negative" : "positive"} ${integer ? "integer" : "number"}, got ${v}`);
      }
    };
    positive("learningRate", o.learningRate, false, false);
    positive("iterations", o.iterations, true, true);
    positive("recordEvery", o.recordEvery, true, false);
    positive("l2", o.l2, false, true);
    positive("tolerance", o.tolerance, false, true);
    if (!Number.isInteger(o.seed)) throw new ValueError(`LogisticRegression: seed must be an integer, got ${o.seed}`);
    if (o.batchSize !== undefined) positive("batchSize", o.batchSize, true, false);
    if (o.dtype !== undefined && !isDType(o.dtype)) throw new DTypeError(`LogisticRegression: unsupported dtype ${JSON.stringify(o.dtype)}`);
    if (o.layout !== "cols" && o.layout !== "rows") throw new ValueError(`LogisticRegression: layout must be "cols" or "rows", got ${JSON.stringify(o.layout)}`);
    if (typeof o.warmStart !== "boolean") throw new ValueError(`LogisticRegression: warmStart must be true or false, got ${JSON.stringify(o.warmStart)}`);
    this.options = Object.freeze(o);
  }

  /** The cost at iterations 0, recordEvery, 2·recordEvery, … of the last `fit`. */
  get costs(): number[] {
    return [...this.#costs];
  }

  /** Iterations the last `fit` ran (fewer than asked when `tolerance` stopped it). */
  get iterationsRun(): number {
    return this.#iterationsRun;
  }

  /** The weights as an (n_x, 1) array: a view the caller owns (dispose it, or use a scope). */
  get weights(): NDArray {
    const w = this.#fitted("weights");
    return w.reshape(w.size, 1);
  }

  /** The bias b. */
  get bias(): number {
    this.#fitted("bias");
    return this.#b;
  }

  /**
   * Trains on X and Y (course layout: X (n_x, m), Y (1, m); rows: X (m, n_x), y (m,)) from zero
   * weights, or with `warmStart` from where the previous `fit` ended. Labels are 0/1, or
   * probabilities in [0, 1]. The model is unchanged if this throws.
   * @throws {ValueError} bad shapes, labels outside [0, 1], NaN or ±Infinity in X, no examples,
   *   a warm start with a different number of features
   * @throws {DivergenceError} when the cost stops being finite (with the iteration)
   * @param X the examples: (n_x, m), or (m, n_x) with `layout: "rows"`.
   * @param Y the labels: (1, m), or (m,) with `layout: "rows"`.
   * @param fitOptions `onProgress` and this call's `iterations`.
   * @returns the model itself.
   */
  fit(X: NDArray, Y: NDArray, fitOptions: FitOptions = {}): this {
    this.#alive("fit");
    checkOptions("fit", fitOptions, FIT_OPTIONS);
    const { onProgress, iterations = this.options.iterations } = fitOptions;
    const { layout, recordEvery } = this.options;
    if (!Number.isInteger(iterations) || iterations < 0) throw new ValueError(`fit: iterations must be a non-negative integer, got ${iterations}`);
    if (onProgress !== undefined && typeof onProgress !== "function") throw new ValueError(`fit: onProgress must be a function, got ${typeof onProgress}`);
    const d = design("fit", X, layout);
    checkLabels("fit", Y, X, layout, d);
    if (d.m === 0 || d.nx === 0) throw new ValueError(`fit: X of shape ${formatShape(X.shape)} has no ${d.m === 0 ? "examples" : "features"}`);
    if (this.options.batchSize !== undefined && this.options.batchSize > d.m) {
      throw new ValueError(`fit: batchSize ${this.options.batchSize} is larger than the number of examples, ${d.m}`);
    }
    const start = this.options.warmStart ? this.#w : undefined;
    if (start && start.size !== d.nx) {
      throw new ValueError(`fit: warmStart: the model was fit with ${start.size} features but X has ${d.nx} (shape ${formatShape(X.shape)})`);
    }
    checkLabelValues("fit", Y, false);
    checkFinite("fit", X);
    const dtype = this.options.dtype ?? X.dtype;
    const backend = X.backend;
    const owned: NDArray[] = [];
    // The model's state: it outlives any scope `fit` is called in.
    const w = untracked(() => NDArray.empty(backend, dtype, [d.nx]));
    try {
      // n_x numbers: copied through JS, so the previous weights may live on another backend.
      if (start) backend.write(w.view("fit").storage, start.toTypedArray());
      else backend.fill(w.view("fit").storage, 0);
      const y = packed(Y, dtype);
      if (y.owned) owned.push(y.array);
      // The fused step streams X fastest in the course's layout (feature rows) when features are
      // few, and as contiguous example rows when they are many; mini-batches read examples by
      // index, which only the rows layout does cheaply. Re-lay X once when training runs long
      // enough to repay the copy (and memory allows it); X.T may already be laid out that way.
      let code = layoutCode(layout);
      const fastest = this.options.batchSize !== undefined || d.nx >= ROWS_FROM_FEATURES ? LogisticLayout.Rows : LogisticLayout.Cols;
      const relay = code !== fastest && iterations > 2;
      let x: { array: NDArray; owned: boolean };
      const flipped = relay ? X.T : undefined;
      if (flipped && isPacked(flipped, dtype)) {
        x = { array: flipped, owned: true };
        code = fastest;
      } else {
        flipped?.dispose();
        x = packed(X, dtype);
      }
      if (x.owned) owned.push(x.array);
      if (relay && code !== fastest) {
        try {
          const relaid = NDArray.empty(backend, dtype, fastest === LogisticLayout.Rows ? [d.m, d.nx] : [d.nx, d.m]);
          owned.push(relaid);
          // A transpose either way: (n_x, m) → (m, n_x), or (m, n_x) → (n_x, m).
          const [rows, cols] = code === LogisticLayout.Cols ? [d.nx, d.m] : [d.m, d.nx];
          backend.packColsToRows(x.array.view("fit").storage, rows, cols, relaid.view("fit").storage);
          x = { array: relaid, owned: true };
          code = fastest;
        } catch (error) {
          if (!(error instanceof OutOfMemoryError)) throw error;
        }
      }
      const costs: number[] = [];
      let b = start ? this.#b : 0;
      let done = 0;
      let prevCost: number | undefined;
      const shuffle = this.options.batchSize ? epochs(d.m, this.options.batchSize, this.options.seed) : undefined;
      while (done < iterations) {
        // One wasm call runs to a record boundary at least MIN_CALL_ITERATIONS away, so progress
        // arrives as training goes while small, often-recorded problems don't pay a call per record.
        const untilRecord = recordEvery - (done % recordEvery) + Math.ceil(Math.max(0, MIN_CALL_ITERATIONS - recordEvery) / recordEvery) * recordEvery;
        const batch = shuffle?.next(Math.min(untilRecord, iterations - done));
        const params: TrainParams = {
          learningRate: this.options.learningRate,
          l2: this.options.l2,
          iterations: batch ? batch.steps : Math.min(untilRecord, iterations - done),
          firstIteration: done,
          recordEvery,
          tolerance: this.options.tolerance,
          prevCost,
          ...(batch ? { order: batch.order, batchSize: this.options.batchSize! } : {}),
        };
        const r = backend.logisticTrain(code, x.array.view("fit").storage, d.nx, d.m, y.array.view("fit").storage, w.view("fit").storage, b, params);
        b = r.bias;
        r.costs.forEach((cost, k) => {
          costs.push(cost);
          onProgress?.({ iteration: (Math.ceil(done / recordEvery) + k) * recordEvery, cost });
        });
        done += r.iterations;
        prevCost = r.lastCost;
        if (r.stop === "diverged") {
          throw new DivergenceError(
            `fit: the cost is ${r.lastCost} at iteration ${done}: training diverged (learning rate ${this.options.learningRate} is too large, or the data overflow ${dtype})`,
            done,
          );
        }
        if (r.stop === "converged") break;
      }
      // Success: only now does the model change.
      this.#w?.dispose();
      this.#w = w;
      this.#b = b;
      this.#costs = costs;
      this.#iterationsRun = done;
      return this;
    } catch (error) {
      w.dispose();
      throw error;
    } finally {
      owned.forEach((a) => a.dispose());
    }
  }

  /**
   * P(y = 1 | x) for every example: shape (1, m) in the course layout, (m,) in rows.
   * @throws {NotFittedError} before `fit`; {ValueError} when X's features differ from the fit's
   */
  predictProba(X: NDArray): NDArray {
    const w = this.#fitted("predictProba");
    const { layout } = this.options;
    const d = design("predictProba", X, layout);
    sameBackend("predictProba", [w, X], "the model's weights and X");
    if (d.nx !== w.size) {
      throw new ValueError(`predictProba: X has ${d.nx} features (shape ${formatShape(X.shape)}) but the model was fit with ${w.size}`);
    }
    const x = packed(X, w.dtype);
    try {
      const out = NDArray.empty(w.backend, w.dtype, layout === "cols" ? [1, d.m] : [d.m]);
      if (d.m > 0) w.backend.logisticForward(layoutCode(layout), x.array.view("predictProba").storage, d.nx, d.m, w.view("predictProba").storage, this.#b, out.view("predictProba").storage);
      return out;
    } finally {
      if (x.owned) x.array.dispose();
    }
  }

  /** 1 where P(y = 1 | x) > threshold, else 0, shaped as `predictProba`'s result. */
  predict(X: NDArray, { threshold = 0.5 } = {}): NDArray {
    this.#fitted("predict");
    const p = this.predictProba(X);
    try {
      return p.greater(threshold);
    } finally {
      p.dispose();
    }
  }

  /** Accuracy of `predict(X)` against 0/1 labels Y: the exact fraction of hits, in [0, 1]. */
  score(X: NDArray, Y: NDArray): number {
    const { layout } = this.options;
    this.#fitted("score");
    checkLabels("score", Y, X, layout, design("score", X, layout));
    checkLabelValues("score", Y, true);
    const predicted = this.predict(X);
    try {
      // Counted in JS: a ratio of counts as a double, not a mean rounded to the model's dtype.
      const [p, y] = [predicted.toTypedArray(), Y.toTypedArray()];
      let hits = 0;
      for (let i = 0; i < p.length; i++) if (p[i] === y[i]) hits++;
      return hits / p.length;
    } finally {
      predicted.dispose();
    }
  }

  /**
   * The fitted model as plain JSON (what `JSON.stringify(model)` writes).
   * @throws {NotFittedError} before `fit`.
   */
  toJSON(): LogisticRegressionJSON {
    const w = this.#fitted("toJSON");
    return {
      format: "vectorized.LogisticRegression",
      version: 1,
      options: { ...this.options, batchSize: this.options.batchSize ?? null, dtype: w.dtype },
      weights: Array.from(w.toTypedArray()),
      bias: this.#b,
      costs: [...this.#costs],
      iterationsRun: this.#iterationsRun,
    };
  }

  /**
   * A fitted model from `toJSON()`'s output, on the current backend.
   * @throws {ValueError} for anything `toJSON()` would not have written: a missing or unknown
   *   field, non-finite weights, bias or costs, an unknown option
   */
  static fromJSON(json: LogisticRegressionJSON): LogisticRegression {
    const op = "LogisticRegression.fromJSON";
    if (typeof json !== "object" || json === null || json.format !== "vectorized.LogisticRegression" || json.version !== 1) {
      throw new ValueError(`${op}: not a vectorized.LogisticRegression (version 1) document`);
    }
    checkOptions(op, json, ["format", "version", "options", "weights", "bias", "costs", "iterationsRun"]);
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    if (!Array.isArray(json.weights) || json.weights.length === 0 || !json.weights.every(finite)) {
      throw new ValueError(`${op}: weights must be a non-empty array of finite numbers`);
    }
    if (!finite(json.bias)) throw new ValueError(`${op}: bias must be a finite number, got ${String(json.bias)}`);
    if (!Array.isArray(json.costs) || !json.costs.every(finite)) throw new ValueError(`${op}: costs must be an array of finite numbers`);
    if (!Number.isInteger(json.iterationsRun) || json.iterationsRun < 0) {
      throw new ValueError(`${op}: iterationsRun must be a non-negative integer, got ${String(json.iterationsRun)}`);
    }
    if (typeof json.options !== "object" || json.options === null || !isDType(json.options.dtype)) {
      throw new ValueError(`${op}: options must be an object with the dtype the model was fit in ("float32" or "float64")`);
    }
    const { batchSize, ...rest } = json.options;
    const model = new LogisticRegression({ ...rest, ...(batchSize === null ? {} : { batchSize }) });
    const w = untracked(() => NDArray.empty(currentBackend("fromJSON"), json.options.dtype, [json.weights.length]));
    w.backend.write(w.view("fromJSON").storage, json.weights);
    model.#w = w;
    model.#b = json.bias;
    model.#costs = [...json.costs];
    model.#iterationsRun = json.iterationsRun;
    return model;
  }

  /** Frees the weights. Safe to call twice; the model cannot be used afterwards. */
  dispose(): void {
    this.#w?.dispose();
    this.#w = undefined;
    this.#disposed = true;
  }

  /** Frees the weights: what `using model = new vz.LogisticRegression()` calls at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  #alive(op: string): void {
    if (this.#disposed) throw new DisposedError(`${op}: this LogisticRegression was disposed`);
  }

  #fitted(op: string): NDArray {
    this.#alive(op);
    if (!this.#w) throw new NotFittedError(`${op}: this LogisticRegression is not fitted yet: call fit(X, Y) first`);
    return this.#w;
  }
}

/** Seeded mini-batch orders: a fresh shuffle per epoch, handed out a few steps at a time. */
function epochs(m: number, batchSize: number, seed: number) {
  const perEpoch = Math.ceil(m / batchSize);
  let epoch = 0;
  let order = permutation(m, seed, epoch);
  let used = 0; // batches of this epoch already taken
  return {
    next(maxSteps: number): { order: Uint32Array; steps: number } {
      if (used === perEpoch) {
        order = permutation(m, seed, ++epoch);
        used = 0;
      }
      const steps = Math.min(maxSteps, perEpoch - used);
      const part = order.subarray(used * batchSize);
      used += steps;
      return { order: part, steps };
    },
  };
}
