/**
 * What the demo page's worker does, as a plain function of the library so a test can run the
 * very same steps in Node: train in parts (reporting the costs and the weights after each part,
 * for the live plots), score, then time the same training on the active wasm build and on the
 * pure-TypeScript reference backend.
 */
import type * as Vectorized from "vectorized";
import { DATASETS, gridPoints, type Dataset, type DatasetInfo, type DatasetName, type Split } from "../datasets.js";

type Vz = typeof Vectorized;

export interface TrainRequest {
  dataset: DatasetName;
  learningRate: number;
  iterations: number;
}

export type Report =
  | { type: "data"; backend: string; threads: { count: number; reason: string }; nx: number; mTrain: number; mTest: number }
  /**
   * After each part: the costs recorded in it ([iteration, cost] pairs) and the model so far:
   * logistic regression's weights and bias, or a network's P(y = 1 | x) on a GRID_SIDE² grid.
   */
  | ({ type: "progress"; done: number; costs: [number, number][]; trainMs: number } & ({ weights: Float32Array; bias: number } | { grid: Float32Array; side: number }))
  | { type: "trained"; iterations: number; trainMs: number; trainAccuracy: number; testAccuracy: number }
  /** One `fit` of `iterations` iterations on each backend, median milliseconds. */
  | { type: "speed"; iterations: number; backend: string; backendMs: number; referenceMs: number };

/** The plots are redrawn this many times during training. */
const PARTS = 20;
/** About this many points make the cost curve. */
const COST_POINTS = 200;
/** A network's boundary is drawn from its probabilities on this many × this many points. */
export const GRID_SIDE = 80;
/** The reference backend is timed for about this long. */
const REFERENCE_BUDGET_MS = 1500;

/** The dataset as arrays on the active backend. */
function arrays(vz: Vz, { nx, train, test }: Dataset) {
  const of = ({ X, Y, m }: Split) => ({ X: vz.array(X, { shape: [nx, m] }), Y: vz.array(Y, { shape: [1, m] }) });
  return { train: of(train), test: of(test) };
}

/** Trains as the page does; `report` gets every step's news. Needs an initialised wasm backend. */
export function train(vz: Vz, { dataset, learningRate, iterations }: TrainRequest, report: (r: Report) => void): void {
  const backend = vz.backendName()!;
  const data = DATASETS[dataset].make();
  report({ type: "data", backend, threads: vz.threads(), nx: data.nx, mTrain: data.train.m, mTest: data.test.m });
  const recordEvery = Math.max(1, Math.round(iterations / COST_POINTS));
  // Parts are whole multiples of recordEvery, so every part's costs fall on one grid.
  const partSize = Math.max(1, Math.ceil(iterations / PARTS / recordEvery)) * recordEvery;

  const info: DatasetInfo = DATASETS[dataset];
  const makeModel = (options: { recordEvery?: number; warmStart?: boolean; iterations?: number }) =>
    info.network ? new vz.DenseNetwork({ ...info.network, learningRate, ...options }) : new vz.LogisticRegression({ learningRate, ...options });
  vz.scope(() => {
    const { train, test } = arrays(vz, data);
    const grid = info.network ? vz.array(gridPoints(data, GRID_SIDE), { shape: [2, GRID_SIDE * GRID_SIDE] }) : undefined;
    const model = makeModel({ recordEvery, warmStart: true });
    let [done, trainMs] = [0, 0];
    while (done < iterations) {
      const steps = Math.min(partSize, iterations - done);
      const costs: [number, number][] = [];
      const start = performance.now();
      model.fit(train.X, train.Y, { iterations: steps, onProgress: ({ iteration, cost }) => costs.push([done + iteration, cost]) });
      trainMs += performance.now() - start;
      done += steps;
      if (model instanceof vz.LogisticRegression) {
        const w = model.weights;
        report({ type: "progress", done, costs, weights: Float32Array.from(w.toTypedArray()), bias: model.bias, trainMs });
        w.dispose();
      } else {
        const p = model.predictProba(grid!);
        report({ type: "progress", done, costs, grid: Float32Array.from(p.toTypedArray()), side: GRID_SIDE, trainMs });
        p.dispose();
      }
    }
    const [trainAccuracy, testAccuracy] = [model.score(train.X, train.Y), model.score(test.X, test.Y)];
    report({ type: "trained", iterations, trainMs, trainAccuracy, testAccuracy });
    model.dispose();
  });

  // The same fit from zero weights on both backends. The reference backend is slow: it runs
  // as many iterations as fit in its time budget (judged from a 3-iteration probe).
  const fitMs = (n: number) =>
    vz.scope(() => {
      const { train } = arrays(vz, data);
      return medianMs(() => makeModel({ iterations: n }).fit(train.X, train.Y).dispose());
    });
  vz.setBackend("reference");
  try {
    const probe = fitMs(3) / 3;
    const n = Math.max(3, Math.min(iterations, Math.floor(REFERENCE_BUDGET_MS / probe)));
    const referenceMs = fitMs(n);
    vz.setBackend(backend);
    report({ type: "speed", iterations: n, backend, backendMs: fitMs(n), referenceMs });
  } finally {
    vz.setBackend(backend);
  }
}

/** Runs `fn` until 200 ms have passed (at least once, at most 25 times); the median time. */
function medianMs(fn: () => void): number {
  const times: number[] = [];
  const until = performance.now() + 200;
  do {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  } while (performance.now() < until && times.length < 25);
  times.sort((a, b) => a - b);
  return times[times.length >> 1]!;
}
