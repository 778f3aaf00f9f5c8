/**
 * The threaded build in Node: a pool of worker_threads over shared memory. Results are the same
 * bits for 1, 2 and 4 threads and agree with the reference backend; the count can be changed;
 * bad counts are refused; Node exits as soon as the user's work is done.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { startWorkers } from "../ts/backend/wasm/pool.js";
import { expectWithin } from "./helpers/close.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";
import { prng } from "./helpers/random.js";

beforeAll(async () => {
  await vz.init({ relaxed: false, threads: 4 });
});

expectNoLeakedArrays();

/** Each product's bits on `threads` threads. */
async function products(threads: number, cases: { a: vz.NDArray; b: vz.NDArray }[]): Promise<Float32Array[] | Float64Array[]> {
  await vz.init({ relaxed: false, threads });
  expect(vz.threads()).toEqual({ count: threads, reason: "" });
  return cases.map(({ a, b }) => vz.scope(() => vz.matmul(a, b).toTypedArray())) as Float32Array[];
}

describe("threaded build", () => {
  it("loads the SIMD build with the threads asked for", async () => {
    expect(await vz.init({ relaxed: false, threads: 2 })).toBe("wasm-simd");
    expect(vz.threads()).toEqual({ count: 2, reason: "" });
  });

  it("init() with no options runs on every core", async () => {
    const cores = availableParallelism();
    expect(await vz.init()).toBe(cores > 1 ? "wasm-simd" : "wasm-relaxed");
    expect(vz.threads()).toEqual({ count: cores, reason: "" });
  });

  it("GEMM: the same bits on 1, 2 and 4 threads, and the reference's values", async () => {
    const random = prng(7);
    const shapes: [number, number, number][] = [[300, 500, 400], [257, 300, 1100], [64, 256, 1024], [1000, 129, 260], [40, 1000, 600], [7, 3000, 900]];
    for (const dtype of ["float32", "float64"] as const) {
      vz.setBackend("wasm-simd");
      const cases = shapes.map(([m, k, n]) => ({
        a: vz.array(Float64Array.from({ length: m * k }, () => random() - 0.5), { dtype, shape: [m, k] }),
        b: vz.array(Float64Array.from({ length: k * n }, () => random() - 0.5), { dtype, shape: [k, n] }),
      }));
      const one = await products(1, cases);
      const two = await products(2, cases);
      const four = await products(4, cases);
      for (let i = 0; i < cases.length; i++) {
        expect(two[i]).toEqual(one[i]);
        expect(four[i]).toEqual(one[i]);
        const { a, b } = cases[i]!;
        const expected = vz.scope(() => {
          vz.setBackend("reference");
          const ra = vz.array(a.toTypedArray(), { dtype, shape: a.shape });
          const rb = vz.array(b.toTypedArray(), { dtype, shape: b.shape });
          const out = vz.matmul(ra, rb).toTypedArray();
          vz.setBackend("wasm-simd");
          return out;
        });
        // |error| ≤ k·u·Σ|a||b| (Higham's bound for a dot product), with |a|, |b| ≤ 1/2.
        const k = a.shape[1]!;
        const u = dtype === "float32" ? 2 ** -24 : 2 ** -53;
        expectWithin(one[i]!, expected, new Float64Array(expected.length).fill(k * u * k * 0.25), `${dtype} ${a.shape}·${b.shape}`);
      }
      cases.forEach(({ a, b }) => (a.dispose(), b.dispose()));
    }
  });

  it("logistic regression: the same cost history and weights on 1, 2 and 4 threads (rows layout, full batch and mini-batches)", async () => {
    const random = prng(11);
    const [m, nx] = [20_000 + 123, 30];
    const xs = Float64Array.from({ length: m * nx }, () => random() * 2 - 1);
    const ys = Float64Array.from({ length: m }, (_, i) => (xs[i * nx]! + 0.5 * xs[i * nx + 1]! > 0 ? 1 : 0));
    for (const dtype of ["float32", "float64"] as const) {
      for (const batchSize of [undefined, 12_000]) {
        const runs = [];
        for (const threads of [1, 2, 4]) {
          await vz.init({ relaxed: false, threads });
          runs.push(
            vz.scope(() => {
              const X = vz.array(xs, { dtype, shape: [m, nx] });
              const y = vz.array(ys, { dtype });
              const model = new vz.LogisticRegression({ layout: "rows", solver: "gd", learningRate: 0.5, iterations: 40, recordEvery: 5, dtype, batchSize, seed: 3 }).fit(X, y);
              const result = { costs: model.costs, weights: Array.from(model.weights.toTypedArray()), bias: model.bias };
              model.dispose();
              return result;
            }),
          );
        }
        expect(runs[1], `${dtype} batch ${batchSize}: 2 threads`).toEqual(runs[0]);
        expect(runs[2], `${dtype} batch ${batchSize}: 4 threads`).toEqual(runs[0]);
      }
    }
  });

  it("a worker that cannot start makes the pool smaller and says why; it never hangs", async () => {
    const bytes = readFileSync(new URL("../ts/backend/wasm/generated/threads/vectorized_core_bg.wasm", import.meta.url));
    const module = await WebAssembly.compile(bytes);
    // Smaller than the module's declared minimum: instantiating fails inside the worker.
    const tooSmall = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const result = await startWorkers(module, tooSmall, { pool_workers: () => 0 }, 2);
    expect(result).toEqual({ workers: 0, failure: expect.stringMatching(/^a worker thread failed: .*memory/i) });
    // The failure ended the wait, not the join deadline (whose reason would be "did not start within").
    expect(result.failure).not.toMatch(/did not start within/);
    // Not shared, so it cannot even be sent to a worker.
    const unshared = new WebAssembly.Memory({ initial: 32 });
    expect(await startWorkers(module, unshared, { pool_workers: () => 0 }, 1)).toEqual({
      workers: 0,
      failure: expect.stringMatching(/^could not start a worker thread: .*could not be cloned/),
    });
  });

  it("refuses a thread count that is not an integer from 1 to 256", async () => {
    for (const threads of [0, -1, 1.5, 257, Number.NaN, "2" as unknown as number]) {
      await expect(vz.init({ threads })).rejects.toThrow(vz.ValueError);
    }
    await expect(vz.init({ threads: 0 })).rejects.toThrow("init: threads must be an integer from 1 to 256, got 0");
  });

  it("the reference backend reports one thread", () => {
    vz.setBackend("reference");
    expect(vz.threads()).toEqual({ count: 1, reason: "the reference backend runs on one thread" });
    vz.setBackend("wasm-simd");
  });

  it("Node exits promptly after a threaded run (the workers do not keep it alive)", () => {
    const script = `
      const vz = await import(${JSON.stringify(new URL("../dist/index.js", import.meta.url).href)});
      await vz.init({ threads: 2 });
      const a = vz.ones([512, 512]);
      console.log(JSON.stringify({ threads: vz.threads(), sum: vz.sum(vz.matmul(a, a)).item() }));
    `;
    // A process kept alive by its workers is killed at the timeout: signal set, no exit status.
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", timeout: 30_000 });
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(JSON.parse(child.stdout)).toEqual({ threads: { count: 2, reason: "" }, sum: 512 ** 3 });
  });
});
