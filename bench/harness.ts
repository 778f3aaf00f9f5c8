/**
 * The benchmark harness: every case runs all its contenders in one process, interleaved round
 * by round so drift on a noisy machine hits all of them alike, and reports medians and ratios
 * to the case's first contender. Timing lives here, never in tests.
 */
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export interface Contender {
  name: string;
  /** For peers outside this process (numpy): their own median in ms, used instead of timing `run`. */
  external?: () => number | undefined;
  /** Prepares inputs (not timed); returns the function to time and a cleanup. */
  setup(): Promise<{ run: () => void; teardown?: () => void }> | { run: () => void; teardown?: () => void };
}

export interface BenchCase {
  /** What is measured, e.g. `add (1000,1000)+(1000,1) float32`. */
  name: string;
  /** The chart it belongs to in the report; by default the name's leading words (`familyOf`). */
  family?: string;
  /** Bytes read + written by one run, for the GB/s column (optional). */
  bytes?: number;
  /** Floating-point operations in one run, for the GFLOP/s column (optional). */
  flops?: number;
  contenders: Contender[];
}

export interface ContenderResult {
  name: string;
  medianMs: number;
  minMs: number;
  runs: number;
  /** The first contender's median divided by this one's: above 1 is slower than the first. */
  ratio: number;
  gbPerS?: number;
  gflopPerS?: number;
}

export interface CaseResult {
  name: string;
  family: string;
  results: ContenderResult[];
  /** Peers that threw (in setup, warm-up or a timed run), left out of `results`. */
  failures?: ContenderFailure[];
}

export interface ContenderFailure {
  name: string;
  /** The error's first line, e.g. numpy-ts running out of memory. */
  error: string;
}

/**
 * A case's family (one chart in the report, one row in the README): the words of its name
 * before the first that starts with a digit, a bracket or a parenthesis, or up to a colon —
 * `matmul 128×128·… float32` → `matmul`, `logistic step (784,60000) …` → `logistic step`,
 * `dense network: L-layer …` → `dense network`. New cases need no list to be charted.
 */
export function familyOf(name: string): string {
  const words: string[] = [];
  for (const word of name.split(" ")) {
    if (/^[\d([]/.test(word)) break;
    const colon = word.indexOf(":");
    if (colon >= 0) {
      if (colon > 0) words.push(word.slice(0, colon));
      break;
    }
    words.push(word);
  }
  return words.join(" ") || name;
}

export interface RunOptions {
  /** Rounds of timing (each round times every contender `batch` times). */
  rounds: number;
  /** Minimum milliseconds per contender per round; short runs are repeated to reach it. */
  minRoundMs: number;
  /** Most milliseconds one contender may take in all (slow peers get fewer rounds, at least 3). */
  budgetMs: number;
  /** Milliseconds of untimed calls before timing (default 100; a call slower than 200 ms gets one). */
  warmUpMs?: number;
  /**
   * What times a round: the wall clock (default), or the process's CPU time (all its threads),
   * which on a machine shared with other jobs leaves out the time spent waiting for a core.
   */
  clock?: "wall" | "cpu";
}

/** The process's CPU time so far (user + system, every thread), in milliseconds. */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};

/** A full run's rounds, and a `--quick` run's. */
export const FULL_ROUNDS: RunOptions = { rounds: 15, minRoundMs: 60, budgetMs: 4000, warmUpMs: 250 };
export const QUICK_ROUNDS: RunOptions = { rounds: 5, minRoundMs: 20, budgetMs: 1500, warmUpMs: 100 };

/**
 * The rounds a case gets: the small-array family always gets a full run's, which costs it
 * seconds. Its figures are microseconds from many short batches, and a quick run's few left
 * them at the host's mercy (one read `tanh(matmul)` at a median of 6.3 µs, its minimum 4.9).
 */
export function roundsFor(c: BenchCase, quick: boolean): RunOptions {
  return quick && caseFamily(c) !== "small" ? QUICK_ROUNDS : FULL_ROUNDS;
}

/** The family a case names, else the one its name gives (`familyOf`). */
function caseFamily(c: BenchCase): string {
  return c.family ?? familyOf(c.name);
}

export async function runCase(c: BenchCase, options: RunOptions): Promise<CaseResult> {
  // A peer that throws (runs out of memory, lacks an op) is left out of this case and reported;
  // the other contenders and cases go on. Ours, the first contender, throwing is a bug: it ends the run.
  const names = c.contenders.map((x) => x.name);
  if (new Set(names).size !== names.length) throw new Error(`${c.name}: contender names repeat (${names.join(", ")})`);
  const failures: ContenderFailure[] = [];
  const fail = (name: string, error: unknown) => {
    if (name === c.contenders[0]!.name) throw error;
    failures.push({ name, error: firstLine(error) });
  };
  // Peers timed elsewhere (another process) report their median, once before our rounds and
  // once after: the host's speed drifts (30–80 % within an hour on the shared VM), and a single
  // run before ours put all of that drift into the ratio. A peer that cannot run (not
  // installed) is left out; one that throws is dropped.
  const outside = new Map<string, number[]>();
  const timeOutside = () => {
    for (const x of c.contenders.filter((x) => x.external)) {
      if (failures.some((f) => f.name === x.name)) continue;
      try {
        const m = x.external!();
        if (m !== undefined) outside.set(x.name, [...(outside.get(x.name) ?? []), m]);
      } catch (e) {
        outside.delete(x.name);
        fail(x.name, e);
      }
    }
  };
  timeOutside();
  let prepared: { name: string; run: () => void; teardown?: () => void }[] = [];
  for (const contender of c.contenders.filter((x) => !x.external)) {
    try {
      prepared.push({ name: contender.name, ...(await contender.setup()) });
    } catch (e) {
      fail(contender.name, e);
    }
  }
  /** Runs `f` for contender `p`; a throw drops `p` (its teardown run) and records why. */
  const guarded = (p: (typeof prepared)[number], f: () => void): boolean => {
    try {
      f();
      return true;
    } catch (e) {
      try {
        p.teardown?.();
      } catch {
        // Its state is already broken; the failure recorded is the first error.
      }
      fail(p.name, e);
      return false;
    }
  };
  // Warm up (JIT, wasm tier-up, page faults) and size each contender's batch and rounds. An op
  // of a few microseconds needs thousands of calls before V8 has optimised its whole path: the
  // warm-up runs for a stretch of time, not a count of calls (five calls and a batch sized from
  // the fifth timed the tier-up itself, and read a 3 µs step as 5 µs), and one call's time is
  // read from a tenth as many calls again.
  const warmUpMs = options.warmUpMs ?? 100;
  const plan = new Map<string, { batch: number; rounds: number }>();
  prepared = prepared.filter((p) =>
    guarded(p, () => {
      const t0 = performance.now();
      p.run();
      const first = performance.now() - t0;
      let calls = 0;
      if (first <= 200) for (const end = performance.now() + warmUpMs; calls < 3 || (calls < 1e6 && performance.now() < end); calls++) p.run();
      const timed = Math.max(1, Math.ceil(calls / 10));
      const t1 = performance.now();
      for (let i = 0; i < timed; i++) p.run();
      const once = Math.max((performance.now() - t1) / timed, 1e-3);
      const batch = Math.max(1, Math.ceil(options.minRoundMs / once));
      plan.set(p.name, { batch, rounds: Math.max(3, Math.min(options.rounds, Math.floor(options.budgetMs / (once * batch)))) });
    }),
  );
  const samples = new Map<string, number[]>(prepared.map((p) => [p.name, []]));
  for (let round = 0; round < options.rounds; round++) {
    // The order rotates round by round, and each batch starts from a collected heap: garbage a
    // peer leaves (tfjs-cpu, numpy-ts) is collected on its own time, not in the next
    // contender's batch. In a fixed order the first contender, ours, paid for the last one's:
    // a run measured 18 ms for an add that takes 0.7 ms.
    const order = prepared.map((_, j) => prepared[(j + round) % prepared.length]!);
    for (const p of order) {
      const { batch, rounds } = plan.get(p.name)!;
      if (round >= rounds || !samples.has(p.name)) continue;
      collectGarbage();
      const now = options.clock === "cpu" ? cpuMs : () => performance.now();
      const t0 = now();
      const ok = guarded(p, () => {
        for (let i = 0; i < batch; i++) p.run();
      });
      if (ok) samples.get(p.name)!.push((now() - t0) / batch);
      else samples.delete(p.name);
    }
  }
  prepared = prepared.filter((p) => samples.has(p.name));
  for (const p of prepared) p.teardown?.();
  timeOutside();
  const base = median(samples.get(prepared[0]!.name)!);
  const results: ContenderResult[] = prepared.map((p) => {
    const s = samples.get(p.name)!;
    const m = median(s);
    return {
      name: p.name,
      medianMs: m,
      minMs: Math.min(...s),
      runs: s.length * plan.get(p.name)!.batch,
      ratio: m / base,
      ...(c.bytes ? { gbPerS: c.bytes / (m * 1e6) } : {}),
      ...(c.flops ? { gflopPerS: c.flops / (m * 1e6) } : {}),
    };
  });
  for (const [name, medians] of outside) {
    const m = median(medians);
    results.push({
      name,
      medianMs: m,
      minMs: Math.min(...medians),
      runs: 0,
      ratio: m / base,
      ...(c.bytes ? { gbPerS: c.bytes / (m * 1e6) } : {}),
      ...(c.flops ? { gflopPerS: c.flops / (m * 1e6) } : {}),
    });
  }
  return { name: c.name, family: caseFamily(c), results, ...(failures.length ? { failures } : {}) };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split("\n")[0]!;
}

/** A full garbage collection (V8's `gc`, exposed at run time; a no-op where it cannot be). */
const collectGarbage: () => void = (() => {
  try {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
  } catch {
    return () => {};
  }
})();

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Milliseconds with three decimals, or three significant digits below 0.1 ms (the small-array cases run in microseconds). */
export function formatMs(ms: number): string {
  return ms < 0.1 ? ms.toPrecision(3) : ms.toFixed(3);
}

/** A Markdown table of all cases: one row per contender. */
export function toMarkdown(results: CaseResult[], header: string): string {
  const lines = [header, "", "| case | contender | median ms | min ms | × time of first | GB/s | GFLOP/s |", "|---|---|---:|---:|---:|---:|---:|"];
  for (const c of results) {
    for (const r of c.results) {
      lines.push(
        `| ${c.name} | ${r.name} | ${r.medianMs.toFixed(3)} | ${r.minMs.toFixed(3)} | ${r.ratio.toFixed(2)} | ${r.gbPerS?.toFixed(1) ?? ""} | ${r.gflopPerS?.toFixed(1) ?? ""} |`,
      );
    }
    for (const f of c.failures ?? []) lines.push(`| ${c.name} | ${f.name} | failed: ${f.error.replaceAll("|", "\\|")} | | | | |`);
  }
  return lines.join("\n") + "\n";
}
