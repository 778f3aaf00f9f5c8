/**
 * The L-BFGS solver of LogisticRegression: the same optimum as gradient descent run to
 * convergence and as the reference backend's independent L-BFGS, the gradient at the end below
 * the tolerance (checked with our own ops), the defaults that pick it, the convergence report
 * and its warnings, folding a standardisation into the weights, and bad input.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on, WASM_BUILDS } from "./helpers/backends.js";

beforeAll(loadAll);

/** Two overlapping Gaussian clouds in n_x dimensions, examples in columns, shifted and stretched per feature. */
function clouds(nx: number, m: number, seed: number, dtype: vz.DType = "float64", raw = false) {
  vz.random.seed(seed);
  const noise = vz.random.randn([nx, m], { dtype: "float64" }).toTypedArray();
  const labels = Float64Array.from({ length: m }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0);
  const x = noise.map((v, k) => {
    const [j, i] = [Math.floor(k / m), k % m];
    const value = v + (labels[i]! ? 0.8 : -0.4) / (j + 1);
    return raw ? 50 * (j + 1) + value * 10 ** (j % 3) : value; // raw: offsets and scales as real features have
  });
  return { X: vz.array(x, { dtype, shape: [nx, m] }), Y: vz.array(labels, { dtype, shape: [1, m] }) };
}

/**
 * One rounding of float32's worth of error in the computed gradient at (w, b):
 * ε₃₂ · maxⱼ mean_i |x_ji| · (Σₖ |wₖ x_ki| + |b|), by our own unfused ops in float64. zᵢ sums terms
 * as large as Σₖ |wₖ x_ki| before they cancel, so its error is ~ε₃₂ times that, and ∂J/∂wⱼ
 * averages it times x_ji: on raw features (offsets in the hundreds) no float32 solver can
 * promise a gradient much below this.
 */
function float32GradientError(X: vz.NDArray, w: vz.NDArray, b: number): number {
  return vz.scope(() => {
    const absX = vz.abs(X);
    const zScale = vz.matmul(vz.abs(w).T, absX).add(Math.abs(b)); // (1, m)
    return 2 ** -23 * vz.max(vz.matmul(absX, zScale.T).div(X.shape[1]!)).item();
  });
}

/** max |∂J| at (w, b), by our own unfused ops in float64: dw = X(A − Y)ᵀ/m + λw/m, db = mean(A − Y). */
function gradientMax(X: vz.NDArray, Y: vz.NDArray, w: vz.NDArray, b: number, l2: number): number {
  return vz.scope(() => {
    const m = X.shape[1]!;
    const dz = vz.sigmoid(vz.matmul(w.T, X).add(b)).sub(Y);
    const dw = vz.matmul(X, dz.T).div(m).add(w.mul(l2 / m));
    const db = dz.mean().item();
    return Math.max(Math.abs(db), vz.max(vz.abs(dw)).item());
  });
}

describe.each(ALL_BACKENDS)("L-BFGS on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "reaches the optimum gradient descent reaches when run to convergence (float64, weights within 1e-6)",
    inB(() => {
      const { X, Y } = clouds(4, 240, 1);
      const lbfgs = new vz.LogisticRegression({ solver: "lbfgs", C: 0.5, standardize: false, gradientTolerance: 1e-10 }).fit(X, Y);
      // Gradient descent: the same cost (λ = 1/C = 2), a step below 1/L, until it no longer moves.
      const gd = new vz.LogisticRegression({ learningRate: 1, iterations: 20000, l2: 2 }).fit(X, Y);
      expect(lbfgs.converged).toBe(true);
      expect(lbfgs.iterationsRun).toBeLessThan(40);
      expect(gd.gradientNorm).toBeLessThan(1e-10); // GD did converge
      const [a, b] = [lbfgs.weights.toTypedArray(), gd.weights.toTypedArray()];
      a.forEach((v, j) => expect(Math.abs(v - b[j]!), `w${j}`).toBeLessThan(1e-6));
      expect(Math.abs(lbfgs.bias - gd.bias)).toBeLessThan(1e-6);
      // The cost only falls (to within its rounding), and every iteration is recorded (recordEvery 1 by default).
      expect(lbfgs.costs).toHaveLength(lbfgs.iterationsRun + 1);
      lbfgs.costs.slice(1).forEach((c, k) => expect(c).toBeLessThanOrEqual(lbfgs.costs[k]! * (1 + 64 * 2 ** -52)));
      expect(lbfgs.costs[0]).toBeCloseTo(Math.log(2), 12);
      [lbfgs, gd].forEach((mdl) => mdl.dispose());
    }),
  );

  it.each(["float64", "float32"] as const)(
    "ends with the gradient below gradientTolerance, as our own unfused ops compute it (%s, raw and standardized)",
    (dtype) =>
      inB(() => {
        const { X, Y } = clouds(5, 300, 2, dtype, true);
        // Raw features (offsets to 250, scales to 100) are ill-conditioned: a looser tolerance,
        // in float32 the gradient's own rounding at the optimum (float64's fit), ~5e-3 here.
        const raw32 = () => {
          const optimum = new vz.LogisticRegression({ standardize: false, gradientTolerance: 1e-6, maxIterations: 5000 }).fit(X.astype("float64"), Y.astype("float64"));
          expect(optimum.converged).toBe(true);
          return float32GradientError(X.astype("float64"), optimum.weights, optimum.bias);
        };
        const tolerances = dtype === "float64" ? { raw: 1e-4, standardized: 1e-8 } : { raw: raw32(), standardized: 1e-4 };
        for (const standardize of [false, true]) {
          const tol = standardize ? tolerances.standardized : tolerances.raw;
          const model = new vz.LogisticRegression({ standardize, gradientTolerance: tol, maxIterations: 5000 }).fit(X, Y);
          expect(model.converged, `standardize ${standardize}`).toBe(true);
          expect(model.warnings).toEqual([]);
          expect(model.gradientNorm).toBeLessThanOrEqual(tol);
          if (!standardize) {
            const w = model.weights.astype("float64");
            // float32: the weights are rounded to float32 after the solver's float64 step.
            expect(gradientMax(X.astype("float64"), Y.astype("float64"), w, model.bias, 1)).toBeLessThanOrEqual(dtype === "float64" ? tol * 1.01 : 2 * tol);
          }
          model.dispose();
        }
        // Asked for more than float32's rounding allows: a warning, not a silent stop.
        if (dtype === "float64") return;
        const strict = new vz.LogisticRegression({ standardize: false, gradientTolerance: 1e-12, maxIterations: 5000 }).fit(X, Y);
        expect(strict.converged).toBe(false);
        expect(strict.warnings[0]).toMatch(/^(the line search found no step that lowers the cost after \d+ iterations|L-BFGS reached maxIterations \(5000\)) with max \|gradient\| [\d.e+-]+ > gradientTolerance 1e-12: not converged; (raise maxIterations or )?standardize the features \(standardize: true\)/);
        strict.dispose();
      })(),
  );

  it(
    "standardize folds the scaling into the weights: the same predictions as scaling first",
    inB(() => {
      const { X, Y } = clouds(6, 200, 3, "float64", true);
      const folded = new vz.LogisticRegression({ standardize: true, gradientTolerance: 1e-10 }).fit(X, Y);
      const scaler = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X);
      const Z = scaler.transform(X);
      const first = new vz.LogisticRegression({ standardize: false, gradientTolerance: 1e-10 }).fit(Z, Y);
      const [p, q] = [folded.predictProba(X).toTypedArray(), first.predictProba(Z).toTypedArray()];
      p.forEach((v, i) => expect(Math.abs(v - q[i]!)).toBeLessThan(1e-9));
      expect(folded.predict(X).toArray()).toEqual(first.predict(Z).toArray());
      // The folded weights are w'/σ and b' − Σ w'μ/σ.
      const [wf, ws, sd, mu] = [folded.weights.toTypedArray(), first.weights.toTypedArray(), scaler.scale.toTypedArray(), scaler.mean.toTypedArray()];
      wf.forEach((v, j) => expect(v).toBeCloseTo(ws[j]! / sd[j]!, 8));
      expect(folded.bias).toBeCloseTo(first.bias - Array.from(ws).reduce((s: number, v: number, j: number) => s + (v * mu[j]!) / sd[j]!, 0), 8);
      // Rows layout: the same model.
      const rows = new vz.LogisticRegression({ layout: "rows", gradientTolerance: 1e-10 }).fit(X.T, Y.reshape(-1));
      rows.weights.toTypedArray().forEach((v, j) => expect(v).toBeCloseTo(wf[j]!, 7));
      [folded, first, rows, scaler].forEach((o) => o.dispose());
    }),
  );

  it.each(["float64", "float32"] as const)(
    "standardized L-BFGS on raw X (the scaling folded into the objective, no scaled copy) takes the scaled copy's steps (%s; far-from-zero features too)",
    (dtype) =>
      inB(() => {
        // κ = max |mean|/std: 50–250 for `clouds(…, raw)`; × 10⁴ more with the offset. Float32 folds up to κ = 64 and
        // trains on the scaled copy above it; float64 folds at both.
        for (const offset of [0, 1e4]) {
          const { X: X0, Y } = clouds(5, 300, 4, "float64", true);
          const X = X0.add(vz.array([[offset], [0], [offset], [0], [0]], { dtype: "float64" })).astype(dtype);
          const tol = dtype === "float64" ? 1e-9 : 1e-4;
          const model = new vz.LogisticRegression({ gradientTolerance: tol }).fit(X, Y);
          const Z = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X).transform(X);
          const first = new vz.LogisticRegression({ standardize: false, gradientTolerance: tol }).fit(Z, Y);
          expect(model.converged, `offset ${offset}`).toBe(true);
          expect(model.gradientNorm).toBeLessThanOrEqual(tol);
          if (dtype === "float64") expect(model.iterationsRun).toBe(first.iterationsRun);
          const [p, q] = [model.predictProba(X).toTypedArray(), first.predictProba(Z).toTypedArray()];
          p.forEach((v, i) => expect(Math.abs(v - q[i]!), `offset ${offset}, p${i}`).toBeLessThan(dtype === "float64" ? 1e-8 : 2e-3));
          expect(model.costs.at(-1)! / first.costs.at(-1)! - 1).toBeLessThan(dtype === "float64" ? 1e-12 : 1e-5);
          [model, first].forEach((o) => o.dispose());
        }
      })(),
  );

  it(
    "warns, as sklearn's ConvergenceWarning, when the cost rises (gradient descent) or L-BFGS stops early",
    inB(() => {
      const { X, Y } = clouds(3, 100, 4, "float64", true);
      const seen: vz.Progress[] = [];
      const gd = new vz.LogisticRegression({ learningRate: 0.05, iterations: 300, recordEvery: 10 }).fit(X, Y, { onProgress: (p) => seen.push(p) });
      expect(gd.warnings).toHaveLength(1);
      expect(gd.warnings[0]).toMatch(/^the cost rose from [\d.e+-]+ at iteration \d+ to [\d.e+-]+ at iteration \d+: learning rate 0\.05 is too large for these features; lower the learning rate, standardize the features \(standardize: true\), or use solver "lbfgs"$/);
      expect(seen.filter((p) => p.warning)).toEqual([expect.objectContaining({ warning: gd.warnings[0] })]);
      expect(gd.converged).toBe(false);
      const short: vz.Progress[] = [];
      const lb = new vz.LogisticRegression({ maxIterations: 2, standardize: false }).fit(X, Y, { onProgress: (p) => short.push(p) });
      expect(lb.converged).toBe(false);
      expect(lb.iterationsRun).toBe(2);
      expect(lb.warnings[0]).toMatch(/^L-BFGS reached maxIterations \(2\) with max \|gradient\| [\d.e+-]+ > gradientTolerance 0\.0001: not converged; raise maxIterations or standardize the features/);
      expect(short.map((p) => p.iteration)).toEqual([0, 1, 2, 2]);
      expect(short[3]!.warning).toBe(lb.warnings[0]);
      // The course's settings on well-scaled data: no warning, and progress objects as before.
      const scaled = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X).transform(X);
      const course = new vz.LogisticRegression({ learningRate: 0.1, iterations: 200 }).fit(scaled, Y, {
        onProgress: (p) => expect(Object.keys(p)).toEqual(["iteration", "cost"]),
      });
      expect(course.warnings).toEqual([]);
      [gd, lb, course].forEach((mdl) => mdl.dispose());
    }),
  );

  it(
    "warmStart continues L-BFGS from the last fit's weights (raw or standardized) to the same optimum",
    inB(() => {
      const { X, Y } = clouds(4, 120, 8, "float64", true);
      for (const standardize of [false, true]) {
        // Raw features (offsets to 200) are ill-conditioned: the cost stops resolving steps near 1e-8.
        const gradientTolerance = standardize ? 1e-9 : 1e-6;
        const cold = new vz.LogisticRegression({ standardize, gradientTolerance, maxIterations: 1000 }).fit(X, Y);
        const warm = new vz.LogisticRegression({ standardize, gradientTolerance, maxIterations: 1000, warmStart: true });
        warm.fit(X, Y, { iterations: 3 });
        expect([warm.iterationsRun, warm.converged]).toEqual([3, false]);
        warm.fit(X, Y);
        expect([cold.converged, warm.converged], `${cold.warnings} ${warm.warnings}`).toEqual([true, true]);
        const [a, b] = [warm.predictProba(X).toTypedArray(), cold.predictProba(X).toTypedArray()];
        a.forEach((v, i) => expect(Math.abs(v - b[i]!), `standardize ${standardize}, example ${i}`).toBeLessThan(1e-6));
        // From the optimum: nothing left to do.
        warm.fit(X, Y);
        expect([warm.iterationsRun, warm.converged]).toEqual([0, true]);
        [cold, warm].forEach((mdl) => mdl.dispose());
      }
    }),
  );

  it(
    "toJSON / fromJSON keep the solver, the options and the convergence report; version 1 documents still load",
    inB(() => {
      const { X, Y } = clouds(3, 80, 5);
      const model = new vz.LogisticRegression({ C: 2 }).fit(X, Y);
      const json = JSON.parse(JSON.stringify(model.toJSON()));
      expect(json).toMatchObject({ version: 2, converged: true, options: { solver: "lbfgs", standardize: true, l2: 0.5, maxIterations: 100, gradientTolerance: 1e-4 } });
      const back = vz.LogisticRegression.fromJSON(json);
      expect(back.predictProba(X).toArray()).toEqual(model.predictProba(X).toArray());
      expect([back.converged, back.gradientNorm, back.iterationsRun, back.warnings]).toEqual([model.converged, model.gradientNorm, model.iterationsRun, []]);
      expect(() => vz.LogisticRegression.fromJSON({ ...json, options: { ...json.options, learningRate: 3 } })).toThrow(
        "LogisticRegression.fromJSON: options.learningRate is 3, but a lbfgs model is written with the default, 0.005",
      );
      expect(() => vz.LogisticRegression.fromJSON({ ...json, converged: "yes" })).toThrow(vz.ValueError);
      expect(() => vz.LogisticRegression.fromJSON({ ...json, options: { ...json.options, solver: "newton" } })).toThrow(/options.solver must be "lbfgs" or "gd"/);
      const v1 = vz.LogisticRegression.fromJSON({
        format: "vectorized.LogisticRegression",
        version: 1,
        options: { learningRate: 0.1, iterations: 1, recordEvery: 1, l2: 0, seed: 0, tolerance: 0, layout: "cols", batchSize: null, dtype: "float64" },
        weights: [1, 2, 3],
        bias: 0,
        costs: [],
        iterationsRun: 0,
      });
      expect(v1.options).toMatchObject({ solver: "gd", standardize: false });
      expect(v1.converged).toBe(false);
      expect(() => vz.LogisticRegression.fromJSON({ ...v1.toJSON(), version: 1 } as never)).toThrow(vz.ValueError); // v2 fields in a v1 document
      [model, back, v1].forEach((mdl) => mdl.dispose());
    }),
  );

  it(
    "the model is unchanged when fit throws; memory returns to its baseline",
    inB(() => {
      const { X, Y } = clouds(3, 60, 6);
      const baseline = vz.memory();
      const model = new vz.LogisticRegression().fit(X, Y);
      const state = () => vz.scope(() => [model.weights.toArray(), model.bias, model.costs, model.converged, model.iterationsRun]);
      const before = state();
      const bad = vz.scope(() => X.mul(vz.array([[1], [NaN], [1]], { dtype: "float64" })));
      const twice = vz.scope(() => Y.mul(1.5));
      expect(() => model.fit(bad, Y)).toThrow("fit: X contains NaN at index (1,0); it must be finite");
      expect(() => model.fit(X, twice)).toThrow(/labels must be 0\/1 \(or probabilities in \[0, 1\]\) for a binary model, or non-negative integer classes for a multiclass one; found 1.5/);
      vz.scope(() => expect(() => model.fit(X.T, Y)).toThrow("fit: X has 3 examples (shape (60,3), examples in columns) but Y has shape (1,60); expected (1,3)"));
      expect(state()).toEqual(before);
      [bad, twice].forEach((a) => a.dispose());
      model.dispose();
      expect(vz.memory()).toMatchObject({ arrays: baseline.arrays, bytes: baseline.bytes });
    }),
  );
});

describe.each(WASM_BUILDS)("L-BFGS on %s against the reference backend's independent L-BFGS", (backend) => {
  it.each(["cols", "rows"] as const)("the same optimum (float64, %s layout, 600 features: the rows pass)", (layout) => {
    const fit = (name: vz.BackendName | "wasm-simd" | "wasm") =>
      on(name as never, () =>
        vz.scope(() => {
          const { X, Y } = clouds(layout === "rows" ? 600 : 7, 150, 7);
          const model = new vz.LogisticRegression({ layout, gradientTolerance: 1e-9 });
          model.fit(layout === "rows" ? X.T : X, layout === "rows" ? Y.reshape(-1) : Y);
          const out = { w: model.weights.toTypedArray(), b: model.bias, converged: model.converged };
          model.dispose();
          return out;
        }),
      );
    const [ours, ref] = [fit(backend), fit("reference")];
    expect([ours.converged, ref.converged]).toEqual([true, true]);
    ours.w.forEach((v, j) => expect(Math.abs(v - ref.w[j]!), `w${j}`).toBeLessThan(1e-6));
    expect(Math.abs(ours.b - ref.b)).toBeLessThan(1e-6);
  });
});

describe("LogisticRegression's solver options", () => {
  it("defaults: L-BFGS with sklearn's C, tol and max_iter, standardized; the course's options pick gradient descent", () => {
    expect(new vz.LogisticRegression().options).toMatchObject({ solver: "lbfgs", standardize: true, l2: 1, maxIterations: 100, gradientTolerance: 1e-4, recordEvery: 1 });
    for (const given of [{ learningRate: 0.1 }, { iterations: 10 }, { batchSize: 4 }, { tolerance: 1e-6 }]) {
      expect(new vz.LogisticRegression(given).options, JSON.stringify(given)).toMatchObject({ solver: "gd", standardize: false, l2: 0, recordEvery: 100 });
    }
    expect(new vz.LogisticRegression({ solver: "gd" }).options).toMatchObject({ learningRate: 0.005, iterations: 2000, l2: 0 });
    expect(new vz.LogisticRegression({ solver: "gd", C: 4 }).options.l2).toBe(0.25);
    expect(new vz.LogisticRegression({ C: 0.1, standardize: false }).options).toMatchObject({ solver: "lbfgs", l2: 10, standardize: false });
  });

  it("bad solver options are typed errors that name the values", () => {
    const bad: [vz.LogisticRegressionOptions, string | RegExp][] = [
      [{ solver: "lbfgs", learningRate: 0.1 }, `LogisticRegression: learningRate (0.1) applies to solver "gd" only, not "lbfgs" (whose limit is maxIterations)`],
      [{ solver: "lbfgs", iterations: 5, batchSize: 2 }, /iterations \(5\), batchSize \(2\) apply to solver "gd" only/],
      [{ learningRate: 0.1, maxIterations: 5 }, `LogisticRegression: maxIterations (5) applies to solver "lbfgs" only; gradient descent runs \`iterations\` steps`],
      [{ C: 1, l2: 2 }, "LogisticRegression: give C (1) or l2 (2), not both: l2 = 1/C"],
      [{ C: 0 }, "LogisticRegression: C must be a positive finite number, got 0"],
      [{ C: -1 }, "LogisticRegression: C must be a positive finite number, got -1"],
      [{ C: Infinity }, "LogisticRegression: C must be a positive finite number, got Infinity"],
      [{ solver: "newton" as never }, `LogisticRegression: solver must be "lbfgs" or "gd", got "newton"`],
      [{ maxIterations: 1.5 }, "LogisticRegression: maxIterations must be a non-negative integer, got 1.5"],
      [{ gradientTolerance: -1 }, "LogisticRegression: gradientTolerance must be a non-negative number, got -1"],
      [{ standardize: 1 as never }, "LogisticRegression: standardize must be true or false, got 1"],
      [{ maxIteration: 5 } as never, "LogisticRegression: unknown option 'maxIteration' (did you mean 'maxIterations'?)"],
    ];
    for (const [options, message] of bad) expect(() => new vz.LogisticRegression(options), JSON.stringify(options)).toThrow(message);
    for (const [options] of bad) expect(() => new vz.LogisticRegression(options)).toThrow(vz.ValueError);
  });
});
