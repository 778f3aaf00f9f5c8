/**
 * Two builds of the package side by side in one process, interleaved round by round: the
 * before/after check of a change to the per-op path (issue 12) on large arrays, where only the
 * kernels should count. Each build is a `dist/` directory (copy one aside before the change).
 *   tsx bench/compare_builds.ts BEFORE_DIST AFTER_DIST [--quick] [--small] [--cpu]
 * (--small: the small-array family instead of the large cases; --cpu: rounds timed in the
 * process's CPU time instead of the wall clock.)
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { formatMs, runCase, type Contender } from "./harness.js";
import { filled } from "./filled.js";

type Vz = typeof import("../ts/index.js");
const [beforeDir, afterDir] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (!beforeDir || !afterDir) throw new Error("usage: tsx bench/compare_builds.ts BEFORE_DIST AFTER_DIST [--quick]");
const quick = process.argv.includes("--quick");
const clock = process.argv.includes("--cpu") ? "cpu" : "wall";
const load = async (dir: string): Promise<Vz> => {
  const vz = (await import(pathToFileURL(resolve(dir, "index.js")).href)) as Vz;
  await vz.init({ relaxed: false }); // the SIMD128 build in both: Node 20 has no relaxed SIMD without a flag
  return vz;
};
const builds = { before: await load(beforeDir), after: await load(afterDir) };

/** One computation on each build: `make` prepares inputs and returns the run (which frees its result). */
function contenders(make: (vz: Vz) => { run: () => void; teardown: () => void }): Contender[] {
  return Object.entries(builds).map(([name, vz]) => ({ name, setup: () => make(vz) }));
}
const m = (vz: Vz, n: number, shape: number[], scale = 100) => vz.array(filled(n, "float32", scale), { shape });

const cases: { name: string; contenders: Contender[] }[] = [
  ["add (1000,1000)+(1000,1)", [1000, 1]],
  ["add (1000,1000)+(1,1000)", [1, 1000]],
].map(([name, shape]) => ({
  name: name as string,
  contenders: contenders((vz) => {
    const [a, b] = [m(vz, 1e6, [1000, 1000]), m(vz, 1000, shape as number[])];
    return { run: () => vz.add(a, b).dispose(), teardown: () => [a, b].forEach((x) => x.dispose()) };
  }),
}));
for (const [name, op] of [["sigmoid 1e6", "sigmoid"], ["exp 1e6", "exp"]] as const) {
  cases.push({
    name,
    contenders: contenders((vz) => {
      const x = m(vz, 1e6, [1e6], 10);
      return { run: () => vz[op](x).dispose(), teardown: () => x.dispose() };
    }),
  });
}
for (const axis of [0, 1, undefined]) {
  cases.push({
    name: `sum (1000,1000) axis=${axis ?? "all"}`,
    contenders: contenders((vz) => {
      const x = m(vz, 1e6, [1000, 1000]);
      return { run: () => vz.sum(x, { axis }).dispose(), teardown: () => x.dispose() };
    }),
  });
}
for (const [name, sa, sb] of [["matmul (256,256)·(256,256)", [256, 256], [256, 256]], ["matmul (1000,1000)·(1000,1)", [1000, 1000], [1000, 1]]] as const) {
  cases.push({
    name,
    contenders: contenders((vz) => {
      const [a, b] = [m(vz, sa[0] * sa[1], [...sa], 1), m(vz, sb[0] * sb[1], [...sb], 1)];
      return { run: () => vz.matmul(a, b).dispose(), teardown: () => [a, b].forEach((x) => x.dispose()) };
    }),
  });
}
cases.push({
  name: "course.propagate (784,10000)",
  contenders: contenders((vz) => {
    const X = m(vz, 784 * 10000, [784, 10000], 1);
    const Y = vz.array(Float32Array.from({ length: 10000 }, (_, i) => i % 2), { shape: [1, 10000] });
    const w = vz.zeros([784, 1]);
    return { run: () => vz.course.propagate(w, 0.1, X, Y).grads.dw.dispose(), teardown: () => [X, Y, w].forEach((x) => x.dispose()) };
  }),
});

// The small-array family (bench/cases/small.ts), where the per-op path is all there is.
const small = process.argv.includes("--small");
if (small) cases.length = 0;
const smallCases: [string, (vz: Vz) => { run: () => void; teardown: () => void }][] = [
  ["add (2,3)+(2,1), disposed", (vz) => {
    const [a, b] = [m(vz, 6, [2, 3]), m(vz, 2, [2, 1])];
    return { run: () => vz.add(a, b).dispose(), teardown: () => [a, b].forEach((x) => x.dispose()) };
  }],
  ["add (2,3)+(2,1), inside scope", (vz) => {
    const [a, b] = [m(vz, 6, [2, 3]), m(vz, 2, [2, 1])];
    return { run: () => vz.scope(() => void vz.add(a, b)), teardown: () => [a, b].forEach((x) => x.dispose()) };
  }],
  ["tanh(matmul(W,X)) W (4,2) X (2,400)", (vz) => {
    const [W, X] = [m(vz, 8, [4, 2], 1), m(vz, 800, [2, 400], 1)];
    return { run: () => vz.scope(() => void vz.tanh(vz.matmul(W, X))), teardown: () => [W, X].forEach((x) => x.dispose()) };
  }],
  ["course.propagate (2,400)", (vz) => {
    const X = m(vz, 800, [2, 400], 1);
    const Y = vz.array(Float32Array.from({ length: 400 }, (_, i) => i % 2), { shape: [1, 400] });
    const w = vz.array([[0.01], [0.02]]);
    return { run: () => vz.course.propagate(w, 0.1, X, Y).grads.dw.dispose(), teardown: () => [X, Y, w].forEach((x) => x.dispose()) };
  }],
];
if (small) for (const [name, make] of smallCases) cases.push({ name, contenders: contenders(make) });

console.log(`before: ${beforeDir}, after: ${afterDir}; medians of interleaved rounds (${clock} time), wasm-simd`);
for (const c of cases) {
  const r = await runCase(c, { rounds: quick ? 9 : 21, minRoundMs: quick ? 30 : 60, budgetMs: quick ? 2000 : 5000, clock });
  const [b, a] = [r.results[0]!, r.results[1]!];
  console.log(`${c.name}: before ${formatMs(b.medianMs)} ms (min ${formatMs(b.minMs)}), after ${formatMs(a.medianMs)} ms (min ${formatMs(a.minMs)}); after/before ${(a.medianMs / b.medianMs).toFixed(3)} (mins ${(a.minMs / b.minMs).toFixed(3)})`);
}
