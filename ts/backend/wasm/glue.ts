/**
 * The shape of a wasm-bindgen module generated from `crate/src/bindings.rs`, as the backend uses
 * it. Both builds (SIMD and baseline) export exactly this. Pointers are byte addresses in the
 * module's memory; lengths are in elements; strides and offsets in elements.
 */
export interface WasmExports {
  readonly memory: WebAssembly.Memory;
}

/**
 * A wasm binary as {@link init} takes it: bytes, a compiled Module, a Response, or a URL to fetch.
 * @example
 * const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]); // a valid module, but not vectorized's
 * await vz.init({ wasm: empty }); // throws WasmInitError: …
 */
export type InitInput = BufferSource | WebAssembly.Module | Response | URL | string;

/** One strided operand, flattened into four arguments: pointer, length, strides, offset. */
type Operand = [ptr: number, length: number, strides: Int32Array, offset: number];

type Copy = (shape: Uint32Array, ...args: [...Operand, outPtr: number, outLength: number]) => void;
type Binary = (op: number, shape: Uint32Array, ...args: [...Operand, ...Operand, outPtr: number, outLength: number]) => void;
type Where = (shape: Uint32Array, ...args: [...Operand, ...Operand, ...Operand, outPtr: number, outLength: number]) => void;
type Unary = (op: number, shape: Uint32Array, ...args: [...Operand, outPtr: number, outLength: number, lo: number, hi: number]) => void;
type Reduce = (op: number, shape: Uint32Array, ...args: [...Operand, reduced: Uint8Array, outPtr: number, outLength: number]) => void;

type MatMul = (batch: Uint32Array, m: number, k: number, n: number, ...args: [...Operand, ...Operand, outPtr: number, outLength: number]) => void;

type LogisticGrad = (layout: number, x: number, nx: number, m: number, y: number, w: number, b: number, l2: number, dw: number, indices: Uint32Array) => Float64Array;
type LogisticForward = (layout: number, x: number, nx: number, m: number, w: number, b: number, out: number) => void;
/** The crate's `TrainReport`: one training call's outcome by name; `free()` once read. */
export interface TrainReport {
  readonly iterations: number;
  readonly stop: string;
  readonly cost: number | undefined;
  readonly bias: number | undefined;
  readonly gradientMax: number | undefined;
  readonly costs: Float64Array;
  free(): void;
}

type LogisticTrain = (
  layout: number, x: number, nx: number, m: number, y: number, w: number, b: number,
  learningRate: number, l2: number, iterations: number, firstIteration: number, recordEvery: number,
  tolerance: number, prevCost: number, order: Uint32Array, batchSize: number,
) => TrainReport;
type Pack = (x: number, nx: number, m: number, out: number) => void;
type LogisticLbfgs = (
  layout: number, x: number, nx: number, m: number, y: number, l2: number, state: number, stateLength: number,
  memory: number, iterations: number, firstIteration: number, recordEvery: number, gtol: number, ftol: number,
) => TrainReport;
type Gather = (x: number, rows: number, m: number, order: Uint32Array, out: number) => void;
type NetworkTrain = (
  sizes: Uint32Array, hidden: number, output: number, x: number, xLength: number, t: number, tLength: number, m: number, ld: number,
  params: Uint32Array, learningRate: number, l2: number, iterations: number, firstIteration: number, recordEvery: number,
  tolerance: number, prevCost: number,
) => TrainReport;
type FirstNonFinite = (shape: Uint32Array, ...args: Operand) => number;
type MultinomialGrad = (layout: number, x: number, nx: number, m: number, y: number, k: number, w: number, b: number, l2: number, dw: number, db: number) => number;
type MultinomialForward = (layout: number, x: number, nx: number, m: number, k: number, w: number, b: number, out: number) => void;
type MultinomialTrain = (
  layout: number, x: number, nx: number, m: number, y: number, k: number, w: number, b: number,
  learningRate: number, l2: number, iterations: number, firstIteration: number, recordEvery: number,
  tolerance: number, prevCost: number, order: Uint32Array, batchSize: number,
) => TrainReport;
type MultinomialLbfgs = (
  layout: number, x: number, nx: number, m: number, y: number, k: number, l2: number, state: number, stateLength: number,
  memory: number, iterations: number, firstIteration: number, recordEvery: number, gtol: number, ftol: number,
) => TrainReport;

export interface Glue {
  default(options: { module_or_path: BufferSource | WebAssembly.Module }): Promise<WasmExports>;
  alloc_bytes(bytes: number): number;
  free_bytes(ptr: number, bytes: number): void;
  simd_isa(): string;
  copy_f32_f32: Copy;
  copy_f32_f64: Copy;
  copy_f64_f32: Copy;
  copy_f64_f64: Copy;
  binary_f32: Binary;
  binary_f64: Binary;
  where_f32: Where;
  where_f64: Where;
  unary_f32: Unary;
  unary_f64: Unary;
  reduce_f32: Reduce;
  reduce_f64: Reduce;
  arg_reduce_f32: Reduce;
  arg_reduce_f64: Reduce;
  matmul_f32: MatMul;
  matmul_f64: MatMul;
  logistic_grad_f32: LogisticGrad;
  logistic_grad_f64: LogisticGrad;
  logistic_forward_f32: LogisticForward;
  logistic_forward_f64: LogisticForward;
  logistic_train_f32: LogisticTrain;
  logistic_train_f64: LogisticTrain;
  pack_cols_to_rows_f32: Pack;
  pack_cols_to_rows_f64: Pack;
  network_train_f32: NetworkTrain;
  gather_columns_f32: Gather;
  gather_columns_f64: Gather;
  logistic_lbfgs_f32: LogisticLbfgs;
  logistic_lbfgs_f64: LogisticLbfgs;
  network_train_f64: NetworkTrain;
  first_non_finite_f32: FirstNonFinite;
  first_non_finite_f64: FirstNonFinite;
  multinomial_grad_f32: MultinomialGrad;
  multinomial_grad_f64: MultinomialGrad;
  multinomial_forward_f32: MultinomialForward;
  multinomial_forward_f64: MultinomialForward;
  multinomial_train_f32: MultinomialTrain;
  multinomial_train_f64: MultinomialTrain;
  multinomial_lbfgs_f32: MultinomialLbfgs;
  multinomial_lbfgs_f64: MultinomialLbfgs;
}
