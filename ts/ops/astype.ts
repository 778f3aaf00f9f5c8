import { isDType, type DType } from "../dtype.js";
import { DTypeError } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { checkArray } from "./binary.js";
import { writeResult } from "./result.js";

/**
 * A contiguous copy of `x` converted to `dtype` (float64 → float32 rounds to nearest), as
 * numpy's `astype` (which also copies when the dtype is unchanged).
 * @param x the array.
 * @param dtype the dtype of the copy: `"float32"` or `"float64"`.
 * @example
 * vz.astype(vz.array([0.1]), "float64"); // => [0.10000000149011612]
 */
export function astype(x: NDArray, dtype: DType): NDArray {
  checkArray("astype", x);
  if (!isDType(dtype)) throw new DTypeError(`astype: unsupported dtype ${JSON.stringify(dtype)}; expected "float32" or "float64"`);
  const view = x.view("astype");
  return writeResult("astype", NDArray.empty(x.backend, dtype, x.shape), undefined, (target) => x.backend.copy(x.shape, view, target));
}
