/**
 * One logistic-regression training step (cost, dw, db) at the course's shapes, fused in wasm
 * against our own unfused composition of ops, the reference backend and the same math in
 * TensorFlow.js ops; plus 2000 training iterations at (12288, 209).
 */
import * as vz from "../../ts/index.js";
import { LogisticLayout } from "../../ts/backend/backend.js";
import { propagateUnfused } from "../../ts/models/unfused.js";
import { copyYardstick, fastest, ourBackends, type OurBackend } from "../contenders.js";
import type { BenchCase, Contender } from "../harness.js";
import { jax, npts, useTf, type JaxArray, type NptsArray } from "../peers.js";
import { filled } from "../filled.js";
import { runPython } from "../python.js";
import { Matrix } from "ml-matrix";
// @ts-expect-error: the package ships no types; its two-class model is the one step we time
import TwoClasses from "ml-logistic-regression/src/logreg_2classes.js";

/** ml-logistic-regression's own gradient step (numSteps = 1; it computes no cost), on rows of float64. */
function mlLogistic(nx: number, m: number): Contender {
  return {
    name: "ml-logistic-regression",
    setup() {
      const data = filled(nx * m, "float64").map((v) => v / 100);
      const X = new Matrix(Array.from({ length: m }, (_, i) => Array.from(data.subarray(i * nx, (i + 1) * nx))));
      const y = Matrix.columnVector(Array.from({ length: m }, (_, i) => i % 2));
      return { run: () => new TwoClasses({ numSteps: 1, learningRate: 0.005 }).train(X, y) };
    },
  };
}
/** numpy on one thread (the venv's PyPI numpy), timed by its own script; undefined when it cannot run. */
function numpy(nx: number, m: number, dtype: vz.DType, layout: "cols" | "rows"): Contender {
  return {
    name: "numpy (1 thread)",
    setup: () => ({ run: () => undefined }),
    external() {
      return runPython("python/numpy_step.py", [String(nx), String(m), dtype, layout, "9"]);
    },
  };
}

/**
 * The step composed from numpy-ts's ops and from jax-js's (under `jit`), course layout, as a user
 * of either would write it; jax-js's outputs are read back (`dataSync`) to force its lazy arrays.
 */
function jsStep(peer: "numpy-ts" | "jax-js jit", nx: number, m: number, dtype: vz.DType): Contender {
  const data = filled(nx * m, dtype).map((v) => v / 100);
  const labels = (dtype === "float32" ? new Float32Array(m) : new Float64Array(m)).map((_, i) => i % 2);
  const weights = (dtype === "float32" ? new Float32Array(nx) : new Float64Array(nx)).fill(0.01);
  if (peer === "numpy-ts") {
    return {
      name: peer,
      setup() {
        const X = npts.array(data, dtype).reshape([nx, m]) as NptsArray;
        const Y = npts.array(labels, dtype).reshape([1, m]) as NptsArray;
        const w = npts.array(weights, dtype).reshape([nx, 1]) as NptsArray;
        return {
          run() {
            // Every array made is freed at the end, as numpy-ts's docs say to in benchmarks
            // (left to the GC, its heap fills and later results fall back to slower JS arrays).
            const made: unknown[] = [];
            const t = <T>(a: T): T => (made.push(a), a);
            const Z = t(npts.add(t(npts.matmul(t(w.T), X)), 0.1));
            const A = t(npts.reciprocal(t(npts.add(t(npts.exp(t(npts.negative(Z)))), 1))));
            void npts.mean(t(npts.subtract(t(npts.logaddexp(Z, 0)), t(npts.multiply(Y, Z)))));
            const dZ = t(npts.subtract(A, Y));
            void t(npts.divide(t(npts.matmul(X, t(dZ.T))), m));
            void npts.mean(dZ);
            for (const a of made) (a as NptsArray).dispose();
          },
          teardown: () => [X, Y, w].forEach((a) => a.dispose()),
        };
      },
    };
  }
  return {
    name: peer,
    setup() {
      const np = jax.numpy;
      const jdtype = dtype === "float64" ? np.float64 : np.float32;
      const X = np.array(data, { dtype: jdtype }).reshape([nx, m]);
      const Y = np.array(labels, { dtype: jdtype }).reshape([1, m]);
      const w = np.array(weights, { dtype: jdtype }).reshape([nx, 1]);
      const step = jax.jit((w: JaxArray, X: JaxArray, Y: JaxArray) => {
        const Z = np.matmul(w.transpose(), X.ref).add(0.1);
        const A = jax.nn.sigmoid(Z.ref);
        const cost = np.mean(jax.nn.softplus(Z.ref).sub(Y.ref.mul(Z)));
        const dZ = A.sub(Y);
        return [cost, np.matmul(X, dZ.ref.transpose()).div(m), np.mean(dZ)];
      });
      return {
        run: () => step(w.ref, X.ref, Y.ref).forEach((a) => void a.dataSync()),
        teardown() {
          [X, Y, w].forEach((a) => a.dispose());
          step.dispose();
        },
      };
    },
  };
}

const SHAPES = [[12288, 209], [784, 60000], [1000, 100000]] as const;

/** The fused step on one backend: X, Y, w live there; one kernel call per run. */
function fused(name: OurBackend, nx: number, m: number, dtype: vz.DType, layout: "cols" | "rows"): Contender {
  return {
    name: name === "wasm-relaxed" || name === "wasm-simd" ? `fused ${name}` : name,
    setup() {
      vz.setBackend(name);
      const X = vz.array(filled(nx * m, dtype).map((v) => v / 100), { dtype, shape: layout === "cols" ? [nx, m] : [m, nx] });
      const Y = vz.array(new Float64Array(m).map((_, i) => i % 2), { dtype, shape: [m] });
      const w = vz.full([nx], 0.01, { dtype });
      const dw = vz.zeros([nx], { dtype });
      const code = layout === "cols" ? LogisticLayout.Cols : LogisticLayout.Rows;
      const s = (a: vz.NDArray) => a.view("bench").storage;
      return {
        run: () => void X.backend.logisticGrad(code, s(X), nx, m, s(Y), s(w), 0.1, 0, s(dw)),
        teardown: () => [X, Y, w, dw].forEach((a) => a.dispose()),
      };
    },
  };
}

/** Our own ops, one per formula (course layout). */
function unfused(nx: number, m: number, dtype: vz.DType): Contender {
  return {
    name: `unfused ${fastest()}`,
    setup() {
      vz.setBackend(fastest());
      const X = vz.array(filled(nx * m, dtype).map((v) => v / 100), { dtype, shape: [nx, m] });
      const Y = vz.array(new Float64Array(m).map((_, i) => i % 2), { dtype, shape: [1, m] });
      const w = vz.full([nx, 1], 0.01, { dtype });
      return {
        run: () => propagateUnfused(w, 0.1, X, Y).dw.dispose(),
        teardown: () => [X, Y, w].forEach((a) => a.dispose()),
      };
    },
  };
}

/** The same math in tfjs ops (float32 only). */
function tfStep(backend: "tfjs-wasm" | "tfjs-cpu", nx: number, m: number): Contender {
  return {
    name: backend,
    setup() {
      const tf = useTf(backend);
      const X = tf.tensor2d(filled(nx * m, "float32").map((v) => v / 100) as Float32Array, [nx, m]);
      const Y = tf.tensor2d(new Float32Array(m).map((_, i) => i % 2), [1, m]);
      const w = tf.fill([nx, 1], 0.01);
      return {
        run() {
          useTf(backend);
          const out = tf.tidy(() => {
            const Z = tf.add(tf.matMul(w, X, true, false), 0.1);
            const A = tf.sigmoid(Z);
            const cost = tf.mean(tf.sub(tf.softplus(Z), tf.mul(Y, Z)));
            const dZ = tf.sub(A, Y);
            return [cost, tf.div(tf.matMul(X, dZ, false, true), m), tf.mean(dZ)];
          });
          out.forEach((t) => t.dataSync());
          out.forEach((t) => t.dispose());
        },
        teardown: () => [X, Y, w].forEach((t) => t.dispose()),
      };
    },
  };
}

/** `quick`: numpy-ts and jax-js only at the smaller shapes (each takes seconds per run on 10⁸ elements). */
export function logisticCases({ quick = false } = {}): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const [nx, m] of SHAPES) {
    for (const dtype of ["float32", "float64"] as const) {
      for (const layout of ["cols", "rows"] as const) {
        const bytes = nx * m * (dtype === "float32" ? 4 : 8);
        const contenders = ourBackends().filter((b) => b !== "reference").map((b) => fused(b, nx, m, dtype, layout));
        if (layout === "cols") contenders.push(unfused(nx, m, dtype));
        if (nx * m <= 3e6) contenders.push(fused("reference", nx, m, dtype, layout));
        if (dtype === "float32" && layout === "cols") contenders.push(tfStep("tfjs-wasm", nx, m), tfStep("tfjs-cpu", nx, m));
        if (layout === "cols" && (!quick || nx * m <= 3e6)) contenders.push(jsStep("numpy-ts", nx, m, dtype), jsStep("jax-js jit", nx, m, dtype));
        if (dtype === "float64" && layout === "rows" && nx * m <= 3e6) contenders.push(mlLogistic(nx, m));
        contenders.push(numpy(nx, m, dtype, layout));
        contenders.push(copyYardstick(bytes / 2));
        // GB/s counts X read once: the fused kernel's traffic.
        cases.push({ name: `logistic step (${nx},${m}) ${layout} ${dtype}`, bytes, contenders });
      }
    }
  }
  // Which layout the training loop should stream (ROWS_FROM_FEATURES in logistic_regression.ts).
  for (const m of [400, 10000]) {
    for (const nx of [2, 32, 256, 512, 2048]) {
      const renamed = (c: Contender, name: string): Contender => ({ ...c, name });
      cases.push({
        name: `logistic layout: one step (${nx},${m}) float32`,
        bytes: nx * m * 4,
        contenders: [renamed(fused(fastest(), nx, m, "float32", "cols"), "cols pass"), renamed(fused(fastest(), nx, m, "float32", "rows"), "rows pass")],
      });
    }
  }
  cases.push({
    name: "logistic fit 1000 iterations (2,400) float32 (the demo page's blobs)",
    contenders: ourBackends().map((name) => ({
      name,
      setup() {
        vz.setBackend(name);
        const X = vz.array(filled(2 * 400, "float32").map((v) => v / 100), { shape: [2, 400] });
        const Y = vz.array(new Float32Array(400).map((_, i) => i % 2), { shape: [1, 400] });
        return {
          run: () => new vz.LogisticRegression({ learningRate: 0.1, iterations: 1000 }).fit(X, Y).dispose(),
          teardown: () => [X, Y].forEach((a) => a.dispose()),
        };
      },
    })),
  });
  // The course's training: 2000 iterations of gradient descent at (12288, 209).
  for (const dtype of ["float32", "float64"] as const) {
    cases.push({
      name: `logistic fit 2000 iterations (12288,209) ${dtype}`,
      contenders: [
        ...ourBackends()
          .filter((b) => b !== "reference")
          .map((name) => ({
          name,
          setup() {
            vz.setBackend(name);
            const X = vz.array(filled(12288 * 209, dtype).map((v) => v / 100), { dtype, shape: [12288, 209] });
            const Y = vz.array(new Float64Array(209).map((_, i) => i % 2), { dtype, shape: [1, 209] });
            return {
              run: () => new vz.LogisticRegression({ learningRate: 0.005, iterations: 2000 }).fit(X, Y).dispose(),
              teardown: () => [X, Y].forEach((a) => a.dispose()),
            };
          },
        })),
        {
          name: "numpy (1 thread)",
          setup: () => ({ run: () => undefined }),
          external() {
            return runPython("python/numpy_fit.py", ["12288", "209", dtype, "2000", "3"]);
          },
        },
      ],
    });
  }
  return cases;
}
