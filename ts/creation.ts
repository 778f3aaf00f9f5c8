/** Making arrays: from JS data, filled, ranges and identity matrices. */
import { currentBackend } from "./backend/registry.js";
import type { Backend, Storage } from "./backend/backend.js";
import { bigintToFloat32, isDType, type DType } from "./dtype.js";
import { DTypeError, ReshapeError, ValueError } from "./errors.js";
import { NDArray } from "./ndarray.js";
import { forEachNested, nestedShape } from "./nested.js";
import { checkOptions, show } from "./options.js";
import { checkShape, formatShape, sizeOf } from "./shape.js";

/**
 * The `dtype` option of the functions that make arrays.
 * @example
 * vz.zeros([2], { dtype: "float64" }).dtype; // => "float64"
 */
export interface DTypeOption {
  /** Element type; float32 unless said otherwise. */
  dtype?: DType;
}

/**
 * What {@link array} takes besides the data.
 * @example
 * vz.array([1, 2, 3, 4], { shape: [2, 2], dtype: "float64" }); // => [[1, 2], [3, 4]]
 */
export interface ArrayOptions extends DTypeOption {
  /** The shape to give flat data (its size must match, as numpy's reshape requires). */
  shape?: readonly number[];
}

/**
 * Numbers (or booleans) nested in arrays, as `array()` takes them.
 * @example
 * vz.array([[true, false], [1, 0.5]]); // => [[1, 0], [1, 0.5]]
 */
export type NestedInput = number | boolean | readonly NestedInput[];

/**
 * What {@link array} makes an array of: a number, nested arrays, or any typed or array-like
 * list of numbers (BigInt64Array and BigUint64Array too).
 * @example
 * vz.array(new Int32Array([1, 2, 3])); // => [1, 2, 3]
 */
export type ArrayData = NestedInput | ArrayLike<number> | BigInt64Array | BigUint64Array;

/**
 * A new array from a number, nested arrays or any typed array (Uint8Array image bytes,
 * Int32Array, …, converted to the float dtype). Float64Array input stays float64 unless `dtype` says.
 * @example
 * @param data the values: a number, nested arrays, or a typed array (flat; `shape` gives it axes).
 * @param options `dtype` (float32 unless given, or float64 for a Float64Array) and `shape`.
 * @example
 * const x = vz.array([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
 * x.shape; // => [2, 3]
 * const pixels = new Uint8Array(64 * 64 * 3).fill(255); // an RGB image's bytes
 * vz.array(pixels, { shape: [64, 64, 3] }).shape; // => [64, 64, 3]
 * vz.array([1, 2, 3, 4, 5, 6], { shape: [4] }); // throws ReshapeError: array: cannot reshape array of size 6 into shape (4,)
 * @throws {ValueError} ragged nested arrays or non-numeric elements
 * @throws {ReshapeError} `array: cannot reshape array of size 6 into shape (4,)`
 */
export function array(data: ArrayData, options: ArrayOptions = {}): NDArray {
  checkOptions("array", options, ["dtype", "shape"]);
  const dtype = checkDType("array", options.dtype ?? (data instanceof Float64Array ? "float64" : "float32"));
  const flat = ArrayBuffer.isView(data) && !(data instanceof DataView);
  const found = flat ? [(data as { length: number }).length] : nestedShape("array", data);
  const shape = options.shape ? checkShape("array", options.shape) : found;
  if (sizeOf(shape) !== sizeOf(found)) {
    throw new ReshapeError(`array: cannot reshape array of size ${sizeOf(found)} into shape ${formatShape(shape)}`);
  }
  // Allocate first: a request too large fails here, before any JS memory is spent on it.
  const result = NDArray.empty(currentBackend("array"), dtype, shape);
  try {
    const storage = result.view("array").storage;
    if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
      const toFloat = dtype === "float32" ? bigintToFloat32 : Number;
      writeChunked(result.backend, storage, data.length, (i) => toFloat(data[i]!));
    } else if (flat) {
      result.backend.write(storage, data as ArrayLike<number>);
    } else {
      const values = new Float64Array(result.size);
      let next = 0;
      forEachNested("array", data, found, (v) => (values[next++] = v));
      result.backend.write(storage, values);
    }
    return result;
  } catch (error) {
    result.dispose();
    throw error;
  }
}

/**
 * A new array of `shape` with every element `value`.
 * @param shape the shape (a number for 1-D).
 * @param value the fill value.
 * @param options `dtype` (float32 unless given).
 * @throws {ValueError} a negative or non-integer dimension, or a value that is not a number.
 * @example
 * vz.full([2, 2], 7).toArray(); // => [[7,7],[7,7]]
 */
export function full(shape: number | readonly number[], value: number, options: DTypeOption = {}): NDArray {
  if (typeof value !== "number") throw new ValueError(`full: fill value must be a number, got ${typeof value}`);
  checkOptions("full", options, ["dtype"]);
  const dims = checkShape("full", typeof shape === "number" ? [shape] : shape);
  const result = NDArray.empty(currentBackend("full"), checkDType("full", options.dtype ?? "float32"), dims);
  result.backend.fill(result.view("full").storage, value);
  return result;
}

/**
 * A new array of zeros.
 * @param shape the shape (a number for 1-D).
 * @param options `dtype` (float32 unless given).
 * @throws {ValueError} a negative or non-integer dimension.
 * @example
 * vz.zeros([2, 3]); // => [[0, 0, 0], [0, 0, 0]]
 */
export function zeros(shape: number | readonly number[], options: DTypeOption = {}): NDArray {
  return full(shape, 0, options);
}

/**
 * A new array of ones.
 * @param shape the shape (a number for 1-D).
 * @param options `dtype` (float32 unless given).
 * @throws {ValueError} a negative or non-integer dimension.
 * @example
 * vz.ones([3, 1], { dtype: "float64" }).toString(); // => array([[1.],
 * //                                                             [1.],
 * //                                                             [1.]])
 */
export function ones(shape: number | readonly number[], options: DTypeOption = {}): NDArray {
  return full(shape, 1, options);
}

/**
 * Zeros with `like`'s shape and dtype (or the dtype given).
 * @param like the array whose shape (and dtype) to take.
 * @param options `dtype`, to override `like`'s.
 * @example
 * vz.zerosLike(vz.array([[1, 2]], { dtype: "float64" })).dtype; // => "float64"
 */
export function zerosLike(like: NDArray, options: DTypeOption = {}): NDArray {
  return full(like.shape, 0, { dtype: options.dtype ?? like.dtype });
}

/**
 * Ones with `like`'s shape and dtype (or the dtype given).
 * @param like the array whose shape (and dtype) to take.
 * @param options `dtype`, to override `like`'s.
 * @example
 * vz.onesLike(vz.zeros([2, 1])); // => [[1], [1]]
 */
export function onesLike(like: NDArray, options: DTypeOption = {}): NDArray {
  return full(like.shape, 1, { dtype: options.dtype ?? like.dtype });
}

/**
 * Evenly spaced values in `[start, stop)`: `arange(stop)`, `arange(start, stop)` or
 * `arange(start, stop, step)`, as numpy (`start + i·step`).
 * @param start the first value (or, alone, the stop, starting from 0).
 * @param stop the end, excluded.
 * @param step the spacing (not 0; negative counts down).
 * @param options `dtype` (float32 unless given).
 * @throws {ValueError} a zero or non-finite step, or bounds that are not finite.
 * @example
 * vz.arange(5).toArray();          // => [0, 1, 2, 3, 4]
 * vz.arange(1, 2, 0.25).toArray(); // => [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, options: DTypeOption = {}): NDArray {
  checkOptions("arange", options, ["dtype"]);
  if (stop === undefined) [start, stop] = [0, start];
  if (![start, stop, step].every(Number.isFinite)) throw new ValueError(`arange: start, stop and step must be finite numbers`);
  if (step === 0) throw new ValueError("arange: step must not be zero");
  const length = Math.max(0, Math.ceil((stop - start) / step));
  return fromFunction("arange", length, (i) => start + i * step, options.dtype);
}

/**
 * `num` evenly spaced values from `start` to `stop` (included unless `endpoint: false`).
 * @param start the first value.
 * @param stop the last value (or the end, excluded, with `endpoint: false`).
 * @param num how many values (50 by default).
 * @param options `dtype` (float32 unless given) and `endpoint`.
 * @example
 * vz.linspace(0, 1, 5).toArray(); // => [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num = 50, options: DTypeOption & { endpoint?: boolean } = {}): NDArray {
  checkOptions("linspace", options, ["dtype", "endpoint"]);
  if (typeof start !== "number" || typeof stop !== "number") throw new ValueError(`linspace: start and stop must be numbers, got ${show(start)} and ${show(stop)}`);
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: number of samples, ${show(num)}, must be a non-negative integer`);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  return fromFunction("linspace", num, (i) => (endpoint && i === num - 1 && num > 1 ? stop : start + i * step), options.dtype);
}

/**
 * A 2-D array with ones on the `k`-th diagonal and zeros elsewhere (`n` rows, `m` columns).
 * @param n the number of rows.
 * @param m the number of columns (`n` by default).
 * @param k the diagonal: 0 the main one, positive above it, negative below.
 * @param options `dtype` (float32 unless given).
 * @example
 * vz.eye(2, 3, 1).toArray(); // => [[0,1,0],[0,0,1]]
 * vz.eye(3).toArray(); // => [[1,0,0],[0,1,0],[0,0,1]]
 */
export function eye(n: number, m = n, k = 0, options: DTypeOption = {}): NDArray {
  checkOptions("eye", options, ["dtype"]);
  checkShape("eye", [n, m]);
  if (!Number.isInteger(k)) throw new ValueError(`eye: k must be an integer, got ${show(k)}`);
  const result = NDArray.empty(currentBackend("eye"), checkDType("eye", options.dtype ?? "float32"), [n, m]);
  const storage = result.view("eye").storage;
  result.backend.fill(storage, 0);
  for (let i = Math.max(0, -k); i < n && i + k < m; i++) result.backend.write(storage, [1], i * m + i + k);
  return result;
}

/** @internal A 1-D array of `length` values `f(i)`, computed in float64 then stored. */
export function fromFunction(op: string, length: number, f: (i: number) => number, dtype: DType = "float32", shape: readonly number[] = [length]): NDArray {
  const result = NDArray.empty(currentBackend(op), checkDType(op, dtype), shape);
  writeChunked(result.backend, result.view(op).storage, length, f);
  return result;
}

/** Writes `f(0…length−1)` into `storage` a block at a time: no JS array of the whole size. */
function writeChunked(backend: Backend, storage: Storage, length: number, f: (i: number) => number): void {
  const block = new Float64Array(Math.min(length, 1 << 16));
  for (let start = 0; start < length; start += block.length) {
    const n = Math.min(block.length, length - start);
    for (let i = 0; i < n; i++) block[i] = f(start + i);
    backend.write(storage, n === block.length ? block : block.subarray(0, n), start);
  }
}

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);
  return dtype;
}
