/**
 * Small arrays (issue 12): the per-op cost a learner pays op by op on the course's shapes — an
 * add of (2,3)+(2,1) whose result is disposed (and the same inside `scope`), a hidden layer
 * `tanh(W·X)` with W (4,2) and X (2,400), and `course.propagate` at (2,400). Ours on every build,
 * numpy-ts beside them, and numpy's own per-op time (timeit, one thread) from
 * bench/python/numpy_small.py. Each of our runs makes its results and frees them.
 */
import * as vz from "../../ts/index.js";
import { ourBackends } from "../contenders.js";
import type { BenchCase, Contender } from "../harness.js";
import { npts, type NptsArray } from "../peers.js";
import { runPython } from "../python.js";
import { filled } from "../filled.js";

/** The inputs of the small cases, float32, as the numpy script makes them. */
const data = {
  a: { data: filled(6, "float32"), shape: [2, 3] },
  b: { data: filled(2, "float32"), shape: [2, 1] },
  W: { data: filled(8, "float32", 1), shape: [4, 2] },
  X: { data: filled(800, "float32", 1), shape: [2, 400] },
  Y: { data: Float32Array.from({ length: 400 }, (_, i) => i % 2), shape: [1, 400] },
  w: { data: Float32Array.of(0.01, 0.02), shape: [2, 1] },
};
type Input = keyof typeof data;

/** Ours on each build: `run` gets the inputs (made on that backend) and must free what it makes. */
function ours(inputs: Input[], run: (...xs: vz.NDArray[]) => void): Contender[] {
  return ourBackends().map((name) => ({
    name,
    setup() {
      vz.setBackend(name);
      const xs = inputs.map((k) => vz.array(data[k].data, { shape: data[k].shape }));
      return { run: () => run(...xs), teardown: () => xs.forEach((x) => x.dispose()) };
    },
  }));
}

function numpyTs(inputs: Input[], run: (...xs: NptsArray[]) => unknown): Contender {
  return {
    name: "numpy-ts",
    setup() {
      const xs = inputs.map((k) => npts.array(data[k].data, "float32").reshape(data[k].shape) as NptsArray);
      return { run: () => void run(...xs) };
    },
  };
}

function numpy(script: string): Contender {
  return { name: "numpy (1 thread)", setup: () => ({ run: () => undefined }), external: () => runPython("python/numpy_small.py", [script, "15"]) };
}

export function smallCases(): BenchCase[] {
  return [
    {
      name: "small: add (2,3)+(2,1) float32, disposed",
      contenders: [...ours(["a", "b"], (a, b) => vz.add(a!, b!).dispose()), numpyTs(["a", "b"], (a, b) => npts.add(a!, b!)), numpy("add")],
    },
    {
      name: "small: add (2,3)+(2,1) float32, inside scope",
      contenders: ours(["a", "b"], (a, b) => vz.scope(() => void vz.add(a!, b!))),
    },
    {
      name: "small: tanh(matmul(W,X)) W (4,2) X (2,400) float32",
      contenders: [
        ...ours(["W", "X"], (W, X) => vz.scope(() => void vz.tanh(vz.matmul(W!, X!)))),
        numpyTs(["W", "X"], (W, X) => npts.tanh(npts.matmul(W!, X!))),
        numpy("tanh-matmul"),
      ],
    },
    {
      name: "small: course.propagate (2,400) float32",
      contenders: [
        ...ours(["w", "X", "Y"], (w, X, Y) => vz.course.propagate(w!, 0.1, X!, Y!).grads.dw.dispose()),
        numpyTs(["w", "X", "Y"], (w, X, Y) => {
          // The notebook's propagate, as a numpy-ts user writes it.
          const m = X!.shape[1]!;
          const A = npts.reciprocal(npts.add(npts.exp(npts.negative(npts.add(npts.matmul(w!.T, X!), 0.1))), 1));
          const logLikelihood = npts.add(npts.multiply(Y!, npts.log(A)), npts.multiply(npts.add(npts.negative(Y!), 1), npts.log(npts.add(npts.negative(A), 1))));
          const cost = -Number(npts.sum(logLikelihood)) / m;
          const dZ = npts.subtract(A, Y!);
          return [npts.divide(npts.matmul(X!, dZ.T), m), Number(npts.sum(dZ)) / m, cost];
        }),
        numpy("propagate"),
      ],
    },
  ];
}
