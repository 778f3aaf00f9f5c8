// toString() against numpy's own repr of the same arrays (numpy 1.26 / 2.x, default print options).
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";

beforeAll(loadAll);

describe.each(ALL_BACKENDS)("toString on %s reads like numpy's repr", (backend) => {
  const repr = (data: Parameters<typeof vz.array>[0], options?: vz.ArrayOptions) => on(backend, () => vz.array(data, options).toString());

  it("matrices, dtypes, 0-d and empty arrays", () => {
    expect(repr([[1, 2], [3, 4]])).toBe("array([[1., 2.],\n       [3., 4.]], dtype=float32)");
    expect(repr([[1, 2], [3, 4]], { dtype: "float64" })).toBe("array([[1., 2.],\n       [3., 4.]])");
    expect(repr([0.1, 0.2, 0.3])).toBe("array([0.1, 0.2, 0.3], dtype=float32)");
    expect(repr([1 / 3], { dtype: "float64" })).toBe("array([0.33333333])");
    expect(repr(2.5)).toBe("array(2.5, dtype=float32)");
    expect(repr([])).toBe("array([], dtype=float32)");
    expect(repr([[56, 0, 4.4, 68], [1.2, 104, 52, 8]])).toBe(
      "array([[ 56. ,   0. ,   4.4,  68. ],\n       [  1.2, 104. ,  52. ,   8. ]], dtype=float32)",
    );
  });

  it("special values, scientific notation and 3-D blocks", () => {
    expect(repr([NaN, 1, -Infinity, -0])).toBe("array([ nan,   1., -inf,  -0.], dtype=float32)");
    expect(repr([1e-5, 1e5])).toBe("array([1.e-05, 1.e+05], dtype=float32)");
    expect(repr(new Float32Array(12).map((_, i) => i), { shape: [2, 2, 3] })).toBe(
      "array([[[ 0.,  1.,  2.],\n        [ 3.,  4.,  5.]],\n\n       [[ 6.,  7.,  8.],\n        [ 9., 10., 11.]]], dtype=float32)",
    );
  });

  it("summarises arrays over 1000 elements", () => {
    expect(repr(new Float64Array(2000).map((_, i) => i % 10))).toBe("array([0., 1., 2., ..., 7., 8., 9.])");
    // np.arange(2000.): magnitudes spanning over 1e3 switch to scientific notation.
    expect(repr(new Float64Array(2000).map((_, i) => i))).toBe(
      "array([0.000e+00, 1.000e+00, 2.000e+00, ..., 1.997e+03, 1.998e+03, 1.999e+03])",
    );
    expect(repr(new Float32Array(2000 * 3), { shape: [2000, 3] })).toBe(
      "array([[0., 0., 0.],\n       [0., 0., 0.],\n       [0., 0., 0.],\n       ...,\n       [0., 0., 0.],\n       [0., 0., 0.],\n       [0., 0., 0.]], dtype=float32)",
    );
  });
});
