/**
 * Checking and preparing a logistic model's data: shapes by layout, labels, finiteness, and a
 * contiguous copy in the model's dtype that the fused kernels can stream.
 */
import { LogisticLayout } from "../backend/backend.js";
import type { DType } from "../dtype.js";
import { ValueError, withOpName } from "../errors.js";
import { NDArray } from "../ndarray.js";
import { sameBackend } from "../ops/same_backend.js";
import { formatShape } from "../shape.js";

/**
 * Where the examples are: `"cols"`, one per column (the course: X (n_x, m)), or `"rows"`, one per
 * row (scikit-learn: X (m, n_x)).
 * @example
 * new vz.LogisticRegression({ layout: "rows" }).options.layout; // => "rows"
 */
export type Layout = "cols" | "rows";

export const layoutCode = (layout: Layout): LogisticLayout => (layout === "cols" ? LogisticLayout.Cols : LogisticLayout.Rows);

/** What X holds: n_x features of m examples, in which layout. */
export interface Design {
  nx: number;
  m: number;
}

const where = (layout: Layout) => (layout === "cols" ? "examples in columns" : "examples in rows");

/** n_x and m of a 2-D X in `layout`. */
export function design(op: string, X: unknown, layout: Layout): Design {
  if (!(X instanceof NDArray)) throw new ValueError(`${op}: X must be an NDArray, got ${X === null ? "null" : typeof X}`);
  X.view(op);
  if (X.ndim !== 2) {
    const expected = layout === "cols" ? "(n_x, m)" : "(m, n_x)";
    throw new ValueError(`${op}: X must be 2-D ${expected} (${where(layout)}), got shape ${formatShape(X.shape)}`);
  }
  const [nx, m] = layout === "cols" ? [X.shape[0]!, X.shape[1]!] : [X.shape[1]!, X.shape[0]!];
  return { nx, m };
}

/** Checks Y's shape against X's m: (1, m) in the course layout, (m,) or (m, 1) in rows; returns its labels. */
export function checkLabels(op: string, Y: unknown, X: NDArray, layout: Layout, { m }: Design): NDArray {
  if (!(Y instanceof NDArray)) throw new ValueError(`${op}: Y must be an NDArray, got ${Y === null ? "null" : typeof Y}`);
  Y.view(op);
  sameBackend(op, [X, Y], "X and Y");
  const ok = layout === "cols" ? Y.ndim === 2 && Y.shape[0] === 1 : Y.ndim === 1 || (Y.ndim === 2 && Y.shape[1] === 1);
  const count = layout === "cols" ? Y.shape[1] : Y.shape[0];
  if (!ok || count !== m) {
    const expected = layout === "cols" ? `(1,${m})` : `(${m},)`;
    throw new ValueError(
      `${op}: X has ${m} examples (shape ${formatShape(X.shape)}, ${where(layout)}) but Y has shape ${formatShape(Y.shape)}; expected ${expected}`,
    );
  }
  return Y;
}

/** Rejects NaN and ±Infinity in X, naming the first bad element (one pass over X, in the backend's kernel). */
export function checkFinite(op: string, X: NDArray, name = "X"): void {
  if (X.size === 0) return;
  const view = X.view(op);
  const at = withOpName(op, () => X.backend.firstNonFinite(X.shape, view));
  if (at < 0) return;
  const index = X.shape.map((_, d) => Math.floor(at / X.shape.slice(d + 1).reduce((n, k) => n * k, 1)) % X.shape[d]!);
  const value = X.toTypedArray()[at];
  throw new ValueError(`${op}: ${name} contains ${value} at index (${index.join(",")}); it must be finite`);
}

/** Labels must lie in [0, 1] (soft labels allowed), or be exactly 0 or 1 when `binary` (one pass over Y, in the backend's kernel). */
export function checkLabelValues(op: string, Y: NDArray, binary: boolean): void {
  if (Y.size === 0) return;
  const view = Y.view(op);
  const bad = withOpName(op, () => Y.backend.firstBadLabel(Y.shape, view, binary));
  if (bad < 0) return;
  const value = Y.toTypedArray()[bad];
  throw new ValueError(
    binary
      ? `${op}: labels must be 0 or 1; found ${value} at position ${bad}`
      : `${op}: labels must lie in [0, 1] (0/1, or probabilities as soft labels); found ${value} at position ${bad}`,
  );
}

/** Whether `x` is a contiguous array of `dtype` that fills its whole buffer from offset 0 (what the kernels stream). */
export function isPacked(x: NDArray, dtype: DType): boolean {
  const v = x.view("fit");
  return x.dtype === dtype && x.isContiguous && v.offset === 0 && v.storage.length === x.size;
}

/** `x` as a contiguous array of `dtype` with offset 0 (itself when it already is one; else a copy to dispose). */
export function packed(x: NDArray, dtype: DType): { array: NDArray; owned: boolean } {
  return isPacked(x, dtype) ? { array: x, owned: false } : { array: x.astype(dtype), owned: true };
}
