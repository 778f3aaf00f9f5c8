/**
 * `npm run bench`: every case, all contenders in one process; writes bench/results/latest.json
 * and latest.md. `--quick` for fewer rounds, `--filter <text>` to run matching cases only.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import * as vz from "../ts/index.js";
import { addCases } from "./cases/add.js";
import { elementwiseCases, reduceCases } from "./cases/elementwise.js";
import { gemmCases, gemvCases } from "./cases/linalg.js";
import { logisticCases } from "./cases/logistic.js";
import { networkCases } from "./cases/network.js";
import { runCase, toMarkdown, type CaseResult } from "./harness.js";
import { numpyBlas } from "./python.js";
import { initJax, initTf } from "./peers.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const filter = args.includes("--filter") ? args[args.indexOf("--filter") + 1] : undefined;
/** Results go to results/<out>.md and .json (a filtered run can keep the full run's latest.*). */
const out = args.includes("--out") ? args[args.indexOf("--out") + 1]! : "latest";

await vz.init({ simd: false });
await vz.init({ relaxed: false });
await vz.init(); // the relaxed build where this engine has relaxed SIMD
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

const cases = [...addCases(), ...elementwiseCases(), ...reduceCases(), ...gemmCases(), ...gemvCases(), ...logisticCases({ quick }), ...networkCases()].filter((c) => !filter || c.name.includes(filter));
const results: CaseResult[] = [];
for (const c of cases) {
  const result = await runCase(c, { rounds: quick ? 5 : 15, minRoundMs: quick ? 20 : 60, budgetMs: quick ? 1500 : 4000 });
  results.push(result);
  const line = result.results.map((r) => `${r.name} ${r.medianMs.toFixed(3)} ms (×${r.ratio.toFixed(2)})`).join(", ");
  console.log(`${c.name}: ${line}`);
}

const machine = `${cpus()[0]?.model ?? "unknown CPU"} ×${cpus().length}, Node ${process.version}; ${blas}`;
const header = `# vectorized benchmarks\n\n${new Date().toISOString()} — ${machine}. Medians; "× time of first" is each contender's median over the first contender's (our fastest build: ${fastestBuild}) in the same run.`;
mkdirSync(new URL("results/", import.meta.url), { recursive: true });
writeFileSync(new URL(`results/${out}.json`, import.meta.url), JSON.stringify({ machine, numpy: blas, date: new Date().toISOString(), results }, null, 2) + "\n");
writeFileSync(new URL(`results/${out}.md`, import.meta.url), toMarkdown(results, header));
console.log(`\nwrote bench/results/${out}.md and ${out}.json`);
