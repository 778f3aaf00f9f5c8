/**
 * Logistic regression as the lecture notes teach it: one neuron, σ(wᵀx + b), the
 * cross-entropy cost, vectorized over all m examples. Two solvers, both inside wasm on the fused
 * kernel that computes the cost and the gradient in one pass over X: the notes' gradient descent
 * (`"gd"`, the course's settings) and L-BFGS (`"lbfgs"`, scikit-learn's default, which needs no
 * learning rate). Progress comes back every `recordEvery` iterations.
 */
import { LogisticLayout, type LbfgsResult, type MultinomialData, type Standardized, type Storage } from "../backend/backend.js";
import { currentBackend } from "../backend/registry.js";
import { isDType, type DType } from "../dtype.js";
import { DisposedError, DivergenceError, DTypeError, NotFittedError, OutOfMemoryError, ValueError, withOpName } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { formatShape } from "../shape.js";
import { checkOptions } from "../options.js";
import { sameBackend } from "../ops/same_backend.js";
import { untracked } from "../scope.js";
import { checkFinite, checkLabels, checkLabelValues, design, isPacked, layoutCode, packed, type Layout } from "./data.js";
import { runLbfgs } from "./lbfgs.js";
import { classesOf, classIndices, MAX_CLASS_LABEL } from "./classes.js";
import { descend } from "./training.js";
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
  /** w, flattened (a multiclass model's W (K, n_x), row-major). */
  weights: number[];
  /** b (binary models). */
  bias?: number;
  /** A multiclass model's classes (sorted distinct labels, at least 2); absent for a binary model. */
  classes?: number[];
  /** A multiclass model's biases, one per class. */
  biases?: number[];
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
 * (`layout: "rows"` takes scikit-learn's (m, n_x) and (m,)); integer labels of more than two
 * values train a softmax over them (scikit-learn's multinomial model), with `predictProba`
 * (K, m). The whole loop runs inside wasm, one fused kernel (or two GEMMs and a softmax pass)
 * per step.
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
 * // Three classes: a softmax, as scikit-learn's multinomial LogisticRegression.
 * const three = new vz.LogisticRegression({ layout: "rows" }).fit(vz.array([[0, 0], [0, 1], [4, 4], [4, 5], [-4, 4], [-4, 5]]), vz.array([0, 0, 1, 1, 2, 2]));
 * three.classes; // => [0, 1, 2]
 * three.predict(vz.array([[4, 4.5], [-4, 4.5]])); // => [1, 2]
 * three.predictProba(vz.array([[0, 0]])).shape; // => [1, 3]
 */
export class LogisticRegression {
  /** The options in effect, defaults filled in. */
  readonly options: Readonly<typeof DEFAULTS & Pick<LogisticRegressionOptions, "batchSize" | "dtype">>;
  /** w (n_x) of a binary model; W (K, n_x) of a softmax one. */
  #w: NDArray | undefined;
  /** b of a binary model. */
  #b = 0;
  /** A softmax model's K biases, and its classes (sorted); both undefined for a binary model. */
  #biasesArray: NDArray | undefined;
  #classes: number[] | undefined;
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

  /**
   * The weights: w as an (n_x, 1) array (binary), or W as (K, n_x), a row per class (softmax,
   * scikit-learn's `coef_`). A view the caller owns (dispose it, or use a scope).
   */
  get weights(): NDArray {
    const w = this.#fitted("weights");
    return this.#classes ? w.reshape(...w.shape) : w.reshape(w.size, 1);
  }

  /**
   * The bias b of a binary model.
   * @throws {ValueError} for a multiclass model, which has one bias per class (`biases`)
   */
  get bias(): number {
    this.#fitted("bias");
    if (this.#classes) throw new ValueError(`bias: this model has ${this.#classes.length} classes and a bias for each: read biases`);
    return this.#b;
  }

  /** The biases: [b] for a binary model, one per class for a softmax one (scikit-learn's `intercept_`). */
  get biases(): number[] {
    this.#fitted("biases");
    return this.#biases();
  }

  /**
   * The classes the model tells apart, in the order of `predictProba`'s class axis: [0, 1] for a
   * binary model; for a multiclass one the distinct labels of the training data (scikit-learn's
   * `classes_`).
   */
  get classes(): number[] {
    this.#fitted("classes");
    return this.#classes ? [...this.#classes] : [0, 1];
  }

  /**
   * Trains on X and Y (course layout: X (n_x, m), Y (1, m); rows: X (m, n_x), y (m,)) from zero
   * weights, or with `warmStart` from where the previous `fit` ended. Labels all in [0, 1] (0/1,
   * or probabilities) train the binary σ model; other labels must be non-negative integers, and
   * their distinct values are the classes of a softmax model (scikit-learn's multinomial
   * `LogisticRegression`: `classes`, W (K, n_x), one bias per class). The model is unchanged if
   * this throws.
   * @throws {ValueError} bad shapes, a label that is neither in [0, 1] nor a non-negative integer
   *   (or above 2²⁴ − 1), a single class, NaN or ±Infinity in X, no examples, a warm start with a
   *   different number of features or other classes
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
    const classes = classesOf("fit", Y);
    const start = this.options.warmStart ? this.#w : undefined;
    if (start && start.size !== d.nx * (this.#classes?.length ?? 1)) {
      throw new ValueError(`fit: warmStart: the model was fit with ${start.size / (this.#classes?.length ?? 1)} features but X has ${d.nx} (shape ${formatShape(X.shape)})`);
    }
    if (start && String(this.#classes) !== String(classes)) {
      const name = (c: number[] | undefined) => (c ? `classes [${c.join(", ")}]` : "binary labels");
      throw new ValueError(`fit: warmStart: the model was fit with ${name(this.#classes)} but Y has ${name(classes)}`);
    }
    const { solver, standardize } = this.options;
    // Standardizing reads X once for its statistics, which find NaN and ±Infinity too (fitAs).
    if (!standardize) checkFinite("fit", X);
    const dtype = this.options.dtype ?? X.dtype;
    const backend = X.backend;
    const rows = classes?.length ?? 1; // a weight row (and a bias) per class; one for a binary model
    const owned: NDArray[] = [];
    let scaler: StandardScaler | undefined;
    // The model's state: it outlives any scope `fit` is called in.
    const w = untracked(() => NDArray.empty(backend, dtype, classes ? [rows, d.nx] : [d.nx]));
    const biases = classes ? untracked(() => NDArray.empty(backend, dtype, [rows])) : undefined;
    try {
      // Standardising: train on (X − μ)/σ and fold μ and σ into the weights at the end. Binary
      // L-BFGS folds them into its objective instead (no scaled copy: see `foldsScaling`);
      // otherwise the solvers train on a scaled copy.
      let affine: Affine | undefined;
      let source = X;
      let standardized: Standardized | undefined;
      if (standardize) {
        scaler = new StandardScaler({ layout });
        scaler.fitAs("fit", X); // rejects NaN and ±Infinity as checkFinite would
        const [mu, sd] = [scaler.mean, scaler.scale];
        affine = { mean: mu.toTypedArray(), scale: sd.toTypedArray() };
        mu.dispose();
        sd.dispose();
        if (solver === "lbfgs" && !classes && foldsScaling(affine, dtype)) {
          const [mean, scale] = [affine.mean, affine.scale].map((values) => {
            const a = untracked(() => NDArray.empty(backend, "float64", [d.nx]));
            owned.push(a);
            backend.write(a.view("fit").storage, values);
            return a.view("fit").storage;
          }) as [Storage, Storage];
          standardized = { mean, scale };
        } else {
          const scaled = untracked(() => scaler!.transform(X));
          owned.push(scaled);
          source = scaled;
        }
      }
      // rows·n_x + rows numbers, through JS, so the previous weights may live on another backend.
      const previous = start ? { w: start.toTypedArray(), b: this.#biases() } : undefined;
      const startFit = previous && affine ? foldRows(unfold, previous.w, previous.b, affine) : previous;
      // The labels as the kernels read them: Y itself (binary), or each one's class index.
      const y = classes ? { array: untracked(() => indicesArray(Y, classes, dtype)), owned: true } : packed(Y, dtype);
      if (y.owned) owned.push(y.array);
      const runs = solver === "gd" ? iterations : (fitOptions.iterations ?? this.options.maxIterations);
      const x = this.#streamable(source, d, dtype, runs, owned);
      const warnings: string[] = [];
      const warn = (iteration: number, cost: number, warning: string) => {
        warnings.push(warning);
        onProgress?.({ iteration, cost, warning });
      };
      const st = (a: NDArray) => a.view("fit").storage;
      const data: MultinomialData = { layout: x.code, x: st(x.array), nx: d.nx, m: d.m, y: st(y.array), k: rows };
      let outcome: { b: number[]; costs: number[]; done: number; converged: boolean; gradientNorm: number };
      if (solver === "gd") {
        if (startFit) backend.write(st(w), startFit.w);
        else backend.fill(st(w), 0);
        if (biases) backend.write(st(biases), startFit?.b ?? new Array<number>(rows).fill(0));
        outcome = this.#descend(data, w, biases, startFit?.b[0] ?? 0, iterations, dtype, onProgress, warn);
      } else {
        const parameters = rows * (d.nx + 1);
        const theta = startFit ? [...Array.from(startFit.w), ...startFit.b] : undefined;
        const solve = (state: Storage, p: Parameters<typeof backend.logisticLbfgs>[6]) =>
          withOpName("fit", () => (classes ? backend.multinomialLbfgs(data, state, p) : backend.logisticLbfgs(x.code, data.x, d.nx, d.m, data.y, state, p, standardized)));
        const settings = { l2: this.options.l2, iterations: runs, recordEvery, gtol: this.options.gradientTolerance };
        const r = runLbfgs(backend, parameters, theta, settings, solve, (iteration, cost) => onProgress?.({ iteration, cost }));
        if (r.stop === "diverged") {
          throw new DivergenceError(`fit: the cost is ${r.cost} at iteration ${r.iterationsRun}: the data overflow ${dtype}`, r.iterationsRun);
        }
        const converged = r.stop === "converged";
        if (!converged) warn(r.iterationsRun, r.cost, lbfgsWarning(r.stop, r.iterationsRun, r.gradientNorm, this.options.gradientTolerance, standardize, dtype));
        backend.write(st(w), r.theta.subarray(0, rows * d.nx));
        outcome = { b: Array.from(r.theta.subarray(rows * d.nx)), costs: r.costs, done: r.iterationsRun, converged, gradientNorm: r.gradientNorm };
      }
      let b = outcome.b;
      if (affine) {
        const raw = foldRows(fold, w.toTypedArray(), b, affine);
        backend.write(st(w), raw.w);
        b = raw.b;
      }
      // Stored in the model's dtype, as the weights (the solvers' biases may be float64).
      b = b.map((v) => (dtype === "float32" ? Math.fround(v) : v));
      if (biases) backend.write(st(biases), b);
      // Success: only now does the model change.
      this.#w?.dispose();
      this.#biasesArray?.dispose();
      this.#w = w;
      this.#b = b[0]!;
      this.#biasesArray = biases;
      this.#classes = classes;
      this.#costs = outcome.costs;
      this.#iterationsRun = outcome.done;
      this.#converged = outcome.converged;
      this.#gradientNorm = outcome.gradientNorm;
      this.#warnings = warnings;
      return this;
    } catch (error) {
      w.dispose();
      biases?.dispose();
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
        withOpName("fit", () => backend.packColsToRows(x.array.view("fit").storage, rows, cols, relaid.view("fit").storage));
        return { array: relaid, code: fastest };
      } catch (error) {
        if (!(error instanceof OutOfMemoryError)) throw error;
      }
    }
    return { array: x.array, code };
  }

  /**
   * The course's gradient descent, `iterations` steps from (w, b) (binary) or (W, b) (softmax,
   * `biases` given), through the one chunked training driver.
   */
  #descend(
    data: MultinomialData,
    w: NDArray,
    biases: NDArray | undefined,
    b: number,
    iterations: number,
    dtype: DType,
    onProgress: ((progress: Progress) => void) | undefined,
    warn: (iteration: number, cost: number, warning: string) => void,
  ): { b: number[]; costs: number[]; done: number; converged: boolean; gradientNorm: number } {
    const { recordEvery, learningRate, l2, tolerance, batchSize, seed } = this.options;
    const backend = w.backend;
    const ws = w.view("fit").storage;
    const costs: number[] = [];
    let rose = false;
    const { done } = descend({
      iterations,
      recordEvery,
      minCall: MIN_CALL_ITERATIONS,
      ...(batchSize ? { batches: { m: data.m, batchSize, seed } } : {}),
      step: ({ iterations: steps, firstIteration, prevCost, order }) => {
        const params = { learningRate, l2, iterations: steps, firstIteration, recordEvery, tolerance, prevCost, ...(order ? { order, batchSize: batchSize! } : {}) };
        if (biases) return withOpName("fit", () => backend.multinomialTrain(data, ws, biases.view("fit").storage, params));
        const r = withOpName("fit", () => backend.logisticTrain(data.layout, data.x, data.nx, data.m, data.y, ws, b, params));
        b = r.bias;
        return r;
      },
      onCost: (iteration, cost) => {
        const last = costs[costs.length - 1];
        costs.push(cost);
        onProgress?.({ iteration, cost });
        // Full-batch costs only fall with a small enough step: a rise means the step overshoots
        // (mini-batch costs are of different batches, so they may rise by chance).
        if (!rose && !batchSize && last !== undefined && cost > last) {
          rose = true;
          warn(iteration, cost, risingWarning(last, iteration - recordEvery, cost, iteration, learningRate, this.options.standardize));
        }
      },
      diverged: (done, cost) => `fit: the cost is ${cost} at iteration ${done}: training diverged (learning rate ${learningRate} is too large, or the data overflow ${dtype})`,
    });
    // The convergence report: the gradient at the weights reached, one more fused pass.
    const dw = NDArray.empty(backend, dtype, [w.size]);
    const db = biases ? NDArray.empty(backend, dtype, [biases.size]) : undefined;
    try {
      let bs: number[];
      let gradientNorm: number;
      if (biases) {
        withOpName("fit", () => backend.multinomialGrad(data, ws, biases.view("fit").storage, l2, dw.view("fit").storage, db!.view("fit").storage));
        bs = Array.from(biases.toTypedArray());
        gradientNorm = Math.max(maxAbs(db!.toTypedArray()), maxAbs(dw.toTypedArray()));
      } else {
        const r = withOpName("fit", () => backend.logisticGrad(data.layout, data.x, data.nx, data.m, data.y, ws, b, l2, dw.view("fit").storage));
        bs = [b];
        gradientNorm = Math.max(Math.abs(r.db), maxAbs(dw.toTypedArray()));
      }
      return { b: bs, costs, done, converged: gradientNorm <= this.options.gradientTolerance, gradientNorm };
    } finally {
      dw.dispose();
      db?.dispose();
    }
  }

  /**
   * P(y = 1 | x) for every example: shape (1, m) in the course layout, (m,) in rows. A softmax
   * model's class probabilities: (K, m) in the course layout (a column per example), (m, K) in
   * rows (scikit-learn's `predict_proba`), the classes in the order of `classes`.
   * @throws {NotFittedError} before `fit`; {ValueError} when X's features differ from the fit's
   */
  predictProba(X: NDArray): NDArray {
    const w = this.#fitted("predictProba");
    const { layout } = this.options;
    const d = design("predictProba", X, layout);
    sameBackend("predictProba", [w, X], "the model's weights and X");
    const K = this.#classes?.length;
    const features = K ? w.shape[1]! : w.size;
    if (d.nx !== features) {
      throw new ValueError(`predictProba: X has ${d.nx} features (shape ${formatShape(X.shape)}) but the model was fit with ${features}`);
    }
    const x = packed(X, w.dtype);
    try {
      const st = (a: NDArray) => a.view("predictProba").storage;
      if (K) {
        const out = NDArray.empty(w.backend, w.dtype, layout === "cols" ? [K, d.m] : [d.m, K]);
        if (d.m > 0) withOpName("predictProba", () => w.backend.multinomialForward({ layout: layoutCode(layout), x: st(x.array), nx: d.nx, m: d.m, k: K }, st(w), st(this.#biasesArray!), st(out)));
        return out;
      }
      const out = NDArray.empty(w.backend, w.dtype, layout === "cols" ? [1, d.m] : [d.m]);
      if (d.m > 0) withOpName("predictProba", () => w.backend.logisticForward(layoutCode(layout), st(x.array), d.nx, d.m, st(w), this.#b, st(out)));
      return out;
    } finally {
      if (x.owned) x.array.dispose();
    }
  }

  /**
   * Binary: 1 where P(y = 1 | x) > threshold, else 0. Softmax: the most probable class (the
   * first on a tie, as numpy's argmax), one of `classes`. Shaped (1, m), or (m,) in rows.
   */
  predict(X: NDArray, { threshold = 0.5 } = {}): NDArray {
    this.#fitted("predict");
    const p = this.predictProba(X);
    try {
      const classes = this.#classes;
      if (!classes) return p.greater(threshold);
      const K = classes.length;
      const m = p.size / K;
      const probs = p.toTypedArray();
      const labels = new Float64Array(m);
      const at = this.options.layout === "cols" ? (r: number, i: number) => probs[r * m + i]! : (r: number, i: number) => probs[i * K + r]!;
      for (let i = 0; i < m; i++) {
        let best = 0;
        for (let r = 1; r < K; r++) if (at(r, i) > at(best, i)) best = r;
        labels[i] = classes[best]!;
      }
      const out = NDArray.empty(p.backend, p.dtype, this.options.layout === "cols" ? [1, m] : [m]);
      out.backend.write(out.view("predict").storage, labels);
      return out;
    } finally {
      p.dispose();
    }
  }

  /** Accuracy of `predict(X)` against the labels Y (0/1, or a multiclass model's classes): the exact fraction of hits, in [0, 1]. */
  score(X: NDArray, Y: NDArray): number {
    const { layout } = this.options;
    this.#fitted("score");
    checkLabels("score", Y, X, layout, design("score", X, layout));
    if (!this.#classes) checkLabelValues("score", Y, true);
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
      ...(this.#classes ? { classes: [...this.#classes], biases: this.#biases() } : { bias: this.#b }),
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
    const multiclass = json.version === 2 && "classes" in json;
    const v1 = ["format", "version", "options", "weights", ...(multiclass ? ["classes", "biases"] : ["bias"]), "costs", "iterationsRun"];
    checkOptions(op, json, json.version === 1 ? v1 : [...v1, "converged", "gradientNorm", "warnings"]);
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    if (!Array.isArray(json.weights) || json.weights.length === 0 || !json.weights.every(finite)) {
      throw new ValueError(`${op}: weights must be a non-empty array of finite numbers`);
    }
    const classes = json.classes;
    if (multiclass) {
      if (!Array.isArray(classes) || classes.length < 2 || !classes.every((c, k) => Number.isInteger(c) && c >= 0 && c <= MAX_CLASS_LABEL && (k === 0 || c > classes[k - 1]!))) {
        throw new ValueError(`${op}: classes must list at least 2 increasing non-negative integer labels (at most ${MAX_CLASS_LABEL}), got ${JSON.stringify(classes)}`);
      }
      if (!Array.isArray(json.biases) || json.biases.length !== classes.length || !json.biases.every(finite)) {
        throw new ValueError(`${op}: biases must be ${classes.length} finite numbers, one per class`);
      }
      if (json.weights.length % classes.length !== 0) {
        throw new ValueError(`${op}: weights holds ${json.weights.length} numbers, not a multiple of the ${classes.length} classes (W is (K, n_x))`);
      }
    } else if (!finite(json.bias)) throw new ValueError(`${op}: bias must be a finite number, got ${String(json.bias)}`);
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
    const backend = currentBackend("fromJSON");
    const K = multiclass ? classes!.length : undefined;
    const w = untracked(() => NDArray.empty(backend, json.options.dtype, K ? [K, json.weights.length / K] : [json.weights.length]));
    w.backend.write(w.view("fromJSON").storage, json.weights);
    model.#w = w;
    if (K) {
      const biases = untracked(() => NDArray.empty(backend, json.options.dtype, [K]));
      backend.write(biases.view("fromJSON").storage, json.biases!);
      model.#biasesArray = biases;
      model.#classes = [...classes!];
    } else model.#b = json.bias!;
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
    this.#biasesArray?.dispose();
    this.#biasesArray = undefined;
    this.#disposed = true;
  }

  /** Frees the weights: what `using model = new vz.LogisticRegression()` calls at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The biases as numbers: [b], or one per class. */
  #biases(): number[] {
    return this.#biasesArray ? Array.from(this.#biasesArray.toTypedArray()) : [this.#b];
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

/**
 * Largest κ = max |μⱼ|/σⱼ at which float32 L-BFGS folds the standardisation into its objective
 * (raw X at w = w'/σ, b = b' − Σ wμ) rather than training on a scaled copy: z then sums terms
 * up to (1 + κ) times the copy's, so the cost and gradient carry (1 + κ) times its float32
 * rounding, here at most ~65·6e-8 ≈ 4e-6 relative, still 25× below the default gradient
 * tolerance 1e-4. Float64 folds at any κ below 2³² (an error below 1e-6 relative).
 */
const FOLD_MAX_AMPLIFICATION: Record<DType, number> = { float32: 64, float64: 2 ** 32 };

/** Whether L-BFGS can fold this standardisation into its objective at `dtype`'s precision (see FOLD_MAX_AMPLIFICATION). */
function foldsScaling({ mean, scale }: Affine, dtype: DType): boolean {
  let kappa = 0;
  for (let j = 0; j < mean.length; j++) kappa = Math.max(kappa, Math.abs(mean[j]!) / scale[j]!);
  return kappa <= FOLD_MAX_AMPLIFICATION[dtype];
}

/** max |vᵢ| (NaN if any is NaN; 0 for none), without spreading a long array into arguments. */
function maxAbs(v: ArrayLike<number>): number {
  let r = 0;
  for (let i = 0; i < v.length; i++) r = Number.isNaN(v[i]!) ? NaN : Math.max(r, Math.abs(v[i]!));
  return r;
}

/** `fold` or `unfold` applied to each of the rows (a class's weights and bias) of W (rows × n_x, flat) and b. */
function foldRows(
  map: (w: ArrayLike<number>, b: number, affine: Affine) => { w: Float64Array; b: number },
  w: ArrayLike<number>,
  b: readonly number[],
  affine: Affine,
): { w: Float64Array; b: number[] } {
  const nx = affine.mean.length;
  const out = new Float64Array(w.length);
  const biases = b.map((bias, r) => {
    const row = map(Array.prototype.slice.call(w, r * nx, (r + 1) * nx) as number[], bias, affine);
    out.set(row.w, r * nx);
    return row.b;
  });
  return { w: out, b: biases };
}

/** The labels' class indices (0…K−1) as an (m,) array of `dtype`, for the softmax kernels. */
function indicesArray(Y: NDArray, classes: readonly number[], dtype: DType): NDArray {
  const y = NDArray.empty(Y.backend, dtype, [Y.size]);
  y.backend.write(y.view("fit").storage, classIndices(Y.toTypedArray(), classes));
  return y;
}
