/** The shared driver of unary element-wise ops: one kernel call over any layout. */
import type { UnaryOp } from "../backend/backend.js";
import { NDArray } from "../ndarray.js";
import { checkOperand, operandArrays, prepareInput } from "./binary.js";
import { checkOut, type OutOption } from "./out.js";
import { withTemporaries } from "./temporaries.js";

/** `op(x)` element-wise into a new array or `options.out`; `lo`/`hi` are clip's bounds. */
export function unaryOp(opName: string, op: UnaryOp, x: NDArray | number, options: OutOption = {}, lo = 0, hi = 0): NDArray {
  checkOperand(opName, x, "first");
  return withTemporaries((temp) => {
    const [x0] = operandArrays(opName, [x], temp) as [NDArray];
    const out = options.out;
    if (out) checkOut(opName, out, x0.shape, x0.dtype);
    const input = prepareInput(x0, x0.dtype, x0.shape, out, temp);
    const result = out ?? NDArray.empty(input.backend, input.dtype, input.shape);
    if (result.size > 0) input.backend.unary(op, opName, input.shape, input.view(opName), result.view(opName).storage, lo, hi);
    return result;
  });
}
