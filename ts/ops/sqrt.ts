import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise square root (NaN for negative x): `√x`.
 * @example
 * vz.sqrt(vz.array([4, 9])); // => [2, 3]
 */
export function sqrt(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("sqrt", UnaryOp.Sqrt, x, options);
}
