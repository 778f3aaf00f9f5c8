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

  // propagate reads X's finiteness off its cost (course.ts): every way a bad element can meet a
  // weight (zero or not, either sign) and a label (0, 1, soft) must still be named, and an X that
  // is finite but overflows z must come back as a cost, not an error.
  it.each(["float32", "float64"] as const)("propagate names every non-finite element of X (%s)", (dtype) =>
    on(backend, () =>
      vz.scope(() => {
        const base = [[0.5, -1, 2, 0.25], [1, 3, -2, -0.5]];
        for (const bad of [NaN, Infinity, -Infinity]) {
          for (const [wv, label] of [[[0, 0], 0], [[0, 0], 1], [[1, -2], 0], [[1, -2], 1], [[-3, 0], 0.5], [[2, 1], 0]] as const) {
            for (const [r, c] of [[0, 0], [1, 3]] as const) {
              const data = base.map((row) => [...row]);
              data[r]![c] = bad;
              const X = vz.array(data, { dtype });
              const Y = vz.array([[label, 1 - label, label, label]], { dtype });
              const w = vz.array([[wv[0]], [wv[1]]], { dtype });
              expect(() => vz.course.propagate(w, 0.5, X, Y), `${bad} at (${r},${c}), w ${wv}, y ${label}`).toThrow(
                `propagate: X contains ${bad} at index (${r},${c}); it must be finite`,
              );
            }
          }
        }
        // Finite X whose z overflows: no error, whatever the cost (the reference backend sums
        // in float64, where a float32 X cannot overflow; elsewhere the cost is not finite and
        // the scan runs and finds nothing).
        const huge = dtype === "float32" ? 3e38 : 1.7e308;
        const { cost } = vz.course.propagate(vz.array([[1], [1]], { dtype }), 0, vz.array([[huge, 1], [huge, 1]], { dtype }), vz.array([[0, 1]], { dtype }));
        expect(Number.isFinite(cost)).toBe(backend === "reference" && dtype === "float32");
      }),
    ),
  );
});
