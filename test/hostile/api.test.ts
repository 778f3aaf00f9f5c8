/**
 * Hostile use of the public API: arrays of another backend, forged or freed storages, shapes
 * too large to index, cyclic data, huge requests, misspelt options, bad model documents. Each
 * must end in a typed NdError (or the right value), with wasm memory intact and `memory()` back
 * at its baseline.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as vz from "../../ts/index.js";
import { loadAll, on, WASM_BUILDS } from "../helpers/backends.js";
import { expectNoLeakedArrays } from "../helpers/leaks.js";

beforeAll(loadAll);

expectNoLeakedArrays();

/** A wasm array at the lowest addresses we can get, to see that nothing writes over it. */
function sentinelCheck(build: (typeof WASM_BUILDS)[number]) {
  const sentinel = on(build, () => vz.full([256], 7));
  return {
    intact() {
      expect(Array.from(sentinel.toTypedArray()).every((v) => v === 7)).toBe(true);
      // The module still works: a later op computes the right thing.
      const probe = on(build, () => vz.scope(() => vz.add(vz.arange(4), 1)));
      expect(probe.toArray()).toEqual([1, 2, 3, 4]);
      probe.dispose();
      sentinel.dispose();
    },
  };
}

describe.each(WASM_BUILDS)("arrays of another backend, on %s", (build) => {
  it("{ out } on the reference backend is refused, and neither out nor wasm memory is written", () => {
    const guard = sentinelCheck(build);
    const out = on("reference", () => vz.zeros([1000]));
    const a = on(build, () => vz.ones([1000]));
    for (const call of [
      () => vz.add(a, 100, { out }),
      () => vz.exp(a, { out }),
      () => vz.where(a, a, 0, { out }),
      () => a.mul(a, { out }),
    ]) {
      expect(call).toThrow(vz.ValueError);
      expect(call).toThrow(/live on different backends/);
    }
    expect(Array.from(out.toTypedArray()).every((v) => v === 0)).toBe(true);
    [out, a].forEach((x) => x.dispose());
    guard.intact();
  });

  it("a wasm { out } for reference operands is refused too", () => {
    const out = on(build, () => vz.zeros([3]));
    const a = on("reference", () => vz.ones([3]));
    expect(() => vz.add(a, 1, { out })).toThrow(/live on different backends \(reference and wasm/);
    expect(out.toArray()).toEqual([0, 0, 0]);
    [out, a].forEach((x) => x.dispose());
  });

  it("every op that combines arrays refuses mixed backends", () => {
    const w = on(build, () => vz.ones([3, 3]));
    const r = on("reference", () => vz.ones([3, 3]));
    const calls: [string, () => unknown][] = [
      ["add", () => vz.add(w, r)],
      ["maximum", () => vz.maximum(r, w)],
      ["where", () => vz.where(w, r, w)],
      ["matmul", () => vz.matmul(w, r)],
      ["dot", () => vz.dot(r, w)],
      ["outer", () => vz.outer(w, r)],
      ["inner", () => vz.inner(w, r)],
      ["vdot", () => vz.vdot(w, r)],
      ["concat", () => vz.concat([w, r])],
      ["stack", () => vz.stack([w, r])],
    ];
    for (const [name, call] of calls) {
      expect(call, name).toThrow(vz.ValueError);
      expect(call, name).toThrow(/different backends/);
    }
    [w, r].forEach((x) => x.dispose());
  });

  it("models and course functions refuse X, Y and weights from different backends", () => {
    const guard = sentinelCheck(build);
    const X = on(build, () => vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]));
    const Y = on(build, () => vz.array([[0, 1, 1, 0]]));
    const Xr = on("reference", () => vz.array([[0, 1, 2, 3], [1, 0, 1, 0]]));
    const Yr = on("reference", () => vz.array([[0, 1, 1, 0]]));
    const model = new vz.LogisticRegression({ iterations: 5 });
    expect(() => model.fit(X, Yr)).toThrow(/fit: X and Y live on different backends/);
    expect(() => model.fit(Xr, Y)).toThrow(/fit: X and Y live on different backends/);
    model.fit(X, Y);
    const before = model.toJSON();
    expect(() => model.predictProba(Xr)).toThrow(/predictProba: the model's weights and X live on different backends/);
    expect(() => model.score(Xr, Yr)).toThrow(vz.ValueError);
    expect(model.toJSON()).toEqual(before);
    const w = on(build, () => vz.zeros([2, 1]));
    expect(() => vz.course.propagate(w, 0, Xr, Yr)).toThrow(/propagate: w and X live on different backends/);
    expect(() => vz.course.optimize(w, 0, Xr, Yr, 10, 0.1)).toThrow(/different backends/);
    expect(() => vz.course.predict(w, 0, Xr)).toThrow(/different backends/);
    expect(() => vz.course.model(X, Y, Xr, Yr, 5, 0.1)).toThrow(/different backends/);
    [X, Y, Xr, Yr, w].forEach((x) => x.dispose());
    model.dispose();
    guard.intact();
  });

  it("a forged or freed storage never reaches a kernel", () => {
    const guard = sentinelCheck(build);
    const real = on(build, () => vz.ones([4]));
    // An array whose buffer claims a million elements at address 0: only the backend's own
    // storages are ever passed to wasm.
    const forgedBuffer = { backend: real.backend, storage: { dtype: "float32", length: 1_000_000, ptr: 0 }, refs: 0 };
    const forged = new vz.NDArray(forgedBuffer as never, [1_000_000]);
    expect(() => vz.add(forged, 1)).toThrow(/does not live on the wasm/);
    const forgedSlice = forged.slice([0, 4]);
    expect(() => vz.add(real, 1, { out: forgedSlice })).toThrow(vz.ValueError);
    forgedSlice.dispose();
    expect(() => forged.sum()).toThrow(vz.ValueError);
    const stale = real.view("test").storage;
    real.dispose();
    expect(() => real.backend.read(stale as never)).toThrow(/does not live on the wasm/);
    forged.dispose(); // its "buffer" is not ours: freeing it is refused, and nothing else is freed
    guard.intact();
  });
});

describe.each(WASM_BUILDS)("sizes beyond what wasm32 indexes, on %s", (build) => {
  it("reductions and matmul over huge broadcast views refuse instead of wrapping", () =>
    on(build, () => {
      for (const dtype of ["float32", "float64"] as const) {
        const one = vz.ones([1], { dtype });
        for (const shape of [[2 ** 32 + 2], [65536, 65537], [2 ** 31, 2], [2 ** 31]]) {
          const view = one.broadcastTo(shape);
          expect(() => view.sum()).toThrow(/too large for the wasm/);
          expect(() => view.mean()).toThrow(vz.ValueError);
          expect(() => view.max({ axis: 0 })).toThrow(vz.ValueError);
          expect(() => view.argmax()).toThrow(vz.ValueError);
          expect(() => view.add(1)).toThrow(vz.NdError); // its result cannot be allocated
          view.dispose();
        }
        const square = vz.ones([1, 1], { dtype });
        const row = square.broadcastTo([1, 2 ** 32 + 2]);
        const col = square.broadcastTo([2 ** 32 + 2, 1]);
        expect(() => vz.matmul(row, col)).toThrow(/too large/);
        [row, col, square, one].forEach((x) => x.dispose());
      }
    }));
});

describe("nested JS data", () => {
  it("a cyclic array is a ValueError, not a crash; so is nesting beyond 64 levels", () => {
    vz.setBackend("wasm-simd");
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => vz.array(cyclic as never)).toThrow(/maximum supported dimension for an ndarray is currently 64/);
    const twoWay: unknown[] = [1, 2];
    twoWay[1] = twoWay;
    expect(() => vz.array(twoWay as never)).toThrow(vz.ValueError);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => vz.array(deep as never)).toThrow(vz.ValueError);
    let ok: unknown = 5;
    for (let i = 0; i < 64; i++) ok = [ok];
    const a = vz.array(ok as never);
    expect(a.ndim).toBe(64);
    a.dispose();
  });

  it("a tiny nested structure that spells 2⁶⁴ elements fails before filling memory", () => {
    let dag: unknown = [1, 1];
    for (let i = 0; i < 63; i++) dag = [dag, dag];
    for (const backend of ["wasm-simd", "reference"] as const) {
      on(backend, () => expect(() => vz.array(dag as never)).toThrow(vz.OutOfMemoryError));
    }
  });

  it("a non-numeric element is named, with a short excerpt", () => {
    vz.setBackend("wasm-simd");
    expect(() => vz.array([1, "x".repeat(10_000)] as never)).toThrow(/could not convert string to float: 'x{40}…'$/);
  });
});

describe.each(["wasm-simd", "wasm", "reference"] as const)("huge creation requests on %s", (backend) => {
  it("fail up front with OutOfMemoryError", () =>
    on(backend, () => {
      const calls: [string, () => unknown][] = [
        ["zeros", () => vz.zeros([2 ** 40])],
        ["random.rand", () => vz.random.rand([1e6, 1e6])],
        ["random.randn", () => vz.random.randn([2 ** 33])],
        ["random.uniform", () => vz.random.uniform(0, 1, [2 ** 20, 2 ** 20])],
        ["arange", () => vz.arange(0, 1e300)],
        ["linspace", () => vz.linspace(0, 1, 2 ** 40)],
        ["eye", () => vz.eye(1e6)],
      ];
      const small = vz.array(new Float64Array(4), { shape: [2, 2] });
      const huge = small.broadcastTo([2 ** 20, 2 ** 20, 2, 2]);
      for (const [name, call] of calls) expect(call, name).toThrow(vz.OutOfMemoryError);
      expect(() => huge.copy()).toThrow(vz.OutOfMemoryError);
      [small, huge].forEach((x) => x.dispose());
    }));
});

describe.each(["wasm-simd", "reference"] as const)("models on %s", (backend) => {
  const data = () => ({
    X: vz.array([[0.5, 1.5, -1, 2, -0.5, 1, -2, 0.2, 3, -3]]),
    Y: vz.array([[0, 1, 1, 1, 0, 1, 0, 1, 0, 0]]),
  });

  it("fit inside a scope keeps the model's weights alive after it", () =>
    on(backend, () => {
      const { X, Y } = data();
      const model = new vz.LogisticRegression({ iterations: 50, learningRate: 0.1 });
      vz.scope(() => {
        model.fit(X, Y);
        model.weights; // a view the scope frees; the model's own weights stay
      });
      const p = model.predictProba(X);
      expect(p.shape).toEqual([1, 10]);
      const restored = vz.scope(() => vz.LogisticRegression.fromJSON(model.toJSON()));
      expect(restored.bias).toBe(model.bias);
      [p, X, Y].forEach((x) => x.dispose());
      [model, restored].forEach((m) => m.dispose());
    }));

  it("score is the exact fraction of hits, not a float32 mean", () =>
    on(backend, () => {
      const { X, Y } = data();
      const model = vz.LogisticRegression.fromJSON({
        format: "vectorized.LogisticRegression",
        version: 1,
        options: { learningRate: 0.1, iterations: 1, recordEvery: 100, l2: 0, seed: 0, tolerance: 0, layout: "cols", batchSize: null, dtype: "float32" },
        weights: [1],
        bias: 0,
        costs: [],
        iterationsRun: 0,
      });
      // Predictions 1 where x > 0: 7 of the 10 labels agree (a float32 mean would give 0.699999988).
      expect(model.score(X, Y)).toBe(0.7);
      [X, Y].forEach((x) => x.dispose());
      model.dispose();
    }));

  it("fromJSON refuses documents toJSON would not write", () =>
    on(backend, () => {
      const { X, Y } = data();
      const model = new vz.LogisticRegression({ iterations: 3 }).fit(X, Y);
      const good = model.toJSON();
      const bad: [string, unknown][] = [
        ["NaN weight", { ...good, weights: [NaN] }],
        ["Infinity weight", { ...good, weights: [Infinity] }],
        ["string weight", { ...good, weights: ["1"] }],
        ["no weights", { ...good, weights: [] }],
        ["Infinity bias", { ...good, bias: Infinity }],
        ["garbage costs", { ...good, costs: "lots" }],
        ["NaN cost", { ...good, costs: [NaN] }],
        ["negative iterationsRun", { ...good, iterationsRun: -1 }],
        ["missing dtype", { ...good, options: { ...good.options, dtype: undefined } }],
        ["misspelt option", { ...good, options: { ...good.options, learning_rate: 5 } }],
        ["unknown field", { ...good, extra: 1 }],
        ["null", null],
        ["array", []],
      ];
      for (const [what, doc] of bad) expect(() => vz.LogisticRegression.fromJSON(doc as never), what).toThrow(vz.ValueError);
      [X, Y].forEach((x) => x.dispose());
      model.dispose();
    }));
});

describe("misspelt options are refused by name", () => {
  it("models, fit, ops, creation and init", async () => {
    vz.setBackend("wasm-simd");
    expect(() => new vz.LogisticRegression({ learning_rate: 5 } as never)).toThrow(
      "LogisticRegression: unknown option 'learning_rate' (did you mean 'learningRate'?)",
    );
    expect(() => new vz.LogisticRegression({ iteratoins: 5 } as never)).toThrow(/did you mean 'iterations'/);
    const X = vz.array([[1, 2]]);
    const Y = vz.array([[0, 1]]);
    const model = new vz.LogisticRegression();
    expect(() => model.fit(X, Y, { onprogress: () => {} } as never)).toThrow(/fit: unknown option 'onprogress' \(did you mean 'onProgress'\?\)/);
    expect(() => model.fit(X, Y, { onProgress: 5 } as never)).toThrow(/onProgress must be a function/);
    expect(() => vz.sum(X, { axes: 1 } as never)).toThrow(/sum: unknown option 'axes' \(did you mean 'axis'\?\)/);
    expect(() => vz.argmax(X, { keepDims: true } as never)).toThrow(/did you mean 'keepdims'/);
    expect(() => vz.add(X, 1, { output: X } as never)).toThrow(/add: unknown option 'output'/);
    expect(() => vz.zeros([2], { dtyp: "float64" } as never)).toThrow(/did you mean 'dtype'/);
    expect(() => vz.array([1], { dtype: "float64", shap: [1] } as never)).toThrow(/did you mean 'shape'/);
    expect(() => vz.linspace(0, 1, 3, { end_point: false } as never)).toThrow(/did you mean 'endpoint'/);
    expect(() => vz.random.rand([2], "float64" as never)).toThrow(/options must be an object/);
    await expect(vz.init({ smid: false } as never)).rejects.toThrow(/init: unknown option 'smid' \(did you mean 'simd'\?\)/);
    [X, Y].forEach((x) => x.dispose());
  });
});

describe.each(["wasm-simd", "reference"] as const)("{ out } into a slice on %s", (backend) => {
  it("a contiguous slice (a row) is written in place; other rows are untouched", () =>
    on(backend, () => {
      const M = vz.zeros([3, 4]);
      const row = M.slice(1);
      vz.scope(() => vz.add(vz.arange(4), 10, { out: row }) && undefined);
      vz.scope(() => vz.exp(vz.zeros([4]), { out: M.slice(2) }) && undefined);
      expect(M.toArray()).toEqual([[0, 0, 0, 0], [10, 11, 12, 13], [1, 1, 1, 1]]);
      // A slice of a row, at an offset inside the buffer.
      const part = M.slice(0, [1, 3]);
      vz.sub(part, 5, { out: part });
      expect((M.toArray() as number[][])[0]).toEqual([0, -5, -5, 0]);
      const column = M.slice(null, 1);
      expect(() => vz.add(column, 1, { out: column })).toThrow(/'out' must be a contiguous array/);
      [M, row, part, column].forEach((x) => x.dispose());
    }));
});

describe("64-bit integers", () => {
  it("int64 → float32 rounds once, as numpy", () => {
    vz.setBackend("wasm-simd");
    const values = [2n ** 60n + 2n ** 36n + 1n, -(2n ** 60n + 2n ** 36n + 1n), 2n ** 60n + 2n ** 36n, 2n ** 63n - 1n, 2n ** 53n + 1n, 16777217n, -3n];
    // numpy: np.array(values, dtype=np.int64).astype(np.float32)
    const expected = [2 ** 60 + 2 ** 37, -(2 ** 60 + 2 ** 37), 2 ** 60, 2 ** 63, 2 ** 53, 16777216, -3];
    const a = vz.array(BigInt64Array.from(values));
    expect(Array.from(a.toTypedArray())).toEqual(expected);
    const u = vz.array(BigUint64Array.from([2n ** 64n - 1n, 2n ** 60n + 2n ** 36n + 1n]));
    expect(Array.from(u.toTypedArray())).toEqual([2 ** 64, 2 ** 60 + 2 ** 37]);
    [a, u].forEach((x) => x.dispose());
  });
});

describe.each(["wasm-simd", "reference"] as const)("the course's functions on %s", (backend) => {
  it("check labels, finiteness and shapes before training, and report divergence as DivergenceError", () =>
    on(backend, () => {
      const X = vz.array([[1, -1, 2], [0, 1, -2]], { dtype: "float64" });
      const w = vz.zeros([2, 1], { dtype: "float64" });
      const bad = vz.array([[0, 5, 1]], { dtype: "float64" });
      const Y = vz.array([[0, 1, 1]], { dtype: "float64" });
      const XNaN = vz.array([[1, NaN, 2], [0, 1, -2]], { dtype: "float64" });
      expect(() => vz.course.propagate(w, 0, X, bad)).toThrow(/propagate: labels must lie in \[0, 1\].*found 5 at position 1/);
      expect(() => vz.course.propagate(w, 0, XNaN, Y)).toThrow(/propagate: X contains NaN at index \(0,1\)/);
      expect(() => vz.course.optimize(w, 0, X, bad, 10, 0.1)).toThrow(vz.ValueError);
      const huge = vz.array([[1e300, -1e300, 1e300], [1e300, 1e300, -1e300]], { dtype: "float64" });
      const diverging = () => vz.course.optimize(w, 0, huge, Y, 300, 1e10);
      expect(diverging).toThrow(vz.DivergenceError);
      const log = vi.spyOn(console, "log").mockImplementation(() => {});
      try {
        const XTest = vz.zeros([3, 4], { dtype: "float64" });
        const YTest = vz.zeros([1, 4], { dtype: "float64" });
        expect(() => vz.course.model(X, Y, XTest, YTest, 2000, 0.1, true)).toThrow(/model: XTest has 3 features \(shape \(3,4\)\) but XTrain has 2/);
        expect(log).not.toHaveBeenCalled(); // refused before any training
        [XTest, YTest].forEach((x) => x.dispose());
      } finally {
        log.mockRestore();
      }
      [X, w, bad, Y, XNaN, huge].forEach((x) => x.dispose());
    }));
});
