/**
 * `NDArray`: an n-d view `(shape, strides, offset)` over a buffer owned by one backend.
 * Data stays in the backend (wasm memory for the wasm backends); `toArray()` and
 * `toTypedArray()` copy it out.
 */
import type { Backend, Storage, View } from "./backend/backend.js";
import type { DType, FloatArray } from "./dtype.js";
import { typedArrayClass } from "./dtype.js";
import { DisposedError } from "./errors.js";
import { formatArray } from "./format.js";
import { disown, own, type Buffer } from "./memory.js";
import { unflatten, type NestedArray } from "./nested.js";
import { add } from "./ops/add.js";
import { contiguousStrides, formatShape, sizeOf, type Shape } from "./shape.js";

export class NDArray {
  readonly shape: Shape;
  readonly dtype: DType;
  /** Element strides per axis. */
  readonly strides: readonly number[];
  /** Element offset of index (0,…,0) in the buffer. */
  readonly offset: number;
  readonly #buffer: Buffer;

  /** @internal Use `vz.array`, `vz.zeros`, … to make arrays. */
  constructor(backend: Backend, storage: Storage, shape: Shape, strides?: readonly number[], offset = 0) {
    this.shape = Object.freeze([...shape]);
    this.dtype = storage.dtype;
    this.strides = Object.freeze(strides ? [...strides] : contiguousStrides(shape));
    this.offset = offset;
    this.#buffer = own(this, backend, storage);
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Whether `dispose()` has freed this array's memory. */
  get isDisposed(): boolean {
    return !this.#buffer.live;
  }

  /** @internal The backend holding the data. */
  get backend(): Backend {
    return this.#buffer.backend;
  }

  /**
   * @internal The strided view kernels read, checked to be alive.
   * @throws {DisposedError} when the array was disposed.
   */
  view(op: string): View {
    if (!this.#buffer.live) {
      throw new DisposedError(`${op}: array of shape ${formatShape(this.shape)} was used after dispose()`);
    }
    return { storage: this.#buffer.storage, strides: this.strides, offset: this.offset };
  }

  /** Element-wise `this + other` with broadcasting. See {@link add}. */
  add(other: NDArray | number): NDArray {
    return add(this, other);
  }

  /** A copy of the data as nested JS arrays (a number for a 0-d array). */
  toArray(): NestedArray {
    return unflatten(this.toTypedArray(), this.shape);
  }

  /** A copy of the data, row-major, as a Float32Array or Float64Array. */
  toTypedArray(): FloatArray {
    const view = this.view("toTypedArray");
    const all = this.backend.read(view.storage);
    const size = this.size;
    if (view.offset === 0 && all.length === size && isContiguous(this.shape, this.strides)) return all;
    const out = new (typedArrayClass(this.dtype))(size);
    const index = new Array<number>(this.ndim).fill(0);
    let at = view.offset;
    for (let i = 0; i < size; i++) {
      out[i] = all[at]!;
      for (let d = this.ndim - 1; d >= 0; d--) {
        index[d]!++;
        at += this.strides[d]!;
        if (index[d]! < this.shape[d]!) break;
        at -= this.strides[d]! * this.shape[d]!;
        index[d] = 0;
      }
    }
    return out;
  }

  /** Frees the array's memory now. Safe to call twice; using the array afterwards throws. */
  dispose(): void {
    disown(this, this.#buffer);
  }

  /** numpy's repr: `array([[1. , 2.5],\n       [3. , 4. ]], dtype=float32)`, summarised when large. */
  toString(): string {
    if (this.isDisposed) return `array(<disposed>, shape=${formatShape(this.shape)}, dtype=${this.dtype})`;
    return formatArray(this.toTypedArray(), this.shape, this.dtype);
  }
}

function isContiguous(shape: Shape, strides: readonly number[]): boolean {
  const expected = contiguousStrides(shape);
  return shape.every((d, i) => d <= 1 || strides[i] === expected[i]);
}
