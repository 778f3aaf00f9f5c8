/** Making arrays from JS data. */
import { currentBackend } from "./backend/registry.js";
import { isDType, type DType } from "./dtype.js";
import { DTypeError, ReshapeError, ValueError } from "./errors.js";
import { NDArray } from "./ndarray.js";
import { flattenNested, type NestedArray } from "./nested.js";
import { formatShape, sizeOf } from "./shape.js";

export interface ArrayOptions {
  /** Element type. Default: float64 for Float64Array input, otherwise float32. */
  dtype?: DType;
  /** The shape to give flat data (its size must match, as numpy's reshape requires). */
  shape?: readonly number[];
}

type ArrayData = NestedArray | boolean | ArrayLike<number>;

/**
 * A new array from a number, nested arrays or any typed array (converted to the float dtype).
 * @example
 * const x = vz.array([[1, 2, 3], [4, 5, 6]], { dtype: "float64" }); // shape (2,3)
 * vz.array(new Uint8Array(pixels), { shape: [64, 64, 3] });
 * @throws {ValueError} ragged nested arrays or non-numeric elements
 * @throws {ReshapeError} `cannot reshape array of size 6 into shape (4,)`
 */
export function array(data: ArrayData, options: ArrayOptions = {}): NDArray {
  const dtype = options.dtype ?? (data instanceof Float64Array ? "float64" : "float32");
  if (!isDType(dtype)) {
    throw new DTypeError(`array: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);
  }
  const { shape: found, values } = ArrayBuffer.isView(data)
    ? { shape: [(data as unknown as ArrayLike<number>).length], values: data as unknown as ArrayLike<number> }
    : flattenNested("array", data);
  const shape = options.shape ? checkShape(options.shape) : found;
  if (sizeOf(shape) !== values.length) {
    throw new ReshapeError(`array: cannot reshape array of size ${values.length} into shape ${formatShape(shape)}`);
  }
  const backend = currentBackend("array");
  const storage = backend.alloc(dtype, values.length);
  backend.write(storage, values);
  return new NDArray(backend, storage, shape);
}

function checkShape(shape: readonly number[]): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new ValueError(`array: shape ${formatShape(shape)} must hold non-negative integers`);
    }
  }
  return [...shape];
}

/** @internal A 0-d array holding `value`, on `like`'s backend and with its dtype. */
export function scalarLike(value: number, like: NDArray): NDArray {
  const storage = like.backend.alloc(like.dtype, 1);
  like.backend.write(storage, [value]);
  return new NDArray(like.backend, storage, []);
}
