import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise hyperbolic tangent: `tanh x`.
 * @example
 * vz.tanh(vz.array([0, 100])); // => [0, 1]
 */
export function tanh(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("tanh", UnaryOp.Tanh, x, options);
}
