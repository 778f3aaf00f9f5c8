/**
 * The L-BFGS fit of a model (binary logistic or softmax regression): runs the backend's solver
 * (the crate's `kernels::logistic_lbfgs` / `kernels::multinomial_lbfgs`, or the reference
 * backend's own) a few iterations per call, so progress arrives as it goes, until it stops.
 * The solver's state is one float64 array that this function owns and frees.
 */
import { LBFGS_HEADER, lbfgsStateSize, type Backend, type LbfgsParams, type LbfgsResult, type Storage } from "../backend/backend.js";
import { NDArray } from "../ndarray.js";
import { untracked } from "../scope.js";

/** Pairs kept, as scipy's L-BFGS-B and scikit-learn (`maxcor` = 10). */
export const LBFGS_MEMORY = 10;

/** Iterations per wasm call: each is at least one pass over X, so the call overhead is negligible. */
const CALL_ITERATIONS = 10;

export interface LbfgsRun {
  /** Parameters reached, float64 (the model's θ layout). */
  theta: Float64Array;
  costs: number[];
  iterationsRun: number;
  stop: LbfgsResult["stop"];
  cost: number;
  gradientNorm: number;
}

/**
 * Runs L-BFGS over `parameters` numbers from `start` (zeros when absent).
 * @param solve one backend call: iterations from the state, as `backend.logisticLbfgs` or `backend.multinomialLbfgs`.
 */
export function runLbfgs(
  backend: Backend,
  parameters: number,
  start: ArrayLike<number> | undefined,
  settings: { l2: number; iterations: number; recordEvery: number; gtol: number },
  solve: (state: Storage, params: LbfgsParams) => LbfgsResult,
  onRecord: (iteration: number, cost: number) => void,
): LbfgsRun {
  const state = untracked(() => NDArray.empty(backend, "float64", [lbfgsStateSize(parameters, LBFGS_MEMORY)]));
  try {
    const storage = state.view("fit").storage;
    backend.fill(storage, 0);
    if (start) backend.write(storage, start, LBFGS_HEADER);
    // scikit-learn also stops when the cost's relative decrease falls below 64·ε (ftol), which
    // on ill-conditioned problems happens with the gradient still far above tol. Not here: the
    // line search's slope test keeps making progress below the cost's rounding, and a run
    // ends at the gradient tolerance, at maxIterations, or when no step makes progress.
    const ftol = -Infinity;
    const costs: number[] = [];
    let done = 0;
    for (;;) {
      const r = solve(storage, {
        l2: settings.l2,
        memory: LBFGS_MEMORY,
        iterations: Math.min(CALL_ITERATIONS, settings.iterations - done),
        firstIteration: done,
        recordEvery: settings.recordEvery,
        gtol: settings.gtol,
        ftol,
      });
      // The recorded iterations of this call: the multiples of recordEvery in (done, done + r.iterations], and 0 on the first call.
      const recorded: number[] = [];
      for (let k = done === 0 ? 0 : done + 1; k <= done + r.iterations; k++) if (k % settings.recordEvery === 0) recorded.push(k);
      r.costs.forEach((cost, i) => {
        costs.push(cost);
        onRecord(recorded[i]!, cost);
      });
      done += r.iterations;
      if (r.stop !== "running" || done >= settings.iterations) {
        const theta = backend.read(storage).slice(LBFGS_HEADER, LBFGS_HEADER + parameters);
        return { theta: Float64Array.from(theta), costs, iterationsRun: done, stop: r.stop, cost: r.cost, gradientNorm: r.gradientNorm };
      }
    }
  } finally {
    state.dispose();
  }
}
