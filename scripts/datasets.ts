/**
 * The demos' datasets, made deterministically in code (no downloads, no library calls, so the
 * same seed gives the same numbers in Node, in a browser and in the tests that check the demos).
 * Course layout: X is (n_x, m) row-major, one feature per row and one example per column; Y is
 * (1, m) of 0/1 labels.
 */

export interface Split {
  X: Float32Array;
  Y: Float32Array;
  m: number;
}

export interface Dataset {
  nx: number;
  train: Split;
  test: Split;
}

export interface DatasetInfo {
  label: string;
  /** What the data is, shown next to the picker. */
  about: string;
  /** Settings that train it well, the page's defaults. */
  learningRate: number;
  iterations: number;
  make: () => Dataset;
  /** A dense network to train instead of logistic regression (2-D data: its boundary is drawn from a grid). */
  network?: { layers: number[]; hidden: "relu" | "tanh" | "sigmoid" | "leakyRelu" };
}

/** mulberry32: a small, fast 32-bit generator; `uniform()` is in [0, 1). */
export function generator(seed: number) {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Builds a split from a function giving example i's features and label. */
function split(nx: number, m: number, example: (i: number) => { x: number[]; y: number }): Split {
  const X = new Float32Array(nx * m);
  const Y = new Float32Array(m);
  for (let i = 0; i < m; i++) {
    const { x, y } = example(i);
    x.forEach((v, f) => (X[f * m + i] = v));
    Y[i] = y;
  }
  return { X, Y, m };
}

/** The class means of `blobs`: the best boundary between them is their perpendicular bisector. */
export const BLOB_MEANS = [
  [-1, -0.6],
  [1, 0.6],
] as const;
export const BLOB_SIGMA = 0.8;

/** Two overlapping round Gaussian clouds in 2-D, alternating labels 0, 1, 0, … */
export function blobs(mTrain = 400, mTest = 400, seed = 1): Dataset {
  const { normal } = generator(seed);
  const example = (i: number) => {
    const y = i % 2;
    const mean = BLOB_MEANS[y]!;
    return { x: [mean[0] + BLOB_SIGMA * normal(), mean[1] + BLOB_SIGMA * normal()], y };
  };
  return { nx: 2, train: split(2, mTrain, example), test: split(2, mTest, example) };
}

/** Two interleaved half circles with noise: no straight line separates them. */
export function moons(mTrain = 400, mTest = 400, seed = 2): Dataset {
  const { uniform, normal } = generator(seed);
  const example = (i: number) => {
    const y = i % 2;
    const angle = Math.PI * uniform();
    const [cx, cy] = y ? [1 - Math.cos(angle), 0.5 - Math.sin(angle)] : [Math.cos(angle), Math.sin(angle)];
    return { x: [cx + 0.15 * normal() - 0.5, cy + 0.15 * normal() - 0.25], y };
  };
  return { nx: 2, train: split(2, mTrain, example), test: split(2, mTest, example) };
}

/**
 * The course's planar "flower" (load_planar_dataset): two classes of 200 points each along the
 * petals of r = 4·sin(4t), with noise on the angle and the radius. Not linearly separable: the
 * course fits it with one tanh hidden layer.
 */
export function flower(mTrain = 400, mTest = 400, seed = 3): Dataset {
  const { normal } = generator(seed);
  const make = (m: number): Split => {
    const half = m / 2;
    return split(2, m, (i) => {
      const y = i < half ? 0 : 1;
      const k = i - y * half;
      const t = (y + k / (half - 1)) * 3.12 + 0.2 * normal();
      const r = 4 * Math.sin(4 * t) + 0.2 * normal();
      return { x: [r * Math.sin(t), r * Math.cos(t)], y };
    });
  };
  return { nx: 2, train: make(mTrain), test: make(mTest) };
}

/** The range of 2-D data with a margin, square so a boundary's angle is true (the plots' frame). */
export function extent(data: Dataset): { xs: [number, number]; ys: [number, number] } {
  const all = (f: number) => [data.train, data.test].flatMap(({ X, m }) => Array.from(X.subarray(f * m, (f + 1) * m)));
  const [ax, ay] = [all(0), all(1)];
  const [cx, cy] = [(Math.min(...ax) + Math.max(...ax)) / 2, (Math.min(...ay) + Math.max(...ay)) / 2];
  const half = 0.55 * Math.max(Math.max(...ax) - Math.min(...ax), Math.max(...ay) - Math.min(...ay));
  return { xs: [cx - half, cx + half], ys: [cy - half, cy + half] };
}

/** Points of a side × side grid over `extent(data)`, cell centres, row by row from the top: a (2, side²) X. */
export function gridPoints(data: Dataset, side: number): Float32Array {
  const { xs, ys } = extent(data);
  const X = new Float32Array(2 * side * side);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      X[r * side + c] = xs[0] + ((c + 0.5) / side) * (xs[1] - xs[0]);
      X[side * side + r * side + c] = ys[1] - ((r + 0.5) / side) * (ys[1] - ys[0]);
    }
  }
  return X;
}

/** The course's image size: 64×64 pixels × 3 colours, flattened. */
export const IMAGE_SIDE = 64;

/**
 * Noisy "images" of the course's shape (n_x = 12288): class 1 has a slightly brighter 32×32
 * centre patch. Hard enough that the test accuracy shows the overfitting the course's cat
 * pictures do. Pixels are in [0, 1] (the notebook's `/255`); a third of the examples are class 1.
 */
export function courseImages(mTrain = 209, mTest = 50): Dataset {
  const nx = IMAGE_SIDE * IMAGE_SIDE * 3;
  const make = (m: number, seed: number): Split => {
    const { uniform } = generator(seed);
    const Y = Float32Array.from({ length: m }, (_, i) => ((i * 7919 + seed) % 3 === 0 ? 1 : 0));
    const X = new Float32Array(nx * m);
    for (let p = 0; p < nx; p++) {
      const [row, col] = [Math.floor(p / (IMAGE_SIDE * 3)), Math.floor((p % (IMAGE_SIDE * 3)) / 3)];
      const centre = Math.abs(row - IMAGE_SIDE / 2) < IMAGE_SIDE / 4 && Math.abs(col - IMAGE_SIDE / 2) < IMAGE_SIDE / 4;
      for (let i = 0; i < m; i++) X[p * m + i] = 0.7 * uniform() + (centre && Y[i] ? 0.11 : 0.1);
    }
    return { X, Y, m };
  };
  return { nx, train: make(mTrain, 1), test: make(mTest, 2) };
}

export const DATASETS = {
  blobs: {
    label: "Two blobs (2-D)",
    about: "two overlapping Gaussian clouds, 400 + 400 points",
    learningRate: 0.1,
    iterations: 1000,
    make: () => blobs(),
  },
  moons: {
    label: "Two moons (2-D)",
    about: "interleaved half circles, 400 + 400 points: a straight line cannot separate them",
    learningRate: 0.5,
    iterations: 2000,
    make: () => moons(),
  },
  flower: {
    label: "Flower (2-D, a network)",
    about: "the course's planar data, 400 + 400 points on petals: one hidden layer of 4 tanh units learns the curved boundary",
    learningRate: 1.2,
    iterations: 10000,
    make: () => flower(),
    network: { layers: [2, 4, 1], hidden: "tanh" },
  },
  images: {
    label: "Images 64×64×3 (12288-D)",
    about: "the course's shape: 209 training and 50 test images, n_x = 12288",
    learningRate: 0.005,
    iterations: 2000,
    make: () => courseImages(),
  },
} satisfies Record<string, DatasetInfo>;

export type DatasetName = keyof typeof DATASETS;
