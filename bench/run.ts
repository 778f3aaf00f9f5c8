/**
 * `npm run bench`: every case, all contenders in one process; writes bench/results/latest.json,
 * latest.md, latest.html (a chart per case family) and the README's benchmark table.
 * `--quick` for fewer rounds (the small-array cases keep theirs: `roundsFor`), `--filter <text>`
 * to run matching cases only.
 */
import { availableParallelism } from "node:os";
import * as vz from "../ts/index.js";
import { addCases } from "./cases/add.js";
import { elementwiseCases, reduceCases } from "./cases/elementwise.js";
import { gemmCases, gemvCases } from "./cases/linalg.js";
import { logisticCases } from "./cases/logistic.js";
import { networkCases } from "./cases/network.js";
import { smallCases } from "./cases/small.js";
import { threadCases } from "./cases/threads.js";
import { formatMs, roundsFor, runCase, type CaseResult } from "./harness.js";
import { numpyBlas } from "./python.js";
import { initJax, initTf } from "./peers.js";
import { loadNow, machineInfo, versions } from "./report_machine.js";
import { saveRun } from "./report_write.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const filter = args.includes("--filter") ? args[args.indexOf("--filter") + 1] : undefined;
/** Results go to results/<out>.md and .json (a filtered run can keep the full run's latest.*). */
const out = args.includes("--out") ? args[args.indexOf("--out") + 1]! : "latest";
const date = new Date().toISOString();
const loadAtStart = loadNow();
console.log(`load average at start: ${loadAtStart.toFixed(2)} (1 minute)`);

await vz.init({ simd: false });
// The threaded SIMD128 build with its pool started (for the threads cases), then one thread: every
// other case compares one thread with one thread.
await vz.init({ relaxed: false, threads: availableParallelism() });
await vz.init({ relaxed: false, threads: 1 });
await vz.init({ threads: 1 }); // the relaxed build where this engine has relaxed SIMD
const fastestBuild = vz.backendName();
await initTf();
await initJax();
// numpy is PyPI's (scripts/python-venv.sh creates the venv once); its BLAS goes into the results.
let blas: string;
try {
  blas = numpyBlas();
} catch (e) {
  blas = `numpy unavailable (${(e as Error).message.split("\n")[0]})`;
}
console.log(`numpy yardstick: ${blas}`);
const runVersions = versions(blas); // the commit as the run starts

const cases = [...smallCases(), ...addCases(), ...elementwiseCases(), ...reduceCases(), ...gemmCases(), ...gemvCases(), ...logisticCases({ quick }), ...networkCases({ quick }), ...threadCases()].filter((c) => !filter || c.name.includes(filter));
const results: CaseResult[] = [];
for (const c of cases) {
  const result = await runCase(c, roundsFor(c, quick));
  results.push(result);
  const line = result.results.map((r) => `${r.name} ${formatMs(r.medianMs)} ms (×${r.ratio.toFixed(2)})`).join(", ");
  console.log(`${c.name}: ${line}`);
  for (const f of result.failures ?? []) console.log(`  ${f.name} failed: ${f.error}`);
}

const run = { date, quick, ...(filter ? { filter } : {}), machine: machineInfo(loadAtStart), versions: runVersions, fastestBuild: fastestBuild ?? "none", results };
console.log(`\nload average at end: ${run.machine.loadAverage.end.toFixed(2)}`);
for (const file of saveRun(run, out)) console.log(`wrote ${file}`);
