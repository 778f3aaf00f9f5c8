import type { View } from "../backend/backend.js";
import { promoteTypes } from "../dtype.js";
import { NDArray } from "../ndarray.js";
import { broadcastShapes } from "../shape.js";
import { broadcastView, checkOperand, operandArrays, prepareInput, type Operand } from "./binary.js";
import { notEqual } from "./not_equal.js";
import { checkOptions } from "../options.js";
import { checkOut, OUT_OPTIONS, type OutOption } from "./out.js";
import { withTemporaries } from "./temporaries.js";
import { writeResult } from "./result.js";

/**
 * numpy's `where`: `a` where `cond` is non-zero (NaN counts as true), else `b`, all three
 * broadcast together. The result dtype is that of `a` and `b` promoted.
 * @param cond where it is non-zero (NaN counts), the result takes `a`; elsewhere `b`.
 * @param a the values where `cond` holds (an array or a number).
 * @param b the values elsewhere (an array or a number).
 * @param options `out`: an array of the result's shape and dtype to write into (see {@link OutOption}).
 * @example
 * const x = vz.array([-2, 0.5, 3]);
 * vz.where(vz.greater(x, 0), x, 0); // => [0, 0.5, 3]
 * // that is relu(x)
 * vz.where(vz.ones([2]), vz.ones([3]), 0); // throws BroadcastError: where: operands could not be broadcast together with shapes …
 * @throws {BroadcastError} `where: operands could not be broadcast together with shapes …`
 */
export function where(cond: Operand, a: Operand, b: Operand, options: OutOption = {}): NDArray {
  checkOperand("where", cond, "condition");
  checkOperand("where", a, "second");
  checkOperand("where", b, "third");
  checkOptions("where", options, OUT_OPTIONS);
  return withTemporaries((temp) => {
    const [c0, a0, b0] = operandArrays("where", [cond, a, b], temp) as [NDArray, NDArray, NDArray];
    const dtype = promoteTypes(a0.dtype, b0.dtype);
    const shape = broadcastShapes("where", broadcastShapes("where", c0.shape, a0.shape), b0.shape);
    const out = options.out;
    if (out) checkOut("where", out, shape, dtype, a0);
    // A condition of another dtype becomes exact 0/1 first: casting could round tiny values to 0.
    const c1 = c0.dtype === dtype ? c0 : temp(temp(notEqual(c0, 0)).astype(dtype));
    const [c, x, y] = [c1, a0, b0].map((v) => prepareInput(v, dtype, shape, out, temp)) as [NDArray, NDArray, NDArray];
    const [vc, vx, vy] = [c, x, y].map((v) => broadcastView("where", v, shape)) as [View, View, View];
    return writeResult("where", out ?? NDArray.empty(x.backend, dtype, shape), out, (target) => x.backend.where(shape, vc, vx, vy, target));
  });
}
