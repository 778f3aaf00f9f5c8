/**
 * The threaded builds (SIMD128 and relaxed) in Node: a pool of worker_threads over shared memory.
 * Results are the same bits for 1, 2 and 4 threads and agree with the reference backend; the
 * count can be changed; bad counts are refused; Node exits as soon as the user's work is done.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { startWorkers } from "../ts/backend/wasm/pool.js";
import { parallelJobs, splitFrom } from "../ts/backend/wasm/init.js";
import { expectIdentical, expectWithin } from "./helpers/close.js";
import { expectNoLeakedArrays } from "./helpers/leaks.js";
import { prng } from "./helpers/random.js";

/** The two threaded builds, and the one the suite below is running. */
const BUILDS = [
  { name: "wasm-simd", relaxed: false },
  { name: "wasm-relaxed", relaxed: true },
] as const;
let build: (typeof BUILDS)[number] = BUILDS[0];

beforeAll(async () => {
  await vz.init({ relaxed: false, threads: 4 });
});

expectNoLeakedArrays();

/**
 * Each op's result (as numbers) on 1, 2 and 4 threads, every kernel split from `splitAt` units
 * of work on (0: from its measured crossover), and how many parallel jobs each run started.
 */
async function onThreads(ops: (() => vz.NDArray)[], splitAt = 0): Promise<{ results: ArrayLike<number>[][]; jobs: number[][] }> {
  const results: ArrayLike<number>[][] = [];
  const jobs: number[][] = [];
  for (const threads of [1, 2, 4]) {
    await vz.init({ relaxed: build.relaxed, threads });
    expect(vz.threads()).toEqual({ count: threads, reason: "" });
    splitFrom(splitAt);
    const counts: number[] = [];
    results.push(
      ops.map((op) => {
        const before = parallelJobs();
        const result = vz.scope(() => op().toTypedArray());
        counts.push(parallelJobs() - before);
        return result;
      }),
    );
    jobs.push(counts);
    splitFrom(0);
  }
  return { results, jobs };
}

/** Every op's bits on 2 and 4 threads are its bits on 1, and every op split on 2 and 4 threads. */
async function expectSameBitsSplit(names: string[], ops: (() => vz.NDArray)[], splitAt = 0): Promise<ArrayLike<number>[]> {
  const { results, jobs } = await onThreads(ops, splitAt);
  names.forEach((name, i) => {
    expect(jobs[0]![i], `${name}: parallel jobs on 1 thread`).toBe(0);
    expect(jobs[1]![i], `${name}: parallel jobs on 2 threads`).toBeGreaterThan(0);
    expect(jobs[2]![i], `${name}: parallel jobs on 4 threads`).toBeGreaterThan(0);
    expectIdentical(results[1]![i]!, results[0]![i]!, `${name}, 2 threads`);
    expectIdentical(results[2]![i]!, results[0]![i]!, `${name}, 4 threads`);
  });
  return results[0]!;
}

/** Values in [−1, 1) with a NaN at `nanAt` (if given), as a wasm array. */
function randomArray(random: () => number, shape: number[], dtype: "float32" | "float64", nanAt?: number): vz.NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return vz.array(Float64Array.from({ length: n }, (_, i) => (i === nanAt ? Number.NaN : random() * 2 - 1)), { dtype, shape });
}

describe("threaded build", () => {
  it("loads the SIMD128 or the relaxed build with the threads asked for", async () => {
    expect(await vz.init({ relaxed: false, threads: 2 })).toBe("wasm-simd");
    expect(vz.threads()).toEqual({ count: 2, reason: "" });
    expect(await vz.init({ relaxed: true, threads: 2 })).toBe("wasm-relaxed");
    expect(vz.threads()).toEqual({ count: 2, reason: "" });
  });

  it("init() with no options runs the relaxed build on every core (vitest gives Node 20 the flag)", async () => {
    const cores = availableParallelism();
    expect(await vz.init()).toBe("wasm-relaxed");
    expect(vz.threads()).toEqual({ count: cores, reason: "" });
  });

  it("the baseline build has no threads, and says why", async () => {
    expect(await vz.init({ simd: false, threads: 2 })).toBe("wasm");
    expect(vz.threads()).toEqual({ count: 1, reason: "the wasm build (no SIMD) has no threads" });
  });

  it("a bad operand in a parallel op throws as on one thread, writes nothing, and the pool runs the next op", async () => {
    vz.setBackend("wasm-simd");
    const M = vz.ones([1000, 1000]);
    const wrong = vz.ones([3, 7]);
    const out = vz.full([1000, 1000], 5);
    const empty = vz.zeros([0, 1000]);
    const attempts = [
      () => vz.add(M, wrong),
      () => vz.exp(M, { out: vz.slice(out, [0, 10]) }),
      () => vz.max(empty, { axis: 0 }),
      () => vz.matmul(M, wrong),
    ];
    const messages: string[][] = [];
    for (const threads of [1, 2]) {
      await vz.init({ relaxed: false, threads });
      splitFrom(1);
      messages.push(
        attempts.map((attempt) =>
          vz.scope(() => {
            try {
              attempt();
            } catch (e) {
              return `${(e as Error).constructor.name}: ${(e as Error).message}`;
            }
            return "no error";
          }),
        ),
      );
      expect(Array.from(new Set(out.toTypedArray()))).toEqual([5]);
      const before = parallelJobs();
      expect(vz.scope(() => vz.sum(vz.exp(vz.mul(M, 0))).item())).toBe(1e6);
      if (threads === 2) expect(parallelJobs()).toBeGreaterThan(before);
      splitFrom(0);
    }
    expect(messages[0]!.every((m) => m !== "no error")).toBe(true);
    expect(messages[1]).toEqual(messages[0]);
    [M, wrong, out, empty].forEach((t) => t.dispose());
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

/**
 * The kernels' bits on 1, 2 and 4 threads in both threaded builds: SIMD128 and relaxed SIMD
 * (whose multiply-adds the engine may fuse: the same on every thread of one machine).
 */
describe.each(BUILDS)("the $name threaded build", (each) => {
  beforeAll(async () => {
    build = each;
    await vz.init({ relaxed: build.relaxed, threads: 4 });
  });

    it("GEMM: the same bits on 1, 2 and 4 threads, every product split, and the reference's values", async () => {
      const random = prng(7);
      // Split from 2¹² multiply-adds per block step on (not the measured crossover), so every shape
      // runs as parallel jobs at a size this suite can afford on a loaded machine: several m blocks,
      // k beyond one KC step, n beyond one NC block, and short-and-wide (NR panels sliced).
      const shapes: [number, number, number][] = [[150, 300, 200], [97, 150, 300], [64, 256, 520], [300, 129, 90], [40, 600, 200], [7, 1000, 300]];
      for (const dtype of ["float32", "float64"] as const) {
        vz.setBackend(build.name);
        const cases = shapes.map(([m, k, n]) => ({
          a: vz.array(Float64Array.from({ length: m * k }, () => random() - 0.5), { dtype, shape: [m, k] }),
          b: vz.array(Float64Array.from({ length: k * n }, () => random() - 0.5), { dtype, shape: [k, n] }),
        }));
        const names = shapes.map((s) => `${dtype} matmul ${s.join("×")}`);
        const one = await expectSameBitsSplit(names, cases.map(({ a, b }) => () => vz.matmul(a, b)), 1 << 12);
        for (let i = 0; i < cases.length; i++) {
          const { a, b } = cases[i]!;
          const expected = vz.scope(() => {
            vz.setBackend("reference");
            const ra = vz.array(a.toTypedArray(), { dtype, shape: a.shape });
            const rb = vz.array(b.toTypedArray(), { dtype, shape: b.shape });
            const out = vz.matmul(ra, rb).toTypedArray();
            vz.setBackend(build.name);
            return out;
          });
          // |error| ≤ k·u·Σ|a||b| (Higham's bound for a dot product), with |a|, |b| ≤ 1/2.
          const k = a.shape[1]!;
          const u = dtype === "float32" ? 2 ** -24 : 2 ** -53;
          expectWithin(one[i]!, expected, new Float64Array(expected.length).fill(k * u * k * 0.25), names[i]!);
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
            await vz.init({ relaxed: build.relaxed, threads });
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

    it("logistic regression: the same cost history and weights on 1, 2 and 4 threads (cols layout, split by tiles)", async () => {
      const random = prng(17);
      // The course's layout with few features (fit streams it as it is): 30 rows of 140 123
      // examples, 16.8 MB in float32, past two parts of whole tiles (4 MiB each at least).
      const [nx, m] = [30, 140_123];
      const xs = Float64Array.from({ length: nx * m }, () => random() * 2 - 1);
      const ys = Float64Array.from({ length: m }, (_, i) => (xs[i]! + 0.5 * xs[m + i]! > 0 ? 1 : 0));
      for (const dtype of ["float32", "float64"] as const) {
        const runs = [];
        for (const threads of [1, 2, 4]) {
          await vz.init({ relaxed: build.relaxed, threads });
          const before = parallelJobs();
          runs.push(
            vz.scope(() => {
              const X = vz.array(xs, { dtype, shape: [nx, m] });
              const Y = vz.array(ys, { dtype, shape: [1, m] });
              const model = new vz.LogisticRegression({ solver: "gd", learningRate: 0.5, iterations: 12, recordEvery: 1, l2: 0.1, dtype }).fit(X, Y);
              const result = { costs: model.costs, weights: Array.from(model.weights.toTypedArray()), bias: model.bias };
              model.dispose();
              return result;
            }),
          );
          if (threads > 1) expect(parallelJobs() - before, `${dtype}: parallel jobs on ${threads} threads`).toBeGreaterThanOrEqual(12);
        }
        expect(runs[0]!.costs).toHaveLength(12);
        expect(runs[1], `${dtype}: 2 threads`).toEqual(runs[0]);
        expect(runs[2], `${dtype}: 4 threads`).toEqual(runs[0]);
      }
    });

    it("dense network: the same cost history and parameters on 1, 2 and 4 threads, its layer products split into column slices", async () => {
      const random = prng(19);
      // Layer 1's products, (20, 600)·(600, 300) and (20, 300)·(300, 600), have one block of rows:
      // each runs as one job of column slices over all its KC steps. Split from 2¹⁶ multiply-adds
      // (not the measured crossover) so they do at a size this suite can afford; the smaller
      // layers stay on one thread.
      const [layers, m] = [[600, 20, 7, 3], 300];
      const xs = Float64Array.from({ length: layers[0]! * m }, () => random());
      const labels = Float64Array.from({ length: m }, (_, i) => i % 3);
      for (const dtype of ["float32", "float64"] as const) {
        for (const batchSize of [undefined, 150]) {
          const runs = [];
          for (const threads of [1, 2, 4]) {
            await vz.init({ relaxed: build.relaxed, threads });
            splitFrom(1 << 16);
            const before = parallelJobs();
            runs.push(
              vz.scope(() => {
                const X = vz.array(xs, { dtype, shape: [layers[0]!, m] });
                const Y = vz.array(labels, { dtype, shape: [1, m] });
                const net = new vz.DenseNetwork({ layers, hidden: "relu", learningRate: 0.05, iterations: 8, recordEvery: 1, dtype, batchSize, seed: 5 }).fit(X, Y);
                const result = { costs: net.costs, parameters: Object.entries(net.parameters).map(([name, p]) => [name, Array.from(p.toTypedArray())]) };
                net.dispose();
                return result;
              }),
            );
            const jobs = parallelJobs() - before;
            splitFrom(0);
            if (threads > 1) expect(jobs, `${dtype} batch ${batchSize}: parallel jobs on ${threads} threads`).toBeGreaterThanOrEqual(16);
          }
          expect(runs[0]!.costs).toHaveLength(8);
          expect(runs[1], `${dtype} batch ${batchSize}: 2 threads`).toEqual(runs[0]);
          expect(runs[2], `${dtype} batch ${batchSize}: 4 threads`).toEqual(runs[0]);
        }
      }
    });

    it("GEMV: the same bits on 1, 2 and 4 threads (split by rows), and the reference's values", async () => {
      const random = prng(5);
      for (const dtype of ["float32", "float64"] as const) {
        vz.setBackend(build.name);
        // 2.4·10⁶ elements of A: past the crossover in both dtypes.
        const A = randomArray(random, [2200, 1100], dtype);
        const x = randomArray(random, [1100, 1], dtype);
        const [one] = await expectSameBitsSplit(["A·x"], [() => vz.matmul(A, x)]);
        // Forced to split from the smallest product on: parts of a few rows, and a strided A.
        const small = randomArray(random, [37, 21], dtype);
        const v = randomArray(random, [21, 1], dtype);
        const w = randomArray(random, [11, 1], dtype);
        await expectSameBitsSplit(
          ["A·x (37×21)", "A[:, ::2]·w (strided)"],
          [() => vz.matmul(small, v), () => vz.matmul(vz.slice(small, null, [null, null, 2]), w)],
          1,
        );
        const u = dtype === "float32" ? 2 ** -24 : 2 ** -53;
        vz.scope(() => {
          const [a, b] = [A, x].map((t) => t.toTypedArray());
          vz.setBackend("reference");
          const expected = vz.matmul(vz.array(a!, { dtype, shape: A.shape }), vz.array(b!, { dtype, shape: x.shape })).toTypedArray();
          vz.setBackend(build.name);
          // |error| ≤ k·u·Σ|a||x| ≤ k·u·k for |a|, |x| ≤ 1.
          expectWithin(one!, expected, new Float64Array(expected.length).fill(1100 * u * 1100), `${dtype} A·x`);
        });
        [A, x, small, v, w].forEach((t) => t.dispose());
      }
    });

    it("element-wise ops: the same bits on 1, 2 and 4 threads (unary, binary with broadcasting, where, copies)", async () => {
      const random = prng(9);
      for (const dtype of ["float32", "float64"] as const) {
        vz.setBackend(build.name);
        // Past every element-wise crossover (8 MiB for the cheap ops), and not a multiple of the
        // parts' cut.
        const n = 3_000_017;
        const a = randomArray(random, [n], dtype, 12345);
        const M = randomArray(random, [2001, 1503], dtype);
        const row = randomArray(random, [1, 1503], dtype);
        const col = randomArray(random, [2001, 1], dtype);
        const names = ["exp", "sigmoid", "sqrt", "clip", "a + a", "M + row", "M · col", "M ** 2 (pow)", "maximum(M, Mᵀ)", "where", "copy of Mᵀ", "astype"];
        const ops = [
          () => vz.exp(a),
          () => vz.sigmoid(a),
          () => vz.sqrt(a),
          () => vz.clip(a, -0.5, 0.25),
          () => vz.add(a, a),
          () => vz.add(M, row),
          () => vz.mul(M, col),
          () => vz.pow(M, vz.full([2001, 1503], 2, { dtype })),
          () => vz.maximum(vz.slice(M, [0, 1503]), vz.transpose(vz.slice(M, [0, 1503]))),
          () => vz.where(vz.greater(M, row), M, col),
          () => vz.copy(vz.transpose(M)),
          () => vz.astype(M, dtype === "float32" ? "float64" : "float32"),
        ];
        const one = await expectSameBitsSplit(names, ops);
        // Checked against independent math: the sum and the broadcast row.
        const [am, ma, rw] = [a, M, row].map((t) => t.toTypedArray());
        for (const i of [0, 777, n - 1]) expect(one[4]![i]).toBe(2 * am![i]!);
        for (const [i, j] of [[0, 0], [500, 1502], [2000, 17]] as const) {
          expect(one[5]![i * 1503 + j]).toBeCloseTo(ma![i * 1503 + j]! + rw![j]!, dtype === "float32" ? 5 : 12);
        }
        // Forced to split at small sizes too, so parts of a few rows and short runs are covered.
        const s = randomArray(random, [7, 5, 3], dtype);
        await expectSameBitsSplit(["small exp", "small add (broadcast)", "small copy"], [() => vz.exp(s), () => vz.add(s, vz.slice(s, [0, 1])), () => vz.copy(vz.transpose(s))], 1);
        [a, M, row, col, s].forEach((t) => t.dispose());
      }
    });

    it("reductions: the same bits on 1, 2 and 4 threads (sum, mean, prod, max, min, argmax, argmin; by axis and whole)", async () => {
      const random = prng(13);
      for (const dtype of ["float32", "float64"] as const) {
        vz.setBackend(build.name);
        // Past the crossovers (16 MiB for the value reductions); M's axis 0 is three tiles wide.
        const n = 5_000_017;
        const long = randomArray(random, [n], dtype);
        const withNaN = randomArray(random, [n], dtype, 2_000_000);
        const M = randomArray(random, [1200, 5000], dtype);
        const rows = randomArray(random, [3, 1_400_001], dtype);
        const ops: [string, () => vz.NDArray][] = [
          ["sum", () => vz.sum(long)],
          ["mean", () => vz.mean(long)],
          ["max", () => vz.max(long)],
          ["min with a NaN", () => vz.min(withNaN)],
          ["argmax", () => vz.argmax(long)],
          ["argmin with a NaN", () => vz.argmin(withNaN)],
          ["prod of (1 + x/64)", () => vz.prod(vz.add(vz.mul(long, 1 / 64), 1))],
          ["sum axis 0", () => vz.sum(M, { axis: 0 })],
          ["sum axis 1", () => vz.sum(M, { axis: 1 })],
          ["max axis 0", () => vz.max(M, { axis: 0 })],
          ["argmax axis 0", () => vz.argmax(M, { axis: 0 })],
          ["argmin axis 1", () => vz.argmin(M, { axis: 1 })],
          ["sum of a transpose", () => vz.sum(vz.transpose(M))],
          ["sum of 3 long rows", () => vz.sum(rows, { axis: 1 })],
          ["argmax of 3 long rows", () => vz.argmax(rows, { axis: 1 })],
        ];
        const one = await expectSameBitsSplit(ops.map(([name]) => name), ops.map(([, op]) => op));
        // Against independent math: float64 sums in JS, exact extremes and indices.
        const values = long.toTypedArray();
        let [sum, max, argmax] = [0, -Infinity, 0];
        values.forEach((v, i) => ((sum += v), v > max && ((max = v), (argmax = i))));
        expect(one[0]![0]).toBeCloseTo(sum, dtype === "float32" ? 0 : 8);
        expect([one[2]![0], one[4]![0]]).toEqual([max, argmax]);
        expect([one[3]![0], one[5]![0]]).toEqual([Number.NaN, 2_000_000]);
        // Forced to split at small sizes too: short rows, few outputs, three tiles of outputs, a
        // sum of a few parts.
        const s = randomArray(random, [9, 40, 33], dtype);
        const wide = randomArray(random, [9, 5000], dtype);
        const t = randomArray(random, [50_001], dtype);
        await expectSameBitsSplit(
          ["small sum axis 1", "small sum axis 2", "small sum axis 0", "small argmax axis 0", "sum of 50001", "argmin of 50001"],
          [() => vz.sum(s, { axis: 1 }), () => vz.sum(s, { axis: 2 }), () => vz.sum(wide, { axis: 0 }), () => vz.argmax(wide, { axis: 0 }), () => vz.sum(t), () => vz.argmin(t)],
          1,
        );
        [long, withNaN, M, rows, s, wide, t].forEach((t) => t.dispose());
      }
    });
});
