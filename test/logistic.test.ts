/**
 * Logistic regression: the fused kernels against the unfused composition of our own ops and
 * against the reference backend, a finite-difference gradient check, training histories across
 * backends, predictions by hand, and every kind of bad input.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { propagateUnfused } from "../ts/models/unfused.js";
import { ALL_BACKENDS, loadAll, on, WASM_BUILDS } from "./helpers/backends.js";

beforeAll(loadAll);

/** Two Gaussian blobs in n_x dimensions, examples in columns; labels 0/1 by blob. */
function blobs(nx: number, m: number, seed: number, dtype: vz.DType = "float64", gap = 1.5) {
  vz.random.seed(seed);
  const noise = vz.random.randn([nx, m], { dtype: "float64" }).toTypedArray();
  const labels = Float64Array.from({ length: m }, (_, i) => i % 2);
  const x = noise.map((v, k) => v + (labels[k % m]! ? gap : -gap) * (k < m ? 1 : 0.3));
  return { X: vz.array(x, { dtype, shape: [nx, m] }), Y: vz.array(labels, { dtype, shape: [1, m] }) };
}

describe.each(ALL_BACKENDS)("logistic kernels on %s", (backend) => {
  it("the fused step equals the unfused composition of our own ops (f32 and f64)", () =>
    on(backend, () =>
      vz.scope(() => {
        for (const dtype of ["float32", "float64"] as const) {
          for (const [nx, m] of [[1, 1], [3, 5], [17, 64], [65, 257]] as const) {
            const { X, Y } = blobs(nx, m, nx * 7 + m, dtype);
            const w = vz.random.randn([nx, 1], { dtype }).mul(0.3);
            const fused = vz.course.propagate(w, 0.25, X, Y);
            const unfused = propagateUnfused(w, 0.25, X, Y);
            const tol = dtype === "float32" ? 2e-5 : 1e-12;
            expect(Math.abs(fused.cost - unfused.cost)).toBeLessThanOrEqual(tol * Math.max(1, unfused.cost));
            expect(Math.abs(fused.grads.db - unfused.db)).toBeLessThanOrEqual(tol);
            const [a, b] = [fused.grads.dw.toTypedArray(), unfused.dw.toTypedArray()];
            expect(fused.grads.dw.shape).toEqual([nx, 1]);
            a.forEach((v, j) => expect(Math.abs(v - b[j]!)).toBeLessThanOrEqual(tol));
          }
        }
      }),
    ));

  it("a course-layout step large enough for the unfused route (256, 8192) agrees with the fused kernel", () =>
    on(backend, () =>
      vz.scope(() => {
        for (const dtype of ["float32", "float64"] as const) {
          const [nx, m] = [256, 8192];
          const { X, Y } = blobs(nx, m, 11, dtype);
          const w = vz.random.randn([nx, 1], { dtype }).mul(0.05);
          const got = vz.course.propagate(w, 0.25, X, Y);
          // The fused kernel itself, as propagate runs it below the threshold.
          const dw = vz.zeros([nx], { dtype });
          const s = (a: vz.NDArray) => a.view("test").storage;
          const fused = X.backend.logisticGrad(0, s(X), nx, m, s(Y), s(w), 0.25, 0, s(dw));
          const tol = dtype === "float32" ? 2e-5 : 1e-12;
          expect(Math.abs(got.cost - fused.cost)).toBeLessThanOrEqual(tol * Math.max(1, fused.cost));
          expect(Math.abs(got.grads.db - fused.db)).toBeLessThanOrEqual(tol);
          expect(got.grads.dw.shape).toEqual([nx, 1]);
          const [a, e] = [got.grads.dw.toTypedArray(), dw.toTypedArray()];
          a.forEach((v, j) => expect(Math.abs(v - e[j]!)).toBeLessThanOrEqual(tol));
        }
      }),
    ));

  it("a finite-difference check of dw and db (float64)", () =>
    on(backend, () =>
      vz.scope(() => {
        const { X, Y } = blobs(6, 40, 3);
        const wData = [0.3, -0.2, 0.5, 0.1, -0.4, 0.2];
        const w = vz.array(wData, { dtype: "float64", shape: [6, 1] });
        const b = 0.1;
        const { grads } = vz.course.propagate(w, b, X, Y);
        const cost = (wv: number[], bv: number) => vz.scope(() => vz.course.propagate(vz.array(wv, { dtype: "float64", shape: [6, 1] }), bv, X, Y).cost);
        const h = 1e-6;
        const dw = grads.dw.toTypedArray();
        for (let j = 0; j < 6; j++) {
          const up = [...wData];
          const down = [...wData];
          up[j]! += h;
          down[j]! -= h;
          expect(Math.abs((cost(up, b) - cost(down, b)) / (2 * h) - dw[j]!)).toBeLessThan(1e-7);
        }
        expect(Math.abs((cost(wData, b + h) - cost(wData, b - h)) / (2 * h) - grads.db)).toBeLessThan(1e-7);
      }),
    ));

  it("the cost is finite and exact at saturation (z = ±1000)", () =>
    on(backend, () =>
      vz.scope(() => {
        const X = vz.array([[1000, -1000, 1000, -1000]], { dtype: "float64" });
        const w = vz.array([[1]], { dtype: "float64" });
        // y = 1 where z = 1000 (loss 0), y = 0 where z = -1000 (loss 0), then the two wrong ones (loss 1000 each).
        const Y = vz.array([[1, 0, 0, 1]], { dtype: "float64" });
        const { cost, grads } = vz.course.propagate(w, 0, X, Y);
        expect(cost).toBe(500);
        expect(grads.db).toBe(0);
        expect(grads.dw.item()).toBe(500);
      }),
    ));
});

describe.each(WASM_BUILDS)("training on %s reproduces the reference", (build) => {
  it.each([["float64", 1e-9], ["float32", 1e-4]] as const)("1000 iterations in %s: cost history within %s relative, both layouts", (dtype, tol) => {
    const history = (backend: (typeof ALL_BACKENDS)[number], layout: "cols" | "rows") =>
      on(backend, () =>
        vz.scope(() => {
          const { X, Y } = blobs(20, 300, 5, dtype, 0.4);
          const model = new vz.LogisticRegression({ learningRate: 0.05, iterations: 1000, layout, dtype });
          if (layout === "cols") model.fit(X, Y);
          else model.fit(X.T, Y.reshape(-1));
          const out = { costs: model.costs, bias: model.bias, w: Array.from(model.weights.toTypedArray()) };
          model.dispose();
          return out;
        }),
      );
    for (const layout of ["cols", "rows"] as const) {
      const got = history(build, layout);
      const want = history("reference", layout);
      expect(got.costs).toHaveLength(10);
      got.costs.forEach((c, i) => expect(Math.abs(c - want.costs[i]!)).toBeLessThanOrEqual(tol * want.costs[i]!));
      expect(Math.abs(got.bias - want.bias)).toBeLessThanOrEqual(tol * 10);
      expect(got.costs[9]!).toBeLessThan(got.costs[0]!);
    }
  });
});

describe.each(ALL_BACKENDS)("LogisticRegression on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "predict, predictProba and score agree with a hand computation",
    inB(() => {
      const model = vz.LogisticRegression.fromJSON({
        format: "vectorized.LogisticRegression",
        version: 1,
        options: { learningRate: 0.1, iterations: 1, recordEvery: 1, l2: 0, seed: 0, tolerance: 0, layout: "cols", batchSize: null, dtype: "float64" },
        weights: [2, -1],
        bias: 0.5,
        costs: [],
        iterationsRun: 0,
      });
      const X = vz.array([[1, 0, -1, 0.25], [0, 1, 0, 1]], { dtype: "float64" });
      // z = 2·x0 − x1 + 0.5 = [2.5, −0.5, −1.5, 0]
      const z = [2.5, -0.5, -1.5, 0];
      const p = model.predictProba(X).toTypedArray();
      z.forEach((zi, i) => expect(p[i]).toBeCloseTo(1 / (1 + Math.exp(-zi)), 14));
      expect(model.predict(X).toArray()).toEqual([[1, 0, 0, 0]]); // σ(0) = 0.5 is not > 0.5
      expect(model.score(X, vz.array([[1, 1, 0, 0]]))).toBe(0.75);
      expect(model.weights.toArray()).toEqual([[2], [-1]]);
      expect(model.bias).toBe(0.5);
    }),
  );

  it(
    "separable data reaches 100 % training accuracy; progress every recordEvery iterations from 0",
    inB(() => {
      const { X, Y } = blobs(4, 200, 9, "float32", 3);
      const seen: number[] = [];
      const model = new vz.LogisticRegression({ learningRate: 0.1, iterations: 450, recordEvery: 100 }).fit(X, Y, {
        onProgress: ({ iteration, cost }) => {
          seen.push(iteration);
          expect(cost).toBeGreaterThan(0);
        },
      });
      expect(seen).toEqual([0, 100, 200, 300, 400]);
      expect(model.costs).toHaveLength(5);
      expect(model.costs[0]).toBeCloseTo(Math.log(2), 5); // zero weights: σ(0) = ½ for every example
      expect(model.score(X, Y)).toBe(1);
      expect(model.iterationsRun).toBe(450);
      model.dispose();
    }),
  );

  it(
    "mini-batch training with a fixed seed is reproducible; tolerance stops early",
    inB(() => {
      const { X, Y } = blobs(5, 103, 4, "float64");
      const fit = (seed: number) => new vz.LogisticRegression({ learningRate: 0.1, iterations: 60, recordEvery: 5, batchSize: 16, seed }).fit(X, Y);
      const [a, b, c] = [fit(1), fit(1), fit(2)];
      expect(a.costs).toEqual(b.costs);
      expect(a.costs).not.toEqual(c.costs);
      expect(a.weights.toArray()).toEqual(b.weights.toArray());
      const early = new vz.LogisticRegression({ learningRate: 0.1, iterations: 5000, tolerance: 1e-6 }).fit(X, Y);
      expect(early.iterationsRun).toBeLessThan(5000);
      const json = JSON.parse(JSON.stringify(early.toJSON()));
      const back = vz.LogisticRegression.fromJSON(json);
      expect(back.predictProba(X).toArray()).toEqual(early.predictProba(X).toArray());
      [a, b, c, early, back].forEach((mdl) => mdl.dispose());
    }),
  );

  it.each(["cols", "rows"] as const)(
    "warmStart: 250 + 350 iterations in two fits are the 600 of one fit, bit for bit (%s layout)",
    (layout) =>
      inB(() => {
        const course = blobs(3, 90, 12, "float64", 0.7);
        const [X, Y] = layout === "cols" ? [course.X, course.Y] : [course.X.T, course.Y.reshape(-1)];
        const options = { learningRate: 0.2, recordEvery: 50, layout };
        const whole = new vz.LogisticRegression({ ...options, iterations: 600 }).fit(X, Y);
        const parts = new vz.LogisticRegression({ ...options, iterations: 250, warmStart: true }).fit(X, Y);
        expect(parts.costs).toEqual(whole.costs.slice(0, 5));
        const [first, firstCosts] = [parts.weights.toArray(), parts.costs];
        const seen: number[] = [];
        const rest = parts.fit(X, Y, { iterations: 350, onProgress: ({ iteration }) => seen.push(iteration) });
        expect(rest).toBe(parts);
        expect(seen).toEqual([0, 50, 100, 150, 200, 250, 300]); // counted from this call's start
        expect(rest.iterationsRun).toBe(350);
        expect(rest.costs).toEqual(whole.costs.slice(5)); // iterations 250, 300, … 550 of the whole fit
        expect(rest.weights.toArray()).toEqual(whole.weights.toArray());
        expect(rest.bias).toBe(whole.bias);
        expect(rest.weights.toArray()).not.toEqual(first);
        // Without warmStart every fit starts again from zero weights: the cost of σ(0) = ½ is log 2.
        const cold = new vz.LogisticRegression({ ...options, iterations: 250 }).fit(X, Y);
        cold.fit(X, Y);
        expect(cold.costs).toEqual(firstCosts);
        expect(cold.costs[0]).toBeCloseTo(Math.log(2), 12);
        // Another number of features is refused, and the model keeps its weights.
        const before = rest.weights.toArray();
        const wide = layout === "cols" ? vz.zeros([4, 90], { dtype: "float64" }) : vz.zeros([90, 4], { dtype: "float64" });
        expect(() => rest.fit(wide, Y)).toThrow(`fit: warmStart: the model was fit with 3 features but X has 4 (shape ${layout === "cols" ? "(4,90)" : "(90,4)"})`);
        expect(rest.weights.toArray()).toEqual(before);
        [whole, parts, cold].forEach((mdl) => mdl.dispose());
      })(),
  );

  it(
    "fit re-lays X for speed without changing the result, and takes X.T of a course-layout array as it is",
    inB(() => {
      const { X: A, Y } = blobs(3, 4000, 5, "float32"); // (3, 4000): few features, so training streams feature rows
      const y = Y.reshape(-1);
      const fit = (X: vz.NDArray, onProgress?: () => void) =>
        new vz.LogisticRegression({ learningRate: 0.3, iterations: 50, recordEvery: 10, layout: "rows" }).fit(X, y, { onProgress });
      const before = vz.memory().bytes;
      let extra = 0;
      const view = fit(A.T, () => (extra = Math.max(extra, vz.memory().bytes - before)));
      expect(extra).toBeLessThan(A.size * 4); // no copy of X was alive during training
      const copied = fit(A.T.copy());
      expect(view.weights.toArray()).toEqual(copied.weights.toArray());
      expect(view.costs).toEqual(copied.costs);
      // The same data in the course's layout: the same run.
      const course = new vz.LogisticRegression({ learningRate: 0.3, iterations: 50, recordEvery: 10 }).fit(A, Y);
      expect(course.costs).toEqual(view.costs);
      expect(course.weights.toArray()).toEqual(view.weights.toArray());
    }),
  );

  it("training, prediction and the course's functions leave no array behind (outside any scope)", () =>
    on(backend, () => {
      const train = blobs(3, 60, 31, "float32", 2);
      const [wide, soft] = [vz.zeros([4, 60]), vz.full([1, 60], 0.5)];
      const baseline = vz.memory();
      const model = new vz.LogisticRegression({ learningRate: 0.1, iterations: 30, recordEvery: 10, warmStart: true }).fit(train.X, train.Y);
      expect(() => model.fit(wide, train.Y)).toThrow("warmStart"); // failing fits free what they made
      expect(() => model.score(train.X, soft)).toThrow("labels must be 0 or 1");
      const huge = train.X.mul(1e3);
      expect(() => new vz.LogisticRegression({ learningRate: 1e36, iterations: 5 }).fit(huge, train.Y)).toThrow(vz.DivergenceError);
      huge.dispose();
      expect(model.score(train.X, train.Y)).toBeGreaterThan(0.9);
      model.predict(train.X).dispose();
      model.predictProba(train.X).dispose();
      model.weights.dispose();
      model.dispose();
      const { w, b } = vz.course.initializeWithZeros(3);
      const { grads } = vz.course.propagate(w, b, train.X, train.Y);
      const { params, grads: last } = vz.course.optimize(w, b, train.X, train.Y, 30, 0.1);
      vz.course.predict(params.w, params.b, train.X).dispose();
      const result = vz.course.model(train.X, train.Y, train.X, train.Y, 30, 0.1);
      [w, grads.dw, params.w, last.dw, result.w, result.yPredictionTest, result.yPredictionTrain].forEach((a) => a.dispose());
      expect(vz.memory()).toMatchObject({ arrays: baseline.arrays, bytes: baseline.bytes });
      [wide, soft, train.X, train.Y].forEach((a) => a.dispose());
    }));

  it("options given as undefined take their defaults; a non-boolean warmStart is refused", () => {
    const model = new vz.LogisticRegression({ learningRate: undefined, iterations: undefined, warmStart: undefined });
    expect(model.options).toMatchObject({ learningRate: 0.005, iterations: 2000, warmStart: false });
    expect(() => new vz.LogisticRegression({ warmStart: 1 as unknown as boolean })).toThrow("LogisticRegression: warmStart must be true or false, got 1");
  });

  it(
    "bad input is a clear error and leaves the model as it was",
    inB(() => {
      const { X, Y } = blobs(3, 10, 1, "float32");
      const model = new vz.LogisticRegression({ iterations: 10 }).fit(X, Y);
      const before = { costs: model.costs, w: model.weights.toArray(), b: model.bias };
      const fails: [() => unknown, RegExp | string][] = [
        [() => model.fit(X, vz.full([1, 10], 2.5)), "fit: labels must be 0/1 (or probabilities in [0, 1]) for a binary model, or non-negative integer classes for a multiclass one; found 2.5 at position 0"],
        [() => model.fit(X, vz.full([1, 10], 2)), "fit: needs examples of at least 2 classes, but the labels hold only one class: 2"],
        [() => model.fit(X, Y, { iterations: 2.5 }), "fit: iterations must be a non-negative integer, got 2.5"],
        [() => model.fit(X, vz.zeros([1, 9])), "fit: X has 10 examples (shape (3,10), examples in columns) but Y has shape (1,9); expected (1,10)"],
        [() => model.fit(X, vz.zeros([10])), /Y has shape \(10,\); expected \(1,10\)/],
        [() => model.fit(vz.zeros([3]), Y), "fit: X must be 2-D (n_x, m) (examples in columns), got shape (3,)"],
        [() => model.fit(vz.array([[1, NaN], [0, 0]]), vz.zeros([1, 2])), "fit: X contains NaN at index (0,1); it must be finite"],
        [() => model.fit(vz.zeros([3, 0]), vz.zeros([1, 0])), "fit: X of shape (3,0) has no examples"],
        [() => new vz.LogisticRegression({ learningRate: 1e36, iterations: 5 }).fit(vz.full([3, 10], 1e3), vz.ones([1, 10])), /fit: the cost is (Infinity|NaN) at iteration 1: training diverged/],
        [() => model.predictProba(vz.zeros([4, 2])), "predictProba: X has 4 features (shape (4,2)) but the model was fit with 3"],
        [() => model.score(X, vz.full([1, 10], 0.5)), "score: labels must be 0 or 1; found 0.5 at position 0"],
        [() => new vz.LogisticRegression().predict(X), "predict: this LogisticRegression is not fitted yet: call fit(X, Y) first"],
        [() => new vz.LogisticRegression({ learningRate: -1 }), "LogisticRegression: learningRate must be a positive number, got -1"],
        [() => new vz.LogisticRegression({ batchSize: 20 }).fit(X, Y), "fit: batchSize 20 is larger than the number of examples, 10"],
        [() => vz.course.propagate(vz.zeros([4, 1]), 0, X, Y), "propagate: w must have shape (3,1) to match X of shape (3,10), got (4,1)"],
      ];
      for (const [fn, message] of fails) expect(fn).toThrow(message);
      expect(() => new vz.LogisticRegression({ learningRate: 1e36, iterations: 5 }).fit(vz.full([3, 10], 1e3), vz.ones([1, 10]))).toThrow(vz.DivergenceError);
      expect({ costs: model.costs, w: model.weights.toArray(), b: model.bias }).toEqual(before);
      model.dispose();
      expect(() => model.predict(X)).toThrow(vz.DisposedError);
    }),
  );

  it(
    "the course's functions: shapes, optimize's costs every 100 iterations, model's accuracies",
    inB(() => {
      const { w, b } = vz.course.initializeWithZeros(3);
      expect([w.shape, b]).toEqual([[3, 1], 0]);
      const train = blobs(3, 80, 21, "float32", 2);
      const test = blobs(3, 40, 22, "float32", 2);
      const { params, grads, costs } = vz.course.optimize(w, b, train.X, train.Y, 201, 0.05);
      expect(costs).toHaveLength(3);
      expect(params.w.shape).toEqual([3, 1]);
      expect(grads.dw.shape).toEqual([3, 1]);
      expect(w.toArray()).toEqual([[0], [0], [0]]); // the input is not modified
      const result = vz.course.model(train.X, train.Y, test.X, test.Y, 300, 0.05);
      expect(result.yPredictionTest.shape).toEqual([1, 40]);
      expect(result.trainAccuracy).toBeGreaterThan(90);
      expect(result.testAccuracy).toBeGreaterThan(85);
      const byHand = 100 * (1 - vz.abs(vz.sub(result.yPredictionTest, test.Y)).mean().item());
      expect(result.testAccuracy).toBeCloseTo(byHand, 10);
      expect(vz.course.predict(result.w, result.b, test.X).toArray()).toEqual(result.yPredictionTest.toArray());
    }),
  );
});
