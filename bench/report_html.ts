/**
 * The benchmark report (results/latest.html): one chart per case family, drawn here as inline
 * SVG (no chart library, nothing fetched when it is viewed), each case a group of horizontal
 * bars, one per contender that has a result, with the run's machine, load and versions on top.
 * Every bar carries `data-case`, `data-contender` and `data-value`, so a test can check that
 * each result is drawn.
 */
import type { ContenderResult } from "./harness.js";
import { describeRun, families, formatMs, formatRatio, measureOf, type BenchRun, type Family, type Measure } from "./report_data.js";

const WIDTH = 980;
/** Room for contender names left of the bars, and for the value right of the longest bar. */
const LABELS = 230;
const VALUES = 190;
const BAR_AREA = WIDTH - LABELS - VALUES;
const ROW = 17;
const CASE_TITLE = 24;
const AXIS = 28;

/** Colours by contender: ours in blues (darkest for the fastest build), each peer its own hue. */
const KNOWN_COLOURS: [RegExp, string][] = [
  [/copy yardstick/, "#c4c7cc"],
  [/reference/, "#8a9099"],
  [/^numpy-ts/, "#2e9e5b"],
  [/^numpy/, "#e8710a"],
  [/^jax-js/, "#8e44ad"],
  [/^tfjs-wasm/, "#d93025"],
  [/^tfjs-cpu/, "#f29b94"],
  [/wasm-relaxed/, "#1a4fa0"],
  [/wasm-simd/, "#3f87e0"],
  [/\bwasm$/, "#94bff2"],
];
/** For contenders none of the above names (new peers, variants such as `cols pass`). */
const PALETTE = ["#00897b", "#9e9d24", "#6d4c41", "#c2185b", "#5c6bc0", "#f9a825", "#455a64"];

function colourMap(): (name: string) => string {
  const others = new Map<string, string>();
  return (name) => {
    const known = KNOWN_COLOURS.find(([pattern]) => pattern.test(name));
    if (known) return known[1];
    if (!others.has(name)) others.set(name, PALETTE[others.size % PALETTE.length]!);
    return others.get(name)!;
  };
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** Axis ticks and the position of a value along the bars: linear from 0 for throughput, logarithmic for time. */
function scaleFor(measure: Measure, values: number[]): { x: (v: number) => number; ticks: number[] } {
  if (measure.unit === "ms") {
    const [first, last] = [Math.floor(Math.log10(Math.min(...values))), Math.ceil(Math.log10(Math.max(...values)))];
    const lo = pow10(first);
    const span = Math.max(last - first, 1);
    const ticks: number[] = [];
    for (let k = first; k <= last; k++) ticks.push(pow10(k));
    return { x: (v) => (BAR_AREA * Math.log10(v / lo)) / span, ticks };
  }
  const max = Math.max(...values);
  const step = niceStep(max / 5);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let t = 0; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(6)));
  return { x: (v) => (BAR_AREA * v) / top, ticks };
}

/** 10ᵏ as its decimal reads: `10 ** k` for k < 0 differs in the last bit between V8 versions (Node 20 prints 10 ** -4 as 0.00009999999999999999), and the report must not depend on the engine that drew it. */
const pow10 = (k: number): number => Number(`1e${k}`);

function niceStep(raw: number): number {
  const power = pow10(Math.floor(Math.log10(raw)));
  const m = raw / power;
  return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power;
}

const tickLabel = (t: number, unit: Measure["unit"]) => (unit !== "ms" ? `${t}` : t >= 1000 ? `${t / 1000} s` : `${t} ms`);

/** The text after a bar: the charted value, then the time and the ratio to the case's first contender. */
function valueLabel(r: ContenderResult, measure: Measure): string {
  const time = `${formatMs(r.medianMs)}, ${formatRatio(r.ratio)}`;
  return measure.unit === "ms" ? time : `${measure.value(r).toPrecision(3)} ${measure.unit} (${time})`;
}

/** One family's chart as an SVG element. */
export function familyChart(family: Family, colour: (name: string) => string): string {
  const measure = measureOf(family);
  const values = family.cases.flatMap((c) => c.results.map(measure.value)).filter((v) => Number.isFinite(v) && v > 0);
  const scale = scaleFor(measure, values.length ? values : [1]);
  const rows = family.cases.reduce((n, c) => n + c.results.length + (c.failures?.length ?? 0), 0);
  const height = AXIS + family.cases.length * CASE_TITLE + rows * ROW + 8;
  const parts: string[] = [];
  const axisX = (v: number) => LABELS + scale.x(v);
  for (const t of scale.ticks) {
    const x = axisX(t).toFixed(1);
    parts.push(`<line class="grid" x1="${x}" x2="${x}" y1="${AXIS - 6}" y2="${height - 4}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${AXIS - 10}" text-anchor="middle">${escapeXml(tickLabel(t, measure.unit))}</text>`);
  }
  let y = AXIS;
  for (const c of family.cases) {
    parts.push(`<text class="case" x="4" y="${y + CASE_TITLE - 7}">${escapeXml(c.name)}</text>`);
    y += CASE_TITLE;
    for (const r of c.results) {
      const value = measure.value(r);
      // At least 2 px: a result far below the axis's range is still visibly there.
      const width = Number.isFinite(value) && value > 0 ? Math.max(2, scale.x(value)) : 0;
      const label = valueLabel(r, measure);
      parts.push(
        `<g class="row"><text class="contender" x="${LABELS - 6}" y="${y + ROW - 5}" text-anchor="end">${escapeXml(r.name)}</text>` +
          `<rect class="bar" x="${LABELS}" y="${y + 2}" width="${width.toFixed(1)}" height="${ROW - 4}" fill="${colour(r.name)}" data-case="${escapeXml(c.name)}" data-contender="${escapeXml(r.name)}" data-value="${value}">` +
          `<title>${escapeXml(`${r.name}: ${label}; min ${formatMs(r.minMs)}${r.runs ? `, ${r.runs} runs` : ", timed by its own script"}`)}</title></rect>` +
          `<text class="value" x="${(LABELS + width + 4).toFixed(1)}" y="${y + ROW - 5}">${escapeXml(label)}</text></g>`,
      );
      y += ROW;
    }
    for (const f of c.failures ?? []) {
      parts.push(
        `<g class="row failed"><text class="contender" x="${LABELS - 6}" y="${y + ROW - 5}" text-anchor="end">${escapeXml(f.name)}</text>` +
          `<text class="value" x="${LABELS + 4}" y="${y + ROW - 5}">${escapeXml(`failed: ${f.error}`)}</text></g>`,
      );
      y += ROW;
    }
  }
  const better = measure.higherIsBetter ? "longer is faster" : "shorter is faster, logarithmic axis";
  return (
    `<svg class="chart" role="img" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" data-family="${escapeXml(family.name)}" data-unit="${measure.unit}">` +
    `<title>${escapeXml(`${family.name}: ${measure.unit} per contender (${better})`)}</title>${parts.join("")}</svg>`
  );
}

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: ${WIDTH + 20}px; color: #202124; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.2em; }
dl.run { display: grid; grid-template-columns: max-content auto; gap: 0.15em 1em; }
dl.run dt { font-weight: 600; }
dl.run dd { margin: 0; }
nav a { margin-right: 0.8em; white-space: nowrap; }
p.measure { color: #5f6368; margin: 0 0 0.4em; }
svg.chart text { font: 12px system-ui, sans-serif; fill: #202124; }
svg.chart text.case { font-weight: 600; }
svg.chart text.tick { fill: #5f6368; font-size: 11px; }
svg.chart text.value { fill: #3c4043; }
svg.chart line.grid { stroke: #e8eaed; }
`;

const slug = (name: string) => `family-${name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "")}`;

/** The whole report: the run's description, then one section and chart per family. */
export function renderReport(run: BenchRun): string {
  const colour = colourMap();
  const groups = families(run.results);
  const versions = Object.entries(run.versions)
    .map(([name, version]) => `<li>${escapeXml(name)}: ${escapeXml(version)}</li>`)
    .join("");
  const sections = groups.map((family) => {
    const measure = measureOf(family);
    const note =
      measure.unit === "ms"
        ? "Median time per run; shorter is faster (logarithmic axis)."
        : `Median ${measure.unit === "GB/s" ? "bytes read and written once" : "floating-point operations"} per second; longer is faster.`;
    return `<section id="${slug(family.name)}"><h2>${escapeXml(family.name)}</h2><p class="measure">${note} After each bar: the median time and its ratio to the case's first contender (our fastest build) in the same run.</p>${familyChart(family, colour)}</section>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vectorized benchmarks, ${escapeXml(run.date.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>vectorized benchmarks</h1>
<p>${escapeXml(describeRun(run))}. Every case runs all its contenders in one process, round by round; bars are medians. On this shared machine an absolute time moves from run to run; the ratio within one case is the figure that holds. numpy runs on one thread, as vectorized does, timed by its own script (rounds and a median, as here) just before the case's JS contenders and again just after (the median of both) rather than interleaved with them, so its ratios move more with the load.</p>
<dl class="run">
<dt>Date</dt><dd>${escapeXml(run.date)}</dd>
<dt>Machine</dt><dd>${escapeXml(`${run.machine.cpu}, ${run.machine.cores} cores, ${run.machine.os}`)}</dd>
<dt>Load average</dt><dd>${run.machine.loadAverage.start.toFixed(2)} at start, ${run.machine.loadAverage.end.toFixed(2)} at end (1 minute)</dd>
<dt>Our fastest build</dt><dd>${escapeXml(run.fastestBuild)}</dd>
<dt>Mode</dt><dd>${run.quick ? "--quick" : "full"}${run.filter ? `, --filter ${escapeXml(run.filter)}` : ""}</dd>
<dt>Versions</dt><dd><ul>${versions}</ul></dd>
</dl>
<nav>${groups.map((f) => `<a href="#${slug(f.name)}">${escapeXml(f.name)}</a>`).join(" ")}</nav>
${sections.join("\n")}
</body>
</html>
`;
}
