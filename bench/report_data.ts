/**
 * What one `npm run bench` run writes to results/<out>.json, and the readings the report and the
 * README's table share: cases grouped by family, the measure a family is charted in, and which
 * contender is a peer users would pick instead.
 */
import type { CaseResult, ContenderResult } from "./harness.js";

export interface BenchRun {
  /** ISO time the run started. */
  date: string;
  /** `--quick` (fewer rounds; numpy-ts and jax-js left out of the 10⁸-element logistic cases). */
  quick: boolean;
  /** `--filter` text when only matching cases ran. */
  filter?: string;
  machine: {
    /** The CPU's model name as the OS reports it, e.g. `AMD EPYC`. */
    cpu: string;
    cores: number;
    os: string;
    /** The 1-minute load average when the run started and when it ended (a shared machine's noise). */
    loadAverage: { start: number; end: number };
  };
  /** Node, this package (with its commit), numpy with its BLAS, and every JS peer's version. */
  versions: Record<string, string>;
  /** Our fastest build in this run, the first contender of most cases (ratios are to it). */
  fastestBuild: string;
  results: CaseResult[];
}

export interface Family {
  name: string;
  cases: CaseResult[];
}

/** Cases grouped by family, in the order each family first appears. */
export function families(results: CaseResult[]): Family[] {
  const byName = new Map<string, CaseResult[]>();
  for (const c of results) {
    const list = byName.get(c.family) ?? [];
    list.push(c);
    byName.set(c.family, list);
  }
  return [...byName].map(([name, cases]) => ({ name, cases }));
}

export interface Measure {
  /** The unit on the chart's axis. */
  unit: "GB/s" | "GFLOP/s" | "ms";
  /** Higher is better (throughput), or lower (time). */
  higherIsBetter: boolean;
  value: (r: ContenderResult) => number;
}

/**
 * How a family is charted: GB/s where every case counts its bytes (memory-bound work, beside
 * the copy yardstick), else GFLOP/s where every case counts its flops (GEMM), else time. One
 * unit per chart, so sizes within a family compare.
 */
export function measureOf(family: Family): Measure {
  const all = (key: "gbPerS" | "gflopPerS") => family.cases.every((c) => c.results.every((r) => r[key] !== undefined));
  if (all("gbPerS")) return { unit: "GB/s", higherIsBetter: true, value: (r) => r.gbPerS! };
  if (all("gflopPerS")) return { unit: "GFLOP/s", higherIsBetter: true, value: (r) => r.gflopPerS! };
  return { unit: "ms", higherIsBetter: false, value: (r) => r.medianMs };
}

/** The peers users would pick instead, as the README's columns: each matches contender names. */
export const PEERS: { column: string; matches: (contender: string) => boolean }[] = [
  { column: "numpy (1 thread)", matches: (n) => n.startsWith("numpy (") },
  { column: "numpy-ts", matches: (n) => n === "numpy-ts" },
  { column: "jax-js (jit)", matches: (n) => n.startsWith("jax-js") },
  { column: "tfjs-wasm", matches: (n) => n === "tfjs-wasm" },
];

/** A peer's result in a case, if it ran. */
export function peerResult(c: CaseResult, peer: (typeof PEERS)[number]): ContenderResult | undefined {
  return c.results.find((r) => peer.matches(r.name));
}

/** Milliseconds with three significant digits (0.372 ms, 14.5 ms, 1 540 ms as 1.54 s). */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  return `${ms >= 100 ? ms.toFixed(0) : ms.toPrecision(3)} ms`;
}

/** A ratio as the tables print it: two decimals below 10, one below 100, none above. */
export function formatRatio(ratio: number): string {
  return `${ratio < 10 ? ratio.toFixed(2) : ratio < 100 ? ratio.toFixed(1) : ratio.toFixed(0)}×`;
}

/** The run's one-line description: machine, load, Node, numpy and its BLAS. */
export function describeRun(run: BenchRun): string {
  const { machine, versions } = run;
  const load = `load average ${machine.loadAverage.start.toFixed(1)} at start, ${machine.loadAverage.end.toFixed(1)} at end`;
  return `${run.date.slice(0, 10)}, ${machine.cpu} ×${machine.cores} (${machine.os}; ${load}), Node ${versions["node"]}, numpy ${versions["numpy"]}${run.quick ? ", `--quick` run" : ""}`;
}
