/**
 * The wasm backend: buffers live in WebAssembly memory and every op is one call into the Rust
 * kernels. Typed-array views of memory are made per access and never kept: growing memory
 * detaches every earlier view of its buffer (wasm-bindgen issues #1668, #4395).
 */
import { bytesPerElement, typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { fromKernelError, LayoutError, OutOfMemoryError, ValueError } from "../../errors.js";
import { registerWasmMemory } from "../../memory.js";
import { formatShape, sizeOf, type Shape } from "../../shape.js";
import { LBFGS_STOPS, lbfgsStateLength, lbfgsStateSize, MAX_BUFFER_BYTES, type ArgOp, type Backend, type BackendName, type BinaryOp, type LbfgsParams, type LbfgsResult, type LogisticLayout, type MultinomialData, type NetworkData, type ReduceOp, type Storage, type TrainParams, type TrainResult, type UnaryOp, type View } from "../backend.js";
import type { Glue, TrainReport, WasmExports } from "./glue.js";

export interface WasmStorage extends Storage {
  /** Byte address in wasm memory. */
  readonly ptr: number;
}

type WView = View<WasmStorage>;

/**
 * The most elements one kernel call may iterate over: the crate indexes with wasm32's `isize`
 * (and refuses more itself). Only broadcast views and reductions over them can reach it, since
 * no buffer holds that many elements.
 */
const MAX_KERNEL_ELEMENTS = 2 ** 31 - 1;

const suffix = (dtype: DType) => (dtype === "float32" ? "f32" : "f64");

export class WasmBackend implements Backend<WasmStorage> {
  /**
   * Every storage this backend handed out and has not freed. A kernel is only ever given these:
   * an array of another backend (or a forged or freed storage) would otherwise have its "pointer"
   * written as a wasm address.
   */
  readonly #owned = new WeakSet<WasmStorage>();

  constructor(
    readonly name: Extract<BackendName, "wasm-relaxed" | "wasm-simd" | "wasm">,
    private readonly glue: Glue,
    private readonly exports: WasmExports,
  ) {
    registerWasmMemory(name, exports.memory);
  }

  alloc(dtype: DType, length: number): WasmStorage {
    const bytes = length * bytesPerElement(dtype);
    // Checked here, so the size cannot wrap around when passed as a 32-bit usize.
    const ptr = bytes > MAX_BUFFER_BYTES ? 0 : this.glue.alloc_bytes(bytes);
    if (ptr === 0) {
      const have = this.exports.memory.buffer.byteLength;
      const why =
        bytes > MAX_BUFFER_BYTES
          ? `one WebAssembly buffer holds at most ${MAX_BUFFER_BYTES} bytes`
          : `WebAssembly memory (${have} bytes) cannot grow any further`;
      throw new OutOfMemoryError(`cannot allocate ${bytes} bytes for ${length} ${dtype} elements: ${why}`, bytes);
    }
    const storage = { dtype, length, ptr };
    this.#owned.add(storage);
    return storage;
  }

  free(storage: WasmStorage): void {
    // Only what this backend allocated, once: anything else (forged, or freed already) is not ours to free.
    if (!this.#owned.delete(storage)) return;
    this.glue.free_bytes(storage.ptr, storage.length * bytesPerElement(storage.dtype));
  }

  window(storage: WasmStorage, offset: number, length: number): WasmStorage {
    this.own("window", storage);
    if (!(offset >= 0 && length >= 0 && offset + length <= storage.length)) {
      throw new LayoutError(`window of ${length} elements at ${offset} overflows a buffer of ${storage.length}`);
    }
    const window = { dtype: storage.dtype, length, ptr: storage.ptr + offset * bytesPerElement(storage.dtype) };
    this.#owned.add(window); // collected with the window: it is never freed, its buffer is
    return window;
  }

  write(storage: WasmStorage, data: ArrayLike<number>, at = 0): void {
    this.own("write", storage);
    this.view(storage).set(data, at);
  }

  fill(storage: WasmStorage, value: number): void {
    this.own("fill", storage);
    this.view(storage).fill(value);
  }

  read(storage: WasmStorage): FloatArray {
    this.own("read", storage);
    return this.view(storage).slice();
  }

  copy(opName: string, shape: Shape, src: WView, out: WasmStorage, at = 0): void {
    const kernel = this.glue[`copy_${suffix(src.storage.dtype)}_${suffix(out.dtype)}`];
    const dims = this.dims(opName, shape);
    const size = sizeOf(shape);
    if (at + size > out.length) throw new LayoutError(`${opName}: copy of ${size} elements at ${at} overflows a buffer of ${out.length}`);
    const outPtr = this.own(opName, out).ptr + at * bytesPerElement(out.dtype);
    this.call(opName, () => kernel(dims, ...this.operand(opName, src), outPtr, size));
  }

  binary(op: BinaryOp, opName: string, shape: Shape, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`binary_${suffix(out.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, a), ...this.operand(opName, b), this.own(opName, out).ptr, out.length] as const;
    this.call(opName, () => kernel(op, ...args));
  }

  where(opName: string, shape: Shape, cond: WView, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`where_${suffix(out.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, cond), ...this.operand(opName, a), ...this.operand(opName, b), this.own(opName, out).ptr, out.length] as const;
    this.call(opName, () => kernel(...args));
  }

  unary(op: UnaryOp, opName: string, shape: Shape, a: WView, out: WasmStorage, lo: number, hi: number): void {
    const kernel = this.glue[`unary_${suffix(out.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, a), this.own(opName, out).ptr, out.length, lo, hi] as const;
    this.call(opName, () => kernel(op, ...args));
  }

  reduce(op: ReduceOp, opName: string, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const kernel = this.glue[`reduce_${suffix(out.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, a), Uint8Array.from(reduced, Number), this.own(opName, out).ptr, out.length] as const;
    this.call(opName, () => kernel(op, ...args));
  }

  matmul(opName: string, batch: Shape, m: number, k: number, n: number, a: WView, b: WView, out: WasmStorage): void {
    const kernel = this.glue[`matmul_${suffix(out.dtype)}`];
    // Each operand's iteration space, so no product the kernel forms can exceed the limit.
    [[m, k], [k, n], [m, n]].forEach((core) => this.dims(opName, [...batch, ...core]));
    const args = [this.dims(opName, batch), m, k, n, ...this.operand(opName, a), ...this.operand(opName, b), this.own(opName, out).ptr, out.length] as const;
    this.call(opName, () => kernel(...args));
  }

  logisticGrad(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, l2: number, dw: WasmStorage, indices?: Uint32Array) {
    const kernel = this.glue[`logistic_grad_${suffix(x.dtype)}`];
    this.lengths("propagate", ["X", x, nx * m], ["Y", y, m], ["w", w, nx], ["dw", dw, nx]);
    let result: Float64Array = new Float64Array(2);
    this.call("propagate", () => {
      result = kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, l2, dw.ptr, indices ?? new Uint32Array(0));
    });
    return { cost: result[0]!, db: result[1]! };
  }

  logisticForward(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, w: WasmStorage, b: number, out: WasmStorage): void {
    const kernel = this.glue[`logistic_forward_${suffix(x.dtype)}`];
    this.lengths("predictProba", ["X", x, nx * m], ["w", w, nx], ["out", out, m]);
    this.call("predictProba", () => kernel(layout, x.ptr, nx, m, w.ptr, b, out.ptr));
  }

  logisticTrain(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, p: TrainParams): TrainResult {
    const kernel = this.glue[`logistic_train_${suffix(x.dtype)}`];
    this.lengths("fit", ["X", x, nx * m], ["Y", y, m], ["w", w, nx]);
    const r = this.report(() => kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN, p.order ?? new Uint32Array(0), p.batchSize ?? 0));
    return { ...descent(r), bias: r.bias! };
  }

  networkTrain(sizes: readonly number[], hidden: number, output: number, data: NetworkData<WasmStorage>, params: readonly WasmStorage[], p: TrainParams): Omit<TrainResult, "bias"> {
    const kernel = this.glue[`network_train_${suffix(data.x.dtype)}`];
    const { x, t, m, ld } = data;
    const span = (rows: number) => (rows - 1) * ld + m;
    if (x.length < span(sizes[0]!) || t.length < span(sizes[sizes.length - 1]!)) {
      throw new LayoutError(`fit: X (${x.length} elements) or T (${t.length}) is shorter than m = ${m} columns ${ld} apart`);
    }
    this.lengths("fit", ["X", x, x.length], ["T", t, t.length], ...params.map((s, i): [string, WasmStorage, number] => {
      const l = (i >> 1) + 1;
      return [i % 2 ? `b${l}` : `W${l}`, s, i % 2 ? sizes[l]! : sizes[l]! * sizes[l - 1]!];
    }));
    return descent(this.report(() => kernel(Uint32Array.from(sizes), hidden, output, x.ptr, x.length, t.ptr, t.length, m, ld, Uint32Array.from(params, (s) => s.ptr), p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN)));
  }

  gatherColumns(x: WasmStorage, rows: number, m: number, order: Uint32Array, out: WasmStorage): void {
    const kernel = this.glue[`gather_columns_${suffix(x.dtype)}`];
    this.lengths("fit", ["X", x, rows * m], ["out", out, rows * m]);
    this.call("fit", () => kernel(x.ptr, rows, m, order, out.ptr));
  }

  logisticLbfgs(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, state: WasmStorage, p: LbfgsParams): LbfgsResult {
    const kernel = this.glue[`logistic_lbfgs_${suffix(x.dtype)}`];
    this.lengths("fit", ["X", x, nx * m], ["Y", y, m], ["state", state, lbfgsStateLength(nx, p.memory)]);
    if (state.dtype !== "float64") throw new LayoutError(`fit: the L-BFGS state must be float64, got ${state.dtype}`);
    return lbfgsResult(this.report(() => kernel(layout, x.ptr, nx, m, y.ptr, p.l2, state.ptr, state.length, p.memory, p.iterations, p.firstIteration, p.recordEvery, p.gtol, p.ftol)));
  }

  multinomialGrad(d: MultinomialData<WasmStorage>, w: WasmStorage, b: WasmStorage, l2: number, dw: WasmStorage, db: WasmStorage): number {
    const kernel = this.glue[`multinomial_grad_${suffix(d.x.dtype)}`];
    this.lengths("fit", ["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["W", w, d.k * d.nx], ["b", b, d.k], ["dW", dw, d.k * d.nx], ["db", db, d.k]);
    let cost = NaN;
    this.call("fit", () => {
      cost = kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, w.ptr, b.ptr, l2, dw.ptr, db.ptr);
    });
    return cost;
  }

  multinomialForward(d: Omit<MultinomialData<WasmStorage>, "y">, w: WasmStorage, b: WasmStorage, out: WasmStorage): void {
    const kernel = this.glue[`multinomial_forward_${suffix(d.x.dtype)}`];
    this.lengths("predictProba", ["X", d.x, d.nx * d.m], ["W", w, d.k * d.nx], ["b", b, d.k], ["out", out, d.k * d.m]);
    this.call("predictProba", () => kernel(d.layout, d.x.ptr, d.nx, d.m, d.k, w.ptr, b.ptr, out.ptr));
  }

  multinomialTrain(d: MultinomialData<WasmStorage>, w: WasmStorage, b: WasmStorage, p: TrainParams): Omit<TrainResult, "bias"> {
    const kernel = this.glue[`multinomial_train_${suffix(d.x.dtype)}`];
    this.lengths("fit", ["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["W", w, d.k * d.nx], ["b", b, d.k]);
    return descent(this.report(() => kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, w.ptr, b.ptr, p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN, p.order ?? new Uint32Array(0), p.batchSize ?? 0)));
  }

  multinomialLbfgs(d: MultinomialData<WasmStorage>, state: WasmStorage, p: LbfgsParams): LbfgsResult {
    const kernel = this.glue[`multinomial_lbfgs_${suffix(d.x.dtype)}`];
    this.lengths("fit", ["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["state", state, lbfgsStateSize(d.k * (d.nx + 1), p.memory)]);
    if (state.dtype !== "float64") throw new LayoutError(`fit: the L-BFGS state must be float64, got ${state.dtype}`);
    return lbfgsResult(this.report(() => kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, p.l2, state.ptr, state.length, p.memory, p.iterations, p.firstIteration, p.recordEvery, p.gtol, p.ftol)));
  }

  packColsToRows(x: WasmStorage, nx: number, m: number, out: WasmStorage): void {
    const kernel = this.glue[`pack_cols_to_rows_${suffix(x.dtype)}`];
    this.lengths("fit", ["X", x, nx * m], ["out", out, nx * m]);
    this.call("fit", () => kernel(x.ptr, nx, m, out.ptr));
  }

  firstNonFinite(opName: string, shape: Shape, a: WView): number {
    const kernel = this.glue[`first_non_finite_${suffix(a.storage.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, a)] as const;
    let found = -1;
    this.call(opName, () => {
      found = kernel(...args);
    });
    return found;
  }

  argReduce(op: ArgOp, opName: string, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const kernel = this.glue[`arg_reduce_${suffix(a.storage.dtype)}`];
    const args = [this.dims(opName, shape), ...this.operand(opName, a), Uint8Array.from(reduced, Number), this.own(opName, out).ptr, out.length] as const;
    this.call(opName, () => kernel(op, ...args));
  }

  /**
   * `storage` itself, once checked to be one of this backend's live storages.
   * @throws {ValueError} for an array of another backend, or a freed or forged storage
   */
  private own(opName: string, storage: WasmStorage): WasmStorage {
    if (!this.#owned.has(storage)) {
      throw new ValueError(`${opName}: an array that does not live on the ${this.name} backend (another backend's, or freed) was passed to it`);
    }
    return storage;
  }

  /** A view as the four kernel arguments (pointer, buffer length, strides, offset), its storage checked. */
  private operand(opName: string, v: WView): [number, number, Int32Array, number] {
    const { ptr, length } = this.own(opName, v.storage);
    return [ptr, length, Int32Array.from(v.strides), v.offset];
  }

  /**
   * A shape as the kernels take it, refused when a kernel could not index all its elements
   * (`Uint32Array.from` would also wrap an axis of 2³² or more to a small one).
   * @throws {ValueError}
   */
  private dims(opName: string, shape: Shape): Uint32Array {
    const size = sizeOf(shape);
    if (size > MAX_KERNEL_ELEMENTS || shape.some((d) => d > MAX_KERNEL_ELEMENTS)) {
      throw new ValueError(
        `${opName}: an operation over shape ${formatShape(shape)} (${size} elements) is too large for the ${this.name} backend, ` +
          `which handles at most ${MAX_KERNEL_ELEMENTS} elements per operation`,
      );
    }
    return Uint32Array.from(shape);
  }

  /**
   * Checks the buffers of a fused logistic kernel, which takes bare pointers: each is this
   * backend's and exactly as long as n_x and m make it.
   */
  private lengths(opName: string, ...buffers: [name: string, storage: WasmStorage, length: number][]): void {
    for (const [name, storage, length] of buffers) {
      if (this.own(opName, storage).length !== length) {
        throw new LayoutError(`${opName}: ${name} holds ${storage.length} elements where the kernel reads ${length}`);
      }
    }
  }

  /** Runs a training kernel and reads its report into plain numbers, freeing the report. */
  private report(kernel: () => TrainReport): Readonly<Omit<TrainReport, "free">> {
    let r: TrainReport | undefined;
    this.call("fit", () => {
      r = kernel();
    });
    try {
      return { iterations: r!.iterations, stop: r!.stop, cost: r!.cost, bias: r!.bias, gradientMax: r!.gradientMax, costs: r!.costs };
    } finally {
      r!.free();
    }
  }

  /** Runs a kernel, turning its `"<code>: <message>"` errors into our typed errors. */
  private call(opName: string, kernel: () => void): void {
    try {
      kernel();
    } catch (error) {
      throw fromKernelError(opName, error);
    }
  }

  /** A fresh view of a buffer; invalid after the next allocation (memory may grow). */
  private view(storage: WasmStorage): FloatArray {
    return new (typedArrayClass(storage.dtype))(this.exports.memory.buffer, storage.ptr, storage.length);
  }
}

/** A gradient-descent report as the backend contract states it. */
function descent(r: Omit<TrainReport, "free">): Omit<TrainResult, "bias"> {
  return { iterations: r.iterations, stop: r.stop as TrainResult["stop"], lastCost: r.cost, costs: Array.from(r.costs) };
}

/** An L-BFGS report as the backend contract states it. */
function lbfgsResult(r: Omit<TrainReport, "free">): LbfgsResult {
  if (!(LBFGS_STOPS as readonly string[]).includes(r.stop)) throw new LayoutError(`fit: unknown L-BFGS stop ${JSON.stringify(r.stop)}`);
  return { iterations: r.iterations, stop: r.stop as LbfgsResult["stop"], cost: r.cost!, gradientNorm: r.gradientMax!, costs: Array.from(r.costs) };
}
