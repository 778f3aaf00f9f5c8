/**
 * A long loop of one small-array computation, for profiling the per-op cost (issue 12):
 *   node --cpu-prof --cpu-prof-dir=target/prof --import tsx bench/small_loop.ts add 1e6
 *   tsx bench/cpuprofile_summary.ts target/prof/<file>.cpuprofile
 * (VZ_FROM_DIST=1 loads dist/ instead of ts/.) Cases: `add` ((2,3)+(2,1), result disposed), `add-scope` (the same inside `scope`),
 * `tanh-matmul` (tanh(W·X), W (4,2), X (2,400)), `propagate` (course.propagate at (2,400)).
 * Prints the mean time per iteration; the bench (`npm run bench -- --filter small`) is where
 * medians and ratios to numpy are measured.
 */
import { filled } from "./filled.js";

// VZ_FROM_DIST=1 profiles the built package (one bundle, named functions and lines) instead of
// the sources; VZ_FROM_DIST=<dir> another build of it (an earlier commit's dist, for before/after).
const dist = process.env["VZ_FROM_DIST"];
const vz: typeof import("../ts/index.js") = dist ? await import(dist === "1" ? "../dist/index.js" : `${dist}/index.js`) : await import("../ts/index.js");

const [name = "add", count = "1e6"] = process.argv.slice(2);
const n = Number(count);
await vz.init({ relaxed: false });

const cases: Record<string, () => () => void> = {
  add() {
    const a = vz.array(filled(6, "float32"), { shape: [2, 3] }), b = vz.array(filled(2, "float32"), { shape: [2, 1] });
    return () => vz.add(a, b).dispose();
  },
  "add-scope"() {
    const a = vz.array(filled(6, "float32"), { shape: [2, 3] }), b = vz.array(filled(2, "float32"), { shape: [2, 1] });
    return () => vz.scope(() => void vz.add(a, b));
  },
  "tanh-matmul"() {
    const W = vz.array(filled(8, "float32", 1), { shape: [4, 2] }), X = vz.array(filled(800, "float32", 1), { shape: [2, 400] });
    return () => vz.scope(() => void vz.tanh(vz.matmul(W, X)));
  },
  propagate() {
    const X = vz.array(filled(800, "float32", 1), { shape: [2, 400] });
    const Y = vz.array(Array.from({ length: 400 }, (_, i) => i % 2), { shape: [1, 400] });
    const w = vz.array([[0.01], [0.02]]);
    return () => vz.course.propagate(w, 0.1, X, Y).grads.dw.dispose();
  },
};

const make = cases[name];
if (!make) throw new Error(`small_loop: unknown case ${name}; one of ${Object.keys(cases).join(", ")}`);
const run = make();
/** The iterations, in a function of their own: cpuprofile_summary.ts counts only the samples under it. */
function opLoop(count: number): void {
  for (let i = 0; i < count; i++) run();
}
opLoop(Math.min(n, 1e4)); // warm-up: JIT and wasm tier-up (exports run through V8's generic wrapper for their first calls)
// CPU time as well as wall time: on a machine shared with other builds, the process waits for a
// core for much of the wall time, while its CPU time counts only what it ran (all its threads).
const cpu0 = process.cpuUsage();
const t0 = performance.now();
opLoop(n);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1e3;
console.log(`${name}: ${((ms * 1e3) / n).toFixed(3)} µs wall, ${((cpuMs * 1e3) / n).toFixed(3)} µs CPU per iteration over ${n} (${vz.backendName()}, live arrays ${vz.memory().arrays})`);
