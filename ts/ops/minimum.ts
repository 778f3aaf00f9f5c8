import { BinaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { binaryOp, type Operand } from "./binary.js";
import type { OutOption } from "./out.js";

/**
 * Element-wise minimum; NaN wins, as in numpy's `minimum`: `min(a, b)`, with numpy broadcasting. Numbers act as 0-d arrays of the other
 * operand's dtype; float32 with float64 gives float64.
 * @param a the first operand: an array, or a number (which takes the other operand's dtype).
 * @param b the second operand; the two broadcast together, as numpy's rules say.
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.minimum(vz.array([1, 5]), 3); // => [1, 3]
 * vz.minimum(vz.ones([3, 4]), vz.ones([5])); // throws BroadcastError: minimum: operands could not be broadcast together with shapes (3,4) (5,)
 * @throws {BroadcastError} `minimum: operands could not be broadcast together with shapes (3,4) (5,)`
 */
export function minimum(a: Operand, b: Operand, options?: OutOption): NDArray {
  return binaryOp("minimum", BinaryOp.Minimum, a, b, options);
}
