/**
 * The reference softmax regression (multinomial logistic regression), written independently of
 * the crate's GEMM-based kernels: one example at a time, its k logits, their log-sum-exp and
 * softmax, accumulating the cost and the gradient in float64. W is (k, n_x) row-major, b (k);
 * labels are class indices. Parameters are stored in the model's dtype after every update, as
 * the wasm kernels store them.
 */
import type { FloatArray } from "../../dtype.js";
import { LogisticLayout, type LbfgsParams, type LbfgsResult, type TrainParams, type TrainResult } from "../backend.js";
import { minimize } from "./lbfgs.js";

/** The operands: X in `layout` (n_x, m) or (m, n_x), m class indices, k classes. */
export interface MultinomialData {
  layout: LogisticLayout;
  x: FloatArray;
  nx: number;
  m: number;
  y: FloatArray;
  k: number;
}

/** `J`, with dW (k·n_x) and db (k) written, over `examples` (all m by default). */
export function grad(d: MultinomialData, w: ArrayLike<number>, b: ArrayLike<number>, l2: number, dw: FloatArray, db: FloatArray, examples?: ArrayLike<number>): number {
  const { layout, x, nx, m, y, k } = d;
  const count = examples ? examples.length : m;
  const accW = new Float64Array(k * nx);
  const accB = new Float64Array(k);
  const z = new Float64Array(k);
  const feature = (j: number, i: number) => (layout === LogisticLayout.Cols ? x[j * m + i]! : x[i * nx + j]!);
  let cost = 0;
  for (let e = 0; e < count; e++) {
    const i = examples ? examples[e]! : e;
    let top = -Infinity;
    for (let r = 0; r < k; r++) {
      let v = b[r]!;
      for (let j = 0; j < nx; j++) v += w[r * nx + j]! * feature(j, i);
      z[r] = v;
      top = Math.max(top, v);
    }
    let sum = 0;
    for (let r = 0; r < k; r++) sum += Math.exp(z[r]! - top);
    const label = y[i]!;
    cost += Math.log(sum) + top - z[label]!;
    for (let r = 0; r < k; r++) {
      const dz = Math.exp(z[r]! - top) / sum - (r === label ? 1 : 0);
      accB[r]! += dz;
      for (let j = 0; j < nx; j++) accW[r * nx + j]! += dz * feature(j, i);
    }
  }
  let norm = 0;
  for (let q = 0; q < k * nx; q++) {
    norm += w[q]! * w[q]!;
    dw[q] = accW[q]! / count + (l2 / count) * w[q]!;
  }
  for (let r = 0; r < k; r++) db[r] = accB[r]! / count;
  return cost / count + (l2 / (2 * count)) * norm;
}

/** Class probabilities: out (k, m) in the cols layout, (m, k) in rows. */
export function forward(d: Omit<MultinomialData, "y">, w: ArrayLike<number>, b: ArrayLike<number>, out: FloatArray): void {
  const { layout, x, nx, m, k } = d;
  const z = new Float64Array(k);
  for (let i = 0; i < m; i++) {
    let top = -Infinity;
    for (let r = 0; r < k; r++) {
      let v = b[r]!;
      for (let j = 0; j < nx; j++) v += w[r * nx + j]! * (layout === LogisticLayout.Cols ? x[j * m + i]! : x[i * nx + j]!);
      z[r] = v;
      top = Math.max(top, v);
    }
    let sum = 0;
    for (let r = 0; r < k; r++) sum += Math.exp(z[r]! - top);
    for (let r = 0; r < k; r++) out[layout === LogisticLayout.Cols ? r * m + i : i * k + r] = Math.exp(z[r]! - top) / sum;
  }
}

/** Gradient descent on W and b in place, the crate's iteration order (see `logistic::train`). */
export function train(d: MultinomialData, w: FloatArray, b: FloatArray, p: TrainParams): Omit<TrainResult, "bias"> {
  const dw = new Float64Array(w.length);
  const db = new Float64Array(b.length);
  const costs: number[] = [];
  let prev = p.prevCost;
  const batches = p.order ? Math.ceil(p.order.length / p.batchSize!) : 1;
  for (let i = 0; i < p.iterations; i++) {
    const batch = p.order ? p.order.subarray((i % batches) * p.batchSize!, Math.min(((i % batches) + 1) * p.batchSize!, p.order.length)) : undefined;
    const cost = grad(d, w, b, p.l2, dw, db, batch);
    if (!Number.isFinite(cost)) return { iterations: i, stop: "diverged", lastCost: cost, costs };
    if (p.recordEvery > 0 && (p.firstIteration + i) % p.recordEvery === 0) costs.push(cost);
    for (let q = 0; q < w.length; q++) w[q] = w[q]! - p.learningRate * dw[q]!;
    for (let r = 0; r < b.length; r++) b[r] = b[r]! - p.learningRate * db[r]!;
    if (p.tolerance > 0 && prev !== undefined && Math.abs(cost - prev) < p.tolerance) {
      return { iterations: i + 1, stop: "converged", lastCost: cost, costs };
    }
    prev = cost;
  }
  return { iterations: p.iterations, stop: "completed", lastCost: prev, costs };
}

/** L-BFGS over θ = (W row-major, b), W and b rounded to the model's dtype at every evaluation. */
export function lbfgs(d: MultinomialData, state: FloatArray, p: LbfgsParams, round: (v: number) => number): LbfgsResult {
  const weights = d.k * d.nx;
  const w = new Float64Array(weights);
  const b = new Float64Array(d.k);
  const dw = new Float64Array(weights);
  const db = new Float64Array(d.k);
  return minimize(weights + d.k, state, p, round === Math.fround, (t, g) => {
    for (let q = 0; q < weights; q++) w[q] = round(t[q]!);
    for (let r = 0; r < d.k; r++) b[r] = round(t[weights + r]!);
    const cost = grad(d, w, b, round(p.l2), dw, db);
    g.set(dw);
    g.set(db, weights);
    return cost;
  });
}
