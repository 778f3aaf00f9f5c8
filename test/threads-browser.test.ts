/**
 * The packed package's threads in Chromium: a cross-origin-isolated page (COOP/COEP headers)
 * runs the threaded builds (SIMD128 and relaxed) on two threads, a plain page falls back to one
 * thread and says why; both compute the bits Node computes (relaxed: on this machine's CPU).
 */
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CROSS_ORIGIN_ISOLATION, serveStatic } from "../scripts/static_server.js";
import { collectProblems, withChromium } from "./helpers/chromium.js";
import { installPackedApp, type PackedApp } from "./helpers/packed_app.js";

const run = promisify(execFile);

/** A product big enough to be split among threads, and a digest of its bits, on the SIMD128 and the relaxed build. */
const COMPUTE = `
export async function compute(vz) {
  const results = {};
  for (const relaxed of [false, true]) {
    await vz.init({ relaxed, threads: 2 });
    const n = 300;
    const a = vz.array(Float32Array.from({ length: n * n }, (_, i) => Math.sin(i)), { shape: [n, n] });
    const b = vz.array(Float32Array.from({ length: n * n }, (_, i) => Math.cos(i)), { shape: [n, n] });
    const c = vz.matmul(a, b);
    const bits = new Uint32Array(c.toTypedArray().buffer);
    let digest = 0;
    for (const word of bits) digest = (Math.imul(digest, 31) + word) | 0;
    results[vz.backendName()] = { threads: vz.threads(), digest, first: Array.from(c.toTypedArray().slice(0, 4)) };
    a.dispose(); b.dispose(); c.dispose();
  }
  return results;
}
`;

type Result = Record<"wasm-simd" | "wasm-relaxed", { threads: { count: number; reason: string }; digest: number; first: number[] }>;
let packed: PackedApp;
let node: Result;

beforeAll(async () => {
  packed = await installPackedApp();
  for (const dir of [packed.app, packed.site]) writeFileSync(join(dir, "threads.mjs"), COMPUTE);
  writeFileSync(join(packed.app, "threads-node.mjs"), `import * as vz from "vectorized";\nimport { compute } from "./threads.mjs";\nconsole.log(JSON.stringify(await compute(vz)));\n`);
  writeFileSync(
    join(packed.site, "threads.html"),
    `<!doctype html><html><head><link rel="icon" href="data:,"><script type="importmap">{ "imports": { "vectorized": "/vectorized/index.js" } }</script></head><body><p id="status">running</p>
<script type="module">
import * as vz from "vectorized";
import { compute } from "./threads.mjs";
try { window.__result = await compute(vz); document.getElementById("status").textContent = "done"; }
catch (error) { window.__error = String(error && error.stack || error); }
</script></body></html>`,
  );
  // Node 20 has relaxed SIMD behind a flag (22 and later reject it).
  const flags = Number(process.versions.node.split(".")[0]) < 22 ? ["--experimental-wasm-relaxed-simd"] : [];
  node = JSON.parse((await run(process.execPath, [...flags, "threads-node.mjs"], { cwd: packed.app, encoding: "utf8" })).stdout);
  expect(Object.keys(node).sort()).toEqual(["wasm-relaxed", "wasm-simd"]);
  for (const build of Object.values(node)) expect(build.threads).toEqual({ count: 2, reason: "" });
}, 180_000);

afterAll(() => packed?.remove());

async function inChromium(headers: Record<string, string>) {
  const { server, url } = await serveStatic(packed.site, 0, headers);
  try {
    return await withChromium(async (browser) => {
      const page = await browser.newPage();
      const problems = collectProblems(page);
      await page.goto(new URL("threads.html", url).href);
      await page.waitForFunction(() => "__result" in window || "__error" in window, undefined, { timeout: 60_000 });
      const { result, error } = await page.evaluate(() => ({
        result: (window as unknown as { __result?: Result }).__result,
        error: (window as unknown as { __error?: string }).__error,
      }));
      return { result, error, problems };
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

it("a cross-origin-isolated page runs two threads and computes Node's bits", async () => {
  const { result, error, problems } = await inChromium(CROSS_ORIGIN_ISOLATION);
  expect(error).toBeUndefined();
  expect(problems).toEqual([]);
  expect(result).toEqual(node);
}, 120_000);

it("a page that is not cross-origin isolated runs one thread, says why, and computes the same bits", async () => {
  const { result, error, problems } = await inChromium({});
  expect(error).toBeUndefined();
  expect(problems).toEqual([]);
  const oneThread = { count: 1, reason: "the page is not cross-origin isolated (COOP/COEP headers)" };
  expect(result).toEqual({
    "wasm-simd": { ...node["wasm-simd"], threads: oneThread },
    "wasm-relaxed": { ...node["wasm-relaxed"], threads: oneThread },
  });
}, 120_000);
