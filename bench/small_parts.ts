/**
 * The small cases of issue 12 split into their pieces, each timed alone in one process (CPU
 * µs per call, the median of 5 rounds): what `tanh(matmul(W, X))` and `course.propagate` at
 * (2, 400) spend in each op's JS, its result allocation, each kernel, and the checks.
 *   node --import tsx bench/small_parts.ts [simd|relaxed] [rounds] [filter]
 * (Node 20 has no relaxed SIMD: there `relaxed` falls back to SIMD128, as `init()` does.)
 */
import * as vz from "../ts/index.js";
import { filled } from "./filled.js";
import { LogisticLayout, UnaryOp } from "../ts/backend/backend.js";

const [build = "relaxed", roundsArg = "5", filter = ""] = process.argv.slice(2);
await vz.init({ relaxed: build === "relaxed" ? undefined : false, threads: 1 });
const rounds = Number(roundsArg);

const W = vz.array(filled(8, "float32", 1), { shape: [4, 2] });
const X = vz.array(filled(800, "float32", 1), { shape: [2, 400] });
const Z = vz.matmul(W, X);
const Zout = vz.zerosLike(Z);
const big = vz.array(filled(16000, "float32", 1), { shape: [16000] });
const bigOut = vz.zerosLike(big);
// The "large arrays unchanged" check of the issue: element-wise kernels over 10⁶ elements.
const large = vz.array(filled(1e6, "float32", 10), { shape: [1e6] });
const largeOut = vz.zerosLike(large);
const a = vz.array(filled(6, "float32"), { shape: [2, 3] });
const Y = vz.array(Array.from({ length: 400 }, (_, i) => i % 2), { shape: [1, 400] });
const w = vz.array([[0.01], [0.02]]);
const dw = vz.zerosLike(w);
const z1 = vz.array(filled(400, "float32", 1), { shape: [1, 400] });
const be = X.backend as any; // the wasm backend's own methods, for the pieces below the ops
const [zRun, bigRun, largeRun] = [Z.asRun("parts"), big.asRun("parts"), large.asRun("parts")];
const [zOut, bigOutS, largeOutS] = [Zout.view("parts").storage, bigOut.view("parts").storage, largeOut.view("parts").storage];
const unary = (op: number, run: typeof zRun, out: unknown) => () => be.unary(op, run.shape, run.view, out, 0, 0);

const parts: Record<string, () => void> = {
  "tanh(matmul(W,X)) in scope": () => vz.scope(() => void vz.tanh(vz.matmul(W, X))),
  "tanh(matmul(W,X)), disposed": () => {
    const m = vz.matmul(W, X);
    vz.tanh(m).dispose();
    m.dispose();
  },
  "empty scope": () => vz.scope(() => undefined),
  "matmul(W,X) disposed": () => vz.matmul(W, X).dispose(),
  "backend.matmul (4,2)(2,400) into out": () => be.matmul([], 4, 2, 400, W.view("p"), X.view("p"), Zout.view("p").storage),
  "tanh (4,400) disposed": () => vz.tanh(Z).dispose(),
  "tanh (4,400) into out": () => void vz.tanh(Z, { out: Zout }),
  "backend.unary tanh (1600) into out": unary(UnaryOp.Tanh, zRun, zOut),
  "backend.unary neg (1600) into out": unary(UnaryOp.Neg, zRun, zOut),
  "backend.unary exp (1600) into out": unary(UnaryOp.Exp, zRun, zOut),
  "backend.unary sigmoid (1600) into out": unary(UnaryOp.Sigmoid, zRun, zOut),
  "backend.unary tanh (16000) into out": unary(UnaryOp.Tanh, bigRun, bigOutS),
  "backend.unary neg (16000) into out": unary(UnaryOp.Neg, bigRun, bigOutS),
  "backend.unary tanh (1e6) into out": unary(UnaryOp.Tanh, largeRun, largeOutS),
  "backend.unary exp (1e6) into out": unary(UnaryOp.Exp, largeRun, largeOutS),
  "backend.unary sigmoid (1e6) into out": unary(UnaryOp.Sigmoid, largeRun, largeOutS),
  "neg (4,400) disposed": () => vz.neg(Z).dispose(),
  "neg (2,3) disposed": () => vz.neg(a).dispose(),
  "course.propagate (2,400)": () => vz.course.propagate(w, 0.1, X, Y).grads.dw.dispose(),
  "backend.firstNonFinite X (2,400)": () => be.firstNonFinite(X.shape, X.view("p")),
  "backend.firstBadLabel Y (1,400)": () => be.firstBadLabel(Y.shape, Y.view("p"), false),
  "backend.logisticGrad (2,400) into dw": () => be.logisticGrad(LogisticLayout.Cols, X.view("p").storage, 2, 400, Y.view("p").storage, w.view("p").storage, 0.1, 0, dw.view("p").storage),
  "sigmoid (1,400) disposed": () => vz.sigmoid(z1).dispose(),
};

function time(run: () => void, n: number): number {
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) run();
  const t = process.cpuUsage(t0);
  return ((t.user + t.system) / n);
}

console.log(`${vz.backendName()}, ${process.version}, threads ${vz.threads().count}`);
for (const [name, run] of Object.entries(parts).filter(([name]) => name.includes(filter))) {
  // Calibrate to ~40 ms a round after ~0.3 s of warm-up (JIT and wasm tier-up).
  let n = 1;
  for (const t0 = performance.now(); performance.now() - t0 < 300; ) run();
  while (time(run, n) * n < 4e4) n *= 2;
  const xs = Array.from({ length: rounds }, () => time(run, n)).sort((p, q) => p - q);
  console.log(`${name.padEnd(42)} ${xs[rounds >> 1]!.toFixed(3).padStart(8)} µs  (min ${xs[0]!.toFixed(3)})`);
}
console.log(`live arrays ${vz.memory().arrays}`);
