/**
 * `npm run bench:network [-- --quick]`: the dense-network cases of bench/cases/network.ts timed in
 * CPU time rather than wall-clock time (ours, tfjs-wasm and jax-js by `process.cpuUsage`, numpy
 * by `time.process_time`), each contender once per round, rounds interleaved, medians and ratios
 * to our fastest build. On a machine shared with other work, wall-clock time measures the
 * scheduler (a process waiting for a core); CPU time is what one thread spent on the work.
 * Every contender here runs on one thread, so on an idle machine the two agree.
 * `--filter <text>` runs the matching cases only. Writes bench/results/network-cpu-node<major>.md.
 */
import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as vz from "../ts/index.js";
import { networkCases } from "./cases/network.js";
import { numpyBlas } from "./python.js";
import { initJax, initTf } from "./peers.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const filter = args.includes("--filter") ? args[args.indexOf("--filter") + 1] : undefined;
const rounds = quick ? 3 : 5;
await vz.init({ relaxed: false, threads: 1 }); // SIMD128, beside
await vz.init({ threads: 1 }); // the relaxed build where this engine has relaxed SIMD
await initTf();
await initJax();
const lines = [
  `# Dense networks, CPU time (${quick ? "--quick" : "full"}), ${new Date().toISOString()}`,
  "",
  `Node ${process.versions.node}, ${numpyBlas()}; load average at start ${loadavg()[0]!.toFixed(2)}.`,
  "",
  "| case | contender | median CPU ms | × CPU time of first | median wall ms |",
  "|---|---|---:|---:|---:|",
];
for (const c of networkCases({ quick, clock: "cpu" }).filter((c) => !filter || c.name.includes(filter))) {
  const prepared = [];
  for (const contender of c.contenders.filter((x) => !x.external)) prepared.push({ name: contender.name, ...(await contender.setup()) });
  prepared.forEach((p) => p.run()); // warm-up: JIT, wasm tier-up, jax-js's compilation
  const cpu: number[][] = prepared.map(() => []);
  const wall: number[][] = prepared.map(() => []);
  for (let round = 0; round < rounds; round++) {
    prepared.forEach((p, k) => {
      const [c0, t0] = [process.cpuUsage(), performance.now()];
      p.run();
      const used = process.cpuUsage(c0);
      cpu[k]!.push((used.user + used.system) / 1000);
      wall[k]!.push(performance.now() - t0);
    });
  }
  prepared.forEach((p) => p.teardown?.());
  const rows = prepared.map((p, k) => ({ name: p.name, cpu: median(cpu[k]!), wall: median(wall[k]!) }));
  for (const x of c.contenders.filter((x) => x.external)) {
    const ms = x.external!();
    if (ms !== undefined) rows.push({ name: x.name, cpu: ms, wall: NaN });
  }
  for (const r of rows) {
    const line = `| ${c.name} | ${r.name} | ${r.cpu.toFixed(1)} | ${(r.cpu / rows[0]!.cpu).toFixed(2)} | ${Number.isNaN(r.wall) ? "" : r.wall.toFixed(1)} |`;
    console.log(line);
    lines.push(line);
  }
}
lines.push("", `Load average at end ${loadavg()[0]!.toFixed(2)}.`, "");
const out = fileURLToPath(new URL(`results/network-cpu-node${process.versions.node.split(".")[0]}${quick ? "-quick" : ""}.md`, import.meta.url));
writeFileSync(out, lines.join("\n"));
console.log(`wrote ${out}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
