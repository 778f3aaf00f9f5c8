/** Ready-made contenders: our backends and the peers (tfjs, numpy-ts, jax-js, numpy), for one computation. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vz from "../ts/index.js";
import type { Contender } from "./harness.js";
import { runPython } from "./python.js";
import { jax, npts, useTf, type JaxArray, type NptsArray, type TfBackend } from "./peers.js";
import type * as tfTypes from "@tensorflow/tfjs-core";

export type OurBackend = "wasm-relaxed" | "wasm-simd" | "wasm" | "reference";

/**
 * Our backends in this run, fastest build first (the ratios are to it): the relaxed build where
 * the engine has relaxed SIMD (Node 22+, Node 20 with --experimental-wasm-relaxed-simd), then
 * SIMD128, the baseline and the reference.
 */
export function ourBackends(): OurBackend[] {
  const previous = vz.backendName();
  try {
    vz.setBackend("wasm-relaxed");
    return ["wasm-relaxed", "wasm-simd", "wasm", "reference"];
  } catch {
    return ["wasm-simd", "wasm", "reference"];
  } finally {
    if (previous) vz.setBackend(previous);
  }
}

/** Our fastest build in this run: "wasm-relaxed" or "wasm-simd". */
export const fastest = (): "wasm-relaxed" | "wasm-simd" => ourBackends()[0] as "wasm-relaxed" | "wasm-simd";
export const TF_BACKENDS: TfBackend[] = ["tfjs-wasm", "tfjs-cpu"];

/**
 * Contenders for `op` over inputs made by `inputs` (row-major data and shapes). Every run
 * computes a new result and frees it; with `readBack` it also copies the result into JS first,
 * for ours and for tfjs alike. `numpy` is the same computation as a numpy expression over
 * `a`, `b`, … (see `numpyOp`).
 */
export function contendersFor(
  inputs: { data: Float32Array | Float64Array; shape: number[] }[],
  ours: (...xs: vz.NDArray[]) => vz.NDArray,
  theirs: (tf: typeof tfTypes, ...xs: tfTypes.Tensor[]) => tfTypes.Tensor,
  { readBack = false, js, numpy }: { readBack?: boolean; js?: JsPeerOps; numpy?: string } = {},
): Contender[] {
  const dtype = inputs[0]!.data instanceof Float64Array ? "float64" : "float32";
  const mine = ourBackends().map(
    (name): Contender => ({
      name,
      setup() {
        vz.setBackend(name);
        const xs = inputs.map((x) => vz.array(x.data, { dtype, shape: x.shape }));
        return {
          run() {
            vz.setBackend(name);
            const out = ours(...xs);
            if (readBack) out.toTypedArray();
            out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    }),
  );
  const others = [...(js ? jsPeers(inputs, js, readBack) : []), ...(numpy ? [numpyOp(numpy, inputs)] : [])];
  if (dtype === "float64") return [...mine, ...others]; // tfjs computes in float32 only
  const peers = TF_BACKENDS.map(
    (name): Contender => ({
      name,
      setup() {
        const tf = useTf(name);
        const xs = inputs.map((x) => tf.tensor(x.data as Float32Array, x.shape, "float32"));
        return {
          run() {
            useTf(name);
            const out = theirs(tf, ...xs);
            if (readBack) out.dataSync();
            out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    }),
  );
  return [...mine, ...peers, ...others];
}

/**
 * The same computation in numpy-ts and in jax-js (whose functions take ownership of their
 * arguments). A numpy-ts op frees its own intermediates (`dispose()`); its result is freed by
 * the run, as ours and tfjs's are.
 */
export interface JsPeerOps {
  numpyTs: (np: typeof npts, ...xs: NptsArray[]) => NptsArray;
  jax: (np: typeof jax.numpy, ...xs: JaxArray[]) => JaxArray;
}

/**
 * numpy-ts and jax-js contenders. jax-js is lazy and has no synchronous "wait until computed"
 * (`blockUntilReady` is async, our harness times synchronous runs), so its result is always
 * read back with `dataSync()`, which forces it: with `readBack` off, jax-js pays one copy of the
 * result that the others do not (small beside GEMM; at most the write of the result elsewhere).
 */
export function jsPeers(inputs: { data: Float32Array | Float64Array; shape: number[] }[], ops: JsPeerOps, readBack = false): Contender[] {
  const dtype = inputs[0]!.data instanceof Float64Array ? "float64" : "float32";
  return [
    {
      name: "numpy-ts",
      setup() {
        const xs = inputs.map((x) => npts.array(x.data, dtype).reshape(x.shape) as NptsArray);
        return {
          run() {
            const out = ops.numpyTs(npts, ...xs);
            if (readBack) out.data.slice();
            // Freed at once, as numpy-ts's docs say to in benchmarks: left to the GC, its heap
            // fills within a few cases and every later result falls back to slower JS arrays.
            if (typeof out === "object") out.dispose();
          },
          teardown: () => xs.forEach((x) => x.dispose()),
        };
      },
    },
    {
      name: "jax-js jit",
      setup() {
        const np = jax.numpy;
        const xs = inputs.map((x) => np.array(x.data, { dtype: dtype === "float64" ? np.float64 : np.float32 }).reshape(x.shape));
        const f = jax.jit((...args: JaxArray[]) => ops.jax(np, ...args));
        return {
          run: () => void f(...xs.map((x) => x.ref)).dataSync(),
          teardown: () => {
            xs.forEach((x) => x.dispose());
            f.dispose();
          },
        };
      },
    },
  ];
}

/**
 * numpy on one thread (the venv's PyPI numpy, bench/python/numpy_op.py) evaluating `expr` over
 * these very inputs, handed over as raw files; left out of the results when numpy cannot run.
 * Its results are numpy arrays already, so a read-back costs it nothing.
 */
export function numpyOp(expr: string, inputs: { data: Float32Array | Float64Array; shape: number[] }[], threads = 1): Contender {
  const dtype = inputs[0]!.data instanceof Float64Array ? "float64" : "float32";
  return {
    name: `numpy (${threads} thread${threads > 1 ? "s" : ""})`,
    setup: () => ({ run: () => undefined }),
    external() {
      const dir = mkdtempSync(join(tmpdir(), "vectorized-bench-"));
      try {
        const specs = inputs.map((x, i) => {
          const file = join(dir, `${i}.bin`);
          writeFileSync(file, new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
          return `${file}:${x.shape.join("x")}`;
        });
        return runPython("python/numpy_op.py", [expr, dtype, "15", "20", "2000", ...specs], threads);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The memory-bandwidth yardstick: copying `bytes` between two typed arrays (the engine's
 * memcpy), so an op's GB/s reads as a fraction of what this machine can move. Count its bytes
 * as read + written, as the ops' are.
 */
export function copyYardstick(bytes: number): Contender {
  return {
    name: "copy yardstick",
    setup() {
      const src = new Uint8Array(bytes).fill(1);
      const dst = new Uint8Array(bytes);
      return { run: () => dst.set(src) };
    },
  };
}
