import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise natural logarithm: log(0) is -Infinity, log(x < 0) is NaN: `ln x`.
 * @example
 * vz.log(vz.array([1, Math.E])); // => [0, 1]
 */
export function log(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("log", UnaryOp.Log, x, options);
}
