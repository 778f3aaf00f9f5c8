/**
 * LogisticRegression on more than two classes: the softmax (multinomial) model scikit-learn
 * trains. The wasm kernels (GEMMs and one stable softmax pass) against the reference backend's
 * per-example float64 loops on random K, shapes, dtypes and layouts, for both solvers; a
 * finite-difference check of the softmax cost's gradient; saturated logits; the classes rule,
 * bad labels, JSON and warm starts; the model unchanged when fit throws.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { currentBackend } from "../ts/backend/registry.js";
import { LogisticLayout } from "../ts/backend/backend.js";
import { NDArray } from "../ts/ndarray.js";
import { ALL_BACKENDS, loadAll, on, WASM_BUILDS } from "./helpers/backends.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";

beforeAll(loadAll);
expectNoLeakedArrays();

/** K Gaussian clouds in n_x dimensions, m examples, labels `classes[i % K]`; X as (m, n_x) rows. */
function clouds(nx: number, m: number, classes: readonly number[], seed: number) {
  let s = seed * 2654435761 + 1;
  const uniform = () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 4294967296);
  const K = classes.length;
  const labels = Array.from({ length: m }, (_, i) => classes[i % K]!);
  const x = Array.from({ length: m * nx }, (_, v) => {
    const [i, j] = [Math.floor(v / nx), v % nx];
    return Math.cos(1.7 * (i % K) + j) * 1.5 + (uniform() - 0.5) * 2;
  });
  return { x, labels };
}

function arrays(nx: number, m: number, data: { x: number[]; labels: number[] }, dtype: vz.DType, layout: "rows" | "cols") {
  const rows = vz.array(data.x, { dtype, shape: [m, nx] });
  if (layout === "rows") return { X: rows, y: vz.array(data.labels, { dtype }) };
  const X = rows.T.copy();
  rows.dispose();
  return { X, y: vz.array([data.labels], { dtype }) };
}

const relClose = (a: number, b: number, rtol: number) => Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b));

describe.each(WASM_BUILDS)("softmax regression on %s against the reference backend", (build) => {
  it("gradient descent: the same cost history and weights (random K, shapes, dtypes, layouts, mini-batches)", () => {
    fc.assert(
      fc.property(
        fc.record({
          K: fc.integer({ min: 3, max: 7 }),
          nx: fc.integer({ min: 1, max: 40 }),
          m: fc.integer({ min: 3, max: 90 }),
          dtype: fc.constantFrom("float32" as const, "float64" as const),
          layout: fc.constantFrom("rows" as const, "cols" as const),
          batch: fc.constantFrom(undefined, 8),
          l2: fc.constantFrom(0, 0.7),
          seed: fc.nat(1000),
        }),
        ({ K, nx, m, dtype, layout, batch, l2, seed }) => {
          const data = clouds(nx, Math.max(m, K), Array.from({ length: K }, (_, k) => k), seed);
          const M = Math.max(m, K);
          const options = { layout, learningRate: 0.3, iterations: 60, recordEvery: 5, l2, dtype, ...(batch ? { batchSize: Math.min(batch, M) } : {}) };
          const fit = (backend: "reference" | typeof build) =>
            on(backend, () =>
              vz.scope(() => {
                const { X, y } = arrays(nx, M, data, dtype, layout);
                const model = new vz.LogisticRegression(options).fit(X, y);
                const out = { costs: model.costs, w: Array.from(model.weights.toTypedArray()), b: model.biases, p: Array.from(model.predictProba(X).toTypedArray()) };
                model.dispose();
                return out;
              }),
            );
          const [ours, ref] = [fit(build), fit("reference")];
          const rtol = dtype === "float64" ? 1e-9 : 1e-4;
          expect(ours.costs).toHaveLength(12);
          ours.costs.forEach((c, i) => expect(relClose(c, ref.costs[i]!, rtol), `cost ${i}: ${c} vs ${ref.costs[i]}`).toBe(true));
          ours.w.forEach((v, i) => expect(relClose(v, ref.w[i]!, 10 * rtol), `W ${i}: ${v} vs ${ref.w[i]}`).toBe(true));
          ours.b.forEach((v, i) => expect(relClose(v, ref.b[i]!, 10 * rtol), `b ${i}`).toBe(true));
          ours.p.forEach((v, i) => expect(Math.abs(v - ref.p[i]!), `p ${i}`).toBeLessThan(dtype === "float64" ? 1e-9 : 1e-4));
        },
      ),
      { numRuns: 24, seed: 13 },
    );
  });

  it("L-BFGS: the same optimum as the reference's independent L-BFGS (float64, raw and standardized, both layouts)", () => {
    for (const layout of ["rows", "cols"] as const) {
      for (const standardize of [false, true]) {
        const data = clouds(6, 120, [0, 1, 2, 3], 7);
        const fit = (backend: "reference" | typeof build) =>
          on(backend, () =>
            vz.scope(() => {
              const { X, y } = arrays(6, 120, data, "float64", layout);
              const model = new vz.LogisticRegression({ layout, standardize, gradientTolerance: 1e-10, maxIterations: 500 }).fit(X, y);
              expect(model.converged, `${backend} ${layout} ${standardize}: ${model.warnings}`).toBe(true);
              const out = { w: Array.from(model.weights.toTypedArray()), b: model.biases };
              model.dispose();
              return out;
            }),
          );
        const [ours, ref] = [fit(build), fit("reference")];
        ours.w.forEach((v, i) => expect(Math.abs(v - ref.w[i]!), `W ${i}`).toBeLessThan(1e-6));
        ours.b.forEach((v, i) => expect(Math.abs(v - ref.b[i]!), `b ${i}`).toBeLessThan(1e-6));
        // The biases are not penalised: from zero, L-BFGS keeps them summing to 0 (in the standardized space).
        if (!standardize) expect(Math.abs(ours.b.reduce((a, v) => a + v, 0))).toBeLessThan(1e-8);
      }
    }
  });

  it("the gradient kernel equals two-sided differences of its own cost (float64, relative difference < 1e-7) and the reference's gradient", () => {
    on(build, () => {
      const [K, nx, m] = [4, 5, 23];
      const data = clouds(nx, m, [0, 1, 2, 3], 3);
      for (const layout of [LogisticLayout.Rows, LogisticLayout.Cols]) {
        const xs = layout === LogisticLayout.Rows ? data.x : Array.from({ length: nx * m }, (_, v) => data.x[(v % m) * nx + Math.floor(v / m)]!);
        const grad = (backend: ReturnType<typeof currentBackend>, theta: number[]) => {
          const make = (values: ArrayLike<number>) => {
            const s = backend.alloc("float64", values.length);
            backend.write(s, values);
            return s;
          };
          const [x, y, w, b, dw, db] = [make(xs), make(data.labels), make(theta.slice(0, K * nx)), make(theta.slice(K * nx)), make(new Array(K * nx).fill(NaN)), make(new Array(K).fill(NaN))];
          try {
            const cost = backend.multinomialGrad({ layout, x, nx, m, y, k: K }, w, b, 0.3, dw, db);
            return { cost, g: [...backend.read(dw), ...backend.read(db)] };
          } finally {
            [x, y, w, b, dw, db].forEach((s) => backend.free(s));
          }
        };
        const theta = Array.from({ length: K * (nx + 1) }, (_, i) => Math.sin(i * 1.3) * 0.8);
        const ours = currentBackend("test");
        const { g } = grad(ours, theta);
        const eps = 1e-6;
        const approx = theta.map((_, i) => {
          const [plus, minus] = [[...theta], [...theta]];
          plus[i]! += eps;
          minus[i]! -= eps;
          return (grad(ours, plus).cost - grad(ours, minus).cost) / (2 * eps);
        });
        const norm = (v: number[]) => Math.hypot(...v);
        const difference = norm(g.map((v, i) => v - approx[i]!)) / (norm(g) + norm(approx));
        expect(difference).toBeLessThan(1e-7);
        const ref = on("reference", () => grad(currentBackend("test"), theta));
        g.forEach((v, i) => expect(Math.abs(v - ref.g[i]!)).toBeLessThan(1e-13));
        expect(Math.abs(grad(ours, theta).cost - ref.cost)).toBeLessThan(1e-13);
      }
    });
  });
});

describe.each(ALL_BACKENDS)("multiclass LogisticRegression on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "saturated logits: finite probabilities that sum to 1, no NaN (weights of 1e4 from JSON)",
    inB(() => {
      const json = {
        format: "vectorized.LogisticRegression" as const,
        version: 2 as const,
        options: { ...new vz.LogisticRegression().options, batchSize: null, dtype: "float32" as const, layout: "rows" as const },
        weights: [1e4, -1e4, 0, 0, -1e4, 1e4],
        classes: [0, 1, 2],
        biases: [0, 0, 0],
        costs: [],
        iterationsRun: 0,
        converged: true,
        gradientNorm: null,
        warnings: [],
      };
      const model = vz.LogisticRegression.fromJSON(json);
      const p = model.predictProba(vz.array([[1, 0], [0, 1], [1e3, -1e3], [0, 0]], { dtype: "float32" }));
      const rows = p.toArray() as number[][];
      rows.forEach((r) => {
        expect(r.every(Number.isFinite)).toBe(true);
        expect(Math.abs(r.reduce((a, v) => a + v, 0) - 1)).toBeLessThan(1e-6);
      });
      expect(rows[2]).toEqual([1, 0, 0]);
      expect(Array.from(model.predict(vz.array([[1, 0], [0, 1], [0, 0]], { dtype: "float32" })).toTypedArray())).toEqual([0, 2, 0]);
      model.dispose();
    }),
  );

  it(
    "classes as scikit-learn finds them: the distinct labels (a missing one is not a class), predict returns labels, shapes by layout",
    inB(() => {
      const data = clouds(3, 60, [0, 1, 3], 5);
      for (const layout of ["rows", "cols"] as const) {
        const { X, y } = arrays(3, 60, data, "float64", layout);
        const model = new vz.LogisticRegression({ layout }).fit(X, y);
        expect(model.classes).toEqual([0, 1, 3]);
        expect(model.weights.shape).toEqual([3, 3]);
        expect(model.biases).toHaveLength(3);
        expect(() => model.bias).toThrow(/3 classes and a bias for each: read biases/);
        expect(model.predictProba(X).shape).toEqual(layout === "rows" ? [60, 3] : [3, 60]);
        const predicted = model.predict(X);
        expect(predicted.shape).toEqual(layout === "rows" ? [60] : [1, 60]);
        expect(new Set(predicted.toTypedArray())).toEqual(new Set([0, 1, 3]));
        expect(model.score(X, y)).toBeGreaterThan(0.9);
        // JSON round trip: the same predictions.
        const copy = vz.LogisticRegression.fromJSON(JSON.parse(JSON.stringify(model)));
        expect(copy.classes).toEqual([0, 1, 3]);
        expect(Array.from(copy.predict(X).toTypedArray())).toEqual(Array.from(predicted.toTypedArray()));
        expect(Array.from(copy.predictProba(X).toTypedArray())).toEqual(Array.from(model.predictProba(X).toTypedArray()));
        [model, copy].forEach((mdl) => mdl.dispose());
      }
    }),
  );

  it(
    "bad labels are typed errors that name the label and its position, and leave a fitted model unchanged",
    inB(() => {
      const data = clouds(2, 12, [0, 1, 2], 1);
      const { X, y } = arrays(2, 12, data, "float64", "rows");
      const model = new vz.LogisticRegression({ layout: "rows" }).fit(X, y);
      const before = JSON.stringify(model);
      const bad: [number[], RegExp][] = [
        [[0, 1, 2.5], /labels must be 0\/1 \(or probabilities in \[0, 1\]\) for a binary model, or non-negative integer classes for a multiclass one; found 2\.5 at position 2/],
        [[0, -1, 2], /found -1 at position 1/],
        [[0, NaN, 2], /found NaN at position 1/],
        [[0, 2 ** 24, 2], /class label 16777216 at position 1 is too large: class labels must be at most 16777215/],
        [[3, 3, 3], /needs examples of at least 2 classes, but the labels hold only one class: 3/],
      ];
      for (const [labels, message] of bad) {
        const Xs = vz.array([[0, 1], [1, 0], [1, 1]], { dtype: "float64" });
        expect(() => model.fit(Xs, vz.array(labels, { dtype: "float64" }))).toThrow(vz.ValueError);
        expect(() => model.fit(Xs, vz.array(labels, { dtype: "float64" }))).toThrow(message);
      }
      expect(JSON.stringify(model)).toBe(before);
      // Divergence in gradient descent (float32 weights overflow): a DivergenceError, the model still unchanged.
      const small = vz.array(data.x, { dtype: "float32", shape: [12, 2] });
      const labels32 = vz.array(data.labels, { dtype: "float32" });
      const gd = new vz.LogisticRegression({ layout: "rows", learningRate: 1e6, iterations: 5 }).fit(small, labels32);
      const gdBefore = JSON.stringify(gd);
      const huge = vz.array(data.x.map((v) => v * 1e37), { dtype: "float32", shape: [12, 2] });
      expect(() => gd.fit(huge, labels32, { iterations: 50 })).toThrow(vz.DivergenceError);
      expect(() => gd.fit(huge, labels32, { iterations: 50 })).toThrow(/^fit: the cost is \S+ at iteration \d+: training diverged \(learning rate 1000000 is too large, or the data overflow float32\)$/);
      expect(JSON.stringify(gd)).toBe(gdBefore);
      // A warm start with other classes.
      const warm = new vz.LogisticRegression({ layout: "rows", warmStart: true }).fit(X, y);
      expect(() => warm.fit(X, vz.array(data.labels.map((v) => (v === 2 ? 5 : v)), { dtype: "float64" }))).toThrow(/warmStart: the model was fit with classes \[0, 1, 2\] but Y has classes \[0, 1, 5\]/);
      [model, gd, warm].forEach((mdl) => mdl.dispose());
    }),
  );

  it(
    "warmStart continues L-BFGS to the cold fit's optimum, raw and standardized",
    inB(() => {
      const data = clouds(4, 80, [0, 1, 2], 9);
      const { X, y } = arrays(4, 80, data, "float64", "rows");
      for (const standardize of [false, true]) {
        const cold = new vz.LogisticRegression({ layout: "rows", standardize, gradientTolerance: 1e-9, maxIterations: 500 }).fit(X, y);
        const warm = new vz.LogisticRegression({ layout: "rows", standardize, gradientTolerance: 1e-9, maxIterations: 500, warmStart: true });
        warm.fit(X, y, { iterations: 3 });
        warm.fit(X, y);
        expect(warm.converged).toBe(true);
        const [a, b] = [cold.weights.toTypedArray(), warm.weights.toTypedArray()];
        a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
        [cold, warm].forEach((mdl) => mdl.dispose());
      }
    }),
  );
});

describe("the reference backend's softmax kernels are its own", () => {
  it("reference gradient at zero weights: ln K cost and the class frequencies", () =>
    on("reference", () => {
      const backend = currentBackend("test");
      const K = 3;
      const x = NDArray.empty(backend, "float64", [4, 1]);
      backend.write(x.view("t").storage, [1, 2, 3, 4]);
      const y = NDArray.empty(backend, "float64", [4]);
      backend.write(y.view("t").storage, [0, 0, 1, 2]);
      const [w, b, dw, db] = [NDArray.empty(backend, "float64", [K]), NDArray.empty(backend, "float64", [K]), NDArray.empty(backend, "float64", [K]), NDArray.empty(backend, "float64", [K])];
      [w, b].forEach((a) => backend.fill(a.view("t").storage, 0));
      const st = (a: NDArray) => a.view("t").storage;
      const cost = backend.multinomialGrad({ layout: LogisticLayout.Rows, x: st(x), nx: 1, m: 4, y: st(y), k: K }, st(w), st(b), 0, st(dw), st(db));
      expect(cost).toBeCloseTo(Math.log(3), 15);
      // db_r = mean(1/3 − [y = r]).
      expect(Array.from(db.toTypedArray())).toEqual([1 / 3 - 0.5, 1 / 3 - 0.25, 1 / 3 - 0.25].map((v) => expect.closeTo(v, 15)));
      [x, y, w, b, dw, db].forEach((a) => a.dispose());
    }));
});
