/**
 * One logistic-regression training step (cost, dw, db) at the course's shapes, fused in wasm
 * against our own unfused composition of ops, the reference backend and the same math in
 * TensorFlow.js ops; plus 2000 training iterations at (12288, 209).
 */
import * as vz from "../../ts/index.js";
import { LogisticLayout } from "../../ts/backend/backend.js";
import { propagateUnfused } from "../../ts/models/unfused.js";
import { copyYardstick } from "../contenders.js";
import type { BenchCase, Contender } from "../harness.js";
import { useTf } from "../peers.js";
import { filled } from "./add.js";
import { execFileSync } from "node:child_process";
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
import { fileURLToPath } from "node:url";

/** numpy on one thread, timed by its own script; undefined when python3 or numpy is missing. */
function numpy(nx: number, m: number, dtype: vz.DType, layout: "cols" | "rows"): Contender {
  return {
    name: "numpy (1 thread)",
    setup: () => ({ run: () => undefined }),
    external() {
      const script = fileURLToPath(new URL("../numpy_step.py", import.meta.url));
      try {
        const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
        // These machines may pin OpenBLAS to an old kernel (a workaround for old builds): a current
        // numpy runs its own best kernel without them.
        delete env["OPENBLAS_CORETYPE"];
        delete env["OPENBLAS_L2_SIZE"];
        const out = execFileSync("python3", [script, String(nx), String(m), dtype, layout, "9"], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
        return Number(out.trim());
      } catch {
        return undefined;
      }
    },
  };
}

const SHAPES = [[12288, 209], [784, 60000], [1000, 100000]] as const;

/** The fused step on one backend: X, Y, w live there; one kernel call per run. */
function fused(name: "wasm-simd" | "wasm" | "reference", nx: number, m: number, dtype: vz.DType, layout: "cols" | "rows"): Contender {
  return {
    name: name === "wasm-simd" ? `fused ${name}` : name,
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
    name: "unfused wasm-simd",
    setup() {
      vz.setBackend("wasm-simd");
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

export function logisticCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const [nx, m] of SHAPES) {
    for (const dtype of ["float32", "float64"] as const) {
      for (const layout of ["cols", "rows"] as const) {
        const bytes = nx * m * (dtype === "float32" ? 4 : 8);
        const contenders = [fused("wasm-simd", nx, m, dtype, layout), fused("wasm", nx, m, dtype, layout)];
        if (layout === "cols") contenders.push(unfused(nx, m, dtype));
        if (nx * m <= 3e6) contenders.push(fused("reference", nx, m, dtype, layout));
        if (dtype === "float32" && layout === "cols") contenders.push(tfStep("tfjs-wasm", nx, m), tfStep("tfjs-cpu", nx, m));
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
        contenders: [renamed(fused("wasm-simd", nx, m, "float32", "cols"), "cols pass"), renamed(fused("wasm-simd", nx, m, "float32", "rows"), "rows pass")],
      });
    }
  }
  cases.push({
    name: "logistic fit 1000 iterations (2,400) float32 (the demo page's blobs)",
    contenders: (["wasm-simd", "wasm", "reference"] as const).map((name) => ({
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
  cases.push({
    name: "logistic fit 2000 iterations (12288,209) float32",
    contenders: ["wasm-simd", "wasm"].map((name) => ({
      name,
      setup() {
        vz.setBackend(name as "wasm-simd" | "wasm");
        const X = vz.array(filled(12288 * 209, "float32").map((v) => v / 100), { shape: [12288, 209] });
        const Y = vz.array(new Float32Array(209).map((_, i) => i % 2), { shape: [1, 209] });
        return {
          run: () => new vz.LogisticRegression({ learningRate: 0.005, iterations: 2000 }).fit(X, Y).dispose(),
          teardown: () => [X, Y].forEach((a) => a.dispose()),
        };
      },
    })),
  });
  return cases;
}
