/**
 * The reference L-BFGS for logistic regression: written independently of the crate's solver
 * and as plainly as possible — the two-loop recursion (Nocedal & Wright, Algorithm 7.4) and a
 * backtracking line search that halves the step until the Armijo condition holds. On the
 * logistic cost (convex; strictly so with an L2 penalty) every accepted step has yᵀs > 0 up to
 * rounding, so plain backtracking suffices here; the crate's strong-Wolfe search takes other
 * steps, and the two must still reach the same minimum. The state buffer has the crate's layout
 * (see `lbfgsStateLength`), so a fit runs in chunks on either backend.
 */
import type { FloatArray } from "../../dtype.js";
import { LBFGS_HEADER, type LbfgsParams, type LbfgsResult, type LogisticLayout } from "../backend.js";
import { grad } from "./logistic.js";

const ARMIJO = 1e-4;
const MAX_HALVINGS = 50;

export function lbfgs(
  layout: LogisticLayout,
  x: FloatArray,
  nx: number,
  m: number,
  y: FloatArray,
  state: FloatArray,
  p: LbfgsParams,
  round: (v: number) => number,
): LbfgsResult {
  // f and ∇f at t, with w and b rounded to the model's dtype as stored.
  const w = new Float64Array(nx);
  const dw = new Float64Array(nx);
  const evaluate = (t: ArrayLike<number>, gradOut: FloatArray): number => {
    for (let j = 0; j < nx; j++) w[j] = round(t[j]!);
    const { cost, db } = grad(layout, x, nx, m, y, w, round(t[nx]!), round(p.l2), dw);
    gradOut.set(dw);
    gradOut[nx] = db;
    return cost;
  };
  return minimize(nx + 1, state, p, round === Math.fround, evaluate);
}

/**
 * L-BFGS on any smooth f of n parameters: `evaluate(θ, g)` returns f(θ) and writes ∇f(θ) into
 * g; the state buffer has the crate's layout for n parameters. `float32`: f carries float32's
 * rounding (the Armijo test's slack).
 */
export function minimize(
  n: number,
  state: FloatArray,
  p: LbfgsParams,
  float32: boolean,
  evaluate: (t: ArrayLike<number>, gradOut: FloatArray) => number,
): LbfgsResult {
  const k = p.memory;
  const rounding = 32 * (float32 ? 2 ** -23 : 2 ** -52);
  const at = (i: number, len: number) => state.subarray(LBFGS_HEADER + i, LBFGS_HEADER + i + len);
  const theta = at(0, n);
  const g = at(n, n);
  const S = (i: number) => at(2 * n + i * n, n);
  const Y = (i: number) => at(2 * n + k * n + i * n, n);
  const rho = at(2 * n + 2 * k * n, k);
  const costs: number[] = [];
  const record = (iteration: number, cost: number) => {
    if (p.recordEvery > 0 && (p.firstIteration + iteration) % p.recordEvery === 0) costs.push(cost);
  };
  if (state[0] === 0) {
    state[1] = evaluate(theta, g);
    state[0] = 1;
    record(0, state[1]!);
  }
  let f = state[1]!;
  const maxAbs = (v: ArrayLike<number>) => {
    let r = 0;
    for (let j = 0; j < v.length; j++) r = Number.isNaN(v[j]!) ? NaN : Math.max(r, Math.abs(v[j]!));
    return r;
  };
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let s = 0;
    for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
    return s;
  };
  const done = (iterations: number, stop: LbfgsResult["stop"]): LbfgsResult => ({ iterations, stop, cost: f, gradientNorm: maxAbs(g), costs });
  const d = new Float64Array(n);
  const trial = new Float64Array(n);
  const trialG = new Float64Array(n);
  for (let it = 0; ; it++) {
    if (!Number.isFinite(f) || !Number.isFinite(maxAbs(g))) return done(it, "diverged");
    if (maxAbs(g) <= p.gtol) return done(it, "converged");
    if (it === p.iterations) return done(it, "running");
    let accepted = false;
    for (let attempt = 0; attempt < 2 && !accepted; attempt++) {
      if (attempt === 1) {
        if (state[2] === 0) break;
        state[2] = 0; // forget the pairs: retry from steepest descent
      }
      // d = −H·g over the pairs, newest (slot state[3]) first.
      const pairs = state[2]!;
      const slots = Array.from({ length: pairs }, (_, i) => (state[3]! + k - i) % k);
      for (let j = 0; j < n; j++) d[j] = -g[j]!;
      const alpha: number[] = [];
      for (const s of slots) {
        alpha[s] = rho[s]! * dot(S(s), d);
        for (let j = 0; j < n; j++) d[j]! -= alpha[s]! * Y(s)[j]!;
      }
      if (pairs > 0) {
        const gamma = dot(S(slots[0]!), Y(slots[0]!)) / dot(Y(slots[0]!), Y(slots[0]!));
        for (let j = 0; j < n; j++) d[j]! *= gamma;
      }
      for (const s of [...slots].reverse()) {
        const beta = rho[s]! * dot(Y(s), d);
        for (let j = 0; j < n; j++) d[j]! += (alpha[s]! - beta) * S(s)[j]!;
      }
      const slope = dot(g, d);
      if (!(slope < 0)) continue;
      let step = pairs === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
      for (let h = 0; h < MAX_HALVINGS; h++, step /= 2) {
        for (let j = 0; j < n; j++) trial[j] = theta[j]! + step * d[j]!;
        const ft = evaluate(trial, trialG);
        // Armijo, up to the cost's rounding (32 ε relative): near the minimum the decrease is
        // below it, and plain Armijo would then refuse a step for noise.
        if (ft <= f + ARMIJO * step * slope + rounding * Math.abs(f)) {
          accepted = true;
          let sy = 0;
          for (let j = 0; j < n; j++) sy += (trial[j]! - theta[j]!) * (trialG[j]! - g[j]!);
          if (k > 0 && sy > 0) {
            const slot = (state[3]! + 1) % k;
            for (let j = 0; j < n; j++) {
              S(slot)[j] = trial[j]! - theta[j]!;
              Y(slot)[j] = trialG[j]! - g[j]!;
            }
            rho[slot] = 1 / dot(S(slot), Y(slot));
            state[3] = slot;
            state[2] = Math.min(pairs + 1, k);
          }
          const previous = f;
          theta.set(trial);
          g.set(trialG);
          f = ft;
          state[1] = f;
          record(it + 1, f);
          if ((previous - f) / Math.max(Math.abs(previous), Math.abs(f), 1) <= p.ftol && maxAbs(g) > p.gtol) return done(it + 1, "noProgress");
          break;
        }
      }
    }
    if (!accepted) return done(it, "lineSearch");
  }
}
