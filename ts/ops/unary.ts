/** The shared driver of unary element-wise ops: one kernel call over any layout. */
import type { UnaryOp } from "../backend/backend.js";
import { NDArray } from "../ndarray.js";
import { checkOperand, operandArrays, prepareInput } from "./binary.js";
import { checkOptions } from "../options.js";
import { checkOut, OUT_OPTIONS, type OutOption } from "./out.js";
import { withTemporaries } from "./temporaries.js";
import { writeResult } from "./result.js";

/** `op(x)` element-wise into a new array or `options.out`; `lo`/`hi` are clip's bounds. */
export function unaryOp(opName: string, op: UnaryOp, x: NDArray | number, options?: OutOption, lo = 0, hi = 0): NDArray {
  // The common case, an array into a new array, with no temporaries; a contiguous input is one run.
  if (options === undefined && x instanceof NDArray) {
    const { shape, view } = x.isContiguous ? x.asRun(opName) : { shape: x.shape, view: x.view(opName) };
    return writeResult(opName, NDArray.empty(x.backend, x.dtype, x.shape), undefined, (target) => x.backend.unary(op, shape, view, target, lo, hi));
  }
  checkOperand(opName, x, "first");
  checkOptions(opName, options, OUT_OPTIONS);
  return withTemporaries((temp) => {
    const [x0] = operandArrays(opName, [x], temp) as [NDArray];
    const out = options?.out;
    if (out) checkOut(opName, out, x0.shape, x0.dtype, x0);
    const input = prepareInput(x0, x0.dtype, x0.shape, out, temp);
    const view = input.view(opName);
    return writeResult(opName, out ?? NDArray.empty(input.backend, input.dtype, input.shape), out, (target) =>
      input.backend.unary(op, input.shape, view, target, lo, hi),
    );
  });
}
