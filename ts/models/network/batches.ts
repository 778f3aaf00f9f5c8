/**
 * Mini-batches for a network's training, in the course's layout: each epoch re-lays X and the
 * targets T with their columns (examples) in a fresh seeded shuffle, once, so that every batch
 * is a contiguous range of columns (a strided view the GEMMs read directly, no copy per step).
 */
import type { NetworkData } from "../../backend/backend.js";
import { withOpName } from "../../errors.js";
import { NDArray } from "../../ndarray.js";
import { slice } from "../../ops/slice.js";
import { packed } from "../data.js";
import { permutation } from "../shuffle.js";

export interface Batches {
  /** The batch of step `step` (counted from the start of training): views freed with the caller's scope. */
  batch(step: number): { X: NDArray; T: NDArray };
  /** Batches in an epoch (the last may be narrower). */
  perEpoch: number;
  /** `steps` batches from `step` on, all in one epoch, as `networkTrain` takes them: windows of the shuffled copies, rows m apart. */
  data(step: number, steps: number): NetworkData;
  dispose(): void;
}

/** Batches of `size` examples of X (n_x, m) and T (k, m), shuffled per epoch with `seed`. */
export function batches(X: NDArray, T: NDArray, size: number, seed: number): Batches {
  const m = X.shape[1]!;
  const perEpoch = Math.ceil(m / size);
  // Contiguous sources (X and T themselves when they are: no copy), and the shuffled copies
  // rewritten at each epoch: made uninitialised, since every epoch's gather writes all of them.
  const sources = [X, T].map((a) => packed(a, a.dtype));
  const shuffled = [X, T].map((a) => NDArray.empty(a.backend, a.dtype, a.shape)) as [NDArray, NDArray];
  const backend = X.backend;
  let epoch = -1;
  const relay = (e: number) => {
    const order = permutation(m, seed, e);
    sources.forEach(({ array: source }, k) => {
      const [rows, from, to] = [source.shape[0]!, source.view("fit").storage, shuffled[k]!.view("fit").storage];
      if (backend.gatherColumns) return withOpName("fit", () => backend.gatherColumns!(from, rows, m, order, to));
      const data = backend.read(from);
      const out = new (data.constructor as Float64ArrayConstructor)(rows * m);
      for (let r = 0; r < rows; r++) for (let j = 0; j < m; j++) out[r * m + j] = data[r * m + order[j]!]!;
      backend.write(to, out);
    });
    epoch = e;
  };
  /** The step's first column and width, the epoch's copies re-laid if it starts a new one. */
  const locate = (step: number) => {
    const e = Math.floor(step / perEpoch);
    if (e !== epoch) relay(e);
    const start = (step % perEpoch) * size;
    return { start, width: Math.min(size, m - start) };
  };
  return {
    batch(step) {
      const { start, width } = locate(step);
      const range = [start, start + width] as const;
      return { X: slice(shuffled[0], null, range), T: slice(shuffled[1], null, range) };
    },
    perEpoch,
    data(step, steps) {
      const { start } = locate(step);
      const width = Math.min(steps * size, m - start);
      const [x, t] = shuffled.map((a) => a.backend.window(a.view("fit").storage, start, (a.shape[0]! - 1) * m + width));
      return { x: x!, t: t!, m: width, ld: m, batch: size };
    },
    dispose() {
      [...sources.filter((s) => s.owned).map((s) => s.array), ...shuffled].forEach((a) => a.dispose());
    },
  };
}
