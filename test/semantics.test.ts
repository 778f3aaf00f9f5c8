// numpy's documented behaviour, checked on every backend with values worked out by hand.
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";

beforeAll(loadAll);

describe.each(ALL_BACKENDS)("on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "creation: zeros, ones, full, *Like, arange, linspace, eye, typed-array input",
    inB(() => {
      expect(vz.zeros([2, 3]).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
      expect(vz.ones(2, { dtype: "float64" }).dtype).toBe("float64");
      expect(vz.full([2], 7.5).toArray()).toEqual([7.5, 7.5]);
      const like = vz.ones([2, 1], { dtype: "float64" });
      expect([vz.zerosLike(like).shape, vz.onesLike(like).dtype]).toEqual([[2, 1], "float64"]);
      expect(vz.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
      expect(vz.arange(1, 2, 0.25).toArray()).toEqual([1, 1.25, 1.5, 1.75]);
      expect(vz.arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
      expect(vz.arange(3, 3).shape).toEqual([0]);
      expect(vz.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
      expect(vz.linspace(0, 1, 4, { endpoint: false }).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
      expect(vz.eye(3, 4, 1).toArray()).toEqual([[0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]);
      expect(vz.array(new Uint8Array([0, 128, 255])).toArray()).toEqual([0, 128, 255]);
      expect(vz.array(new Int32Array([-7, 3]), { dtype: "float64" }).toArray()).toEqual([-7, 3]);
      expect(vz.array(new BigInt64Array([5n, -2n])).toArray()).toEqual([5, -2]);
      expect(vz.array([true, false]).toArray()).toEqual([1, 0]);
      expect(vz.array(new Float64Array([0.1])).dtype).toBe("float64");
      expect(vz.array([0.1]).toArray()).toEqual([Math.fround(0.1)]);
    }),
  );

  it(
    "dtype promotion and scalars",
    inB(() => {
      const f32 = vz.array([1, 2]);
      const f64 = vz.array([1, 2], { dtype: "float64" });
      expect(vz.mul(f32, f64).dtype).toBe("float64");
      expect(vz.mul(f32, 2.5).dtype).toBe("float32");
      expect(vz.pow(2, f64).toArray()).toEqual([2, 4]);
      expect(vz.where(vz.array([1, 0]), f32, f64).dtype).toBe("float64");
      expect(vz.div(vz.array([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
      expect(vz.pow(vz.array([1, -1, 0]), vz.array([NaN, Infinity, -1])).toArray()).toEqual([1, 1, Infinity]);
      expect(vz.maximum(vz.array([NaN, 1, -0]), vz.array([1, NaN, 0])).toArray()).toEqual([NaN, NaN, 0]);
      expect(vz.equal(vz.array([NaN, 1]), vz.array([NaN, 1])).toArray()).toEqual([0, 1]);
    }),
  );

  it(
    "views: reshape with -1, transpose, slice (steps, negative, integer), squeeze, expandDims, broadcastTo",
    inB(() => {
      const x = vz.arange(24).reshape(2, 3, 4);
      expect(x.reshape(4, -1).shape).toEqual([4, 6]);
      expect(x.reshape([6, 4]).shape).toEqual([6, 4]);
      expect(x.transpose([1, 0, 2]).shape).toEqual([3, 2, 4]);
      expect(x.T.shape).toEqual([4, 3, 2]);
      expect(x.T.slice(1, 2, 0).item()).toBe(9); // x[0, 2, 1] = 0·12 + 2·4 + 1
      expect(x.slice(1, [0, 3, 2], [null, null, -1]).toArray()).toEqual([[15, 14, 13, 12], [23, 22, 21, 20]]);
      expect(x.slice(-1, -1, -1).item()).toBe(23);
      expect(x.slice(0, [5, 10]).shape).toEqual([0, 4]);
      expect(x.slice(0, [-2]).toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
      expect(vz.arange(10).slice([8, 2, -3]).toArray()).toEqual([8, 5]);
      expect(vz.arange(10).slice([null, null, 4]).toArray()).toEqual([0, 4, 8]);
      expect(vz.zeros([1, 3, 1]).squeeze().shape).toEqual([3]);
      expect(vz.zeros([1, 3, 1]).squeeze(-1).shape).toEqual([1, 3]);
      expect(vz.arange(3).expandDims(0).shape).toEqual([1, 3]);
      expect(vz.arange(3).expandDims(-1).shape).toEqual([3, 1]);
      const b = vz.arange(3).broadcastTo([2, 3]);
      expect(b.toArray()).toEqual([[0, 1, 2], [0, 1, 2]]);
      expect(b.strides).toEqual([0, 1]);
      expect(x.T.reshape(-1).slice([0, 4]).toArray()).toEqual([0, 12, 4, 16]); // reshape of a non-contiguous view copies
      expect(vz.concat([vz.ones([1, 2]), vz.zeros([2, 2])]).toArray()).toEqual([[1, 1], [0, 0], [0, 0]]);
      expect(vz.concat([vz.ones([2, 1]), vz.zeros([2, 2])], -1).toArray()).toEqual([[1, 0, 0], [1, 0, 0]]);
      expect(vz.stack([vz.arange(2), vz.arange(2, 4)], 1).toArray()).toEqual([[0, 2], [1, 3]]);
    }),
  );

  it(
    "unary ops on special values saturate and propagate like numpy",
    inB(() => {
      const s = vz.array([1000, -1000, 0, NaN, Infinity, -Infinity]);
      expect(vz.sigmoid(s).toArray()).toEqual([1, 0, 0.5, NaN, 1, 0]);
      expect(vz.tanh(s).toArray()).toEqual([1, -1, 0, NaN, 1, -1]);
      expect(vz.exp(vz.array([0, -Infinity, Infinity, 1000, -1000])).toArray()).toEqual([1, 0, Infinity, Infinity, 0]);
      expect(vz.log(vz.array([0, -1, 1, Infinity])).toArray()).toEqual([-Infinity, NaN, 0, Infinity]);
      expect(vz.log1p(vz.array([-1, 0])).toArray()).toEqual([-Infinity, 0]);
      expect(vz.sign(vz.array([-2, 0, 3, NaN])).toArray()).toEqual([-1, 0, 1, NaN]);
      expect(vz.relu(vz.array([-2, 3, NaN])).toArray()).toEqual([0, 3, NaN]);
      expect(vz.clip(vz.array([-2, 0.5, 3, NaN]), 0, 1).toArray()).toEqual([0, 0.5, 1, NaN]);
      expect(vz.sqrt(vz.array([4, -1])).toArray()).toEqual([2, NaN]);
    }),
  );

  it(
    "reductions: axes, keepdims, NaN, empty, argmax ties",
    inB(() => {
      const x = vz.array([[1, 5, 2], [7, 0, 7]]);
      expect(vz.sum(x).item()).toBe(22);
      expect(vz.sum(x, { axis: 0 }).toArray()).toEqual([8, 5, 9]);
      expect(vz.sum(x, { axis: -1, keepdims: true }).toArray()).toEqual([[8], [14]]);
      expect(vz.sum(x, { axis: [0, 1], keepdims: true }).shape).toEqual([1, 1]);
      expect(vz.mean(x, { axis: 1 }).toArray()).toEqual([8 / 3, 14 / 3].map(Math.fround));
      expect(vz.prod(x, { axis: 1 }).toArray()).toEqual([10, 0]);
      expect(vz.max(x, { axis: 0 }).toArray()).toEqual([7, 5, 7]);
      expect(vz.min(x).item()).toBe(0);
      expect(vz.argmax(x, { axis: 1 }).toArray()).toEqual([1, 0]); // ties: the first
      expect(vz.argmax(x).item()).toBe(3);
      expect(vz.argmin(x, { axis: 0, keepdims: true }).toArray()).toEqual([[0, 1, 0]]);
      const withNaN = vz.array([1, NaN, 3, NaN]);
      expect([vz.max(withNaN).item(), vz.sum(withNaN).item(), vz.argmax(withNaN).item(), vz.argmin(withNaN).item()]).toEqual([NaN, NaN, 1, 1]);
      const empty = vz.zeros([0, 3]);
      expect(vz.sum(empty, { axis: 0 }).toArray()).toEqual([0, 0, 0]);
      expect(vz.prod(empty).item()).toBe(1);
      expect(vz.mean(empty).item()).toBeNaN();
      expect(vz.max(empty, { axis: 1 }).shape).toEqual([0]);
      expect(() => vz.max(empty)).toThrow("max: zero-size array to reduction operation maximum which has no identity");
      expect(() => vz.argmin(empty, { axis: 0 })).toThrow("argmin: attempt to get argmin of an empty sequence");
      expect(vz.sum(vz.array(5)).item()).toBe(5);
    }),
  );

  it(
    "errors name the op and the shapes, numpy's wording",
    inB(() => {
      const x = vz.zeros([2, 3]);
      expect(() => x.sum({ axis: 2 })).toThrow(new vz.AxisError("sum: axis 2 is out of bounds for array of dimension 2"));
      expect(() => x.sum({ axis: [0, -2] })).toThrow("sum: duplicate value in 'axis'");
      expect(() => x.reshape(4)).toThrow(new vz.ReshapeError("reshape: cannot reshape array of size 6 into shape (4,)"));
      expect(() => x.reshape(-1, -1)).toThrow("reshape: can only specify one unknown dimension");
      expect(() => x.transpose([0, 0])).toThrow("transpose: axes don't match array");
      expect(() => x.slice(0, 5)).toThrow(new vz.IndexError("slice: index 5 is out of bounds for axis 1 with size 3"));
      expect(() => x.slice(0, 0, 0)).toThrow("slice: too many indices for array: array is 2-dimensional, but 3 were indexed");
      expect(() => x.slice([null, null, 0])).toThrow("slice: slice step cannot be zero");
      expect(() => x.squeeze(0)).toThrow("squeeze: cannot select an axis to squeeze out which has size not equal to one");
      expect(() => x.broadcastTo([3, 3])).toThrow(vz.BroadcastError);
      expect(() => x.expandDims(4)).toThrow("expandDims: axis 4 is out of bounds for array of dimension 3");
      expect(() => vz.concat([x, vz.zeros([2, 2])])).toThrow(
        "concat: all the input array dimensions except for the concatenation axis must match exactly, but along dimension 1, the array at index 0 has size 3 and the array at index 1 has size 2",
      );
      expect(() => vz.stack([x, vz.zeros([3, 2])])).toThrow("stack: all input arrays must have the same shape, got (2,3) and (3,2)");
      expect(() => vz.where(vz.ones([2]), x, 0)).toThrow("where: operands could not be broadcast together with shapes (2,) (2,3)");
      expect(() => vz.zeros([2], { dtype: "int32" as vz.DType })).toThrow(vz.DTypeError);
      expect(() => vz.ones([-1])).toThrow(vz.ValueError);
      expect(() => vz.arange(0, 1, 0)).toThrow("arange: step must not be zero");
      expect(() => x.item()).toThrow("item: can only convert an array of size 1 to a number, got size 6");
    }),
  );
});

describe("random", () => {
  it("the same seed gives the same stream on every backend, for every dtype", () => {
    const draw = (backend: (typeof ALL_BACKENDS)[number], dtype: vz.DType) =>
      on(backend, () => {
        vz.random.seed(1234);
        const arrays = [vz.random.rand([5], { dtype }), vz.random.randn([3, 3], { dtype }), vz.random.uniform(-2, 2, 4, { dtype })];
        expect(arrays.map((a) => a.dtype)).toEqual([dtype, dtype, dtype]);
        const data = arrays.map((a) => Array.from(a.toTypedArray()));
        arrays.forEach((a) => a.dispose());
        return data;
      });
    for (const dtype of ["float32", "float64"] as const) {
      const want = draw("reference", dtype);
      expect(draw("wasm-simd", dtype)).toEqual(want);
      expect(draw("wasm", dtype)).toEqual(want);
    }
    on("reference", () => {
      vz.random.seed(1);
      const a = vz.random.rand(3).toTypedArray();
      vz.random.seed(2);
      expect(vz.random.rand(3).toTypedArray()).not.toEqual(a);
    });
  });

  it("samples have the moments of their distributions", () =>
    on("reference", () => {
      vz.random.seed(7);
      const n = 200_000;
      const u = vz.random.rand(n, { dtype: "float64" }).toTypedArray();
      const z = vz.random.randn(n, { dtype: "float64" }).toTypedArray();
      const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, v) => s + v, 0) / xs.length;
      const variance = (xs: ArrayLike<number>) => mean(Array.from(xs, (v) => v * v)) - mean(xs) ** 2;
      // Standard errors at n = 2e5: about 0.0007 for U(0,1)'s mean and 0.003 for N(0,1)'s variance.
      expect(Math.abs(mean(u) - 0.5)).toBeLessThan(0.004);
      expect(Math.abs(variance(u) - 1 / 12)).toBeLessThan(0.002);
      expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
      expect(Math.abs(mean(z))).toBeLessThan(0.01);
      expect(Math.abs(variance(z) - 1)).toBeLessThan(0.02);
    }));
});
