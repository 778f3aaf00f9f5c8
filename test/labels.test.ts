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
