/**
 * vz.preprocessing.StandardScaler against numpy's `(X - X.mean(0)) / X.std(0)` on the breast
 * cancer data (expected values from test/fixtures/sklearn/make_fixtures.py), on every backend.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { permutation } from "../ts/models/shuffle.js";
import { ALL_BACKENDS, loadAll, on, WASM_BUILDS } from "./helpers/backends.js";

beforeAll(loadAll);

const fixtures = new URL("./fixtures/sklearn/", import.meta.url);
const expected = JSON.parse(readFileSync(new URL("expected.json", fixtures), "utf8")).breastCancer;
const csv = readFileSync(new URL("breast_cancer.csv", fixtures), "utf8");

/** The breast cancer train rows of the fixture's split (the CLI's: seed 0, 20 % for testing), (m, 30), in that split's order. */
function trainSet(dtype: vz.DType): vz.NDArray {
  const { X } = vz.io.readCsv(csv, { label: "malignant", dtype: "float64", name: "breast_cancer.csv" });
  const order = permutation(X.shape[0]!, 0, 0);
  const nTest = expected.testRows.length;
  expect(Array.from(order.subarray(0, nTest))).toEqual(expected.testRows); // the script's port of the permutation agrees
  const rows = Array.from(order.subarray(nTest));
  const all = X.toArray() as number[][];
  X.dispose();
  return vz.array(rows.map((i) => all[i]!), { dtype });
}

const relClose = (actual: ArrayLike<number>, want: ArrayLike<number>, rtol: number, what: string) =>
  Array.from(want).forEach((v, j) => expect(Math.abs(actual[j]! - v), `${what}[${j}]`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(v))));

describe.each(ALL_BACKENDS)("StandardScaler on %s", (backend) => {
  const inB = (fn: () => void) => () => on(backend, () => vz.scope(fn));

  it(
    "mean and scale are numpy's X.mean(0) and X.std(0) (ddof 0); transform is (X − mean) / std",
    inB(() => {
      const X = trainSet("float64");
      const scaler = new vz.preprocessing.StandardScaler().fit(X);
      relClose(scaler.mean.toTypedArray(), expected.trainMean, 1e-13, "mean");
      relClose(scaler.scale.toTypedArray(), expected.trainStd, 1e-13, "std");
      const Z = scaler.transform(X);
      relClose(Z.slice([0, 5], null).toTypedArray(), expected.trainStandardizedFirstRows.flat(), 1e-12, "Z");
      // Standardised columns: mean 0 and std 1.
      vz.mean(Z, { axis: 0 }).toTypedArray().forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-14));
      const back = scaler.inverseTransform(Z);
      relClose(back.toTypedArray(), X.toTypedArray(), 1e-14, "inverse");
      expect(scaler.nFeatures).toBe(30);
    }),
  );

  it(
    "float32: numpy's float32 mean and std, within float32 summation error (numpy sums axis 0 row after row; ours pairwise)",
    inB(() => {
      const X = trainSet("float32");
      const scaler = new vz.preprocessing.StandardScaler().fit(X);
      expect(scaler.mean.dtype).toBe("float32");
      relClose(scaler.mean.toTypedArray(), expected.trainMean32, 2e-6, "mean32");
      relClose(scaler.scale.toTypedArray(), expected.trainStd32, 2e-6, "std32");
      // And closer still to the exact float64 statistics of the same float32 data.
      relClose(scaler.mean.toTypedArray(), expected.trainMean, 1e-6, "mean vs float64");
    }),
  );

  it(
    "a constant feature keeps scale 1 (it becomes 0, not NaN); the course's layout gives the transpose",
    inB(() => {
      const X = vz.array([[1, 5, 2], [3, 5, 2], [5, 5, 8]], { dtype: "float64" });
      const rows = new vz.preprocessing.StandardScaler().fit(X);
      expect(rows.scale.toArray()).toEqual([Math.sqrt(8 / 3), 1, Math.sqrt(8)]);
      expect(rows.transform(X).slice(null, 1).toArray()).toEqual([0, 0, 0]);
      const cols = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X.T);
      expect(cols.transform(X.T).T.toArray()).toEqual(rows.transform(X).toArray());
      expect(cols.mean.toArray()).toEqual(rows.mean.toArray());
    }),
  );

  it(
    "toJSON / fromJSON round trip; bad input is a typed error naming the values; memory returns to baseline",
    inB(() => {
      const X = vz.array([[1, 2], [3, 6], [5, 7]], { dtype: "float64" });
      const baseline = vz.memory();
      const scaler = new vz.preprocessing.StandardScaler().fit(X);
      const json = JSON.parse(JSON.stringify(scaler.toJSON()));
      expect(json).toMatchObject({ format: "vectorized.StandardScaler", version: 1, layout: "rows", dtype: "float64", mean: [3, 5] });
      const back = vz.preprocessing.StandardScaler.fromJSON(json);
      vz.scope(() => expect(back.transform(X).toArray()).toEqual(scaler.transform(X).toArray()));
      const fresh = new vz.preprocessing.StandardScaler();
      const bad: [() => unknown, unknown, string | RegExp][] = [
        [() => fresh.transform(X), vz.NotFittedError, "StandardScaler.transform: this StandardScaler is not fitted yet: call fit(X) first"],
        [() => scaler.transform(vz.zeros([3, 3], { dtype: "float64" })), vz.ValueError, "StandardScaler.transform: X has 3 features (shape (3,3)) but the scaler was fit with 2"],
        [() => fresh.fit(vz.zeros([4], { dtype: "float64" })), vz.ValueError, "StandardScaler.fit: X must be 2-D (m, n), one example per row, got shape (4,)"],
        [() => fresh.fit(vz.zeros([0, 2])), vz.ValueError, "StandardScaler.fit: X of shape (0,2) has no examples"],
        [() => fresh.fit(vz.array([[1, NaN]])), vz.ValueError, "StandardScaler.fit: X contains NaN at index (0,1); it must be finite"],
        [() => fresh.fit([[1, 2]] as never), vz.ValueError, "StandardScaler.fit: X must be an NDArray, got object"],
        [() => fresh.fit(vz.array([[1, 2], [3, -Infinity]]).T), vz.ValueError, "StandardScaler.fit: X contains -Infinity at index (1,1); it must be finite"],
        [() => fresh.fit(vz.array([[1e300, 1], [-1e300, 2]], { dtype: "float64" })), vz.ValueError, "StandardScaler.fit: feature 0's variance overflows float64 (its values are too large to standardize)"],
        [() => new vz.preprocessing.StandardScaler({ layout: "columns" as never }), vz.ValueError, `StandardScaler: layout must be "rows" or "cols", got "columns"`],
        [() => new vz.preprocessing.StandardScaler({ with_mean: false } as never), vz.ValueError, /unknown option 'with_mean'/],
        [() => vz.preprocessing.StandardScaler.fromJSON({ ...json, scale: [1, 0] }), vz.ValueError, "StandardScaler.fromJSON: scale must hold 2 positive finite numbers, as many as mean"],
        [() => vz.preprocessing.StandardScaler.fromJSON({ ...json, mean: [1, NaN] }), vz.ValueError, /mean must be a non-empty array of finite numbers/],
        [() => vz.preprocessing.StandardScaler.fromJSON({ ...json, extra: 1 }), vz.ValueError, /unknown option 'extra'/],
        [() => vz.preprocessing.StandardScaler.fromJSON({ ...json, version: 2 } as never), vz.ValueError, /not a vectorized.StandardScaler \(version 1\) document/],
      ];
      vz.scope(() => {
        for (const [f, type, message] of bad) {
          expect(f).toThrow(type as never);
          expect(f).toThrow(message);
        }
      });
      // Unchanged after a failed fit.
      vz.scope(() => expect(() => scaler.fit(vz.array([[NaN, 1]], { dtype: "float64" }))).toThrow(vz.ValueError));
      vz.scope(() => expect(scaler.mean.toArray()).toEqual([3, 5]));
      [scaler, back, fresh].forEach((s) => s.dispose());
      scaler.dispose();
      expect(() => scaler.transform(X)).toThrow(vz.DisposedError);
      expect(vz.memory()).toMatchObject({ arrays: baseline.arrays, bytes: baseline.bytes });
    }),
  );
});

describe("the one-pass moments kernel (featureMoments) against the reference backend's two passes", () => {
  /** Features far from 0 relative to their spread (κ = |mean|/std to 10⁶), across many blocks, with a constant feature. */
  function features(m: number, n: number): Float64Array {
    return Float64Array.from({ length: m * n }, (_, k) => {
      const [i, j] = [Math.floor(k / n), k % n];
      if (j === 1) return 0.1; // constant, and not a sum of exact binary fractions
      return 10 ** (j % 7) + (1 + (j % 5)) * Math.sin(i * 12.9898 + j * 78.233) + (i % 3 === 0 ? 0.5 : 0);
    });
  }

  it.each(WASM_BUILDS.flatMap((build) => (["float64", "float32"] as const).flatMap((dtype) => [[build, dtype, 3000, 40], [build, dtype, 50, 1500]] as const)))(
    "%s %s (%i, %i): mean and variance in both layouts, and through transposed views",
    (build, dtype, m, n) => {
      const data = features(m, n);
      const moments = (backend: (typeof ALL_BACKENDS)[number]): [number[], number[]][] =>
        on(backend, () =>
          vz.scope(() => {
            const X = vz.array(data, { dtype, shape: [m, n] });
            const rows = new vz.preprocessing.StandardScaler().fit(X);
            const cols = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X.T.copy());
            const viaView = new vz.preprocessing.StandardScaler({ layout: "cols" }).fit(X.T); // X.T is not contiguous: the kernel reads X in the other layout
            const out = [rows, cols, viaView].map((s): [number[], number[]] => [Array.from(s.mean.toTypedArray()), Array.from(s.scale.toTypedArray())]);
            [rows, cols, viaView].forEach((s) => s.dispose());
            return out;
          }),
        );
      const [ours, ref] = [moments(build), moments("reference")];
      // float64: within 1e-12 relative of two plain passes; float32: both round the float64 statistics to float32.
      const rtol = dtype === "float64" ? 1e-12 : 2 ** -23;
      for (const [mean, scale] of ours) {
        mean.forEach((v, j) => expect(Math.abs(v - ref[0]![0]![j]!), `mean ${j}`).toBeLessThanOrEqual(rtol * Math.abs(ref[0]![0]![j]!) + 1e-300));
        scale.forEach((v, j) => expect(Math.abs(v - ref[0]![1]![j]!), `scale ${j}`).toBeLessThanOrEqual(rtol * ref[0]![1]![j]!));
        // The constant feature: its value exactly, scale 1 (a float64 sum of 0.1s divided by m is not 0.1).
        expect([mean[1], scale[1]]).toEqual([dtype === "float64" ? 0.1 : Math.fround(0.1), 1]);
      }
    },
  );
});
