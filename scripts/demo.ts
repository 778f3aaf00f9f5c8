/**
 * `npm run demo`: what vectorized does today, end to end: load the SIMD WebAssembly build,
 * broadcast arithmetic as numpy does it, numpy's error messages, and the speed against the
 * pure-TypeScript reference backend.
 */
import { performance } from "node:perf_hooks";
import * as vz from "../ts/index.js";

const backend = await vz.init();
console.log(`vectorized: loaded the ${backend} backend\n`);

// The course's broadcasting example: a (3,4) table of calories plus a per-column offset.
const A = vz.array([
  [56.0, 0.0, 4.4, 68.0],
  [1.2, 104.0, 52.0, 8.0],
  [1.8, 135.0, 99.0, 0.9],
]);
const rowOffset = vz.array([[1, 2, 3, 4]]); // (1,4): broadcast down the rows
const colOffset = vz.array([[100], [200], [300]]); // (3,1): broadcast across the columns
console.log("A + (1,4) row:\n", vz.add(A, rowOffset).toString());
console.log("A + (3,1) column:\n", vz.add(A, colOffset).toString());
console.log("A + 0.5 (a scalar):\n", A.add(0.5).toString());

try {
  vz.add(A, vz.array([1, 2, 3]));
} catch (error) {
  console.log(`\nA (3,4) + (3,) is not broadcastable, as in numpy:\n  ${(error as Error).name}: ${(error as Error).message}`);
}

// Speed: (1000,1000) + (1000,1), the median of 21 runs on each backend.
const time = (name: "wasm-simd" | "reference") => {
  vz.setBackend(name);
  const x = vz.array(Float32Array.from({ length: 1e6 }, (_, i) => Math.sin(i)), { shape: [1000, 1000] });
  const y = vz.array(Float32Array.from({ length: 1000 }, (_, i) => i), { shape: [1000, 1] });
  const samples = Array.from({ length: 21 }, () => {
    const t0 = performance.now();
    vz.add(x, y).dispose();
    return performance.now() - t0;
  }).sort((a, b) => a - b);
  x.dispose();
  y.dispose();
  return samples[10]!;
};
const [fast, slow] = [time("wasm-simd"), time("reference")];
console.log(
  `\n(1000,1000) + (1000,1) float32: wasm-simd ${fast.toFixed(2)} ms, reference ${slow.toFixed(2)} ms ` +
    `(${(slow / fast).toFixed(1)}× faster). Full comparison with TensorFlow.js: npm run bench`,
);
