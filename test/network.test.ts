/**
 * DenseNetwork against an independent per-example implementation (test/helpers/dense_reference.ts)
 * on every backend: cost histories, gradients, predictions; gradient checks; bad input.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, WASM_BUILDS, loadAll, on } from "./helpers/backends.js";
import { permutation } from "../ts/models/shuffle.js";
import { costAndGradients, predictProba, train, trainBatches, type Hidden, type Matrix, type RefLayer } from "./helpers/dense_reference.js";
import { prng } from "./helpers/random.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";

beforeAll(loadAll);

expectNoLeakedArrays();

const HIDDENS: Hidden[] = ["relu", "tanh", "sigmoid", "leakyRelu"];

/** A seeded problem: X (n_x × m), labels, and starting parameters (scaled like the course's init). */
function problem(layers: number[], m: number, seed: number) {
  const next = prng(seed);
  const K = layers[layers.length - 1]!;
  const X: Matrix = Array.from({ length: layers[0]! }, () => Array.from({ length: m }, () => 2 * next() - 1));
  const labels = Array.from({ length: m }, (_, i) => (K === 1 ? (X[0]![i]! * X[X.length - 1]![i]! > 0 ? 1 : 0) : Math.floor(next() * K)));
  const start: RefLayer[] = layers.slice(1).map((n, l) => ({
    W: Array.from({ length: n }, () => Array.from({ length: layers[l]! }, () => (2 * next() - 1) / Math.sqrt(layers[l]!))),
    b: Array.from({ length: n }, () => 0.1 * (next() - 0.5)),
  }));
  return { X, labels, start, K };
}

/** The problem's arrays on the active backend, in a layout and dtype. */
function arrays(p: ReturnType<typeof problem>, layout: "cols" | "rows", dtype: vz.DType) {
  const X = vz.array(p.X, { dtype });
  const cols = { X, Y: vz.array([p.labels], { dtype }) };
  if (layout === "cols") return cols;
  const rows = { X: vz.scope(() => X.T.copy()), Y: vz.array(p.labels, { dtype }) };
  [cols.X, cols.Y].forEach((a) => a.dispose());
  return rows;
}

function initialParameters(start: RefLayer[], dtype: vz.DType): Record<string, vz.NDArray> {
  return Object.fromEntries(start.flatMap(({ W, b }, l) => [[`W${l + 1}`, vz.array(W, { dtype })], [`b${l + 1}`, vz.array(b.map((v) => [v]), { dtype })]]));
}

const relative = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe.each(ALL_BACKENDS)("DenseNetwork on %s", (backend) => {
  describe.each(HIDDENS)("hidden %s", (hidden) => {
    it.each([
      ["sigmoid", [3, 5, 4, 1]],
      ["softmax", [3, 4, 3]],
    ] as const)("%s output: float64 cost history and parameters equal the per-example reference", (output, layers) =>
      on(backend, () => {
        const p = problem([...layers], 24, layers.length * 7 + hidden.length);
        const softmax = output === "softmax";
        const opts = { learningRate: 0.3, iterations: 500, recordEvery: 50, l2: hidden === "tanh" ? 0.2 : 0 };
        const expected = train(p.start, p.X, p.labels, hidden, softmax, opts);
        for (const layout of ["cols", "rows"] as const) {
          const { X, Y } = arrays(p, layout, "float64");
          const init = initialParameters(p.start, "float64");
          const net = new vz.DenseNetwork({ layers: [...layers], hidden, layout, ...opts });
          net.fit(X, Y, { initialParameters: init });
          expect(net.costs).toHaveLength(expected.costs.length);
          net.costs.forEach((c, i) => expect(relative(c, expected.costs[i]!), `${layout} cost ${i}`).toBeLessThan(1e-9));
          const params = net.parameters;
          expected.params.forEach(({ W, b }, l) => {
            const got = params[`W${l + 1}`]!.toArray() as Matrix;
            W.forEach((row, r) => row.forEach((w, c) => expect(Math.abs(got[r]![c]! - w)).toBeLessThan(1e-9 * Math.max(1, Math.abs(w)))));
            const gotB = params[`b${l + 1}`]!.toTypedArray();
            b.forEach((v, r) => expect(Math.abs(gotB[r]! - v)).toBeLessThan(1e-9 * Math.max(1, Math.abs(v))));
          });
          // Predictions: probabilities as the reference computes them, shaped by layout.
          const proba = net.predictProba(X);
          const want = predictProba(expected.params, p.X, hidden, softmax);
          const flat = proba.toTypedArray();
          if (layout === "cols") expect(proba.shape).toEqual([want.length, p.labels.length]);
          else expect(proba.shape).toEqual(softmax ? [p.labels.length, want.length] : [p.labels.length]);
          want.forEach((row, k) =>
            row.forEach((v, i) => {
              const at = layout === "cols" ? k * row.length + i : softmax ? i * want.length + k : i;
              expect(Math.abs(flat[at]! - v)).toBeLessThan(1e-9);
            }),
          );
          const predictedArray = net.predict(X);
          const predicted = predictedArray.toTypedArray();
          predictedArray.dispose();
          const wantLabels = want[0]!.map((_, i) => (softmax ? want.map((r) => r[i]!).indexOf(Math.max(...want.map((r) => r[i]!))) : want[0]![i]! > 0.5 ? 1 : 0));
          expect(Array.from(predicted)).toEqual(wantLabels);
          const hits = wantLabels.filter((v, i) => v === p.labels[i]).length;
          expect(net.score(X, Y)).toBe(hits / p.labels.length);
          vz.scope(() => [X, Y, proba, ...Object.values(init), ...Object.values(params)].forEach((a) => a.dispose()));
          net.dispose();
        }
      }),
    );

    it("gradients equal the reference's; the gradient check's relative difference is below 1e-7", () =>
      on(backend, () => {
        for (const [output, layers] of [["sigmoid", [4, 3, 2, 1]], ["softmax", [4, 3, 3]]] as const) {
          const p = problem([...layers], 6, 11);
          const { X, Y } = arrays(p, "cols", "float64");
          const init = initialParameters(p.start, "float64");
          const net = new vz.DenseNetwork({ layers: [...layers], hidden, l2: 0.1 });
          net.fit(X, Y, { initialParameters: init, iterations: 0 }); // the model at the start
          const check = net.gradientCheck(X, Y);
          expect(check.difference, `${output}`).toBeLessThan(1e-7);
          const { grads } = costAndGradients(p.start, p.X, p.labels, hidden, output === "softmax", 0.1);
          const flat = grads.flatMap(({ W, b }) => [...W.flat(), ...b]);
          flat.forEach((v, i) => expect(Math.abs(check.gradient[i]! - v), `dθ${i}`).toBeLessThan(1e-12));
          [X, Y, ...Object.values(init)].forEach((a) => a.dispose());
          net.dispose();
        }
      }),
    );
  });

  it("float32 training follows the float64 reference to 1e-4 relative", () =>
    on(backend, () => {
      const p = problem([5, 6, 1], 40, 5);
      const opts = { learningRate: 0.5, iterations: 300, recordEvery: 30, l2: 0 };
      const expected = train(p.start, p.X, p.labels, "tanh", false, opts);
      const { X, Y } = arrays(p, "cols", "float32");
      const init = initialParameters(p.start, "float32");
      const net = new vz.DenseNetwork({ layers: [5, 6, 1], hidden: "tanh", ...opts }).fit(X, Y, { initialParameters: init });
      const params = net.parameters;
      expect(params["W1"]!.dtype).toBe("float32");
      Object.values(params).forEach((a) => a.dispose());
      net.costs.forEach((c, i) => expect(relative(c, expected.costs[i]!)).toBeLessThan(1e-4));
      vz.scope(() => [X, Y, ...Object.values(init)].forEach((a) => a.dispose()));
      net.dispose();
    }));

});

// Layer 1 large enough for the GEMM's blocked path, where the wasm training packs X once per
// call for Z1 = W1·X and dW1 = dZ1·Xᵀ (depths past one 256-deep block, widths ending in partial
// tiles): random architectures, activations, layouts and dtypes against the reference.
describe.each(WASM_BUILDS)("DenseNetwork with a large first layer on %s", (backend) => {
  it.each([1, 2, 3, 4])("random architecture %i with a large first layer follows the reference (float64 1e-9, float32 1e-4)", (seed) =>
    on(backend, () => {
      const next = prng(100 + seed);
      const pick = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
      const hidden = HIDDENS[seed % HIDDENS.length]!;
      const K = seed % 2 ? 1 : 3;
      const layers = [seed === 1 ? pick(257, 300) : pick(33, 200), pick(5, 20), ...(seed > 2 ? [pick(2, 7)] : []), K];
      const p = problem(layers, pick(29, 90), seed);
      const opts = { learningRate: 0.1, iterations: 60, recordEvery: 6, l2: seed === 2 ? 0.05 : 0 };
      const expected = train(p.start, p.X, p.labels, hidden, K > 1, opts);
      for (const [dtype, layout, tolerance] of [["float64", "cols", 1e-9], ["float64", "rows", 1e-9], ["float32", seed % 2 ? "rows" : "cols", 1e-4]] as const) {
        const { X, Y } = arrays(p, layout, dtype);
        const init = initialParameters(p.start, dtype);
        const net = new vz.DenseNetwork({ layers, hidden, layout, ...opts }).fit(X, Y, { initialParameters: init });
        expect(net.costs).toHaveLength(expected.costs.length);
        net.costs.forEach((c, i) => expect(relative(c, expected.costs[i]!), `${JSON.stringify(layers)} ${hidden} ${dtype} ${layout} cost ${i}`).toBeLessThan(tolerance));
        vz.scope(() => [X, Y, ...Object.values(init)].forEach((a) => a.dispose()));
        net.dispose();
      }
    }),
  );
});

describe.each(ALL_BACKENDS)("DenseNetwork mini-batches on %s", (backend) => {
  it("each step trains on its batch of the epoch's seeded shuffle, as the per-example reference does", () =>
    on(backend, () => {
      const p = problem([3, 4, 3], 23, 8);
      const opts = { learningRate: 0.4, iterations: 40, recordEvery: 3, batchSize: 5 };
      const expected = trainBatches(p.start, p.X, p.labels, "relu", true, { ...opts, order: (epoch) => permutation(23, 7, epoch) });
      const { X, Y } = arrays(p, "rows", "float64");
      const init = initialParameters(p.start, "float64");
      const net = new vz.DenseNetwork({ layers: [3, 4, 3], layout: "rows", seed: 7, ...opts }).fit(X, Y, { initialParameters: init });
      expect(net.costs).toHaveLength(expected.costs.length);
      net.costs.forEach((c, i) => expect(relative(c, expected.costs[i]!), `cost ${i}`).toBeLessThan(1e-9));
      expect(() => new vz.DenseNetwork({ layers: [3, 4, 3], layout: "rows", batchSize: 24 }).fit(X, Y)).toThrow(/batchSize 24 is larger than the number of examples, 23/);
      vz.scope(() => [X, Y, ...Object.values(init)].forEach((a) => a.dispose()));
      net.dispose();
    }));

  it.each(["float64", "float32"] as const)("%s: a call's several steps (to the epoch's end) train bit for bit as one step per call", (dtype) =>
    on(backend, () => {
      // 70 examples in batches of 16: epochs of 5 steps, the last of 6 examples; 12 steps cross two epochs.
      const p = problem([60, 8, 3], 70, 11);
      const { X, Y } = arrays(p, "cols", dtype);
      const fit = (recordEvery: number) => {
        const init = initialParameters(p.start, dtype);
        const net = new vz.DenseNetwork({ layers: [60, 8, 3], learningRate: 0.3, iterations: 12, batchSize: 16, seed: 3, recordEvery }).fit(X, Y, { initialParameters: init });
        vz.scope(() => Object.values(init).forEach((a) => a.dispose()));
        const json = net.toJSON();
        net.dispose();
        return json;
      };
      const [stepwise, chunked] = [fit(1), fit(100)];
      expect(stepwise.costs).toHaveLength(12);
      expect(chunked.costs).toEqual([stepwise.costs[0]]);
      expect(chunked.parameters).toEqual(stepwise.parameters);
      vz.scope(() => [X, Y].forEach((a) => a.dispose()));
    }));

  it("a divergence in the middle of a call leaves the model unchanged", () =>
    on(backend, () => {
      const p = problem([3, 4, 3], 23, 8);
      const { X, Y } = arrays(p, "cols", "float64");
      const net = new vz.DenseNetwork({ layers: [3, 4, 3], learningRate: 0.3, iterations: 10, batchSize: 5, recordEvery: 100, warmStart: true }).fit(X, Y);
      const before = net.toJSON();
      // One huge example (finite, so fit accepts it): the batch holding it overflows the network.
      const huge = vz.scope(() => X.mul(vz.array([Array.from({ length: 23 }, (_, i) => (i === 17 ? 1e300 : 1))], { dtype: "float64" })));
      expect(() => net.fit(huge, Y, { iterations: 10 })).toThrow(vz.DivergenceError);
      expect(net.toJSON()).toEqual(before);
      vz.scope(() => [X, Y, huge].forEach((a) => a.dispose()));
      net.dispose();
    }));
});

describe("DenseNetwork behaviour", () => {
  beforeAll(() => vz.setBackend("wasm-simd"));

  const data = () => {
    const p = problem([2, 4, 1], 30, 3);
    return { p, ...arrays(p, "cols", "float64") };
  };

  it("training in parts with warmStart equals one long fit, bit for bit; the seeded start is the same on every backend", () => {
    const { X, Y } = data();
    const whole = new vz.DenseNetwork({ layers: [2, 4, 1], hidden: "tanh", learningRate: 0.5, iterations: 200, recordEvery: 10 }).fit(X, Y);
    const parts = new vz.DenseNetwork({ layers: [2, 4, 1], hidden: "tanh", learningRate: 0.5, recordEvery: 10, warmStart: true });
    parts.fit(X, Y, { iterations: 120 }).fit(X, Y, { iterations: 80 });
    expect(parts.toJSON().parameters).toEqual(whole.toJSON().parameters);
    const onReference = on("reference", () => {
      const Xr = vz.array(X.toArray() as number[][], { dtype: "float64" });
      const Yr = vz.array(Y.toArray() as number[][], { dtype: "float64" });
      const net = new vz.DenseNetwork({ layers: [2, 4, 1], hidden: "tanh", iterations: 0 }).fit(Xr, Yr);
      const json = net.toJSON();
      [Xr, Yr].forEach((a) => a.dispose());
      net.dispose();
      return json;
    });
    const here = new vz.DenseNetwork({ layers: [2, 4, 1], hidden: "tanh", iterations: 0 }).fit(X, Y);
    expect(here.toJSON().parameters).toEqual(onReference.parameters);
    // The user's random stream is untouched by the seeded initialisation.
    vz.random.seed(9);
    const a = vz.random.rand([3]);
    vz.random.seed(9);
    new vz.DenseNetwork({ layers: [2, 4, 1] }).fit(X, Y, { iterations: 0 }).dispose();
    const b = vz.random.rand([3]);
    expect(b.toArray()).toEqual(a.toArray());
    [X, Y, a, b].forEach((x) => x.dispose());
    [whole, parts, here].forEach((n) => n.dispose());
  });

  it("toJSON/fromJSON round-trips; fromJSON refuses what toJSON would not write", () => {
    const { X, Y } = data();
    const net = new vz.DenseNetwork({ layers: [2, 4, 1], iterations: 50 }).fit(X, Y);
    const json = JSON.parse(JSON.stringify(net.toJSON()));
    const back = vz.DenseNetwork.fromJSON(json);
    const [p, q] = [net.predictProba(X), back.predictProba(X)];
    expect(q.toArray()).toEqual(p.toArray());
    const bad: unknown[] = [
      { ...json, parameters: { ...json.parameters, W1: [NaN, 1, 1, 1, 1, 1, 1, 1] } },
      { ...json, parameters: { ...json.parameters, W1: [1] } },
      { ...json, parameters: { ...json.parameters, W9: [1] } },
      { ...json, options: { ...json.options, layers: [2, 0, 1] } },
      { ...json, options: { ...json.options, hiden: "relu" } },
      { ...json, costs: [Infinity] },
      { ...json, format: "vectorized.LogisticRegression" },
    ];
    for (const doc of bad) expect(() => vz.DenseNetwork.fromJSON(doc as never)).toThrow(vz.ValueError);
    [X, Y, p, q].forEach((a) => a.dispose());
    [net, back].forEach((n) => n.dispose());
  });

  it("bad input is a typed error naming the problem, and leaves the model unchanged", () => {
    const { X, Y } = data();
    expect(() => new vz.DenseNetwork({ layers: [2] })).toThrow(/layers must list at least two positive integers/);
    expect(() => new vz.DenseNetwork({ layers: [2, 4, 1], hiden: "tanh" } as never)).toThrow(/did you mean 'hidden'/);
    expect(() => new vz.DenseNetwork({ layers: [2, 4, 1], hidden: "gelu" as never })).toThrow(/hidden must be one of/);
    expect(() => new vz.DenseNetwork({ layers: [2, 4, 3], output: "sigmoid" })).toThrow(/a sigmoid output has 1 unit/);
    const net = new vz.DenseNetwork({ layers: [2, 4, 1], iterations: 20 }).fit(X, Y);
    const before = net.toJSON();
    const X3 = vz.zeros([3, 30], { dtype: "float64" });
    const badY = vz.full([1, 30], 2, { dtype: "float64" });
    const nanX = X.mul(NaN);
    const Xr = on("reference", () => vz.zeros([2, 30], { dtype: "float64" }));
    const wrongW = vz.zeros([4, 3], { dtype: "float64" });
    expect(() => net.fit(X3, Y)).toThrow(/X has 3 features \(shape \(3,30\)\) but layers\[0\] is 2/);
    expect(() => net.fit(X, badY)).toThrow(/labels must lie in \[0, 1\]/);
    expect(() => net.fit(nanX, Y)).toThrow(/X contains NaN/);
    expect(() => net.fit(Xr, Y)).toThrow(/different backends/);
    expect(() => net.fit(X, Y, { initialParameters: { W1: wrongW } })).toThrow(/initialParameters.W1 has shape \(4,3\); layers \(2,4,1\) make it \(4,2\)/);
    expect(() => net.fit(X, Y, { initialParameters: { W7: wrongW } as never })).toThrow(/unknown option 'W7'/);
    expect(() => net.fit(X, Y, { iterationz: 3 } as never)).toThrow(/did you mean 'iterations'/);
    expect(() => net.predictProba(X3)).toThrow(/X has 3 features/);
    const large = X.mul(1e3);
    expect(() => new vz.DenseNetwork({ layers: [2, 4, 1], learningRate: 1e6, iterations: 50, recordEvery: 1 }).fit(large, Y)).toThrow(vz.DivergenceError);
    expect(net.toJSON()).toEqual(before);
    const softmax = new vz.DenseNetwork({ layers: [2, 4, 3] });
    const fractional = vz.full([1, 30], 0.5, { dtype: "float64" });
    expect(() => softmax.fit(X, fractional)).toThrow(/labels must be class numbers 0…2 for a softmax of 3 units; found 0.5 at position 0/);
    expect(() => softmax.predict(X)).toThrow(vz.NotFittedError);
    vz.scope(() => [X, Y, X3, badY, nanX, Xr, wrongW, fractional, large].forEach((a) => a.dispose()));
    net.dispose();
    expect(() => net.predict(X)).toThrow(vz.DisposedError);
  });

  it("fit inside a scope keeps the network's parameters", () => {
    const { X, Y } = data();
    const net = new vz.DenseNetwork({ layers: [2, 4, 1], iterations: 10 });
    vz.scope(() => {
      net.fit(X, Y);
    });
    const p = net.predictProba(X);
    expect(p.shape).toEqual([1, 30]);
    [X, Y, p].forEach((a) => a.dispose());
    net.dispose();
  });
});
