/**
 * Standardisation as scikit-learn's `StandardScaler` does it: each feature minus its mean,
 * divided by its standard deviation (numpy's `X.std(0)`, ddof = 0; summed in float64 as
 * scikit-learn sums, in one pass over X: the crate's `kernels::moments`, and rounded to X's
 * dtype). A constant feature keeps scale 1, so it becomes 0 rather than NaN.
 */
import { currentBackend } from "../backend/registry.js";
import { isDType, type DType } from "../dtype.js";
import { DisposedError, NotFittedError, ValueError, withOpName } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { checkOptions } from "../options.js";
import { sameBackend } from "../ops/same_backend.js";
import { scope, untracked } from "../scope.js";
import { formatShape } from "../shape.js";
import { LogisticLayout } from "../backend/backend.js";
import { checkFinite, isPacked, packed } from "../models/data.js";

/**
 * The options of `new vz.preprocessing.StandardScaler(options)`.
 * @example
 * new vz.preprocessing.StandardScaler({ layout: "cols" }).layout; // => cols
 */
export interface StandardScalerOptions {
  /** `"rows"`: X is (m, n), one example per row (scikit-learn's). `"cols"`: X is (n, m), the course's. Default "rows". */
  layout?: "rows" | "cols";
}

/**
 * The JSON form of a fitted scaler (`toJSON()` / `StandardScaler.fromJSON()`).
 * @example
 * const scaler = new vz.preprocessing.StandardScaler().fit(vz.array([[1, 10], [3, 10]]));
 * JSON.parse(JSON.stringify(scaler)).scale; // => [1, 1]
 */
export interface StandardScalerJSON {
  /** Always this string: what the document is. */
  format: "vectorized.StandardScaler";
  /** The format's version. */
  version: 1;
  /** The layout the scaler was made for. */
  layout: "rows" | "cols";
  /** The dtype of the statistics (X's). */
  dtype: DType;
  /** Per-feature means. */
  mean: number[];
  /** Per-feature standard deviations, 1 for constant features. */
  scale: number[];
}

/**
 * Standardises features as scikit-learn's `StandardScaler`: `(X − mean) / std` per feature,
 * with numpy's `std` (ddof 0) and scale 1 for constant features.
 * @example
 * const scaler = new vz.preprocessing.StandardScaler().fit(vz.array([[1, 10], [3, 10]])); // X (m, n)
 * scaler.mean;                                   // => [2, 10]
 * scaler.scale;                                  // => [1, 1]
 * scaler.transform(vz.array([[5, 10], [0, 10]])); // => [[3, 0], [-2, 0]]
 */
export class StandardScaler {
  readonly layout: "rows" | "cols";
  #mean: NDArray | undefined;
  #scale: NDArray | undefined;
  #disposed = false;

  constructor(options: StandardScalerOptions = {}) {
    checkOptions("StandardScaler", options, ["layout"]);
    const layout = options.layout ?? "rows";
    if (layout !== "rows" && layout !== "cols") throw new ValueError(`StandardScaler: layout must be "rows" or "cols", got ${JSON.stringify(layout)}`);
    this.layout = layout;
  }

  /** Per-feature means, shape (n,): a copy the caller owns. */
  get mean(): NDArray {
    return this.#fitted("mean")[0].copy();
  }

  /** Per-feature standard deviations (1 for constant features), shape (n,): a copy the caller owns. */
  get scale(): NDArray {
    return this.#fitted("scale")[1].copy();
  }

  /** Features the scaler was fit on. */
  get nFeatures(): number {
    return this.#fitted("nFeatures")[0].size;
  }

  /**
   * Learns each feature's mean and standard deviation. The scaler is unchanged if this throws.
   * @throws {ValueError} X not 2-D, without examples, or with NaN or ±Infinity
   */
  fit(X: NDArray): this {
    this.#alive("fit");
    return this.fitAs("StandardScaler.fit", X);
  }

  /**
   * @internal `fit`, its errors named after `op` (a model's fit). One pass over X, in the
   * backend's `featureMoments` kernel (float64 sums), which also finds NaN and ±Infinity: only
   * when a statistic is not finite is X searched for the element to name.
   */
  fitAs(op: string, X: NDArray): this {
    const { n, m } = this.#shape("fit", X);
    if (m === 0) throw new ValueError(`${op}: X of shape ${formatShape(X.shape)} has no examples`);
    // The kernel reads a contiguous X: as given, or its transpose (the other layout), else a copy.
    const own = this.layout === "rows" ? LogisticLayout.Rows : LogisticLayout.Cols;
    const flipped = isPacked(X, X.dtype) ? undefined : X.T;
    const source = flipped && isPacked(flipped, X.dtype) ? { array: flipped, owned: true, code: own === LogisticLayout.Rows ? LogisticLayout.Cols : LogisticLayout.Rows } : { ...packed(X, X.dtype), code: own };
    if (flipped && source.array !== flipped) flipped.dispose();
    let moments: Float64Array;
    try {
      moments = withOpName(op, () => X.backend.featureMoments(source.code, source.array.view(op).storage, n, m));
    } finally {
      if (source.owned) source.array.dispose();
    }
    const bad = moments.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      checkFinite(op, X); // throws, naming the element
      const j = bad % n;
      throw new ValueError(`${op}: feature ${j}'s ${bad < n ? "mean" : "variance"} overflows float64 (its values are too large to standardize)`);
    }
    // numpy's std (ddof 0) = √variance; constant features (variance exactly 0) keep scale 1.
    const scale = Array.from(moments.subarray(n), (v) => (v === 0 ? 1 : Math.sqrt(v)));
    const [mean, sd] = untracked(() =>
      [Array.from(moments.subarray(0, n)), scale].map((values) => {
        const a = NDArray.empty(X.backend, X.dtype, [n]);
        X.backend.write(a.view(op).storage, values);
        return a;
      }),
    ) as [NDArray, NDArray];
    this.#mean?.dispose();
    this.#scale?.dispose();
    this.#mean = mean;
    this.#scale = sd;
    return this;
  }

  /** `(X − mean) / scale`, a new array of X's dtype. @throws {ValueError} when X's features differ from the fit's */
  transform(X: NDArray): NDArray {
    return scope(() => {
      const [mu, sd] = this.#operands("transform", X);
      const out = X.sub(mu);
      return out.div(sd, { out }); // in place: one array of X's size, not two
    });
  }

  /** `X·scale + mean`: undoes `transform`. */
  inverseTransform(X: NDArray): NDArray {
    return scope(() => {
      const [mu, sd] = this.#operands("inverseTransform", X);
      return X.mul(sd).add(mu);
    });
  }

  /** Fits, then transforms X. */
  fitTransform(X: NDArray): NDArray {
    return this.fit(X).transform(X);
  }

  /**
   * The fitted scaler as plain JSON (what `JSON.stringify(scaler)` writes).
   * @throws {NotFittedError} before `fit`.
   */
  toJSON(): StandardScalerJSON {
    const [mu, sd] = this.#fitted("toJSON");
    return { format: "vectorized.StandardScaler", version: 1, layout: this.layout, dtype: mu.dtype, mean: Array.from(mu.toTypedArray()), scale: Array.from(sd.toTypedArray()) };
  }

  /**
   * A fitted scaler from `toJSON()`'s output, on the current backend.
   * @throws {ValueError} for anything `toJSON()` would not write (unknown fields, lengths that
   *   differ, non-finite means, scales that are not positive)
   */
  static fromJSON(json: StandardScalerJSON): StandardScaler {
    const op = "StandardScaler.fromJSON";
    if (typeof json !== "object" || json === null || json.format !== "vectorized.StandardScaler" || json.version !== 1) {
      throw new ValueError(`${op}: not a vectorized.StandardScaler (version 1) document`);
    }
    checkOptions(op, json, ["format", "version", "layout", "dtype", "mean", "scale"]);
    if (!isDType(json.dtype)) throw new ValueError(`${op}: dtype must be "float32" or "float64", got ${JSON.stringify(json.dtype)}`);
    const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
    if (!Array.isArray(json.mean) || json.mean.length === 0 || !json.mean.every(finite)) throw new ValueError(`${op}: mean must be a non-empty array of finite numbers`);
    if (!Array.isArray(json.scale) || json.scale.length !== json.mean.length || !json.scale.every((v) => finite(v) && v > 0)) {
      throw new ValueError(`${op}: scale must hold ${json.mean.length} positive finite numbers, as many as mean`);
    }
    const scaler = new StandardScaler({ layout: json.layout });
    const backend = currentBackend(op);
    [scaler.#mean, scaler.#scale] = untracked(() =>
      [json.mean, json.scale].map((values) => {
        const a = NDArray.empty(backend, json.dtype, [values.length]);
        backend.write(a.view(op).storage, values);
        return a;
      }),
    ) as [NDArray, NDArray];
    return scaler;
  }

  /** Frees the statistics. Safe to call twice; the scaler cannot be used afterwards. */
  dispose(): void {
    this.#mean?.dispose();
    this.#scale?.dispose();
    this.#mean = this.#scale = undefined;
    this.#disposed = true;
  }

  /** `dispose()`, for `using`. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The statistics shaped to broadcast against X in this layout. */
  #operands(op: string, X: NDArray): [NDArray, NDArray] {
    const [mu, sd] = this.#fitted(op);
    const { n } = this.#shape(op, X);
    sameBackend(`StandardScaler.${op}`, [mu, X], "the scaler's statistics and X");
    if (n !== mu.size) throw new ValueError(`StandardScaler.${op}: X has ${n} features (shape ${formatShape(X.shape)}) but the scaler was fit with ${mu.size}`);
    return this.layout === "rows" ? [mu, sd] : [mu.reshape(n, 1), sd.reshape(n, 1)];
  }

  #shape(op: string, X: unknown): { n: number; m: number } {
    if (!(X instanceof NDArray)) throw new ValueError(`StandardScaler.${op}: X must be an NDArray, got ${X === null ? "null" : typeof X}`);
    X.view(op);
    if (X.ndim !== 2) {
      throw new ValueError(`StandardScaler.${op}: X must be 2-D ${this.layout === "rows" ? "(m, n), one example per row" : "(n, m), one example per column"}, got shape ${formatShape(X.shape)}`);
    }
    return this.layout === "rows" ? { m: X.shape[0]!, n: X.shape[1]! } : { n: X.shape[0]!, m: X.shape[1]! };
  }

  #alive(op: string): void {
    if (this.#disposed) throw new DisposedError(`StandardScaler.${op}: this StandardScaler was disposed`);
  }

  #fitted(op: string): [NDArray, NDArray] {
    this.#alive(op);
    if (!this.#mean || !this.#scale) throw new NotFittedError(`StandardScaler.${op}: this StandardScaler is not fitted yet: call fit(X) first`);
    return [this.#mean, this.#scale];
  }
}
