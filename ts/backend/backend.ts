/**
 * The contract both backends implement. Backends receive validated layouts, already broadcast
 * to the output shape (stride 0 on stretched axes); all shape and dtype policy lives in the ops.
 * Outputs are contiguous row-major buffers of the output's dtype. A backend does not know which
 * op called it: its errors describe the layouts, and the ops layer puts the op's name in front.
 */
import type { DType, FloatArray } from "../dtype.js";
import type { Shape } from "../shape.js";

/**
 * The backends: the wasm relaxed-SIMD build, the wasm SIMD build, the wasm baseline build and the pure-TypeScript reference.
 * @example
 * const name: vz.BackendName = await vz.init();
 */
export type BackendName = "wasm-relaxed" | "wasm-simd" | "wasm" | "reference";

/**
 * The largest single buffer on every backend: Rust allocations are limited to `isize::MAX`
 * bytes, 2 GiB − 1 on wasm32, and the reference backend keeps the same limit so that both
 * accept and refuse the same arrays.
 */
export const MAX_BUFFER_BYTES = 2 ** 31 - 1;

/** A flat buffer of `length` elements owned by one backend. */
export interface Storage {
  readonly dtype: DType;
  readonly length: number;
}

/** A strided read of a storage (element strides, possibly negative or 0). */
export interface View<S extends Storage = Storage> {
  readonly storage: S;
  readonly strides: readonly number[];
  readonly offset: number;
}

/**
 * The op codes, one table per kind, each the Rust crate's enum of the same meaning (its `from_u32`);
 * test/op_codes.test.ts checks every table against the crate's own (`op_codes()` in bindings.rs).
 *
 * Binary element-wise ops; the numbers are the kernel codes of the Rust crate's `BinaryOpCode`.
 */
export const BinaryOp = {
  Add: 0,
  Sub: 1,
  Mul: 2,
  Div: 3,
  Pow: 4,
  Maximum: 5,
  Minimum: 6,
  Equal: 7,
  NotEqual: 8,
  Greater: 9,
  GreaterEqual: 10,
  Less: 11,
  LessEqual: 12,
} as const;
export type BinaryOp = (typeof BinaryOp)[keyof typeof BinaryOp];

/** Unary element-wise ops; codes of the Rust crate's `UnaryOpCode`. */
export const UnaryOp = {
  Neg: 0,
  Abs: 1,
  Sign: 2,
  Square: 3,
  Sqrt: 4,
  Exp: 5,
  Log: 6,
  Log1p: 7,
  Sigmoid: 8,
  Tanh: 9,
  Relu: 10,
  Clip: 11,
} as const;
export type UnaryOp = (typeof UnaryOp)[keyof typeof UnaryOp];

/** Reductions; codes of the Rust crate's `ReduceOpCode` and `ArgOpCode`. */
export const ReduceOp = { Sum: 0, Prod: 1, Max: 2, Min: 3 } as const;
export type ReduceOp = (typeof ReduceOp)[keyof typeof ReduceOp];
export const ArgOp = { ArgMax: 0, ArgMin: 1 } as const;
export type ArgOp = (typeof ArgOp)[keyof typeof ArgOp];

/** How a logistic model's X is laid out: the course's (n_x, m) or sklearn's (m, n_x); codes of the crate's `Layout`. */
export const LogisticLayout = { Cols: 0, Rows: 1 } as const;
export type LogisticLayout = (typeof LogisticLayout)[keyof typeof LogisticLayout];

/** A dense network's hidden activation and output; codes of the crate's `network::Hidden` and `network::OutputKind`. */
export const NetworkHidden = { relu: 0, tanh: 1, sigmoid: 2, leakyRelu: 3 } as const;
export const NetworkOutput = { sigmoid: 0, softmax: 1 } as const;

/**
 * A dense network's training data for `networkTrain`: X (n_x rows) and T (n_L rows) of m columns, rows `ld` apart.
 * With `batch`, mini-batches: the call's iteration i steps on columns i·batch … min((i + 1)·batch, m) (so at most
 * ⌈m / batch⌉ iterations); without, every iteration on all m.
 */
export interface NetworkData<S extends Storage = Storage> {
  x: S;
  t: S;
  m: number;
  ld: number;
  batch?: number;
}

/**
 * Softmax regression's operands (the crate's `kernels::multinomial`): contiguous X in `layout`,
 * `y` the m class indices (0…k−1, in X's dtype), k classes; W is (k, n_x) row-major, b (k).
 */
export interface MultinomialData<S extends Storage = Storage> {
  layout: LogisticLayout;
  x: S;
  nx: number;
  m: number;
  y: S;
  k: number;
}

/** One training call's settings (see the crate's `logistic::train` for the order of an iteration). */
export interface TrainParams {
  learningRate: number;
  l2: number;
  /** Most iterations this call runs. */
  iterations: number;
  /** Global number of this call's first iteration (training runs in chunks). */
  firstIteration: number;
  /** Record the cost of every global iteration that is a multiple of this (0: never). */
  recordEvery: number;
  /** Stop when the cost changes by less than this between iterations (0: never). */
  tolerance: number;
  /** The previous chunk's last cost, so the tolerance test spans chunks. */
  prevCost: number | undefined;
  /** Mini-batch training: the example order and the batch size (full batch when absent). */
  order?: Uint32Array;
  batchSize?: number;
}

export interface TrainResult {
  /** Updates applied by this call. */
  iterations: number;
  stop: "completed" | "converged" | "diverged";
  lastCost: number | undefined;
  /** The bias after the call (the weights are updated in place). */
  bias: number;
  costs: number[];
}

/**
 * The float64 state of an L-BFGS fit (the crate's `kernels::lbfgs`), in one buffer so a fit can
 * run in chunks: `[evaluated, f, pairs, newest]`, then θ = (w, b), the gradient at θ, the
 * `memory` pairs s and y (`memory × (n_x + 1)` each) and their ρ = 1/yᵀs.
 */
export const LBFGS_HEADER = 4;
/** Words of L-BFGS state for `parameters` numbers in θ and `memory` pairs. */
export const lbfgsStateSize = (parameters: number, memory: number): number => LBFGS_HEADER + 2 * parameters * (memory + 1) + memory;
/** Words of state for a binary logistic model: θ = (w, b). */
export const lbfgsStateLength = (nx: number, memory: number): number => lbfgsStateSize(nx + 1, memory);

/** One L-BFGS call's settings (see the crate's `kernels::logistic_lbfgs`). */
/**
 * A standardisation L-BFGS folds into the logistic objective instead of training on a scaled
 * copy of X: θ = (w', b') are then the parameters on (x − mean)/scale (the crate's
 * `logistic_lbfgs::Standardization`). Both float64, n_x long; scale > 0.
 */
export interface Standardized<S extends Storage = Storage> {
  mean: S;
  scale: S;
}

export interface LbfgsParams {
  /** λ of the L2 penalty (sklearn's 1/C). */
  l2: number;
  /** Pairs kept (sklearn: 10). */
  memory: number;
  /** Most iterations this call runs. */
  iterations: number;
  /** Global number of this call's first iteration. */
  firstIteration: number;
  /** Record the cost of every global iteration that is a multiple of this (0: never). */
  recordEvery: number;
  /** Stop at max |∂f| ≤ gtol. */
  gtol: number;
  /** Stop when the cost's relative decrease is at most ftol. */
  ftol: number;
}

export interface LbfgsResult {
  /** Iterations this call completed. */
  iterations: number;
  /** "running": this call's iterations are done; "noProgress": the relative decrease fell below ftol. */
  stop: "running" | "converged" | "noProgress" | "lineSearch" | "diverged";
  /** The cost and max |∂f| at the current θ. */
  cost: number;
  gradientNorm: number;
  costs: number[];
}

export const LBFGS_STOPS = ["running", "converged", "noProgress", "lineSearch", "diverged"] as const;

export interface Backend<S extends Storage = Storage> {
  readonly name: BackendName;
  /** A new, uninitialised buffer. @throws {OutOfMemoryError} */
  alloc(dtype: DType, length: number): S;
  /** Releases a buffer; called exactly once per buffer. */
  free(storage: S): void;
  /**
   * `length` elements of `storage` from element `offset`, as a storage of their own that a
   * kernel can write (an `out` that is a contiguous slice). Never freed: its buffer is.
   */
  window(storage: S, offset: number, length: number): S;
  /** Copies `data` (converted to the storage's dtype) into the buffer, from element `at`. */
  write(storage: S, data: ArrayLike<number>, at?: number): void;
  /** Sets every element to `value`. */
  fill(storage: S, value: number): void;
  /** A copy of the whole buffer. */
  read(storage: S): FloatArray;
  /** Element `index` of the buffer (`item()` of a one-element array, with no copy of a typed array). */
  readElement(storage: S, index: number): number;
  /** `out[at…] = src` in row-major order, converted to `out`'s dtype. */
  copy(shape: Shape, src: View<S>, out: S, at?: number): void;
  /** `out = op(a, b)`. */
  binary(op: BinaryOp, shape: Shape, a: View<S>, b: View<S>, out: S): void;
  /** `out = cond != 0 ? a : b`. */
  where(shape: Shape, cond: View<S>, a: View<S>, b: View<S>, out: S): void;
  /** `out = op(a)`; `lo`/`hi` are clip's bounds. */
  unary(op: UnaryOp, shape: Shape, a: View<S>, out: S, lo: number, hi: number): void;
  /** `out` = op over the axes where `reduced` is true; `out` is laid out over the kept axes. */
  reduce(op: ReduceOp, shape: Shape, a: View<S>, reduced: readonly boolean[], out: S): void;
  /**
   * `out[β] = a[β]·b[β]` for each index β of `batch` (a is `batch ++ [m,k]`, b `batch ++ [k,n]`,
   * strides 0 on broadcast batch axes); `out` is contiguous `batch ++ [m,n]`.
   */
  matmul(batch: Shape, m: number, k: number, n: number, a: View<S>, b: View<S>, out: S): void;
  /**
   * One fused logistic step over contiguous X: writes dw, returns the cost and db (over the
   * examples `indices` lists when given). The cost is +inf when a label is outside [0, 1] or
   * NaN, and not finite when X is not (callers name the bad value only then).
   */
  logisticGrad(layout: LogisticLayout, x: S, nx: number, m: number, y: S, w: S, b: number, l2: number, dw: S, indices?: Uint32Array): { cost: number; db: number };
  /** Probabilities σ(wᵀx + b) of the m examples of contiguous X into `out`. */
  logisticForward(layout: LogisticLayout, x: S, nx: number, m: number, w: S, b: number, out: S): void;
  /** Gradient descent on contiguous X, updating `w` in place. */
  logisticTrain(layout: LogisticLayout, x: S, nx: number, m: number, y: S, w: S, b: number, params: TrainParams): TrainResult;
  /**
   * Gradient descent on a dense network (`sizes` [n_x, …, n_L]), updating `params` (W1, b1, …)
   * in place. Backends without it train networks with their ops.
   */
  networkTrain?(
    sizes: readonly number[],
    hidden: (typeof NetworkHidden)[keyof typeof NetworkHidden],
    output: (typeof NetworkOutput)[keyof typeof NetworkOutput],
    data: NetworkData<S>,
    params: readonly S[],
    train: TrainParams,
  ): Omit<TrainResult, "bias">;
  /** `out[r][j] = x[r][order[j]]` for (rows, m) contiguous x and out: a shuffle's columns. Backends without it have the caller gather. */
  gatherColumns?(x: S, rows: number, m: number, order: Uint32Array, out: S): void;
  /**
   * L-BFGS iterations on the logistic cost over contiguous X, continuing from `state` (float64,
   * `lbfgsStateLength(nx, memory)` elements; zero-filled with θ written for a fresh start);
   * with `standardized`, θ holds the parameters on standardised features (no scaled copy).
   */
  logisticLbfgs(layout: LogisticLayout, x: S, nx: number, m: number, y: S, state: S, params: LbfgsParams, standardized?: Standardized<S>): LbfgsResult;
  /** Softmax regression's fused step: writes dW and db, returns the cost. */
  multinomialGrad(data: MultinomialData<S>, w: S, b: S, l2: number, dw: S, db: S): number;
  /** Class probabilities of the m examples into `out`: (k, m) in the cols layout, (m, k) in rows. */
  multinomialForward(data: Omit<MultinomialData<S>, "y">, w: S, b: S, out: S): void;
  /** Gradient descent on softmax regression, updating W and b in place. */
  multinomialTrain(data: MultinomialData<S>, w: S, b: S, params: TrainParams): Omit<TrainResult, "bias">;
  /** L-BFGS on softmax regression from `state` (float64, `lbfgsStateSize(k·(n_x + 1), memory)` words; θ = (W, b)). */
  multinomialLbfgs(data: MultinomialData<S>, state: S, params: LbfgsParams): LbfgsResult;
  /** X (n_x, m) re-laid as (m, n_x), both contiguous. */
  packColsToRows(x: S, nx: number, m: number, out: S): void;
  /** The row-major index of the first NaN or ±Infinity of `a` (laid out over `shape`), or −1 when all are finite: one pass, no temporaries. */
  firstNonFinite(shape: Shape, a: View<S>): number;
  /**
   * The row-major index of the first element of `y` (laid out over `shape`) that is not a label,
   * or −1 when all are: with `binary`, anything but exactly 0 or 1; else anything outside [0, 1]
   * (NaN included). One pass, no temporaries.
   */
  firstBadLabel(shape: Shape, y: View<S>, binary: boolean): number;
  /** Index of the first max/min over the reduced axes (row-major within them); `out` is float64. */
  argReduce(op: ArgOp, shape: Shape, a: View<S>, reduced: readonly boolean[], out: S): void;
  /**
   * Each of X's n_x features' mean and variance (ddof 0), accumulated in float64, in one pass:
   * the n_x means, then the n_x variances. A constant feature's mean is its value exactly and its
   * variance exactly 0; a NaN or ±Infinity makes its feature's mean non-finite.
   */
  featureMoments(layout: LogisticLayout, x: S, nx: number, m: number): Float64Array;
}
