/**
 * The packed package in Firefox ESR (SpiderMonkey, over WebDriver BiDi) and in WebKitGTK's
 * MiniBrowser (JavaScriptCore, over WebDriver classic), both installed from Debian:
 * - the package's ESM entry as plain ES modules behind an import map runs test/consumer's
 *   compute.mjs on every wasm build, and must compute exactly what Node computes;
 * - the demo page (`npm run demo:web`) trains the 2-D blobs on each build, driven as a user
 *   does (pick, type, click), and must report the run Node does on the same package, bit for bit.
 * Chromium has its own tests (consumer.test.ts, demo-web.test.ts). Screenshots go to test/artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoPage } from "../scripts/demo_web/build.js";
import { serveStatic } from "../scripts/static_server.js";
import type { BrowserSession } from "./helpers/browser_session.js";
import { trainInNode, type DemoSettings } from "./helpers/demo_in_node.js";
import { withFirefox } from "./helpers/firefox.js";
import { installPackedApp, type PackedApp } from "./helpers/packed_app.js";
import { WASM_BUILDS } from "./helpers/wasm_builds.js";
import { withWebKit } from "./helpers/webkit.js";

const artifacts = fileURLToPath(new URL("artifacts", import.meta.url));
const run = promisify(execFile);

let packed: PackedApp;
let node: Record<string, unknown>;
let demoDir: string;
const servers: Server[] = [];
let siteUrl: string;
let demoUrl: string;

beforeAll(async () => {
  packed = await installPackedApp();
  node = JSON.parse((await run(process.execPath, ["esm.mjs"], { cwd: packed.app, encoding: "utf8", maxBuffer: 64 << 20 })).stdout);
  expect(Object.keys(node)).toEqual(WASM_BUILDS);
  demoDir = mkdtempSync(join(tmpdir(), "vectorized-demo-web-"));
  await buildDemoPage(demoDir);
  for (const [dir, set] of [
    [packed.site, (url: string) => (siteUrl = url)],
    [demoDir, (url: string) => (demoUrl = url)],
  ] as const) {
    const { server, url } = await serveStatic(dir);
    servers.push(server);
    set(url);
  }
  mkdirSync(artifacts, { recursive: true });
}, 180_000);

afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  packed?.remove();
  if (demoDir) rmSync(demoDir, { recursive: true, force: true });
});

const ENGINES = [
  { name: "Firefox ESR", file: "firefox", open: withFirefox },
  { name: "WebKitGTK MiniBrowser", file: "webkit", open: withWebKit },
];

/** Sets the demo's controls as a user would, clicks Train and waits for the end; the page's record of the run. */
async function trainOnPage(session: BrowserSession, { dataset, learningRate, iterations, simd }: DemoSettings) {
  await session.select("#dataset", dataset);
  await session.fill("#learning-rate", String(learningRate));
  await session.fill("#iterations", String(iterations));
  await session.select("#build", simd ? "simd" : "baseline");
  await session.click("#train");
  await session.waitFor(`window.__demo.state === "done" || window.__demo.state === "error"`, 150_000);
  return session.evaluate<{ state: string; error?: string; backend: string; costs: [number, number][]; parts: number; weights: number[]; bias: number; trainAccuracy: number; testAccuracy: number; status: string }>(
    `({ ...window.__demo, weights: Array.from(window.__demo.weights ?? []), status: document.getElementById("status").textContent.trim() })`,
  );
}

describe.each(ENGINES)("$name", ({ file, open }) => {
  it("runs the packed package's ESM entry on every wasm build: Node's results", async () => {
    await open(async (session) => {
      console.log(session.version);
      await session.goto(siteUrl);
      await session.waitFor(`"__result" in window || "__error" in window`, 150_000);
      const { result, error, status } = await session.evaluate<{ result?: Record<string, unknown>; error?: string; status: string }>(
        `({ result: window.__result, error: window.__error, status: document.getElementById("status").textContent })`,
      );
      await session.screenshot(join(artifacts, `consumer-${file}.png`));
      expect(error).toBeUndefined();
      expect(session.problems()).toEqual([]);
      expect(status).toBe(`done: ${WASM_BUILDS.join(", ")}`);
      expect(Object.keys(result!)).toEqual(WASM_BUILDS);
      // Same wasm, same inputs: bit-identical to Node's, exp and sigmoid included.
      expect(result).toEqual(node);
    });
  }, 240_000);

  it("trains the demo page's 2-D blobs on both builds: the run Node does", async () => {
    await open(async (session) => {
      await session.goto(demoUrl);
      await session.waitFor(`!document.getElementById("train").disabled`, 120_000);
      for (const simd of [true, false]) {
        const settings: DemoSettings = { dataset: "blobs", learningRate: 0.1, iterations: 1000, simd };
        const got = await trainOnPage(session, settings);
        await session.screenshot(join(artifacts, `demo-web-${file}-${simd ? "simd" : "baseline"}.png`));
        expect(got.error).toBeUndefined();
        expect(got.state).toBe("done");
        const inNode = await trainInNode(settings);
        expect(got.backend).toBe(simd ? "wasm-simd" : "wasm");
        expect(got.backend).toBe(inNode.backend);
        expect(got.parts).toBe(inNode.parts);
        expect(got.costs).toEqual(inNode.costs);
        expect(got.weights).toEqual(inNode.weights);
        expect(got.bias).toBe(inNode.bias);
        expect([got.trainAccuracy, got.testAccuracy]).toEqual([inNode.trainAccuracy, inNode.testAccuracy]);
        expect(got.status).toMatch(/^done: train accuracy [\d.]+ %, test accuracy [\d.]+ %$/);
      }
      expect(session.problems()).toEqual([]);
    });
  }, 300_000);
});
