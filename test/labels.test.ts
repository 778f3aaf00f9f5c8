/**
 * The models' label check, one kernel pass (`backend.firstBadLabel`): the row-major index of the
 * first element that is not a label (not 0 or 1; or, for soft labels, outside [0, 1] or NaN)
 * through any view, the same on every backend, and the errors that name it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ALL_BACKENDS, loadAll, on } from "./helpers/backends.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";

beforeAll(loadAll);
expectNoLeakedArrays();

/** The first bad label's row-major index, by reading the values in JS. */
const byValues = (a: vz.NDArray, binary: boolean) =>
  Array.from(a.toTypedArray()).findIndex((v) => (binary ? v !== 0 && v !== 1 : !(v >= 0 && v <= 1)));

describe.each(ALL_BACKENDS)("firstBadLabel on %s", (backend) => {
  it.each(["float32", "float64"] as const)("finds the first bad label through views (%s)", (dtype) =>
    on(backend, () =>
      vz.scope(() => {
        const labels: number[] = Array.from({ length: 7 * 50 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0));
        for (const [at, bad] of [[-1, 0], [200, 0.5], [49, NaN], [300, -0.25], [3, 1.5], [120, Infinity]] as const) {
          const data = [...labels];
          if (at >= 0) data[at] = bad;
          const y = vz.array(data, { dtype, shape: [7, 50] });
          const views = [y, y.T, y.slice([1, 6], [2, 49, 3]), vz.broadcastTo(y.slice([0, 1]), [3, 7, 1, 50])];
          for (const v of views) {
            for (const binary of [true, false]) {
              const found = v.backend.firstBadLabel(v.shape, v.view("test"), binary);
              expect(found, `${bad} at ${at}, view ${v.shape}, binary ${binary}`).toBe(byValues(v, binary));
            }
          }
        }
      }),
    ),
  );

  it("propagate names a bad label in any lane, before a bad X, with any weights (the kernel reads the labels' range off the cost)", () =>
    on(backend, () =>
      vz.scope(() => {
        for (const dtype of ["float32", "float64"] as const) {
          for (const m of [1, 3, 4, 5, 9]) {
            const X = vz.array(Array.from({ length: 2 * m }, (_, i) => Math.sin(i + 1)), { dtype, shape: [2, m] });
            const XNaN = vz.array(Array.from({ length: 2 * m }, (_, i) => (i === 2 * m - 1 ? NaN : Math.sin(i + 1))), { dtype, shape: [2, m] });
            for (const w of [vz.zeros([2, 1], { dtype }), vz.array([[40], [-3]], { dtype })]) {
              for (let at = 0; at < m; at++) {
                for (const bad of [1.5, -0.25, NaN, Infinity, -Infinity, -(2 ** -149)]) {
                  const labels = Array.from({ length: m }, (_, i) => (i === at ? bad : i % 2));
                  const Y = vz.array(labels, { dtype, shape: [1, m] });
                  const shown = dtype === "float32" ? Math.fround(bad) : bad;
                  for (const x of [X, XNaN]) {
                    expect(() => vz.course.propagate(w, 0.5, x, Y), `${dtype} m ${m} ${bad} at ${at}`).toThrow(`found ${shown} at position ${at}`);
                  }
                }
              }
              // Soft labels and both zeros are labels: a finite cost, no error.
              const soft = vz.array(Array.from({ length: m }, (_, i) => [0.3, -0, 1, 0][i % 4]!), { dtype, shape: [1, m] });
              expect(Number.isFinite(vz.course.propagate(w, 0.5, X, soft).cost)).toBe(true);
              expect(() => vz.course.propagate(w, 0.5, XNaN, soft)).toThrow("X contains NaN");
            }
          }
        }
        // Labels converted to the weights' dtype are checked as given: 1 + 2⁻³⁰ rounds to 1 in float32.
        const X = vz.array([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
        const w = vz.zeros([2, 1], { dtype: "float32" });
        expect(() => vz.course.propagate(w, 0, X, vz.array([[0, 1 + 2 ** -30, 1]], { dtype: "float64" }))).toThrow(`found ${1 + 2 ** -30} at position 1`);
      }),
    ),
  );

  it("propagate and score name the bad label", () =>
    on(backend, () =>
      vz.scope(() => {
        const X = vz.array([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });
        const w = vz.zeros([2, 1], { dtype: "float64" });
        expect(() => vz.course.propagate(w, 0, X, vz.array([[0, 1.5, 1]], { dtype: "float64" }))).toThrow(
          "propagate: labels must lie in [0, 1] (0/1, or probabilities as soft labels); found 1.5 at position 1",
        );
        expect(() => vz.course.propagate(w, 0, X, vz.array([[0, 1, NaN]], { dtype: "float64" }))).toThrow("found NaN at position 2");
        const model = new vz.LogisticRegression({ layout: "cols" }).fit(X, vz.array([[0, 1, 1]], { dtype: "float64" }));
        expect(() => model.score(X, vz.array([[0, 0.5, 1]], { dtype: "float64" }))).toThrow("score: labels must be 0 or 1; found 0.5 at position 1");
        model.dispose();
      }),
    ),
  );
});
