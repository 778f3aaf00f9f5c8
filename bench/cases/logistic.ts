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
        contenders.push(copyYardstick(bytes / 2));
        // GB/s counts X read once: the fused kernel's traffic.
        cases.push({ name: `logistic step (${nx},${m}) ${layout} ${dtype}`, bytes, contenders });
      }
    }
  }
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
