import { BinaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { binaryOp, type Operand } from "./binary.js";
import type { OutOption } from "./out.js";

/**
 * Element-wise maximum; NaN wins, as in numpy's `maximum`: `max(a, b)`, with numpy broadcasting. Numbers act as 0-d arrays of the other
 * operand's dtype; float32 with float64 gives float64.
 * @example
 * vz.maximum(vz.array([1, 5, NaN]), 3); // => [3, 5, NaN]
 * vz.maximum(vz.ones([3, 4]), vz.ones([5])); // throws BroadcastError: maximum: operands could not be broadcast together with shapes (3,4) (5,)
 * @throws {BroadcastError} `maximum: operands could not be broadcast together with shapes (3,4) (5,)`
 */
export function maximum(a: Operand, b: Operand, options?: OutOption): NDArray {
  return binaryOp("maximum", BinaryOp.Maximum, a, b, options);
}
