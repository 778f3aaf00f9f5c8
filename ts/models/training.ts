/**
 * The one chunked gradient-descent driver of every model: `LogisticRegression` (binary and
 * softmax), `DenseNetwork` and `vz.course.optimize` run their training loop inside wasm, a
 * chunk of iterations per call, and this function decides the chunks, hands out mini-batch
 * orders, numbers the recorded costs, carries the previous cost across chunks (so the
 * tolerance test spans them) and turns a non-finite cost into a {@link DivergenceError}
 * naming its iteration.
 */
import { DivergenceError } from "../errors.js";
import { permutation } from "./shuffle.js";

/** What one chunk (one wasm call) did: the backends' `TrainResult` without model parameters. */
export interface Chunk {
  iterations: number;
  stop: "completed" | "converged" | "diverged";
  lastCost: number | undefined;
  costs: number[];
}

/** The chunk to run: its size, its global first iteration, the cost before it, and a mini-batch order. */
export interface ChunkRequest {
  iterations: number;
  firstIteration: number;
  prevCost: number | undefined;
  /** Mini-batches: example indices, `batchSize` per step (absent: full batch). */
  order?: Uint32Array;
}

export interface DescentPlan {
  /** Iterations in all. */
  iterations: number;
  /** Costs are recorded at the multiples of this. */
  recordEvery: number;
  /** Iterations one call runs at least (bar the last), so small, often-recorded problems don't pay a call per record. Default 0. */
  minCall?: number;
  /** Mini-batch epochs: a fresh seeded shuffle of the m examples per epoch. */
  batches?: { m: number; batchSize: number; seed: number };
  /** Mini-batch epochs laid out by the trainer itself (steps per epoch): a chunk never crosses an epoch's end. */
  epochSteps?: number;
  /** Runs one chunk in wasm. */
  step(request: ChunkRequest): Chunk;
  /** Each recorded cost, in order, with its global iteration. */
  onCost?(iteration: number, cost: number): void;
  /** The message of the divergence error (the iteration and cost are given). */
  diverged(iteration: number, cost: number | undefined): string;
}

/**
 * Runs the plan to its end, to convergence (the tolerance), or to a divergence (thrown).
 * @returns the iterations run and why training stopped.
 * @throws {DivergenceError} when a chunk's cost was not finite, at the iteration it was.
 */
export function descend(plan: DescentPlan): { done: number; stop: Chunk["stop"] } {
  const { iterations, recordEvery, minCall = 0 } = plan;
  const epochs = plan.batches ? shuffledEpochs(plan.batches.m, plan.batches.batchSize, plan.batches.seed) : undefined;
  let done = 0;
  let prevCost: number | undefined;
  while (done < iterations) {
    // To the next record boundary at least minCall away: progress arrives as training goes.
    const untilRecord = recordEvery - (done % recordEvery) + Math.ceil(Math.max(0, minCall - recordEvery) / recordEvery) * recordEvery;
    const epochLeft = plan.epochSteps ? plan.epochSteps - (done % plan.epochSteps) : Infinity;
    const wanted = Math.min(untilRecord, iterations - done, epochLeft);
    const batch = epochs?.next(wanted);
    const r = plan.step({ iterations: batch ? batch.steps : wanted, firstIteration: done, prevCost, ...(batch ? { order: batch.order } : {}) });
    r.costs.forEach((cost, k) => plan.onCost?.((Math.ceil(done / recordEvery) + k) * recordEvery, cost));
    done += r.iterations;
    prevCost = r.lastCost;
    if (r.stop === "diverged") throw new DivergenceError(plan.diverged(done, r.lastCost), done);
    if (r.stop === "converged") return { done, stop: "converged" };
  }
  return { done, stop: "completed" };
}

/** Seeded mini-batch orders: a fresh shuffle per epoch, handed out a few steps at a time. */
function shuffledEpochs(m: number, batchSize: number, seed: number) {
  const perEpoch = Math.ceil(m / batchSize);
  let epoch = 0;
  let order = permutation(m, seed, epoch);
  let used = 0; // batches of this epoch already taken
  return {
    next(maxSteps: number): { order: Uint32Array; steps: number } {
      if (used === perEpoch) {
        order = permutation(m, seed, ++epoch);
        used = 0;
      }
      const steps = Math.min(maxSteps, perEpoch - used);
      const part = order.subarray(used * batchSize);
      used += steps;
      return { order: part, steps };
    },
  };
}
