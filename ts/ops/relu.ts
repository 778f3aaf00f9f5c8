import { UnaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import type { OutOption } from "./out.js";
import { unaryOp } from "./unary.js";

/**
 * Element-wise rectified linear unit (NaN stays NaN): `max(x, 0)`.
 * @example
 * vz.relu(vz.array([-1, 2])); // => [0, 2]
 */
export function relu(x: NDArray | number, options?: OutOption): NDArray {
  return unaryOp("relu", UnaryOp.Relu, x, options);
}
