/**
 * The wasm backend: buffers live in WebAssembly memory and every op is one call into the Rust
 * kernels. Typed-array views of memory are made per access and never kept: growing memory
 * detaches every earlier view of its buffer (wasm-bindgen issues #1668, #4395).
 */
import { bytesPerElement, typedArrayClass, type DType, type FloatArray } from "../../dtype.js";
import { fromKernelError, LayoutError, OutOfMemoryError, ValueError } from "../../errors.js";
import { registerWasmMemory } from "../../memory.js";
import { formatShape, sizeOf, type Shape } from "../../shape.js";
import { LBFGS_STOPS, lbfgsStateLength, lbfgsStateSize, MAX_BUFFER_BYTES, type ArgOp, type Backend, type BackendName, type BinaryOp, type LbfgsParams, type LbfgsResult, type LogisticLayout, type MultinomialData, type NetworkData, type Standardized, type ReduceOp, type Storage, type TrainParams, type TrainResult, type UnaryOp, type View } from "../backend.js";
import type { Glue, TrainReport, WasmExports } from "./glue.js";

export interface WasmStorage extends Storage {
  /** Byte address in wasm memory. */
  readonly ptr: number;
}

/**
 * A buffer this backend allocated, or a window on one. Kernels are only ever given these: an
 * array of another backend (or a forged or freed storage) would otherwise have its "pointer"
 * written as a wasm address. A class, so the check is an `instanceof` and a flag, not a lookup.
 */
class Block implements WasmStorage {
  /** Set by `free`; a window is live while its base is. */
  freed = false;
  constructor(
    readonly dtype: DType,
    readonly length: number,
    readonly ptr: number,
    readonly owner: WasmBackend,
    readonly base: Block | undefined,
  ) {}
}

type WView = View<WasmStorage>;

/** One slot of the layout descriptor: an operand's strides, or a reduction's axis mask. */
type Slot = readonly (number | boolean)[];

/**
 * The most elements one kernel call may iterate over: the crate indexes with wasm32's `isize`
 * (and refuses more itself). Only broadcast views and reductions over them can reach it, since
 * no buffer holds that many elements.
 */
const MAX_KERNEL_ELEMENTS = 2 ** 31 - 1;

const suffix = (dtype: DType): "f32" | "f64" => (dtype === "float32" ? "f32" : "f64");

/** The status a per-op export returns when it failed (`FAILED` in `bindings.rs`). */
const KERNEL_FAILED = -2;

/** Words the layout descriptor starts with: 5 slots (a shape, up to 4 layouts) of 8 axes. */
const DESCRIPTOR_WORDS = 40;

/**
 * Freed buffers of up to `SPARE_BYTES` are kept, at most `SPARE_PER_SIZE` of each byte size and
 * `SPARE_TOTAL` bytes in all, and handed out again for that size: an op loop's results come and
 * go at a few sizes (a hidden layer of 4 units on 400 points is 6400 bytes), and a kept buffer
 * skips two calls into the crate's allocator per op.
 */
const SPARE_BYTES = 64 * 1024;
const SPARE_PER_SIZE = 8;
const SPARE_TOTAL = 1024 * 1024;

export class WasmBackend implements Backend<WasmStorage> {
  /**
   * The layout descriptor (see `bindings.rs`): a buffer of 32-bit words in wasm memory where
   * each op writes its shape and strides before its one kernel call, so no call copies an
   * array or allocates. Grown when an op has more axes; `#words` is re-made whenever memory
   * growth detaches it (its length is then 0).
   */
  #descriptor: Block;
  #words: Int32Array;
  /** The descriptor's first 16 bytes as two f64: where `logistic_grad` writes cost and db (re-made as `#words` is). */
  #results: Float64Array;
  /** Kept buffers' addresses by byte size, and their bytes in all (see `SPARE_BYTES`). */
  readonly #spare = new Map<number, number[]>();
  #spareBytes = 0;

  constructor(
    readonly name: Extract<BackendName, "wasm-relaxed" | "wasm-simd" | "wasm">,
    private readonly glue: Glue,
    private readonly exports: WasmExports,
  ) {
    registerWasmMemory(name, exports.memory);
    this.#descriptor = this.alloc("float32", DESCRIPTOR_WORDS) as Block;
    this.#words = new Int32Array(exports.memory.buffer, this.#descriptor.ptr, DESCRIPTOR_WORDS);
    this.#results = new Float64Array(exports.memory.buffer, this.#descriptor.ptr, 2);
  }

  alloc(dtype: DType, length: number): WasmStorage {
    const bytes = length * bytesPerElement(dtype);
    const kept = bytes > 0 && bytes <= SPARE_BYTES ? this.#spare.get(bytes)?.pop() : undefined;
    if (kept !== undefined) {
      this.#spareBytes -= bytes;
      return new Block(dtype, length, kept, this, undefined);
    }
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
    return new Block(dtype, length, ptr, this, undefined);
  }

  free(storage: WasmStorage): void {
    // Only what this backend allocated, once: anything else (forged, a window, or freed already) is not ours to free.
    if (!(storage instanceof Block) || storage.owner !== this || storage.base || storage.freed) return;
    storage.freed = true;
    const bytes = storage.length * bytesPerElement(storage.dtype);
    if (bytes > 0 && bytes <= SPARE_BYTES && this.#spareBytes + bytes <= SPARE_TOTAL) {
      let kept = this.#spare.get(bytes);
      if (kept === undefined) this.#spare.set(bytes, (kept = []));
      if (kept.length < SPARE_PER_SIZE) {
        kept.push(storage.ptr);
        this.#spareBytes += bytes;
        return;
      }
    }
    this.glue.free_bytes(storage.ptr, bytes);
  }

  window(storage: WasmStorage, offset: number, length: number): WasmStorage {
    const base = this.own(storage, "window");
    if (!(offset >= 0 && length >= 0 && offset + length <= base.length)) {
      throw new LayoutError(`window of ${length} elements at ${offset} overflows a buffer of ${base.length}`);
    }
    return new Block(base.dtype, length, base.ptr + offset * bytesPerElement(base.dtype), this, base.base ?? base);
  }

  write(storage: WasmStorage, data: ArrayLike<number>, at = 0): void {
    this.view(this.own(storage, "write")).set(data, at);
  }

  fill(storage: WasmStorage, value: number): void {
    this.view(this.own(storage, "fill")).fill(value);
  }

  read(storage: WasmStorage): FloatArray {
    return this.view(this.own(storage, "read")).slice();
  }

  readElement(storage: WasmStorage, index: number): number {
    const s = this.own(storage, "read");
    if (!(index >= 0 && index < s.length)) throw new LayoutError(`element ${index} of a buffer of ${s.length}`);
    const memory = this.exports.memory.buffer;
    return s.dtype === "float32" ? new Float32Array(memory, s.ptr + 4 * index, 1)[0]! : new Float64Array(memory, s.ptr + 8 * index, 1)[0]!;
  }

  copy(shape: Shape, src: WView, out: WasmStorage, at = 0): void {
    const words = this.layouts(shape, shape.length, src.strides);
    const size = sizeOf(shape);
    if (at + size > out.length) throw new LayoutError(`copy of ${size} elements at ${at} overflows a buffer of ${out.length}`);
    const s = this.own(src.storage);
    const o = this.own(out);
    const kernel = s.dtype === "float32" ? (o.dtype === "float32" ? this.glue.copy_f32_f32 : this.glue.copy_f32_f64) : o.dtype === "float32" ? this.glue.copy_f64_f32 : this.glue.copy_f64_f64;
    this.check(kernel(shape.length, words, s.ptr, s.length, src.offset, o.ptr + at * bytesPerElement(o.dtype), size));
  }

  binary(op: BinaryOp, shape: Shape, a: WView, b: WView, out: WasmStorage): void {
    const words = this.layouts(shape, shape.length, a.strides, b.strides);
    const sa = this.own(a.storage);
    const sb = this.own(b.storage);
    const o = this.own(out);
    this.check((o.dtype === "float32" ? this.glue.binary_f32 : this.glue.binary_f64)(op, shape.length, words, sa.ptr, sa.length, a.offset, sb.ptr, sb.length, b.offset, o.ptr, o.length));
  }

  where(shape: Shape, cond: WView, a: WView, b: WView, out: WasmStorage): void {
    const words = this.layouts(shape, shape.length, cond.strides, a.strides, b.strides);
    const sc = this.own(cond.storage);
    const sa = this.own(a.storage);
    const sb = this.own(b.storage);
    const o = this.own(out);
    this.check((o.dtype === "float32" ? this.glue.where_f32 : this.glue.where_f64)(shape.length, words, sc.ptr, sc.length, cond.offset, sa.ptr, sa.length, a.offset, sb.ptr, sb.length, b.offset, o.ptr, o.length));
  }

  unary(op: UnaryOp, shape: Shape, a: WView, out: WasmStorage, lo: number, hi: number): void {
    const words = this.layouts(shape, shape.length, a.strides);
    const sa = this.own(a.storage);
    const o = this.own(out);
    this.check((o.dtype === "float32" ? this.glue.unary_f32 : this.glue.unary_f64)(op, shape.length, words, sa.ptr, sa.length, a.offset, o.ptr, o.length, lo, hi));
  }

  reduce(op: ReduceOp, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const words = this.layouts(shape, shape.length, a.strides, reduced);
    const sa = this.own(a.storage);
    const o = this.own(out);
    this.check((o.dtype === "float32" ? this.glue.reduce_f32 : this.glue.reduce_f64)(op, shape.length, words, sa.ptr, sa.length, a.offset, o.ptr, o.length));
  }

  argReduce(op: ArgOp, shape: Shape, a: WView, reduced: readonly boolean[], out: WasmStorage): void {
    const words = this.layouts(shape, shape.length, a.strides, reduced);
    const sa = this.own(a.storage);
    const o = this.own(out);
    this.check((sa.dtype === "float32" ? this.glue.arg_reduce_f32 : this.glue.arg_reduce_f64)(op, shape.length, words, sa.ptr, sa.length, a.offset, o.ptr, o.length));
  }

  matmul(batch: Shape, m: number, k: number, n: number, a: WView, b: WView, out: WasmStorage): void {
    // Each operand's iteration space, so no product the kernel forms can exceed the limit.
    const flat = batch.length === 0;
    this.checkSize(flat ? [m, k] : [...batch, m, k]);
    this.checkSize(flat ? [k, n] : [...batch, k, n]);
    const ndim = batch.length + 2;
    const words = this.layouts(flat ? [m, n] : [...batch, m, n], ndim, a.strides, b.strides);
    const sa = this.own(a.storage);
    const sb = this.own(b.storage);
    const o = this.own(out);
    this.check((o.dtype === "float32" ? this.glue.matmul_f32 : this.glue.matmul_f64)(ndim, words, m, k, n, sa.ptr, sa.length, a.offset, sb.ptr, sb.length, b.offset, o.ptr, o.length));
  }

  /** @internal The crate's op-code tables (its `op_codes()`), for the test that checks ours against them. */
  opCodes(): Record<string, Record<string, number>> {
    return JSON.parse(this.glue.op_codes()) as Record<string, Record<string, number>>;
  }

  logisticGrad(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, l2: number, dw: WasmStorage, indices?: Uint32Array) {
    const kernel = x.dtype === "float32" ? this.glue.logistic_grad_f32 : this.glue.logistic_grad_f64;
    this.length("X", x, nx * m);
    this.length("Y", y, m);
    this.length("w", w, nx);
    this.length("dw", dw, nx);
    // The listed examples go to the kernel in a buffer of ours; cost and db come back in the
    // descriptor's first 16 bytes (the kernel reads no layout from it).
    const list = indices?.length ? (this.alloc("float32", indices.length) as Block) : undefined;
    try {
      if (list) new Uint32Array(this.exports.memory.buffer, list.ptr, indices!.length).set(indices!);
      const at = this.#descriptor.ptr;
      this.check(kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, l2, dw.ptr, list?.ptr ?? 0, list?.length ?? 0, at));
      let result = this.#results;
      if (result.length === 0 || result.byteOffset !== at) {
        // Memory grew (which detaches every view), or the descriptor moved.
        result = this.#results = new Float64Array(this.exports.memory.buffer, at, 2);
      }
      return { cost: result[0]!, db: result[1]! };
    } finally {
      if (list) this.free(list);
    }
  }

  logisticForward(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, w: WasmStorage, b: number, out: WasmStorage): void {
    const kernel = this.glue[`logistic_forward_${suffix(x.dtype)}`];
    this.lengths(["X", x, nx * m], ["w", w, nx], ["out", out, m]);
    this.call(() => kernel(layout, x.ptr, nx, m, w.ptr, b, out.ptr));
  }

  logisticTrain(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, w: WasmStorage, b: number, p: TrainParams): TrainResult {
    const kernel = this.glue[`logistic_train_${suffix(x.dtype)}`];
    this.lengths(["X", x, nx * m], ["Y", y, m], ["w", w, nx]);
    const r = this.report(() => kernel(layout, x.ptr, nx, m, y.ptr, w.ptr, b, p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN, p.order ?? new Uint32Array(0), p.batchSize ?? 0));
    return { ...descent(r), bias: r.bias! };
  }

  networkTrain(sizes: readonly number[], hidden: number, output: number, data: NetworkData<WasmStorage>, params: readonly WasmStorage[], p: TrainParams): Omit<TrainResult, "bias"> {
    const kernel = this.glue[`network_train_${suffix(data.x.dtype)}`];
    const { x, t, m, ld } = data;
    const span = (rows: number) => (rows - 1) * ld + m;
    if (x.length < span(sizes[0]!) || t.length < span(sizes[sizes.length - 1]!)) {
      throw new LayoutError(`X (${x.length} elements) or T (${t.length}) is shorter than m = ${m} columns ${ld} apart`);
    }
    this.lengths(["X", x, x.length], ["T", t, t.length], ...params.map((s, i): [string, WasmStorage, number] => {
      const l = (i >> 1) + 1;
      return [i % 2 ? `b${l}` : `W${l}`, s, i % 2 ? sizes[l]! : sizes[l]! * sizes[l - 1]!];
    }));
    return descent(this.report(() => kernel(Uint32Array.from(sizes), hidden, output, x.ptr, x.length, t.ptr, t.length, m, ld, data.batch ?? 0, Uint32Array.from(params, (s) => s.ptr), p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN)));
  }

  gatherColumns(x: WasmStorage, rows: number, m: number, order: Uint32Array, out: WasmStorage): void {
    const kernel = this.glue[`gather_columns_${suffix(x.dtype)}`];
    this.lengths(["X", x, rows * m], ["out", out, rows * m]);
    this.call(() => kernel(x.ptr, rows, m, order, out.ptr));
  }

  logisticLbfgs(layout: LogisticLayout, x: WasmStorage, nx: number, m: number, y: WasmStorage, state: WasmStorage, p: LbfgsParams, standardized?: Standardized<WasmStorage>): LbfgsResult {
    const kernel = this.glue[`logistic_lbfgs_${suffix(x.dtype)}`];
    this.lengths(["X", x, nx * m], ["Y", y, m], ["state", state, lbfgsStateLength(nx, p.memory)], ...(standardized ? [["mean", standardized.mean, nx] as [string, WasmStorage, number], ["scale", standardized.scale, nx] as [string, WasmStorage, number]] : []));
    if (state.dtype !== "float64") throw new LayoutError(`the L-BFGS state must be float64, got ${state.dtype}`);
    if (standardized && (standardized.mean.dtype !== "float64" || standardized.scale.dtype !== "float64")) throw new LayoutError("the standardisation's mean and scale must be float64");
    const [mean, scale] = standardized ? [standardized.mean.ptr, standardized.scale.ptr] : [0, 0];
    return lbfgsResult(this.report(() => kernel(layout, x.ptr, nx, m, y.ptr, standardized !== undefined, mean, scale, p.l2, state.ptr, state.length, p.memory, p.iterations, p.firstIteration, p.recordEvery, p.gtol, p.ftol)));
  }

  multinomialGrad(d: MultinomialData<WasmStorage>, w: WasmStorage, b: WasmStorage, l2: number, dw: WasmStorage, db: WasmStorage): number {
    const kernel = this.glue[`multinomial_grad_${suffix(d.x.dtype)}`];
    this.lengths(["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["W", w, d.k * d.nx], ["b", b, d.k], ["dW", dw, d.k * d.nx], ["db", db, d.k]);
    let cost = NaN;
    this.call(() => {
      cost = kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, w.ptr, b.ptr, l2, dw.ptr, db.ptr);
    });
    return cost;
  }

  multinomialForward(d: Omit<MultinomialData<WasmStorage>, "y">, w: WasmStorage, b: WasmStorage, out: WasmStorage): void {
    const kernel = this.glue[`multinomial_forward_${suffix(d.x.dtype)}`];
    this.lengths(["X", d.x, d.nx * d.m], ["W", w, d.k * d.nx], ["b", b, d.k], ["out", out, d.k * d.m]);
    this.call(() => kernel(d.layout, d.x.ptr, d.nx, d.m, d.k, w.ptr, b.ptr, out.ptr));
  }

  multinomialTrain(d: MultinomialData<WasmStorage>, w: WasmStorage, b: WasmStorage, p: TrainParams): Omit<TrainResult, "bias"> {
    const kernel = this.glue[`multinomial_train_${suffix(d.x.dtype)}`];
    this.lengths(["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["W", w, d.k * d.nx], ["b", b, d.k]);
    return descent(this.report(() => kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, w.ptr, b.ptr, p.learningRate, p.l2, p.iterations, p.firstIteration, p.recordEvery, p.tolerance, p.prevCost ?? NaN, p.order ?? new Uint32Array(0), p.batchSize ?? 0)));
  }

  multinomialLbfgs(d: MultinomialData<WasmStorage>, state: WasmStorage, p: LbfgsParams): LbfgsResult {
    const kernel = this.glue[`multinomial_lbfgs_${suffix(d.x.dtype)}`];
    this.lengths(["X", d.x, d.nx * d.m], ["y", d.y, d.m], ["state", state, lbfgsStateSize(d.k * (d.nx + 1), p.memory)]);
    if (state.dtype !== "float64") throw new LayoutError(`the L-BFGS state must be float64, got ${state.dtype}`);
    return lbfgsResult(this.report(() => kernel(d.layout, d.x.ptr, d.nx, d.m, d.y.ptr, d.k, p.l2, state.ptr, state.length, p.memory, p.iterations, p.firstIteration, p.recordEvery, p.gtol, p.ftol)));
  }

  packColsToRows(x: WasmStorage, nx: number, m: number, out: WasmStorage): void {
    const kernel = this.glue[`pack_cols_to_rows_${suffix(x.dtype)}`];
    this.lengths(["X", x, nx * m], ["out", out, nx * m]);
    this.call(() => kernel(x.ptr, nx, m, out.ptr));
  }

  featureMoments(layout: LogisticLayout, x: WasmStorage, nx: number, m: number): Float64Array {
    const kernel = this.glue[`feature_moments_${suffix(x.dtype)}`];
    this.length("X", x, nx * m);
    let out: Float64Array = new Float64Array(0);
    this.call(() => {
      out = kernel(layout, x.ptr, nx, m);
    });
    return out;
  }

  firstNonFinite(shape: Shape, a: WView): number {
    const words = this.layouts(shape, shape.length, a.strides);
    const sa = this.own(a.storage);
    return this.check((sa.dtype === "float32" ? this.glue.first_non_finite_f32 : this.glue.first_non_finite_f64)(shape.length, words, sa.ptr, sa.length, a.offset));
  }

  firstBadLabel(shape: Shape, y: WView, binary: boolean): number {
    const words = this.layouts(shape, shape.length, y.strides);
    const sy = this.own(y.storage);
    return this.check((sy.dtype === "float32" ? this.glue.first_bad_label_f32 : this.glue.first_bad_label_f64)(shape.length, words, sy.ptr, sy.length, y.offset, binary));
  }

  /**
   * `storage` itself, once checked to be one of this backend's live storages.
   * @throws {ValueError} for an array of another backend, or a freed or forged storage
   */
  private own(storage: WasmStorage, op?: string): Block {
    if (!(storage instanceof Block) || storage.owner !== this || (storage.base ?? storage).freed) {
      const what = `an array that does not live on the ${this.name} backend (another backend's, or freed) was passed to it`;
      throw new ValueError(op === undefined ? what : `${op}: ${what}`);
    }
    return storage;
  }

  /**
   * Writes an op's shape and its operands' strides (or a reduction's axis mask) into the layout
   * descriptor, `ndim` words a slot, and returns the descriptor's address; the shape is refused
   * when a kernel could not index all its elements (or an axis would not fit in 32 bits).
   * @throws {ValueError}
   */
  private layouts(shape: Shape, ndim: number, s1: Slot, s2?: Slot, s3?: Slot): number {
    this.checkSize(shape);
    const needed = ndim * (s3 ? 4 : s2 ? 3 : 2);
    if (needed > this.#descriptor.length) {
      this.free(this.#descriptor);
      this.#descriptor = this.alloc("float32", Math.max(needed, 2 * this.#descriptor.length)) as Block;
    }
    let words = this.#words;
    if (words.length === 0 || words.byteOffset !== this.#descriptor.ptr || words.length < needed) {
      // Memory grew (which detaches every view), or the descriptor moved.
      words = this.#words = new Int32Array(this.exports.memory.buffer, this.#descriptor.ptr, this.#descriptor.length);
    }
    for (let i = 0; i < shape.length; i++) words[i] = shape[i]!;
    for (let i = 0; i < ndim; i++) words[ndim + i] = +s1[i]!;
    if (s2) for (let i = 0; i < ndim; i++) words[2 * ndim + i] = +s2[i]!;
    if (s3) for (let i = 0; i < ndim; i++) words[3 * ndim + i] = +s3[i]!;
    return this.#descriptor.ptr;
  }

  /**
   * Refuses a shape a kernel could not index all the elements of (an axis of 2³¹ or more would
   * also not fit in the descriptor's 32-bit words).
   * @throws {ValueError}
   */
  private checkSize(shape: Shape): void {
    let size = 1;
    let widest = 0;
    for (const d of shape) {
      size *= d;
      if (d > widest) widest = d;
    }
    if (size > MAX_KERNEL_ELEMENTS || widest > MAX_KERNEL_ELEMENTS) {
      throw new ValueError(
        `an operation over shape ${formatShape(shape)} (${size} elements) is too large for the ${this.name} backend, ` +
          `which handles at most ${MAX_KERNEL_ELEMENTS} elements per operation`,
      );
    }
  }

  /**
   * Checks the buffers of a fused kernel, which takes bare pointers: each is this backend's and
   * exactly as long as the kernel reads. (Its errors name no op: the model calling names it.)
   */
  private lengths(...buffers: [name: string, storage: WasmStorage, length: number][]): void {
    for (const [name, storage, length] of buffers) this.length(name, storage, length);
  }

  /** As {@link lengths}, for one buffer (no argument lists on the per-step path). */
  private length(name: string, storage: WasmStorage, length: number): void {
    if (this.own(storage).length !== length) {
      throw new LayoutError(`${name} holds ${storage.length} elements where the kernel reads ${length}`);
    }
  }

  /**
   * A per-op export's status, returned when it is not a failure (−2; see `bindings.rs`):
   * otherwise the kernel's error, typed (the op calling names it).
   */
  private check(status: number): number {
    if (status !== KERNEL_FAILED) return status;
    throw fromKernelError(new Error(this.glue.take_error()));
  }

  /** Runs a training kernel and reads its report into plain numbers, freeing the report. */
  private report(kernel: () => TrainReport): Readonly<Omit<TrainReport, "free">> {
    let r: TrainReport | undefined;
    this.call(() => {
      r = kernel();
    });
    try {
      return { iterations: r!.iterations, stop: r!.stop, cost: r!.cost, bias: r!.bias, gradientMax: r!.gradientMax, costs: r!.costs };
    } finally {
      r!.free();
    }
  }

  /** Runs a kernel, turning its `"<code>: <message>"` errors into our typed errors (the op calling names them). */
  private call(kernel: () => void): void {
    try {
      kernel();
    } catch (error) {
      throw fromKernelError(error);
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
  if (!(LBFGS_STOPS as readonly string[]).includes(r.stop)) throw new LayoutError(`unknown L-BFGS stop ${JSON.stringify(r.stop)}`);
  return { iterations: r.iterations, stop: r.stop as LbfgsResult["stop"], cost: r.cost!, gradientNorm: r.gradientMax!, costs: Array.from(r.costs) };
}
