/**
 * The models' finiteness check, one kernel pass (`backend.firstNonFinite`): the row-major index
 * of the first NaN or ±Infinity through any view (transposed, sliced, broadcast), the same on
 * every backend, and the error that names it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";

beforeAll(loadAll);
expectNoLeakedArrays();

/** The first non-finite element's row-major index, by reading the values in JS. */
const byValues = (a: vz.NDArray) => Array.from(a.toTypedArray()).findIndex((v) => !Number.isFinite(v));

describe.each(ALL_BACKENDS)("firstNonFinite on %s", (backend) => {
  it.each(["float32", "float64"] as const)("finds the first bad element through views (%s)", (dtype) =>
    on(backend, () =>
      vz.scope(() => {
        const values = Array.from({ length: 37 * 300 }, (_, i) => Math.sin(i));
        for (const [at, bad] of [[-1, 0], [5000, NaN], [299, Infinity], [11099, -Infinity]] as const) {
          const data = [...values];
          if (at >= 0) data[at] = bad;
          const a = vz.array(data, { dtype, shape: [37, 300] });
          const views = [a, a.T, a.slice([1, 30], [2, 299, 3]), vz.broadcastTo(a.slice([0, 1]), [4, 37, 1, 300])];
          for (const v of views) {
            const found = v.backend.firstNonFinite(v.shape, v.view("test"));
            expect(found, `${bad} at ${at}, view ${v.shape}`).toBe(byValues(v));
          }
        }
      }),
    ),
  );

  it("fit names the bad element of a transposed X", () =>
    on(backend, () =>
      vz.scope(() => {
        const X = vz.array([[1, 2, 3], [4, NaN, 6]], { dtype: "float64" });
        expect(() => new vz.LogisticRegression({ layout: "rows" }).fit(X.T, vz.array([0, 1, 1], { dtype: "float64" }))).toThrow("fit: X contains NaN at index (1,1); it must be finite");
      }),
    ));
});
