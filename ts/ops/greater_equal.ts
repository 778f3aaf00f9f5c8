import { BinaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { binaryOp, type Operand } from "./binary.js";
import type { OutOption } from "./out.js";

/**
 * Element-wise `a >= b` as 1 or 0: `a >= b`, with numpy broadcasting. Numbers act as 0-d arrays of the other
 * operand's dtype; float32 with float64 gives float64.
 * @param a the first operand: an array, or a number (which takes the other operand's dtype).
 * @param b the second operand; the two broadcast together, as numpy's rules say.
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.greaterEqual(vz.array([1, 2, 3]), 2); // => [0, 1, 1]
 * vz.greaterEqual(vz.ones([3, 4]), vz.ones([5])); // throws BroadcastError: greaterEqual: operands could not be broadcast together with shapes (3,4) (5,)
 * @throws {BroadcastError} `greaterEqual: operands could not be broadcast together with shapes (3,4) (5,)`
 */
export function greaterEqual(a: Operand, b: Operand, options?: OutOption): NDArray {
  return binaryOp("greaterEqual", BinaryOp.GreaterEqual, a, b, options);
}
