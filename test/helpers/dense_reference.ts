/**
 * An independent dense network for cross-checks: plain per-example loops over nested JS arrays
 * in float64, written from the course's formulas (not from the library's code). Examples are
 * columns of X (n_x × m), as in the course.
 */
export type Hidden = "relu" | "tanh" | "sigmoid" | "leakyRelu";
export type Matrix = number[][];

export interface RefLayer {
  W: Matrix; // n_l × n_{l−1}
  b: number[]; // n_l
}

const g: Record<Hidden, (z: number) => number> = {
  relu: (z) => (z > 0 ? z : 0),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  leakyRelu: (z) => (z > 0 ? z : 0.01 * z),
};
const dg: Record<Hidden, (z: number) => number> = {
  relu: (z) => (z > 0 ? 1 : 0),
  tanh: (z) => 1 - Math.tanh(z) ** 2,
  sigmoid: (z) => g.sigmoid(z) * (1 - g.sigmoid(z)),
  leakyRelu: (z) => (z > 0 ? 1 : 0.01),
};

/** One example's pre-activations and activations per layer (index 0: the input). */
function forwardOne(layers: RefLayer[], x: number[], hidden: Hidden, softmax: boolean): { z: number[][]; a: number[][] } {
  const z: number[][] = [[]];
  const a: number[][] = [x];
  layers.forEach(({ W, b }, l) => {
    const zl = W.map((row, i) => row.reduce((s, w, j) => s + w * a[l]![j]!, b[i]!));
    const last = l === layers.length - 1;
    let al: number[];
    if (!last) al = zl.map(g[hidden]);
    else if (!softmax) al = zl.map(g.sigmoid);
    else {
      const top = Math.max(...zl);
      const e = zl.map((v) => Math.exp(v - top));
      const total = e.reduce((s, v) => s + v, 0);
      al = e.map((v) => v / total);
    }
    z.push(zl);
    a.push(al);
  });
  return { z, a };
}

/** The cost (mean cross-entropy plus λ/(2m)·Σ‖W‖²) and its gradients, by backpropagation per example. */
export function costAndGradients(layers: RefLayer[], X: Matrix, labels: number[], hidden: Hidden, softmax: boolean, l2: number) {
  const m = labels.length;
  const L = layers.length;
  const grads: RefLayer[] = layers.map(({ W, b }) => ({ W: W.map((r) => r.map(() => 0)), b: b.map(() => 0) }));
  let total = 0;
  for (let i = 0; i < m; i++) {
    const x = X.map((row) => row[i]!);
    const { z, a } = forwardOne(layers, x, hidden, softmax);
    const out = a[L]!;
    const y = labels[i]!;
    total += softmax ? -Math.log(out[y]!) : -(y * Math.log(out[0]!) + (1 - y) * Math.log(1 - out[0]!));
    // δ_L = a_L − t for σ with cross-entropy and for softmax with categorical cross-entropy.
    let delta = out.map((v, k) => v - (softmax ? (k === y ? 1 : 0) : y));
    for (let l = L; l >= 1; l--) {
      const { W } = layers[l - 1]!;
      const grad = grads[l - 1]!;
      delta.forEach((d, r) => {
        grad.b[r]! += d / m;
        a[l - 1]!.forEach((v, c) => (grad.W[r]![c]! += (d * v) / m));
      });
      if (l > 1) delta = a[l - 1]!.map((_, c) => delta.reduce((s, d, r) => s + W[r]![c]! * d, 0) * dg[hidden](z[l - 1]![c]!));
    }
  }
  let penalty = 0;
  layers.forEach(({ W }, l) =>
    W.forEach((row, r) =>
      row.forEach((w, c) => {
        penalty += w * w;
        grads[l]!.W[r]![c]! += (l2 / m) * w;
      }),
    ),
  );
  return { cost: total / m + (l2 / (2 * m)) * penalty, grads };
}

/** Gradient descent as the course runs it: the cost of iteration i is taken before its update. */
export function train(layers: RefLayer[], X: Matrix, labels: number[], hidden: Hidden, softmax: boolean, opts: { learningRate: number; iterations: number; recordEvery: number; l2: number }) {
  const params = layers.map(({ W, b }) => ({ W: W.map((r) => [...r]), b: [...b] }));
  const costs: number[] = [];
  for (let it = 0; it < opts.iterations; it++) {
    const { cost, grads } = costAndGradients(params, X, labels, hidden, softmax, opts.l2);
    if (it % opts.recordEvery === 0) costs.push(cost);
    params.forEach((p, l) => {
      p.W.forEach((row, r) => row.forEach((_, c) => (row[c]! -= opts.learningRate * grads[l]!.W[r]![c]!)));
      p.b.forEach((_, r) => (p.b[r]! -= opts.learningRate * grads[l]!.b[r]!));
    });
  }
  return { costs, params };
}

/** Class probabilities (or σ) per example: an (n_L × m) matrix. */
export function predictProba(layers: RefLayer[], X: Matrix, hidden: Hidden, softmax: boolean): Matrix {
  const m = X[0]!.length;
  const columns = Array.from({ length: m }, (_, i) => forwardOne(layers, X.map((row) => row[i]!), hidden, softmax).a[layers.length]!);
  return columns[0]!.map((_, k) => columns.map((col) => col[k]!));
}

/** Mini-batch gradient descent: step s trains on the columns `order(epoch)` puts in batch s of its epoch. */
export function trainBatches(
  layers: RefLayer[],
  X: Matrix,
  labels: number[],
  hidden: Hidden,
  softmax: boolean,
  opts: { learningRate: number; iterations: number; recordEvery: number; batchSize: number; order: (epoch: number) => ArrayLike<number> },
) {
  const m = labels.length;
  const perEpoch = Math.ceil(m / opts.batchSize);
  let params = layers;
  const costs: number[] = [];
  for (let step = 0; step < opts.iterations; step++) {
    const order = opts.order(Math.floor(step / perEpoch));
    const start = (step % perEpoch) * opts.batchSize;
    const picked = Array.from({ length: Math.min(opts.batchSize, m - start) }, (_, j) => order[start + j]!);
    const run = train(params, X.map((row) => picked.map((i) => row[i]!)), picked.map((i) => labels[i]!), hidden, softmax, { learningRate: opts.learningRate, iterations: 1, recordEvery: 1, l2: 0 });
    if (step % opts.recordEvery === 0) costs.push(run.costs[0]!);
    params = run.params;
  }
  return { costs, params };
}
