/** The reference element functions, in float64 (float32 results round once when stored). */
import { ArgOp, BinaryOp, ReduceOp, UnaryOp } from "../backend.js";

/** numpy's `power` is C's `pow`, which differs from `Math.pow` on these two cases. */
function pow(a: number, b: number): number {
  if (a === 1 || b === 0) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

const bool = (x: boolean) => (x ? 1 : 0);

export const binaryFns: Record<BinaryOp, (a: number, b: number) => number> = {
  [BinaryOp.Add]: (a, b) => a + b,
  [BinaryOp.Sub]: (a, b) => a - b,
  [BinaryOp.Mul]: (a, b) => a * b,
  [BinaryOp.Div]: (a, b) => a / b,
  [BinaryOp.Pow]: pow,
  // Math.max/min are IEEE 754-2019 maximum/minimum: NaN propagates, +0 > -0.
  [BinaryOp.Maximum]: Math.max,
  [BinaryOp.Minimum]: Math.min,
  [BinaryOp.Equal]: (a, b) => bool(a === b),
  [BinaryOp.NotEqual]: (a, b) => bool(a !== b),
  [BinaryOp.Greater]: (a, b) => bool(a > b),
  [BinaryOp.GreaterEqual]: (a, b) => bool(a >= b),
  [BinaryOp.Less]: (a, b) => bool(a < b),
  [BinaryOp.LessEqual]: (a, b) => bool(a <= b),
};

/** Logistic sigmoid in the form that cannot overflow: e^-|x| is at most 1. */
function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export const unaryFns: Record<UnaryOp, (x: number, lo: number, hi: number) => number> = {
  [UnaryOp.Neg]: (x) => -x,
  [UnaryOp.Abs]: Math.abs,
  [UnaryOp.Sign]: (x) => (x > 0 ? 1 : x < 0 ? -1 : x === 0 ? 0 : NaN),
  [UnaryOp.Square]: (x) => x * x,
  [UnaryOp.Sqrt]: Math.sqrt,
  [UnaryOp.Exp]: Math.exp,
  [UnaryOp.Log]: Math.log,
  [UnaryOp.Log1p]: Math.log1p,
  [UnaryOp.Sigmoid]: sigmoid,
  [UnaryOp.Tanh]: Math.tanh,
  [UnaryOp.Relu]: (x) => Math.max(x, 0),
  [UnaryOp.Clip]: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
};

/** Reductions as (identity, step) folds in float64. */
export const reduceFns: Record<ReduceOp, { identity: number; step: (acc: number, x: number) => number }> = {
  [ReduceOp.Sum]: { identity: 0, step: (acc, x) => acc + x },
  [ReduceOp.Prod]: { identity: 1, step: (acc, x) => acc * x },
  [ReduceOp.Max]: { identity: -Infinity, step: Math.max },
  [ReduceOp.Min]: { identity: Infinity, step: Math.min },
};

/** Whether `x` replaces the current best of an arg-reduction (first NaN wins, then the first extreme). */
export const argBetter: Record<ArgOp, (x: number, best: number) => boolean> = {
  [ArgOp.ArgMax]: (x, best) => !Number.isNaN(best) && (Number.isNaN(x) || x > best),
  [ArgOp.ArgMin]: (x, best) => !Number.isNaN(best) && (Number.isNaN(x) || x < best),
};
