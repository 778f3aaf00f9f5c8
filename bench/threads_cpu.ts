/**
 * `npx tsx bench/threads_cpu.ts [--quick] [--filter <text>] [--out <name>]`: ours on one thread
 * against ours on every core for the cases of bench/cases/threads.ts, in one process, the two
 * alternating call by call, with what the machine gave each run: the process's CPU time
 * (`process.cpuUsage`, every thread's) over its wall time, and the idle time of the whole machine
 * (/proc/stat) during the one-thread runs, in cores. A two-thread figure says something about
 * the threads only when a second core was idle beside the one-thread runs (idle ≈ 1 on two
 * cores) and the two-thread runs got it (CPU/wall near 2); on a machine busy with other work it
 * measures the scheduler. Writes bench/results/<name>.md (default threads-cpu).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import * as vz from "../ts/index.js";
import { threadCases } from "./cases/threads.js";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const filter = option("--filter");
const out = option("--out") ?? "threads-cpu";
const rounds = quick ? 7 : 15;

/** Idle jiffies of the whole machine (idle + iowait, every core) and the clock tick. */
function idleTicks(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return cpu[3]! + cpu[4]!;
}
const TICK_MS = 10; // USER_HZ = 100 on Linux

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

await vz.init({ relaxed: false, threads: availableParallelism() });
await vz.init({ relaxed: false, threads: 1 });
const cores = availableParallelism();
const lines = [
  `# Threads: ours ×1 vs ours ×${cores}, CPU-time aware (${quick ? "--quick" : "full"}), ${new Date().toISOString()}`,
  "",
  `Node ${process.versions.node}, ${cores} cores; load average at start ${loadavg().map((x) => x.toFixed(2)).join(" ")}. Medians of ${rounds} interleaved rounds.`,
  "idle = cores the machine left idle during our one-thread runs; CPU/wall of the multi-thread runs (2 = both cores ours).",
  "",
  `| case | ×1 ms | ×${cores} ms | ×1/×${cores} | idle beside ×1 | CPU/wall ×${cores} | load |`,
  "|---|---:|---:|---:|---:|---:|---:|",
];
for (const c of threadCases().filter((c) => !filter || c.name.includes(filter))) {
  const ours = c.contenders.filter((x) => !x.external && x.name.startsWith("ours"));
  if (ours.length !== 2) continue;
  const prepared = [];
  for (const contender of ours) prepared.push({ name: contender.name, ...(await contender.setup()) });
  prepared.forEach((p) => p.run()); // warm-up
  // Calls per sample: enough for ~50 ms on one thread, so the idle ticks (10 ms) mean something.
  const t0 = performance.now();
  prepared[1]!.run();
  const calls = Math.max(1, Math.ceil(50 / Math.max(performance.now() - t0, 0.01)));
  const wall: number[][] = [[], []];
  const ratio: number[] = [];
  const idle: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so a change in the load mid-round favours neither.
    const order = round % 2 ? [0, 1] : [1, 0];
    for (const k of order) {
      const p = prepared[k]!;
      const [c0, i0, w0] = [process.cpuUsage(), idleTicks(), performance.now()];
      for (let i = 0; i < calls; i++) p.run();
      const ms = performance.now() - w0;
      const used = process.cpuUsage(c0);
      wall[k]!.push(ms / calls);
      if (k === 0) ratio.push((used.user + used.system) / 1000 / ms);
      else idle.push(((idleTicks() - i0) * TICK_MS) / ms);
    }
  }
  prepared.forEach((p) => p.teardown?.());
  const [many, one] = [median(wall[0]!), median(wall[1]!)];
  const line = `| ${c.name.replace("threads: ", "")} | ${one.toPrecision(3)} | ${many.toPrecision(3)} | ${(one / many).toFixed(2)} | ${median(idle).toFixed(2)} | ${median(ratio).toFixed(2)} | ${loadavg()[0]!.toFixed(1)} |`;
  console.log(line);
  lines.push(line);
}
const path = fileURLToPath(new URL(`./results/${out}.md`, import.meta.url));
writeFileSync(path, lines.join("\n") + "\n");
console.log(`wrote ${path}`);
