/**
 * The benchmark report and the README's benchmark table, against the committed results
 * (bench/results/latest.json):
 * - latest.html, latest.md and the README's marked section are exactly what the generator makes
 *   from the JSON, so none of them can drift from it (or be edited by hand);
 * - the README's figures, read back from its table, are the JSON's medians and ratios;
 * - latest.html in headless Chromium: one chart per family in the JSON, and in each a drawn bar
 *   for every contender with a result, ordered as its value says (expectations from the JSON);
 * - a made-up run with a family no case has yet gets its own chart, drawn the same way.
 * No timing is asserted here: the figures are whatever the committed run measured.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { familyOf, type CaseResult } from "../bench/harness.js";
import type { BenchRun } from "../bench/report_data.js";
import { renderReport } from "../bench/report_html.js";
import { currentSection, readmeSection } from "../bench/report_readme.js";
import { loadRun, markdownReport } from "../bench/report_write.js";
import { collectProblems, withChromium } from "./helpers/chromium.js";

const results = new URL("../bench/results/", import.meta.url);
const run = loadRun("latest");
const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("bench results: generated, never copied", () => {
  it("latest.html, latest.md and the README's table are what the generator makes from latest.json", () => {
    expect(readFileSync(new URL("latest.html", results), "utf8")).toBe(renderReport(run));
    expect(readFileSync(new URL("latest.md", results), "utf8")).toBe(markdownReport(run, "latest"));
    // `npx tsx bench/report.ts` rewrites the section when this fails after a change to the generator.
    expect(currentSection(readme)).toBe(readmeSection(run, "latest"));
  });

  it("axis ticks are exact decimals, whichever engine draws them (Node 20's 10 ** -4 is 0.00009999999999999999)", () => {
    // A time axis that starts at 10⁻⁴ ms, below the small family's sub-microsecond medians.
    const small = { ...run, results: [{ ...run.results[0]!, results: run.results[0]!.results.map((r, i) => ({ ...r, medianMs: 0.0005 * (i + 1) })) }] };
    const labels = [...renderReport(small).matchAll(/class="tick"[^>]*>([^<]*) ms</g)].map((m) => m[1]!);
    expect(labels).toContain("0.0001");
    for (const label of labels) expect(String(Number(label)), label).toBe(label);
    for (const label of labels) expect(label.replace(/^[0.]+/, "").length, label).toBeLessThanOrEqual(6);
  });

  it("cases fall into families by their names' leading words", () => {
    expect(familyOf("matmul 128×128·128×128 (Aᵀ) float32")).toBe("matmul");
    expect(familyOf("logistic step (784,60000) cols float32")).toBe("logistic step");
    expect(familyOf("dense network: planar [2,4,1] tanh")).toBe("dense network");
    expect(familyOf("sigmoid 1e+6 float32")).toBe("sigmoid");
    expect(run.results.every((c) => c.family === familyOf(c.name))).toBe(true);
  });

  it("the run says where it ran: CPU, load, Node, numpy's BLAS, every peer's version", () => {
    expect(run.machine.cpu).not.toBe("");
    expect(run.machine.loadAverage.start).toBeGreaterThanOrEqual(0);
    expect(run.versions["numpy"]).toMatch(/^\d+\.\d+\.\d+, openblas /);
    for (const peer of ["numpy-ts", "@jax-js/jax", "@tensorflow/tfjs-backend-wasm"]) expect(run.versions[peer]).toMatch(/^\d+\.\d+\.\d+$/);
    expect(run.filter).toBeUndefined(); // latest.* feed the README: a full run, not a filtered one
  });

  it("every figure in the README's table is the JSON's median and ratio", () => {
    const table = currentSection(readme)
      .split("\n")
      .filter((line) => line.startsWith("| ") && !line.startsWith("| case "));
    expect(table.length).toBeGreaterThanOrEqual(5);
    const header = currentSection(readme)
      .split("\n")
      .find((line) => line.startsWith("| case "))!
      .split("|")
      .map((cell) => cell.trim())
      .slice(2, -1);
    expect(header).toEqual(["vectorized", "numpy (1 thread)", "numpy-ts", "jax-js (jit)", "tfjs-wasm"]);
    for (const line of table) {
      const [name, ours, ...peers] = line.split("|").map((cell) => cell.trim()).slice(1, -1);
      const c = run.results.find((r) => r.name === name);
      expect(c, `README row "${name}" is a case of the run`).toBeDefined();
      const oursMatch = /^([\d.]+) (ms|s) \((.+)\)$/.exec(ours!)!;
      expect(oursMatch[3]).toBe(c!.results[0]!.name);
      expectFigure(oursMatch[1]!, c!.results[0]!.medianMs, oursMatch[2] === "s" ? 1000 : 1);
      const contenders = [(n: string) => n.startsWith("numpy ("), (n: string) => n === "numpy-ts", (n: string) => n.startsWith("jax-js"), (n: string) => n === "tfjs-wasm"];
      peers.forEach((cell, k) => {
        const r = c!.results.find((x) => contenders[k]!(x.name));
        if (!r) return expect(cell).toBe("—");
        const m = /^([\d.]+) (ms|s) \(([\d.]+)×\)$/.exec(cell)!;
        expect(m, cell).not.toBeNull();
        expectFigure(m![1]!, r.medianMs, m![2] === "s" ? 1000 : 1);
        expectFigure(m![3]!, r.ratio);
      });
    }
  });
});

/** A printed figure (`"0.372"`, in `unit` ms) is the value rounded to the digits printed. */
function expectFigure(printed: string, value: number, unit = 1) {
  const decimals = printed.split(".")[1]?.length ?? 0;
  expect(Math.abs(Number(printed) * unit - value), `${printed} for ${value}`).toBeLessThanOrEqual(0.5 * 10 ** -decimals * unit * (1 + 1e-9));
}

/** What the page draws: per chart its family, and per bar its case, contender, value and drawn width. */
async function chartsOn(page: Page) {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("svg.chart")).map((svg) => ({
      family: svg.getAttribute("data-family"),
      bars: Array.from(svg.querySelectorAll("rect.bar")).map((rect) => ({
        case: rect.getAttribute("data-case"),
        contender: rect.getAttribute("data-contender"),
        value: Number(rect.getAttribute("data-value")),
        width: (rect as SVGRectElement).getBoundingClientRect().width,
      })),
    })),
  );
}

/** Checks the drawn charts against the run's results, read straight from them. */
function expectChartsOf(charts: Awaited<ReturnType<typeof chartsOn>>, cases: CaseResult[]) {
  const familiesInRun = [...new Set(cases.map((c) => c.family))];
  expect(charts.map((c) => c.family)).toEqual(familiesInRun);
  for (const chart of charts) {
    const inFamily = cases.filter((c) => c.family === chart.family);
    const expected = inFamily.flatMap((c) => c.results.map((r) => `${c.name} / ${r.name}`));
    expect(chart.bars.map((b) => `${b.case} / ${b.contender}`), chart.family!).toEqual(expected);
    for (const bar of chart.bars) expect(bar.width, `${bar.case} / ${bar.contender}`).toBeGreaterThan(0);
    // Drawn to scale: within a chart, a larger value never has a shorter bar.
    const sorted = [...chart.bars].sort((a, b) => a.value - b.value);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.width + 0.01).toBeGreaterThanOrEqual(sorted[i - 1]!.width);
    // The value charted is the contender's GB/s, GFLOP/s or median time from the JSON.
    for (const bar of chart.bars) {
      const r = inFamily.find((c) => c.name === bar.case)!.results.find((x) => x.name === bar.contender)!;
      expect([r.gbPerS, r.gflopPerS, r.medianMs]).toContain(bar.value);
    }
  }
}

describe("the report in Chromium", () => {
  it("latest.html: a chart per family, a bar for every contender with a result", () =>
    withChromium(async (browser) => {
      const page = await browser.newPage();
      const problems = collectProblems(page);
      await page.goto(pathToFileURL(fileURLToPath(new URL("latest.html", results))).href);
      const text = await page.textContent("body");
      expect(text).toContain(run.machine.cpu);
      expect(text).toContain(run.versions["numpy"]);
      for (const version of Object.values(run.versions)) expect(text).toContain(version);
      expectChartsOf(await chartsOn(page), run.results);
      expect(problems).toEqual([]);
  }));

  it("a family no case has yet gets its own chart, drawn the same way", () =>
    withChromium(async (browser) => {
      const name = "small add (4,4)+(4,1) float32";
      const made: BenchRun = {
        ...run,
        results: [
          ...run.results.slice(0, 2),
          {
            name,
            family: familyOf(name),
            results: [
              { name: "wasm-simd", medianMs: 0.002, minMs: 0.002, runs: 100, ratio: 1 },
              { name: "a new peer", medianMs: 0.05, minMs: 0.04, runs: 100, ratio: 25 },
              { name: "numpy (1 thread)", medianMs: 0.0009, minMs: 0.0009, runs: 0, ratio: 0.45 },
            ],
          },
        ],
      };
      expect(familyOf(name)).toBe("small add");
      const page = await browser.newPage();
      await page.setContent(renderReport(made));
      const charts = await chartsOn(page);
      expect(charts.at(-1)!.family).toBe("small add");
      expectChartsOf(charts, made.results);
  }));
});
