/** Making arrays: from JS data, filled, ranges and identity matrices. */
import { currentBackend } from "./backend/registry.js";
import { isDType, type DType } from "./dtype.js";
import { DTypeError, ReshapeError, ValueError } from "./errors.js";
import { NDArray } from "./ndarray.js";
import { flattenNested } from "./nested.js";
import { checkShape, formatShape, sizeOf } from "./shape.js";

export interface DTypeOption {
  /** Element type; float32 unless said otherwise. */
  dtype?: DType;
}

export interface ArrayOptions extends DTypeOption {
  /** The shape to give flat data (its size must match, as numpy's reshape requires). */
  shape?: readonly number[];
}

/** Numbers (or booleans) nested in arrays, as `array()` takes them. */
export type NestedInput = number | boolean | readonly NestedInput[];

type ArrayData = NestedInput | ArrayLike<number> | BigInt64Array | BigUint64Array;

/**
 * A new array from a number, nested arrays or any typed array (Uint8Array image bytes,
 * Int32Array, …, converted to the float dtype). Float64Array input stays float64 unless `dtype` says.
 * @example
 * const x = vz.array([[1, 2, 3], [4, 5, 6]], { dtype: "float64" }); // shape (2,3)
 * vz.array(new Uint8Array(pixels), { shape: [64, 64, 3] });
 * @throws {ValueError} ragged nested arrays or non-numeric elements
 * @throws {ReshapeError} `array: cannot reshape array of size 6 into shape (4,)`
 */
export function array(data: ArrayData, options: ArrayOptions = {}): NDArray {
  const dtype = checkDType("array", options.dtype ?? (data instanceof Float64Array ? "float64" : "float32"));
  let values: ArrayLike<number>;
  let found: number[];
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    values = Array.from(data, Number);
    found = [data.length];
  } else if (ArrayBuffer.isView(data)) {
    values = data as unknown as ArrayLike<number>;
    found = [values.length];
  } else {
    ({ shape: found, values } = flattenNested("array", data));
  }
  const shape = options.shape ? checkShape("array", options.shape) : found;
  if (sizeOf(shape) !== values.length) {
    throw new ReshapeError(`array: cannot reshape array of size ${values.length} into shape ${formatShape(shape)}`);
  }
  const result = NDArray.empty(currentBackend("array"), dtype, shape);
  result.backend.write(result.view("array").storage, values);
  return result;
}

/**
 * A new array of `shape` with every element `value`.
 * @example
 * vz.full([2, 2], 7).toArray(); // [[7,7],[7,7]]
 */
export function full(shape: number | readonly number[], value: number, options: DTypeOption = {}): NDArray {
  if (typeof value !== "number") throw new ValueError(`full: fill value must be a number, got ${typeof value}`);
  const dims = checkShape("full", typeof shape === "number" ? [shape] : shape);
  const result = NDArray.empty(currentBackend("full"), checkDType("full", options.dtype ?? "float32"), dims);
  result.backend.fill(result.view("full").storage, value);
  return result;
}

/** A new array of zeros. @example vz.zeros([2, 3]) */
export function zeros(shape: number | readonly number[], options: DTypeOption = {}): NDArray {
  return full(shape, 0, options);
}

/** A new array of ones. @example vz.ones([3, 1], { dtype: "float64" }) */
export function ones(shape: number | readonly number[], options: DTypeOption = {}): NDArray {
  return full(shape, 1, options);
}

/** Zeros with `like`'s shape and dtype (or the dtype given). */
export function zerosLike(like: NDArray, options: DTypeOption = {}): NDArray {
  return full(like.shape, 0, { dtype: options.dtype ?? like.dtype });
}

/** Ones with `like`'s shape and dtype (or the dtype given). */
export function onesLike(like: NDArray, options: DTypeOption = {}): NDArray {
  return full(like.shape, 1, { dtype: options.dtype ?? like.dtype });
}

/**
 * Evenly spaced values in `[start, stop)`: `arange(stop)`, `arange(start, stop)` or
 * `arange(start, stop, step)`, as numpy (`start + i·step`).
 * @example
 * vz.arange(5).toArray();          // [0, 1, 2, 3, 4]
 * vz.arange(1, 2, 0.25).toArray(); // [1, 1.25, 1.5, 1.75]
 */
export function arange(start: number, stop?: number, step = 1, options: DTypeOption = {}): NDArray {
  if (stop === undefined) [start, stop] = [0, start];
  if (![start, stop, step].every(Number.isFinite)) throw new ValueError(`arange: start, stop and step must be finite numbers`);
  if (step === 0) throw new ValueError("arange: step must not be zero");
  const length = Math.max(0, Math.ceil((stop - start) / step));
  return fromFunction("arange", length, (i) => start + i * step, options.dtype);
}

/**
 * `num` evenly spaced values from `start` to `stop` (included unless `endpoint: false`).
 * @example
 * vz.linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num = 50, options: DTypeOption & { endpoint?: boolean } = {}): NDArray {
  if (!Number.isInteger(num) || num < 0) throw new ValueError(`linspace: number of samples, ${num}, must be a non-negative integer`);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  return fromFunction("linspace", num, (i) => (endpoint && i === num - 1 && num > 1 ? stop : start + i * step), options.dtype);
}

/**
 * A 2-D array with ones on the `k`-th diagonal and zeros elsewhere (`n` rows, `m` columns).
 * @example
 * vz.eye(3).toArray(); // [[1,0,0],[0,1,0],[0,0,1]]
 */
export function eye(n: number, m = n, k = 0, options: DTypeOption = {}): NDArray {
  checkShape("eye", [n, m]);
  if (!Number.isInteger(k)) throw new ValueError(`eye: k must be an integer, got ${k}`);
  const values = new Float64Array(n * m);
  for (let i = 0; i < n; i++) if (i + k >= 0 && i + k < m) values[i * m + i + k] = 1;
  const result = NDArray.empty(currentBackend("eye"), checkDType("eye", options.dtype ?? "float32"), [n, m]);
  result.backend.write(result.view("eye").storage, values);
  return result;
}

/** @internal A 1-D array of `length` values `f(i)`, computed in float64 then stored. */
export function fromFunction(op: string, length: number, f: (i: number) => number, dtype: DType = "float32", shape: readonly number[] = [length]): NDArray {
  const values = new Float64Array(length);
  for (let i = 0; i < length; i++) values[i] = f(i);
  const result = NDArray.empty(currentBackend(op), checkDType(op, dtype), shape);
  result.backend.write(result.view(op).storage, values);
  return result;
}

function checkDType(op: string, dtype: unknown): DType {
  if (!isDType(dtype)) throw new DTypeError(`${op}: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);
  return dtype;
}
