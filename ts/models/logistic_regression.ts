/**
 * Logistic regression as the lecture notes teach it: one neuron, σ(wᵀx + b), the
 * cross-entropy cost, vectorized over all m examples. Two solvers, both inside wasm on the fused
 * kernel that computes the cost and the gradient in one pass over X: the notes' gradient descent
 * (`"gd"`, the course's settings) and L-BFGS (`"lbfgs"`, scikit-learn's default, which needs no
 * learning rate). Progress comes back every `recordEvery` iterations.
 */
import { LogisticLayout, type LbfgsResult, type TrainParams } from "../backend/backend.js";
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
import { runLbfgs } from "./lbfgs.js";
import { fold, unfold, type Affine } from "./standardize.js";
import { StandardScaler } from "../preprocessing/standard_scaler.js";

/**
 * The options of a {@link LogisticRegression}; a misspelt one is an error that names the right one.
 * @example
 * new vz.LogisticRegression({ learningRate: 0.1, iterations: 500, l2: 0.01, batchSize: 32, seed: 1 }).options.l2; // => 0.01
 * new vz.LogisticRegression({ learning_rate: 0.1 }); // throws ValueError: LogisticRegression: unknown option 'learning_rate' (did you mean 'learningRate'?); known options: …
 */
export interface LogisticRegressionOptions {
  /**
   * `"lbfgs"`: L-BFGS with a strong-Wolfe line search, stopping when every partial derivative
   * of the cost is at most `gradientTolerance` (scikit-learn's default solver). `"gd"`: the
   * course's gradient descent with a fixed `learningRate` for `iterations` steps. Default:
   * `"gd"` when `learningRate`, `iterations`, `batchSize` or `tolerance` is given, else `"lbfgs"`.
   */
  solver?: "lbfgs" | "gd";
  /** Inverse L2 strength, as scikit-learn's `C`: the penalty is `‖w‖²/(2·C·m)` (λ = 1/C). Default for `"lbfgs"`: 1, as scikit-learn; give `C` or `l2`, not both. */
  C?: number;
  /** L-BFGS's most iterations (scikit-learn's `max_iter`). Default 100. */
  maxIterations?: number;
  /** Converged when every |∂J/∂wⱼ| and |∂J/∂b| is at most this (scikit-learn's `tol`). Default 1e-4. */
  gradientTolerance?: number;
  /**
   * Train on standardised features (each minus its mean, over its standard deviation, as
   * `vz.preprocessing.StandardScaler`) and fold the scaling into the saved weights, so
   * `predict` takes raw features. The L2 penalty then applies to the standardised weights.
   * Default: true for `"lbfgs"`, false for `"gd"` (the course's model is unchanged).
   */
  standardize?: boolean;
  /** α in `w := w − α·dw` (solver `"gd"`). Default 0.005. */
  learningRate?: number;
  /** Gradient-descent steps (with `batchSize`, mini-batch steps; solver `"gd"`). Default 2000. */
  iterations?: number;
  /** Record the cost (and call `onProgress`) every this many iterations, from iteration 0. Default 100 (`"gd"`), 1 (`"lbfgs"`). */
  recordEvery?: number;
  /** λ of an L2 penalty `(λ/2m)·‖w‖²` in the cost (and `(λ/m)·w` in dw). Default 0 for `"gd"`, 1/C for `"lbfgs"`. */
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
  /**
   * Set when training goes wrong, as scikit-learn's ConvergenceWarning: the cost rose between
   * recorded iterations (gradient descent: the learning rate is too large for these features), or
   * L-BFGS stopped before the gradient reached `gradientTolerance`. Also kept in `model.warnings`.
   */
  warning?: string;
}

/**
 * What `fit` takes besides the data.
 * @example
 * const model = new vz.LogisticRegression({ learningRate: 0.1, warmStart: true });
 * model.fit(vz.ones([1, 2]), vz.array([[0, 1]]), { iterations: 50 }).iterationsRun; // => 50
 */
export interface FitOptions {
  /** Called with each recorded cost, every `recordEvery` iterations (and once more with a `warning`, if training went wrong). */
  onProgress?: (progress: Progress) => void;
  /** Iterations for this call instead of the model's `iterations` (with `warmStart`: train in parts of any size). */
  iterations?: number;
}

/**
 * The JSON form of a fitted model (`toJSON()` / `LogisticRegression.fromJSON()`).
 * @example
 * const model = new vz.LogisticRegression({ iterations: 10 }).fit(vz.ones([2, 2]), vz.array([[0, 1]]));
 * const json = JSON.parse(JSON.stringify(model));
 * [json.format, json.version, json.weights.length]; // => ["vectorized.LogisticRegression", 2, 2]
 */
export interface LogisticRegressionJSON {
  /** Always this string: what the document is. */
  format: "vectorized.LogisticRegression";
  /** The format's version: 1, written before the L-BFGS solver (gradient descent, no convergence report); 2 now. */
  version: 1 | 2;
  /** The model's options, every one spelt out (version 1: without the L-BFGS ones). */
  options: Required<Omit<LogisticRegressionOptions, "batchSize" | "dtype" | "warmStart" | "C" | "solver" | "maxIterations" | "gradientTolerance" | "standardize">> & {
    batchSize: number | null;
    dtype: DType;
    warmStart?: boolean;
  } & Partial<Pick<Required<LogisticRegressionOptions>, "solver" | "maxIterations" | "gradientTolerance" | "standardize">>;
  /** w, flattened. */
  weights: number[];
  /** b. */
  bias: number;
  /** The recorded costs of the last fit. */
  costs: number[];
  /** The iterations the last fit ran. */
  iterationsRun: number;
  /** Version 2: whether the last fit reached `gradientTolerance`. */
  converged?: boolean;
  /** Version 2: max |∂J| at the end of the last fit (null when unknown). */
  gradientNorm?: number | null;
  /** Version 2: what went wrong in the last fit. */
  warnings?: string[];
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

const DEFAULTS = {
  learningRate: 0.005,
  iterations: 2000,
  recordEvery: 100,
  l2: 0,
  seed: 0,
  tolerance: 0,
  layout: "cols" as Layout,
  warmStart: false,
  solver: "gd" as "lbfgs" | "gd",
  maxIterations: 100,
  gradientTolerance: 1e-4,
  standardize: false,
};
const OPTIONS = [...Object.keys(DEFAULTS), "batchSize", "dtype", "C"];
/** Options that only gradient descent reads: giving one picks `"gd"` by default. */
const GD_OPTIONS = ["learningRate", "iterations", "batchSize", "tolerance"] as const;
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
  #converged = false;
  #gradientNorm = NaN;
  #warnings: string[] = [];
  #disposed = false;

  /**
   * A model with these options, not yet fitted.
   * @param options see {@link LogisticRegressionOptions}; every one has a default.
   * @throws {ValueError} an unknown option (with the likely one), or a value out of its range.
   */
  constructor(options: LogisticRegressionOptions = {}) {
    checkOptions("LogisticRegression", options, OPTIONS);
    // An option given as undefined takes its default, as if left out.
    const given: LogisticRegressionOptions = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    const gdGiven = GD_OPTIONS.filter((name) => given[name] !== undefined);
    const solver = given.solver ?? (gdGiven.length > 0 ? "gd" : "lbfgs");
    if (solver !== "gd" && solver !== "lbfgs") throw new ValueError(`LogisticRegression: solver must be "lbfgs" or "gd", got ${JSON.stringify(solver)}`);
    if (solver === "lbfgs" && gdGiven.length > 0) {
      throw new ValueError(`LogisticRegression: ${gdGiven.map((n) => `${n} (${String(given[n])})`).join(", ")} ${gdGiven.length > 1 ? "apply" : "applies"} to solver "gd" only, not "lbfgs" (whose limit is maxIterations)`);
    }
    if (solver === "gd" && given.maxIterations !== undefined) {
      throw new ValueError(`LogisticRegression: maxIterations (${given.maxIterations}) applies to solver "lbfgs" only; gradient descent runs \`iterations\` steps`);
    }
    if (given.C !== undefined && given.l2 !== undefined) throw new ValueError(`LogisticRegression: give C (${given.C}) or l2 (${given.l2}), not both: l2 = 1/C`);
    if (given.C !== undefined && (typeof given.C !== "number" || !(given.C > 0) || given.C === Infinity)) {
      throw new ValueError(`LogisticRegression: C must be a positive finite number, got ${String(given.C)}`);
    }
    const { C, ...rest } = given;
    const o: typeof DEFAULTS & LogisticRegressionOptions = {
      ...DEFAULTS,
      ...(solver === "lbfgs" ? { recordEvery: 1, standardize: true, l2: 1 } : {}),
      ...(C !== undefined ? { l2: 1 / C } : {}),
      ...rest,
      solver,
    };
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
    positive("maxIterations", o.maxIterations, true, true);
    positive("gradientTolerance", o.gradientTolerance, false, true);
    if (typeof o.standardize !== "boolean") throw new ValueError(`LogisticRegression: standardize must be true or false, got ${JSON.stringify(o.standardize)}`);
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

  /** Iterations the last `fit` ran (fewer than asked when `tolerance` stopped it, or L-BFGS converged). */
  get iterationsRun(): number {
    return this.#iterationsRun;
  }

  /**
   * Whether the last `fit` reached `gradientTolerance`: every |∂J/∂wⱼ| and |∂J/∂b| at most it.
   * (Stricter than scikit-learn, which also counts L-BFGS stopping on a relative cost decrease
   * below 64·ε as success: here that is a warning, since the gradient may still be large.)
   */
  get converged(): boolean {
    return this.#converged;
  }

  /** max |∂J| over the weights and the bias at the end of the last `fit` (the cost in the space it was trained in). */
  get gradientNorm(): number {
    return this.#gradientNorm;
  }

  /** What went wrong in the last `fit` (empty when nothing did); each was also sent to `onProgress`. */
  get warnings(): string[] {
    return [...this.#warnings];
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
    const { solver, standardize } = this.options;
    const owned: NDArray[] = [];
    let scaler: StandardScaler | undefined;
    // The model's state: it outlives any scope `fit` is called in.
    const w = untracked(() => NDArray.empty(backend, dtype, [d.nx]));
    try {
      // Standardising: train on (X − μ)/σ, a copy, and fold μ and σ into the weights at the end.
      let affine: Affine | undefined;
      let source = X;
      if (standardize) {
        scaler = new StandardScaler({ layout });
        scaler.fitChecked(X); // X was checked above
        const [mu, sd] = [scaler.mean, scaler.scale];
        affine = { mean: mu.toTypedArray(), scale: sd.toTypedArray() };
        mu.dispose();
        sd.dispose();
        const scaled = untracked(() => scaler!.transform(X));
        owned.push(scaled);
        source = scaled;
      }
      // n_x numbers, through JS, so the previous weights may live on another backend.
      const previous = start ? { w: start.toTypedArray(), b: this.#b } : undefined;
      const startFit = previous && affine ? unfold(previous.w, previous.b, affine) : previous;
      const y = packed(Y, dtype);
      if (y.owned) owned.push(y.array);
      const runs = solver === "gd" ? iterations : (fitOptions.iterations ?? this.options.maxIterations);
      const x = this.#streamable(source, d, dtype, runs, owned);
      const warnings: string[] = [];
      const warn = (iteration: number, cost: number, warning: string) => {
        warnings.push(warning);
        onProgress?.({ iteration, cost, warning });
      };
      let outcome: { b: number; costs: number[]; done: number; converged: boolean; gradientNorm: number };
      if (solver === "gd") {
        if (startFit) backend.write(w.view("fit").storage, startFit.w);
        else backend.fill(w.view("fit").storage, 0);
        outcome = this.#descend(x.array, x.code, d, y.array, w, startFit?.b ?? 0, iterations, dtype, onProgress, warn);
      } else {
        const r = runLbfgs(x.array, x.code, d.nx, d.m, y.array, startFit, { l2: this.options.l2, iterations: runs, recordEvery, gtol: this.options.gradientTolerance }, (iteration, cost) =>
          onProgress?.({ iteration, cost }),
        );
        if (r.stop === "diverged") {
          throw new DivergenceError(`fit: the cost is ${r.cost} at iteration ${r.iterationsRun}: the data overflow ${dtype}`, r.iterationsRun);
        }
        const converged = r.stop === "converged";
        if (!converged) warn(r.iterationsRun, r.cost, lbfgsWarning(r.stop, r.iterationsRun, r.gradientNorm, this.options.gradientTolerance, standardize, dtype));
        backend.write(w.view("fit").storage, r.theta.subarray(0, d.nx));
        outcome = { b: r.theta[d.nx]!, costs: r.costs, done: r.iterationsRun, converged, gradientNorm: r.gradientNorm };
      }
      let b = outcome.b;
      if (affine) {
        const raw = fold(w.toTypedArray(), b, affine);
        backend.write(w.view("fit").storage, raw.w);
        b = raw.b;
      }
      // Stored in the model's dtype, as the weights (the solvers' bias may be a float64).
      b = dtype === "float32" ? Math.fround(b) : b;
      // Success: only now does the model change.
      this.#w?.dispose();
      this.#w = w;
      this.#b = b;
      this.#costs = outcome.costs;
      this.#iterationsRun = outcome.done;
      this.#converged = outcome.converged;
      this.#gradientNorm = outcome.gradientNorm;
      this.#warnings = warnings;
      return this;
    } catch (error) {
      w.dispose();
      throw error;
    } finally {
      owned.forEach((a) => a.dispose());
      scaler?.dispose();
    }
  }

  /**
   * X contiguous in the layout the fused step streams fastest: feature rows (the course's
   * layout) when features are few, example rows when they are many; mini-batches read examples
   * by index, which only the rows layout does cheaply. X is re-laid once when training runs long
   * enough to repay the copy (and memory allows it); X.T may already be laid out that way.
   */
  #streamable(X: NDArray, d: { nx: number; m: number }, dtype: DType, iterations: number, owned: NDArray[]): { array: NDArray; code: LogisticLayout } {
    const backend = X.backend;
    let code = layoutCode(this.options.layout);
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
        return { array: relaid, code: fastest };
      } catch (error) {
        if (!(error instanceof OutOfMemoryError)) throw error;
      }
    }
    return { array: x.array, code };
  }

  /** The course's gradient descent, `iterations` steps from (w, b), in chunks that report progress. */
  #descend(
    x: NDArray,
    code: LogisticLayout,
    d: { nx: number; m: number },
    y: NDArray,
    w: NDArray,
    b: number,
    iterations: number,
    dtype: DType,
    onProgress: ((progress: Progress) => void) | undefined,
    warn: (iteration: number, cost: number, warning: string) => void,
  ): { b: number; costs: number[]; done: number; converged: boolean; gradientNorm: number } {
    const { recordEvery } = this.options;
    const backend = x.backend;
    const costs: number[] = [];
    let done = 0;
    let prevCost: number | undefined;
    let rose = false;
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
      const r = backend.logisticTrain(code, x.view("fit").storage, d.nx, d.m, y.view("fit").storage, w.view("fit").storage, b, params);
      b = r.bias;
      r.costs.forEach((cost, k) => {
        const iteration = (Math.ceil(done / recordEvery) + k) * recordEvery;
        const last = costs[costs.length - 1];
        costs.push(cost);
        onProgress?.({ iteration, cost });
        // Full-batch costs only fall with a small enough step: a rise means the step overshoots
        // (mini-batch costs are of different batches, so they may rise by chance).
        if (!rose && !shuffle && last !== undefined && cost > last) {
          rose = true;
          warn(iteration, cost, risingWarning(last, iteration - recordEvery, cost, iteration, this.options.learningRate, this.options.standardize));
        }
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
    // The convergence report: the gradient at the weights reached, one more fused pass.
    const dw = NDArray.empty(backend, dtype, [d.nx]);
    try {
      const { db } = backend.logisticGrad(code, x.view("fit").storage, d.nx, d.m, y.view("fit").storage, w.view("fit").storage, b, this.options.l2, dw.view("fit").storage);
      const gradientNorm = Math.max(Math.abs(db), ...Array.from(dw.toTypedArray(), Math.abs));
      return { b, costs, done, converged: gradientNorm <= this.options.gradientTolerance, gradientNorm };
    } finally {
      dw.dispose();
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
      version: 2,
      options: { ...this.options, batchSize: this.options.batchSize ?? null, dtype: w.dtype },
      weights: Array.from(w.toTypedArray()),
      bias: this.#b,
      costs: [...this.#costs],
      iterationsRun: this.#iterationsRun,
      converged: this.#converged,
      gradientNorm: Number.isFinite(this.#gradientNorm) ? this.#gradientNorm : null,
      warnings: [...this.#warnings],
    };
  }

  /**
   * A fitted model from `toJSON()`'s output (version 2, or version 1 from before the L-BFGS
   * solver: a gradient-descent model without a convergence report), on the current backend.
   * @throws {ValueError} for anything `toJSON()` would not have written: a missing or unknown
   *   field, non-finite weights, bias or costs, an unknown option, an option of the other solver
   */
  static fromJSON(json: LogisticRegressionJSON): LogisticRegression {
    const op = "LogisticRegression.fromJSON";
    if (typeof json !== "object" || json === null || json.format !== "vectorized.LogisticRegression" || (json.version !== 1 && json.version !== 2)) {
      throw new ValueError(`${op}: not a vectorized.LogisticRegression (version 1 or 2) document`);
    }
    const v1 = ["format", "version", "options", "weights", "bias", "costs", "iterationsRun"];
    checkOptions(op, json, json.version === 1 ? v1 : [...v1, "converged", "gradientNorm", "warnings"]);
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
    if (json.version === 2) {
      if (typeof json.converged !== "boolean") throw new ValueError(`${op}: converged must be true or false, got ${String(json.converged)}`);
      if (json.gradientNorm !== null && !(finite(json.gradientNorm) && json.gradientNorm >= 0)) {
        throw new ValueError(`${op}: gradientNorm must be a non-negative finite number or null, got ${String(json.gradientNorm)}`);
      }
      if (!Array.isArray(json.warnings) || !json.warnings.every((v) => typeof v === "string")) throw new ValueError(`${op}: warnings must be an array of strings`);
      if (json.options.solver !== "gd" && json.options.solver !== "lbfgs") {
        throw new ValueError(`${op}: options.solver must be "lbfgs" or "gd", got ${JSON.stringify(json.options.solver)}`);
      }
    } else if ("solver" in json.options || "standardize" in json.options) {
      throw new ValueError(`${op}: a version 1 document has no solver or standardize option`);
    }
    const { batchSize, ...rest } = json.options;
    const options: Record<string, unknown> = { ...rest, ...(batchSize === null ? {} : { batchSize }), ...(json.version === 1 ? { solver: "gd" } : {}) };
    // toJSON writes every option; the other solver's are at their defaults and not given back.
    const otherSolvers = options["solver"] === "lbfgs" ? GD_OPTIONS : (["maxIterations"] as const);
    for (const name of otherSolvers) {
      const fallback = (DEFAULTS as Record<string, unknown>)[name];
      if (options[name] !== undefined && options[name] !== fallback) {
        throw new ValueError(`${op}: options.${name} is ${String(options[name])}, but a ${String(options["solver"])} model is written with the default, ${String(fallback)}`);
      }
      delete options[name];
    }
    const model = new LogisticRegression(options as LogisticRegressionOptions);
    const w = untracked(() => NDArray.empty(currentBackend("fromJSON"), json.options.dtype, [json.weights.length]));
    w.backend.write(w.view("fromJSON").storage, json.weights);
    model.#w = w;
    model.#b = json.bias;
    model.#costs = [...json.costs];
    model.#iterationsRun = json.iterationsRun;
    model.#converged = json.converged ?? false;
    model.#gradientNorm = json.gradientNorm ?? NaN;
    model.#warnings = [...(json.warnings ?? [])];
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

/** The warning for a cost that rose between two recorded iterations of gradient descent. */
function risingWarning(before: number, at: number, after: number, iteration: number, learningRate: number, standardized: boolean): string {
  const fix = standardized ? "lower the learning rate" : "lower the learning rate, standardize the features (standardize: true), or use solver \"lbfgs\"";
  return `the cost rose from ${before} at iteration ${at} to ${after} at iteration ${iteration}: learning rate ${learningRate} is too large for these features; ${fix}`;
}

/** The warning for an L-BFGS fit that stopped before its gradient tolerance. */
function lbfgsWarning(stop: LbfgsResult["stop"], iterations: number, gradientNorm: number, tolerance: number, standardized: boolean, dtype: DType): string {
  const why =
    stop === "lineSearch"
      ? `the line search found no step that lowers the cost after ${iterations} iterations`
      : stop === "noProgress"
        ? `the cost stopped decreasing (by less than its rounding) after ${iterations} iterations`
        : `L-BFGS reached maxIterations (${iterations})`;
  const fixes = [
    ...(stop === "running" ? ["raise maxIterations"] : []),
    ...(standardized ? [] : ["standardize the features (standardize: true)"]),
    ...(stop !== "running" && dtype === "float32" ? ["use float64"] : []),
    ...(stop !== "running" && standardized && dtype === "float64" ? ["raise gradientTolerance"] : []),
  ];
  return `${why} with max |gradient| ${gradientNorm.toPrecision(3)} > gradientTolerance ${tolerance}: not converged; ${fixes.join(" or ")}`;
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
