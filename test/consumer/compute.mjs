// The computation every consumer of the packed package runs (Node ESM, Node CJS, and the page
// Vite bundles for Chromium): the same ops on every wasm build the engine runs, returned as plain JSON so the
// test can check them against hand-computed values and against each other.

/**
 * @param vz the `vectorized` module, however the consumer loaded it.
 * @param npz the bytes of test/fixtures/io/deflated.npz (numpy's savez_compressed).
 */
export async function compute(vz, npz) {
  const results = {};
  // The builds that give the same bits in every engine (relaxed multiply-adds may fuse or not,
  // by engine and CPU: the relaxed build is cross-checked against the reference in the suites).
  for (const options of [{ relaxed: false }, { simd: false }]) {
    const backend = await vz.init(options);
    const before = vz.memory().arrays;
    const result = await vz.scope(async () => {
      const X = vz.array([[1, 2, 3], [4, 5, 6]]);
      const b = vz.array([[10], [20]]);
      let error;
      try {
        vz.add(X, vz.array([1, 2]));
      } catch (e) {
        error = { name: e.name, isBroadcastError: e instanceof vz.BroadcastError, message: e.message };
      }
      const csv = vz.io.readCsv('a,"b, quoted",y\n1,2,0\n3,4,1\n', { label: "y" });
      const arrays = await vz.io.readNpz(npz, { name: "deflated.npz" });
      return {
        add: vz.add(X, b).toArray(),
        addString: vz.add(X, b).toString(),
        sumAxis0: vz.sum(X, { axis: 0 }).toArray(),
        // NDArray's methods are installed by a side-effect module: bundlers must keep it.
        methods: X.T.add(1).sum({ axis: 1 }).toArray(),
        sumAxis1Keepdims: vz.sum(X, { axis: 1, keepdims: true }).toArray(),
        mean: vz.mean(X).item(),
        max: vz.max(X).item(),
        argmax: vz.argmax(X).item(),
        sumOfSquares: vz.sum(vz.mul(X, X)).item(),
        thirds: vz.div(vz.array([1, 2], { dtype: "float64" }), 3).toArray(),
        arangeSum: vz.sum(vz.arange(1000)).item(),
        exp: Array.from(vz.exp(vz.linspace(-2, 2, 9)).toTypedArray()),
        sigmoid: Array.from(vz.sigmoid(vz.linspace(-6, 6, 13, { dtype: "float64" })).toTypedArray()),
        error,
        npy: vz.io.readNpy(vz.io.writeNpy(vz.div(X, 4), { order: "F" })).toArray(),
        csv: { X: csv.X.toArray(), y: csv.y.toArray(), columns: csv.columns },
        npz: Object.fromEntries(Object.entries(arrays).map(([k, a]) => [k, { shape: a.shape, dtype: a.dtype, values: Array.from(a.toTypedArray()) }])),
        training: train(vz),
      };
    });
    results[backend] = { ...result, leakedArrays: vz.memory().arrays - before };
  }
  return results;
}

/**
 * A small training run on the active backend, float64: 8 examples in columns, label 1 where
 * the first feature is 4 or more (separable), 300 iterations of batch gradient descent.
 */
export function train(vz) {
  return vz.scope(() => {
    const X = vz.array([[0, 1, 2, 3, 4, 5, 6, 7], [1, 0, 1, 0, 1, 0, 1, 0]], { dtype: "float64" });
    const Y = vz.array([[0, 0, 0, 0, 1, 1, 1, 1]], { dtype: "float64" });
    const model = new vz.LogisticRegression({ learningRate: 0.5, iterations: 300, recordEvery: 100 }).fit(X, Y);
    const result = {
      costs: model.costs,
      weights: model.weights.toArray().flat(),
      bias: model.bias,
      proba: model.predictProba(X).toArray()[0],
      predict: model.predict(X).toArray(),
      score: model.score(X, Y),
    };
    model.dispose();
    return result;
  });
}
