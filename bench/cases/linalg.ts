/**
 * Matrix products: GEMM at n = 128…1024, plain and with each operand transposed, float32 and
 * float64; GEMV as a row vector times a matrix and a transposed matrix times a vector at the
 * course's shapes. Each run makes a new result and frees it (no read-back).
 */
import * as vz from "../../ts/index.js";
import { contendersFor, copyYardstick } from "../contenders.js";
import type { BenchCase, Contender } from "../harness.js";
import { filled } from "../filled.js";

type Transpose = "" | "Aᵀ" | "Bᵀ";

export function gemmCases(sizes = [128, 256, 512, 1024]): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    for (const n of sizes) {
      for (const t of ["", "Aᵀ", "Bᵀ"] as Transpose[]) {
        if (dtype === "float64" && t !== "") continue; // f64 against our own f32, plain only
        const a = { data: filled(n * n, dtype), shape: [n, n] };
        const b = { data: filled(n * n, dtype), shape: [n, n] };
        const contenders = gemmContenders(a, b, t).filter((c) => c.name !== "reference" || n <= 256);
        cases.push({ name: `matmul ${n}×${n}·${n}×${n}${t ? ` (${t})` : ""} ${dtype}`, flops: 2 * n ** 3, contenders });
      }
    }
  }
  return cases;
}

/** Ours with the transposed operand as a strided view (no copy); tfjs with its transpose flags. */
function gemmContenders(a: { data: Float32Array | Float64Array; shape: number[] }, b: typeof a, t: Transpose): Contender[] {
  return contendersFor(
    [a, b],
    (x, y) => vz.matmul(t === "Aᵀ" ? x.T : x, t === "Bᵀ" ? y.T : y),
    (tf, x, y) => tf.matMul(x, y, t === "Aᵀ", t === "Bᵀ"),
    {
      js: {
        numpyTs: (np, x, y) => np.matmul(t === "Aᵀ" ? x.T : x, t === "Bᵀ" ? y.T : y),
        jax: (np, x, y) => np.matmul(t === "Aᵀ" ? x.transpose() : x, t === "Bᵀ" ? y.transpose() : y),
      },
      numpy: `${t === "Aᵀ" ? "a.T" : "a"} @ ${t === "Bᵀ" ? "b.T" : "b"}`,
    },
  );
}

/** GEMV at the course's shapes: wᵀX as (1,n)·(n,m), and Xᵀv as (n,m)ᵀ·(n,1). */
export function gemvCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const [n, m] of [[12288, 209], [784, 60000], [1000, 100000]] as const) {
    const X = { data: filled(n * m, "float32"), shape: [n, m] };
    const w = { data: filled(n, "float32"), shape: [1, n] };
    const v = { data: filled(n, "float32"), shape: [n, 1] };
    const bytes = 4 * n * m;
    cases.push({
      name: `gemv (1,${n})·(${n},${m}) float32`,
      bytes,
      flops: 2 * n * m,
      contenders: [...contendersFor([w, X], (a, b) => vz.matmul(a, b), (tf, a, b) => tf.matMul(a, b), { js: { numpyTs: (np, a, b) => np.matmul(a, b), jax: (np, a, b) => np.matmul(a, b) }, numpy: "a @ b" }).filter(notSlowReference(n * m)), copyYardstick(bytes / 2)],
    });
    cases.push({
      name: `gemv (${n},${m})ᵀ·(${n},1) float32`,
      bytes,
      flops: 2 * n * m,
      contenders: [...contendersFor([X, v], (a, b) => vz.matmul(a.T, b), (tf, a, b) => tf.matMul(a, b, true, false), { js: { numpyTs: (np, a, b) => np.matmul(a.T, b), jax: (np, a, b) => np.matmul(a.transpose(), b) }, numpy: "a.T @ b" }).filter(notSlowReference(n * m)), copyYardstick(bytes / 2)],
    });
  }
  return cases;
}

/** The reference backend takes seconds per run on the largest inputs; it is timed up to 1e7 elements. */
function notSlowReference(elements: number) {
  return (c: Contender) => c.name !== "reference" || elements <= 1e7;
}
