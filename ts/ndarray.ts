/**
 * `NDArray`: an n-d view `(shape, strides, offset)` over a buffer owned by one backend.
 * Data stays in the backend (wasm memory for the wasm backends); `toArray()` and
 * `toTypedArray()` copy it out. Transposes, slices, broadcasts and reshapes of contiguous
 * data are views that share the buffer; it is freed when the last array viewing it lets go.
 */
import type { Backend, Storage, View } from "./backend/backend.js";
import type { DType, FloatArray } from "./dtype.js";
import { DisposedError, inOp, LayoutError, ValueError } from "./errors.js";
import { formatArray } from "./format.js";
import { hold, letGo, newBuffer, type Buffer, type Hold } from "./memory.js";
import { unflatten, type NestedArray } from "./nested.js";
import { track } from "./scope.js";
import { broadcastStrides, contiguousStrides, formatShape, isContiguous, sizeOf, type Shape } from "./shape.js";

// The parameter types of NDArray's op methods (declared below, installed by ndarray_methods.ts),
// defined here so that this module needs nothing from the ops.

/**
 * An operand of the element-wise ops: an array, or a number (a 0-d array of the other operand's dtype).
 * @example
 * vz.mul(2, vz.array([1, 2])); // => [2, 4]
 */
export type Operand = NDArray | number;

/**
 * The `out` option of the element-wise ops.
 * @example
 * const w = vz.array([1, 2]), dw = vz.array([0.5, 0.5]);
 * vz.sub(w, dw, { out: w }); // => [0.5, 1.5]
 * w; // => [0.5, 1.5]
 */
export interface OutOption {
  /** The array to write the result into (same shape and dtype as the result, contiguous). */
  out?: NDArray;
}

/**
 * The options of the reductions.
 * @example
 * vz.sum(vz.ones([2, 3]), { axis: -1, keepdims: true }); // => [[3], [3]]
 */
export interface ReduceOptions {
  /** Axis or axes to reduce (negative counts from the end); all of them when omitted. */
  axis?: number | readonly number[];
  /** Keep reduced axes as length 1, so the result broadcasts against the input. */
  keepdims?: boolean;
}

/**
 * One axis of a slice, as in Python: `null` keeps the whole axis; a number picks one index
 * (and drops the axis); `[start, stop]` or `[start, stop, step]` (any part may be null;
 * negatives count from the end; a negative step reverses).
 * @example
 * vz.arange(6).slice([1, null, 2]); // => [1, 3, 5]
 */
export type SliceSpec = null | number | readonly [start?: number | null, stop?: number | null, step?: number | null];

/** @internal A layout of one run of elements: see {@link NDArray.asRun}. */
export interface Run {
  readonly shape: Shape;
  readonly view: View;
}

/** Not frozen, as the strides of `view` (kernels only read it). */
const UNIT_STRIDE: readonly number[] = [1];

// Browsers without explicit resource management still get a working `[Symbol.dispose]()`.
(Symbol as { dispose?: symbol }).dispose ??= Symbol.for("Symbol.dispose");

// Consumers whose `lib` lacks "esnext.disposable" still type-check our `[Symbol.dispose]`.
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/**
 * An n-d array of float32 or float64 numbers: a view `(shape, strides, offset)` over a buffer
 * that one backend owns (WebAssembly memory for the wasm builds). Make one with {@link array},
 * {@link zeros}, {@link arange}, …; every op is a function (`vz.exp(x)`) and a method
 * (`x.exp()`). Free it with `dispose()`, `using`, or {@link scope}.
 * @example
 * const x = vz.array([[1, 2, 3], [4, 5, 6]]);
 * [x.shape, x.dtype, x.size, x.ndim]; // => [[2, 3], "float32", 6, 2]
 * x.T.shape; // => [3, 2]
 * x.sum({ axis: 1 }); // => [6, 15]
 * x.mul(2).toArray(); // => [[2, 4, 6], [8, 10, 12]]
 * x.dispose();
 * x.isDisposed; // => true
 */
export class NDArray {
  /** The length of each axis. */
  readonly shape: Shape;
  /** The element type. */
  readonly dtype: DType;
  #strides: readonly number[] | undefined;
  #size = -1;
  /** Element offset of index (0,…,0) in the buffer. */
  readonly offset: number;
  readonly #hold: Hold;
  /** Whether the layout is row-major without gaps: known for new arrays, computed once for views. */
  #contiguous: boolean | undefined;
  /** What `view` and `asRun` return, made on first use: none of their parts ever changes. */
  #view: View | undefined;
  #run: Run | undefined;
  /** The last view `stretched` made, and the shape it was stretched to. */
  #stretched: { readonly target: Shape; readonly view: View } | undefined;

  /** @internal Use `vz.array`, `vz.zeros`, … to make arrays. */
  constructor(buffer: Buffer, shape: Shape, strides?: readonly number[], offset = 0) {
    // A frozen shape (another array's) is shared as it is: nothing can change it.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.dtype = buffer.storage.dtype;
    this.#strides = strides && (Object.isFrozen(strides) ? strides : Object.freeze([...strides]));
    this.offset = offset;
    this.#contiguous = strides ? undefined : true;
    this.#hold = hold(this, buffer);
    track(this);
  }

  /** @internal A new, uninitialised, contiguous array (`size`: the shape's, if the caller has it). */
  static empty(backend: Backend, dtype: DType, shape: Shape, size = sizeOf(shape)): NDArray {
    const result = new NDArray(newBuffer(backend, backend.alloc(dtype, size)), shape);
    result.#size = size;
    return result;
  }

  /**
   * @internal Where a kernel writes this contiguous array's elements: its buffer, or the part of
   * it this array covers (an `out` that is a row of a matrix, say).
   */
  target(op: string): Storage {
    this.checkLive(op);
    if (!this.isContiguous) throw new LayoutError(`${op}: cannot write into a non-contiguous array of shape ${formatShape(this.shape)}`);
    const storage = this.#hold.buffer.storage;
    return this.offset === 0 && storage.length === this.size ? storage : this.backend.window(storage, this.offset, this.size);
  }

  /** @internal Another layout over this array's buffer (a view). */
  withLayout(op: string, shape: Shape, strides: readonly number[], offset: number): NDArray {
    this.view(op);
    return new NDArray(this.#hold.buffer, shape, strides, offset);
  }

  /** @internal Whether `other` views the same buffer. */
  sharesBufferWith(other: NDArray): boolean {
    return this.#hold.buffer === other.#hold.buffer;
  }

  /** Element strides per axis (0 on broadcast axes, negative on reversed slices); row-major for a new array, made when first asked for. */
  get strides(): readonly number[] {
    return (this.#strides ??= Object.freeze(contiguousStrides(this.shape)));
  }

  /** Number of elements. */
  get size(): number {
    return this.#size < 0 ? (this.#size = sizeOf(this.shape)) : this.#size;
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether the elements are laid out row-major without gaps, from the offset on. */
  get isContiguous(): boolean {
    return (this.#contiguous ??= isContiguous(this.shape, this.strides));
  }

  /** Whether `dispose()` (or the end of its scope) has released this array. */
  get isDisposed(): boolean {
    return !this.#hold.live;
  }

  /** @internal The backend holding the data. */
  get backend(): Backend {
    return this.#hold.buffer.backend;
  }

  /**
   * @internal The strided view kernels read, checked to be alive.
   * @throws {DisposedError} when the array was disposed.
   */
  view(op: string): View {
    this.checkLive(op);
    // Strides not frozen (unlike `strides`): V8 (Node 20) reads a frozen array's elements ~3× slower, and kernels read these on every call.
    return (this.#view ??= { storage: this.#hold.buffer.storage, strides: [...this.strides], offset: this.offset });
  }

  /**
   * @internal A contiguous array's elements as one run: shape `[size]` and stride 1, checked to
   * be alive (the caller checks `isContiguous`). Element-wise kernels take this layout for any
   * contiguous shape.
   */
  asRun(op: string): Run {
    this.checkLive(op);
    return (this.#run ??= { shape: [this.size], view: { storage: this.#hold.buffer.storage, strides: UNIT_STRIDE, offset: this.offset } });
  }

  /**
   * @internal The view read as the broadcast `target` shape (stride 0 on stretched axes),
   * checked to be alive. The last one is kept for the next call with the same `target` object:
   * an op loop broadcasts to one (frozen) shape again and again.
   */
  stretched(op: string, target: Shape): View {
    const view = this.view(op);
    if (this.#stretched?.target !== target) {
      const strides = broadcastStrides(this.shape, view.strides, target);
      this.#stretched = { target, view: strides === view.strides ? view : { storage: view.storage, strides, offset: view.offset } };
    }
    return this.#stretched.view;
  }

  /** @throws {DisposedError} when the array was disposed. */
  private checkLive(op: string): void {
    if (!this.#hold.live) {
      throw new DisposedError(`${op}: array of shape ${formatShape(this.shape)} was used after dispose()`);
    }
  }

  // --- data out -------------------------------------------------------------------------------
  /** A copy of the data as nested JS arrays (a number for a 0-d array). */
  toArray(): NestedArray {
    return unflatten(this.toTypedArray(), this.shape);
  }

  /** A copy of the data, row-major, as a Float32Array or Float64Array. */
  toTypedArray(): FloatArray {
    const view = this.view("toTypedArray");
    const backend = this.backend;
    if (this.isContiguous && view.offset === 0 && view.storage.length === this.size) return backend.read(view.storage);
    // Another layout (a transpose, a slice, a broadcast): packed row-major into a scratch buffer first.
    const packed = backend.alloc(this.dtype, this.size);
    try {
      if (this.size > 0) backend.copy(this.shape, view, packed);
      return backend.read(packed);
    } catch (error) {
      throw inOp("toTypedArray", error);
    } finally {
      backend.free(packed);
    }
  }

  /** The single element of a size-1 array, as a number. */
  item(): number {
    if (this.size !== 1) throw new ValueError(`item: can only convert an array of size 1 to a number, got size ${this.size}`);
    const view = this.view("item");
    return this.backend.readElement(view.storage, view.offset);
  }

  /** Releases the array's memory now (its buffer, once no other view holds it). Safe to call twice. */
  dispose(): void {
    letGo(this, this.#hold);
  }

  /** Disposes the array: what `using x = vz.array(…)` calls at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  /** numpy's repr: `array([[1. , 2.5],\n       [3. , 4. ]], dtype=float32)`, summarised when large. */
  toString(): string {
    if (this.isDisposed) return `array(<disposed>, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    return formatArray(this.toTypedArray(), this.shape, this.dtype);
  }
}

// NDArray's op methods: each is the op function of the same name with the array as its first
// argument, installed on the prototype by ndarray_methods.ts (which the package entry loads),
// so that this module imports no op. This interface merges with the class above.
export interface NDArray {
  // --- arithmetic (see the functions of the same names) ---------------------------------------
  /** The method form of {@link add}: `vz.add(this, other, options)`. */
  add(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link sub}: `vz.sub(this, other, options)`. */
  sub(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link mul}: `vz.mul(this, other, options)`. */
  mul(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link div}: `vz.div(this, other, options)`. */
  div(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link pow}: `vz.pow(this, other, options)`. */
  pow(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link maximum}: `vz.maximum(this, other, options)`. */
  maximum(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link minimum}: `vz.minimum(this, other, options)`. */
  minimum(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link equal}: `vz.equal(this, other, options)`. */
  equal(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link notEqual}: `vz.notEqual(this, other, options)`. */
  notEqual(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link greater}: `vz.greater(this, other, options)`. */
  greater(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link greaterEqual}: `vz.greaterEqual(this, other, options)`. */
  greaterEqual(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link less}: `vz.less(this, other, options)`. */
  less(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link lessEqual}: `vz.lessEqual(this, other, options)`. */
  lessEqual(other: Operand, options?: OutOption): NDArray;
  /** The method form of {@link neg}: `vz.neg(this, options)`. */
  neg(options?: OutOption): NDArray;
  /** The method form of {@link abs}: `vz.abs(this, options)`. */
  abs(options?: OutOption): NDArray;
  /** The method form of {@link sign}: `vz.sign(this, options)`. */
  sign(options?: OutOption): NDArray;
  /** The method form of {@link square}: `vz.square(this, options)`. */
  square(options?: OutOption): NDArray;
  /** The method form of {@link sqrt}: `vz.sqrt(this, options)`. */
  sqrt(options?: OutOption): NDArray;
  /** The method form of {@link exp}: `vz.exp(this, options)`. */
  exp(options?: OutOption): NDArray;
  /** The method form of {@link log}: `vz.log(this, options)`. */
  log(options?: OutOption): NDArray;
  /** The method form of {@link log1p}: `vz.log1p(this, options)`. */
  log1p(options?: OutOption): NDArray;
  /** The method form of {@link sigmoid}: `vz.sigmoid(this, options)`. */
  sigmoid(options?: OutOption): NDArray;
  /** The method form of {@link tanh}: `vz.tanh(this, options)`. */
  tanh(options?: OutOption): NDArray;
  /** The method form of {@link relu}: `vz.relu(this, options)`. */
  relu(options?: OutOption): NDArray;
  /** The method form of {@link clip}: `vz.clip(this, min, max, options)`. */
  clip(min: number, max: number, options?: OutOption): NDArray;
  // --- linear algebra --------------------------------------------------------------------------
  /** The method form of {@link matmul}: `vz.matmul(this, other)`. */
  matmul(other: NDArray): NDArray;
  /** The method form of {@link dot}: `vz.dot(this, other)`. */
  dot(other: NDArray | number): NDArray;
  // --- reductions -------------------------------------------------------------------------------
  /** The method form of {@link sum}: `vz.sum(this, options)`. */
  sum(options?: ReduceOptions): NDArray;
  /** The method form of {@link mean}: `vz.mean(this, options)`. */
  mean(options?: ReduceOptions): NDArray;
  /** The method form of {@link prod}: `vz.prod(this, options)`. */
  prod(options?: ReduceOptions): NDArray;
  /** The method form of {@link max}: `vz.max(this, options)`. */
  max(options?: ReduceOptions): NDArray;
  /** The method form of {@link min}: `vz.min(this, options)`. */
  min(options?: ReduceOptions): NDArray;
  /** The method form of {@link argmax}: `vz.argmax(this, options)`. */
  argmax(options?: { axis?: number; keepdims?: boolean }): NDArray;
  /** The method form of {@link argmin}: `vz.argmin(this, options)`. */
  argmin(options?: { axis?: number; keepdims?: boolean }): NDArray;
  // --- shape and views ----------------------------------------------------------------------
  /** The transpose (a view): axes reversed. */
  readonly T: NDArray;
  /** The method form of {@link reshape}: `x.reshape(2, -1)` or `x.reshape([2, -1])`. */
  reshape(...shape: number[] | [readonly number[]]): NDArray;
  /** The method form of {@link ravel}: `vz.ravel(this)`. */
  ravel(): NDArray;
  /** The method form of {@link flatten}: `vz.flatten(this)`. */
  flatten(): NDArray;
  /** The method form of {@link transpose}: `vz.transpose(this, axes)`. */
  transpose(axes?: readonly number[]): NDArray;
  /** The method form of {@link expandDims}: `vz.expandDims(this, axis)`. */
  expandDims(axis: number): NDArray;
  /** The method form of {@link squeeze}: `vz.squeeze(this, axis)`. */
  squeeze(axis?: number | readonly number[]): NDArray;
  /** The method form of {@link broadcastTo}: `vz.broadcastTo(this, shape)`. */
  broadcastTo(shape: readonly number[]): NDArray;
  /** The method form of {@link slice}: `vz.slice(this, ...specs)`. */
  slice(...specs: SliceSpec[]): NDArray;
  /** The method form of {@link copy}: `vz.copy(this)`. */
  copy(): NDArray;
  /** The method form of {@link astype}: `vz.astype(this, dtype)`. */
  astype(dtype: DType): NDArray;
}
