/**
 * The course's deep-network functions: against the independent per-example implementation,
 * against DenseNetwork (the same math), and the gradient check both ways.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { loadAll } from "./helpers/backends.js";
import { costAndGradients, train, type Matrix, type RefLayer } from "./helpers/dense_reference.js";
import { prng } from "./helpers/random.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";

beforeAll(async () => {
  await loadAll();
  vz.setBackend("wasm-simd");
});

expectNoLeakedArrays();

/** X (4, 40) in float64 and labels from a non-linear rule. */
function data() {
  const next = prng(21);
  const X: Matrix = Array.from({ length: 4 }, () => Array.from({ length: 40 }, () => 2 * next() - 1));
  const labels = X[0]!.map((v, i) => (v * X[3]![i]! + 0.3 * X[1]![i]! > 0 ? 1 : 0));
  return { X, labels, x: vz.array(X, { dtype: "float64" }), y: vz.array([labels], { dtype: "float64" }) };
}

const asRef = (p: vz.course.Parameters): RefLayer[] => {
  const layers: RefLayer[] = [];
  for (let l = 1; p[`W${l}`]; l++) layers.push({ W: p[`W${l}`]!.toArray() as Matrix, b: Array.from(p[`b${l}`]!.toTypedArray()) });
  return layers;
};
/** The parameters in float64 (the originals disposed); biases moved off 0 by `shift`. */
const f64 = (p: vz.course.Parameters, shift = 0) =>
  Object.fromEntries(
    Object.entries(p).map(([k, v]) => {
      const moved = vz.scope(() => (k.startsWith("b") ? v.astype("float64").add(shift) : v.astype("float64")));
      v.dispose();
      return [k, moved];
    }),
  );
const dispose = (...items: (vz.NDArray | vz.course.Parameters)[]) =>
  items.forEach((i) => (i instanceof vz.NDArray ? i.dispose() : Object.values(i).forEach((a) => a.dispose())));
const relative = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("the course's deep-network functions", () => {
  it("LLayerModel and twoLayerModel follow the per-example reference from the same start", () => {
    const { X, labels, x, y } = data();
    for (const [model, dims] of [["LLayerModel", [4, 5, 3, 1]], ["twoLayerModel", [4, 6, 1]]] as const) {
      const start = dims.length === 3 ? vz.course.initializeParameters(dims[0], dims[1], dims[2]) : vz.course.initializeParametersDeep(dims);
      const expected = train(asRef(start), X, labels, "relu", false, { learningRate: 0.3, iterations: 301, recordEvery: 100, l2: 0 });
      // The course initialises in float32 (our default dtype): train in float64 from those values.
      const { parameters, costs } =
        model === "LLayerModel" ? vz.course.LLayerModel(x, y, dims, 0.3, 301) : vz.course.twoLayerModel(x, y, dims as [number, number, number], 0.3, 301);
      expect(costs).toHaveLength(4);
      // The models start from float32 parameters and promote to float64 on the first step.
      costs.forEach((c, i) => expect(relative(c, expected.costs[i]!), `${model} cost ${i}`).toBeLessThan(1e-9));
      asRef(parameters).forEach(({ W }, l) => W.flat().forEach((w, k) => expect(Math.abs(w - expected.params[l]!.W.flat()[k]!)).toBeLessThan(1e-9)));
      dispose(start, parameters);
    }
    dispose(x, y);
  });

  it("compose to what DenseNetwork computes from the same start (float64)", () => {
    const { x, y } = data();
    const start = f64(vz.course.initializeParametersDeep([4, 5, 3, 1]));
    const net = new vz.DenseNetwork({ layers: [4, 5, 3, 1], learningRate: 0.3, iterations: 301, recordEvery: 100 }).fit(x, y, { initialParameters: start });
    const course = vz.course.LLayerModel(x, y, [4, 5, 3, 1], 0.3, 301);
    // LLayerModel starts from float32 values; DenseNetwork from the same values in float64.
    net.costs.forEach((c, i) => expect(relative(c, course.costs[i]!)).toBeLessThan(1e-12));
    const prediction = vz.course.predict(x, y, course.parameters);
    const fromNet = net.predict(x);
    expect(prediction.toArray()).toEqual(fromNet.toArray());
    dispose(x, y, start, course.parameters, prediction, fromNet);
    net.dispose();
  });

  it("nnModel is the planar notebook's tanh network (learning rate 1.2)", () => {
    const { X, labels, x, y } = data();
    const start = vz.course.initializeParameters(4, 4, 1);
    const expected = train(asRef(start), X, labels, "tanh", false, { learningRate: 1.2, iterations: 200, recordEvery: 100, l2: 0 });
    const parameters = vz.course.nnModel(x, y, 4, 200);
    asRef(parameters).forEach(({ W, b }, l) => {
      W.flat().forEach((w, k) => expect(Math.abs(w - expected.params[l]!.W.flat()[k]!)).toBeLessThan(1e-9));
      b.forEach((v, k) => expect(Math.abs(v - expected.params[l]!.b[k]!)).toBeLessThan(1e-9));
    });
    dispose(x, y, start, parameters);
  });

  it("LModelForward/LModelBackward give the reference's cost and gradients; gradientCheck passes them and catches a wrong one", () => {
    const { X, labels, x, y } = data();
    // Biases off 0: with b = 0 a layer whose ReLUs are all off for an example has z exactly 0,
    // the kink where the two-sided difference and the course's relu′(0) = 0 disagree.
    const start = f64(vz.course.initializeParametersDeep([4, 3, 2, 1]), 0.05);
    const { AL, caches } = vz.course.LModelForward(x, start);
    const cost = vz.course.computeCost(AL, y);
    const reference = costAndGradients(asRef(start), X, labels, "relu", false, 0);
    expect(relative(cost, reference.cost)).toBeLessThan(1e-12);
    const grads = vz.course.LModelBackward(AL, y, caches);
    reference.grads.forEach(({ W, b }, l) => {
      const dW = (grads[`dW${l + 1}`]!.toArray() as Matrix).flat();
      W.flat().forEach((v, k) => expect(Math.abs(dW[k]! - v)).toBeLessThan(1e-12));
      const db = grads[`db${l + 1}`]!.toTypedArray();
      b.forEach((v, k) => expect(Math.abs(db[k]! - v)).toBeLessThan(1e-12));
    });
    expect(grads["dA0"]!.shape).toEqual([4, 40]);
    expect(vz.course.gradientCheck(start, grads, x, y)).toBeLessThan(1e-7);
    const wrong = { ...grads, dW2: grads["dW2"]!.mul(1.1) };
    expect(vz.course.gradientCheck(start, wrong, x, y)).toBeGreaterThan(1e-3);
    const next = vz.course.updateParameters(start, grads, 0.5);
    const expectedW1 = (start["W1"]!.toArray() as Matrix).flat().map((w, k) => w - 0.5 * reference.grads[0]!.W.flat()[k]!);
    (next["W1"]!.toArray() as Matrix).flat().forEach((w, k) => expect(w).toBeCloseTo(expectedW1[k]!, 14));
    dispose(x, y, start, AL, grads, wrong["dW2"]!, next, ...caches.flatMap((c) => [c.activationCache, c.linearCache.A === x ? undefined : c.linearCache.A].filter((a): a is vz.NDArray => a !== undefined)));
  });

  it("refuse bad input with typed errors", () => {
    const { x, y } = data();
    expect(() => vz.course.initializeParametersDeep([4])).toThrow(vz.ValueError);
    expect(() => vz.course.initializeParameters(4, 0, 1)).toThrow(/positive integers/);
    expect(() => vz.course.LLayerModel(x, y, [3, 2, 1])).toThrow(/X has 4 features \(shape \(4,40\)\) but layersDims\[0\] is 3/);
    const bad = vz.full([1, 40], 3, { dtype: "float64" });
    expect(() => vz.course.LLayerModel(x, bad, [4, 2, 1])).toThrow(/labels must lie in \[0, 1\]/);
    expect(() => vz.course.LModelForward(x, {})).toThrow(/parameters has no W1 and b1/);
    const start = vz.course.initializeParametersDeep([4, 2, 1]);
    expect(() => vz.course.linearActivationForward(x, start["W1"]!, start["b1"]!, "gelu" as never)).toThrow(/activation must be/);
    expect(() => vz.course.LLayerModel(x, y, [4, 2, 1], -1, 10)).toThrow(/learningRate must be a positive number/);
    dispose(x, y, bad, start);
  });
});
