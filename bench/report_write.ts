/**
 * Writes a run's results: results/<out>.json (the data), .md (every figure in one table), .html
 * (the charts) and, for the full run saved as `latest`, the README's benchmark table. The .md,
 * .html and README section are functions of the .json alone, so `bench/report.ts` can rebuild
 * them and a test can check that they did not drift.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { toMarkdown } from "./harness.js";
import { describeRun, type BenchRun } from "./report_data.js";
import { renderReport } from "./report_html.js";
import { readmeSection, replaceSection } from "./report_readme.js";

export const RESULTS = new URL("results/", import.meta.url);
export const README = new URL("../README.md", import.meta.url);

/** The Markdown table of every case and contender, headed by the run's description. */
export function markdownReport(run: BenchRun, out: string): string {
  const versions = Object.entries(run.versions)
    .map(([name, version]) => `${name} ${version}`)
    .join("; ");
  const header =
    `# vectorized benchmarks\n\n${describeRun(run)}${run.filter ? ` (cases matching "${run.filter}")` : ""}. ` +
    `Medians; "× time of first" is each contender's median over the first contender's (our fastest build: ${run.fastestBuild}) in the same run. ` +
    `Charts: [${out}.html](${out}.html).\n\nVersions: ${versions}.`;
  return toMarkdown(run.results, header);
}

/** Whether this output feeds the README's table: the full run (no filter) saved as `latest`. */
export const feedsReadme = (run: BenchRun, out: string) => out === "latest" && !run.filter;

/** Writes the .md and .html beside results/<out>.json and, where it feeds it, the README's table. */
export function writeReports(run: BenchRun, out: string): string[] {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL(`${out}.md`, RESULTS), markdownReport(run, out));
  writeFileSync(new URL(`${out}.html`, RESULTS), renderReport(run));
  const written = [`bench/results/${out}.md`, `bench/results/${out}.html`];
  if (feedsReadme(run, out)) {
    writeFileSync(README, replaceSection(readFileSync(README, "utf8"), readmeSection(run, out)));
    written.push("README.md (benchmark table)");
  }
  return written;
}

/** Saves the run as results/<out>.json, then writes everything made from it. */
export function saveRun(run: BenchRun, out: string): string[] {
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(new URL(`${out}.json`, RESULTS), JSON.stringify(run, null, 2) + "\n");
  return [`bench/results/${out}.json`, ...writeReports(run, out)];
}

export function loadRun(out: string): BenchRun {
  return JSON.parse(readFileSync(new URL(`${out}.json`, RESULTS), "utf8")) as BenchRun;
}
