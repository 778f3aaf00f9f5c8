/**
 * What a run records about where it ran: the CPU, the load on this shared machine, and the
 * version of every contender (ours with its commit, Node, numpy with its BLAS, the JS peers).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg, release, type } from "node:os";
import type { BenchRun } from "./report_data.js";

/** The packages measured beside ours, whose versions go into the results. */
const PEER_PACKAGES = ["numpy-ts", "@jax-js/jax", "@tensorflow/tfjs-core", "@tensorflow/tfjs-backend-wasm", "@tensorflow/tfjs-backend-cpu", "ml-logistic-regression"];

const root = new URL("../", import.meta.url);
const versionOf = (dir: URL) => (JSON.parse(readFileSync(new URL("package.json", dir), "utf8")) as { version: string }).version;

/** The 1-minute load average now. */
export const loadNow = () => loadavg()[0]!;

export function machineInfo(loadAtStart: number): BenchRun["machine"] {
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    os: `${type()} ${release()}`,
    loadAverage: { start: loadAtStart, end: loadNow() },
  };
}

/** The commit benchmarked, marked when the working tree differs from it (results excepted). */
function commit(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git("status", "--porcelain", "--untracked-files=no", "--", ".", ":!bench/results", ":!README.md") !== "";
    return `${git("rev-parse", "--short", "HEAD")}${dirty ? " with uncommitted changes" : ""}`;
  } catch {
    return "unknown commit";
  }
}

export function versions(numpy: string): Record<string, string> {
  const out: Record<string, string> = { vectorized: `${versionOf(root)} (${commit()})`, node: process.version, numpy: numpy.replace(/^numpy /, "") };
  for (const name of PEER_PACKAGES) {
    try {
      out[name] = versionOf(new URL(`node_modules/${name}/`, root));
    } catch {
      out[name] = "not installed";
    }
  }
  return out;
}
