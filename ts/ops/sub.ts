import { BinaryOp } from "../backend/backend.js";
import type { NDArray } from "../ndarray.js";
import { binaryOp, type Operand } from "./binary.js";
import type { OutOption } from "./out.js";

/**
 * Element-wise difference: `a - b`, with numpy broadcasting. Numbers act as 0-d arrays of the other
 * operand's dtype; float32 with float64 gives float64.
 * @param a the first operand: an array, or a number (which takes the other operand's dtype).
 * @param b the second operand; the two broadcast together, as numpy's rules say.
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * vz.sub(vz.array([5, 7]), 1); // => [4, 6]
 * vz.sub(vz.ones([3, 4]), vz.ones([5])); // throws BroadcastError: sub: operands could not be broadcast together with shapes (3,4) (5,)
 * @throws {BroadcastError} `sub: operands could not be broadcast together with shapes (3,4) (5,)`
 */
export function sub(a: Operand, b: Operand, options?: OutOption): NDArray {
  return binaryOp("sub", BinaryOp.Sub, a, b, options);
}
