/**
 * The benchmark harness keeps going when a peer fails: a contender that throws in its setup, its
 * warm-up, a timed batch or its external script is left out of the case and named with its error,
 * while the others are timed; our own contender (the first) throwing ends the run. No timing is
 * asserted: only which contenders have results and what the failures say.
 */
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { FULL_ROUNDS, QUICK_ROUNDS, roundsFor, runCase, toMarkdown, type BenchCase, type Contender } from "../bench/harness.js";

// A run takes ≥ 1 ms, so every batch is one run; the budget is large enough that all four
// rounds run whatever the machine's load; no stretch of warm-up, so it is the three calls
// every contender gets (and one more to time a call), which can be counted.
const options = { rounds: 4, minRoundMs: 0.5, budgetMs: 10_000, warmUpMs: 0 };

/** A contender that works a millisecond per run, counting its calls and teardowns; it throws `error` after `failAfter` calls. */
function counting(name: string, failAfter = Infinity, error = new RangeError("Array buffer allocation failed\n    at stack")) {
  const state = { calls: 0, teardowns: 0 };
  const contender: Contender = {
    name,
    setup: () => ({
      run: () => {
        if (++state.calls > failAfter) throw error;
        // A millisecond of work (the clock only spins here, nothing is asserted on it): the
        // harness then sizes every batch as one run, so its calls can be counted.
        const end = performance.now() + 1;
        while (performance.now() < end);
      },
      teardown: () => void state.teardowns++,
    }),
  };
  return { contender, state };
}

describe("bench harness: a failing peer is reported, not fatal", () => {
  it("leaves out peers that throw in setup, warm-up, a timed batch or their script, and names their errors", async () => {
    const ours = counting("ours");
    const warmUp = counting("peer failing in warm-up", 0);
    // The sixth call is in a timed round either way: after the first call, three warm-up calls
    // and one to time a call, or (when the first call looks slow, > 200 ms, and the harness
    // warms up with two) in the fourth round.
    const timed = counting("peer failing in a timed batch", 5);
    const healthy = counting("healthy peer");
    const c: BenchCase = {
      name: "case",
      contenders: [
        ours.contender,
        { name: "peer failing in setup", setup: () => Promise.reject(new TypeError("op not supported")) },
        warmUp.contender,
        timed.contender,
        { name: "numpy (script)", external: () => { throw new Error("python exited 1\nTraceback"); }, setup: () => ({ run: () => {} }) },
        healthy.contender,
      ],
    };
    const result = await runCase(c, options);
    expect(result.results.map((r) => r.name)).toEqual(["ours", "healthy peer"]);
    expect(result.results.every((r) => Number.isFinite(r.medianMs) && r.runs > 0)).toBe(true);
    expect(result.results[0]!.ratio).toBe(1);
    expect(result.failures).toEqual([
      { name: "numpy (script)", error: "Error: python exited 1" },
      { name: "peer failing in setup", error: "TypeError: op not supported" },
      { name: "peer failing in warm-up", error: "RangeError: Array buffer allocation failed" },
      { name: "peer failing in a timed batch", error: "RangeError: Array buffer allocation failed" },
    ]);
    expect(timed.state.calls).toBe(6);
    // Every prepared contender is torn down once, the failed ones when they fail.
    expect([ours.state.teardowns, warmUp.state.teardowns, timed.state.teardowns, healthy.state.teardowns]).toEqual([1, 1, 1, 1]);
    const md = toMarkdown([result], "# run");
    expect(md).toContain("| case | peer failing in a timed batch | failed: RangeError: Array buffer allocation failed | | | | |");
  });

  it("times a peer that runs elsewhere once before our rounds and once after, and reports the median of its runs", async () => {
    const ours = counting("ours");
    const reported = [2, 4];
    const seen: number[] = []; // ours' calls so far at each of the script's runs
    const script: Contender = { name: "numpy (script)", external: () => (seen.push(ours.state.calls), reported[seen.length - 1]), setup: () => ({ run: () => {} }) };
    const absent: Contender = { name: "not installed", external: () => undefined, setup: () => ({ run: () => {} }) };
    const result = await runCase({ name: "c", contenders: [ours.contender, script, absent] }, options);
    expect(seen).toEqual([0, ours.state.calls]);
    expect(ours.state.calls).toBeGreaterThan(4);
    const peer = result.results.find((r) => r.name === "numpy (script)")!;
    expect([peer.medianMs, peer.minMs, peer.runs]).toEqual([3, 2, 0]);
    expect(result.results.map((r) => r.name)).toEqual(["ours", "numpy (script)"]);
  });

  it("a case with no failures has no failures field", async () => {
    const result = await runCase({ name: "fine", contenders: [counting("ours").contender, counting("peer").contender] }, options);
    expect(result.failures).toBeUndefined();
  });

  it("ends the run when our own contender throws, and refuses repeated contender names", async () => {
    const ours = counting("ours", 2, new Error("kernel bug"));
    await expect(runCase({ name: "c", contenders: [ours.contender, counting("peer").contender] }, options)).rejects.toThrow("kernel bug");
    await expect(runCase({ name: "c", contenders: [counting("x").contender, counting("x").contender] }, options)).rejects.toThrow(
      "c: contender names repeat (x, x)",
    );
  });
});

describe("roundsFor", () => {
  const small: BenchCase = { name: "small: add (2,3)+(2,1) float32, disposed", contenders: [] };
  const large: BenchCase = { name: "add (1000,1000)+(1000,1) float32", contenders: [] };

  it("gives a quick run fewer rounds, but not to the small-array cases", () => {
    expect(roundsFor(large, true)).toEqual(QUICK_ROUNDS);
    expect(roundsFor(small, true)).toEqual(FULL_ROUNDS);
    expect(roundsFor(large, false)).toEqual(FULL_ROUNDS);
    expect(QUICK_ROUNDS.rounds).toBeLessThan(FULL_ROUNDS.rounds);
  });

  it("goes by the family a case names, when it names one", () => {
    expect(roundsFor({ ...large, family: "small" }, true)).toEqual(FULL_ROUNDS);
    expect(roundsFor({ ...small, family: "add" }, true)).toEqual(QUICK_ROUNDS);
  });
});
