/**
 * The reference logistic-regression step and training loop: the notes' formulas, one example
 * at a time, accumulating in float64. Parameters are stored in the model's dtype after every
 * update, as the wasm kernels store them.
 */
import type { FloatArray } from "../../dtype.js";
import { LogisticLayout, type TrainParams, type TrainResult } from "../backend.js";

/** log(1 + eᶻ) without overflow or log(0). */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** Feature j of example i. */
function feature(layout: LogisticLayout, x: FloatArray, nx: number, m: number, j: number, i: number): number {
  return layout === LogisticLayout.Cols ? x[j * m + i]! : x[i * nx + j]!;
}

export function logit(layout: LogisticLayout, x: FloatArray, nx: number, m: number, w: FloatArray, b: number, i: number): number {
  let z = b;
  for (let j = 0; j < nx; j++) z += w[j]! * feature(layout, x, nx, m, j, i);
  return z;
}

/** `J`, `dw` (written) and `db` over `examples` (all m by default). */
export function grad(
  layout: LogisticLayout,
  x: FloatArray,
  nx: number,
  m: number,
  y: FloatArray,
  w: FloatArray,
  b: number,
  l2: number,
  dw: FloatArray,
  examples?: ArrayLike<number>,
): { cost: number; db: number } {
  const count = examples ? examples.length : m;
  const acc = new Float64Array(nx);
  let cost = 0;
  let dbSum = 0;
  for (let e = 0; e < count; e++) {
    const i = examples ? examples[e]! : e;
    const z = logit(layout, x, nx, m, w, b, i);
    // A label outside [0, 1] (or NaN) makes the cost +inf, as the crate's kernels do.
    cost += y[i]! >= 0 && y[i]! <= 1 ? softplus(z) - y[i]! * z : Infinity;
    const dz = sigmoid(z) - y[i]!;
    dbSum += dz;
    for (let j = 0; j < nx; j++) acc[j]! += dz * feature(layout, x, nx, m, j, i);
  }
  let norm = 0;
  for (let j = 0; j < nx; j++) norm += w[j]! * w[j]!;
  for (let j = 0; j < nx; j++) dw[j] = acc[j]! / count + (l2 / count) * w[j]!;
  return { cost: cost / count + (l2 / (2 * count)) * norm, db: dbSum / count };
}

export function forward(layout: LogisticLayout, x: FloatArray, nx: number, m: number, w: FloatArray, b: number, out: FloatArray): void {
  for (let i = 0; i < m; i++) out[i] = sigmoid(logit(layout, x, nx, m, w, b, i));
}

/** The crate's training loop, iteration for iteration (see `logistic::train`'s module doc). */
export function train(
  layout: LogisticLayout,
  x: FloatArray,
  nx: number,
  m: number,
  y: FloatArray,
  w: FloatArray,
  b: number,
  p: TrainParams,
  round: (v: number) => number,
): TrainResult {
  const dw = new Float64Array(nx);
  const costs: number[] = [];
  let prev = p.prevCost;
  const batches = p.order ? Math.ceil(p.order.length / p.batchSize!) : 1;
  for (let i = 0; i < p.iterations; i++) {
    const batch = p.order ? p.order.subarray((i % batches) * p.batchSize!, Math.min(((i % batches) + 1) * p.batchSize!, p.order.length)) : undefined;
    const { cost, db } = grad(layout, x, nx, m, y, w, b, p.l2, dw, batch);
    if (!Number.isFinite(cost)) return { iterations: i, stop: "diverged", lastCost: cost, bias: b, costs };
    if (p.recordEvery > 0 && (p.firstIteration + i) % p.recordEvery === 0) costs.push(cost);
    for (let j = 0; j < nx; j++) w[j] = w[j]! - p.learningRate * dw[j]!;
    b = round(b - p.learningRate * db);
    if (p.tolerance > 0 && prev !== undefined && Math.abs(cost - prev) < p.tolerance) {
      return { iterations: i + 1, stop: "converged", lastCost: cost, bias: b, costs };
    }
    prev = cost;
  }
  return { iterations: p.iterations, stop: "completed", lastCost: prev, bias: b, costs };
}
