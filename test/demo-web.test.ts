/**
 * The demo page (`npm run demo:web`) in headless Chromium, used as a person would: pick a
 * dataset and settings, click Train, wait for the end. The page's reported accuracies, weights
 * and cost curve must equal the same training run in Node on the same built package (same wasm,
 * same data: bit for bit), and on the 2-D blobs the accuracy must be close to the best possible
 * (the Bayes boundary, worked out from the generator's means). Screenshots go to test/artifacts/.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BLOB_MEANS, DATASETS } from "../scripts/datasets.js";
import { buildDemoPage } from "../scripts/demo_web/build.js";
import { CROSS_ORIGIN_ISOLATION, serveStatic } from "../scripts/static_server.js";
import { collectProblems, withChromium } from "./helpers/chromium.js";
import { trainInNode, type DemoSettings as Settings } from "./helpers/demo_in_node.js";

const artifacts = fileURLToPath(new URL("artifacts", import.meta.url));
let out: string;
let server: Server;
let url: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), "vectorized-demo-web-"));
  await buildDemoPage(out);
  // Served as `npm run demo:web` serves it: cross-origin isolated, so its worker runs threads.
  ({ server, url } = await serveStatic(out, 0, CROSS_ORIGIN_ISOLATION));
  mkdirSync(artifacts, { recursive: true });
}, 120_000);

afterAll(async () => {
  await new Promise((done) => server?.close(done));
  if (out) rmSync(out, { recursive: true, force: true });
});

/** A new tab on the demo page, once it is ready; its errors and warnings are collected. */
async function openDemo(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1040, height: 900 } });
  const problems = collectProblems(page);
  await page.goto(url);
  await page.waitForSelector("#train:not([disabled])");
  return { page, problems };
}

/** Sets the controls as a user would, clicks Train and waits for the run to end; the page's figures. */
async function trainOnPage(page: Page, { dataset, learningRate, iterations, simd }: Settings) {
  await page.selectOption("#dataset", dataset);
  await page.fill("#learning-rate", String(learningRate));
  await page.fill("#iterations", String(iterations));
  await page.selectOption("#build", simd ? "simd" : "baseline");
  await page.click("#train");
  await page.waitForFunction(() => window.__demo.state === "done" || window.__demo.state === "error", undefined, { timeout: 90_000 });
  const run = await page.evaluate(() => ({ ...window.__demo, weights: Array.from(window.__demo.weights ?? []), grid: Array.from(window.__demo.grid ?? []) }));
  const text = async (id: string) => (await page.textContent(`#${id}`))!.trim();
  return { run, status: await text("status"), trainAccuracy: await text("train-accuracy"), testAccuracy: await text("test-accuracy"), speed: await text("speed") };
}

const percent = (v: number) => `${(100 * v).toFixed(2)} %`;

describe("the demo page in headless Chromium", () => {
  it("trains the 2-D blobs live and reports what Node computes, near the best possible accuracy", async () => {
    const settings: Settings = { dataset: "blobs", learningRate: 0.1, iterations: 1000, simd: true };
    await withChromium(async (browser) => {
      const { page, problems } = await openDemo(browser);
      const got = await trainOnPage(page, settings);
      await page.screenshot({ path: join(artifacts, "demo-web-blobs.png"), fullPage: true });
      expect(got.run.error).toBeUndefined();
      expect(problems).toEqual([]);

      const node = await trainInNode(settings);
      expect(got.run.backend).toBe("wasm-simd");
      expect(node.backend).toBe("wasm-simd");
      // Every core the page reports, from the worker's own pool of workers.
      const cores = await page.evaluate(() => navigator.hardwareConcurrency);
      expect(got.run.threads).toEqual({ count: cores, reason: "" });
      expect(await page.textContent("#threads")).toBe(String(cores));
      expect(got.run.trainAccuracy).toBe(node.trainAccuracy);
      expect(got.run.testAccuracy).toBe(node.testAccuracy);
      expect(got.run.weights).toEqual(node.weights);
      expect(got.run.bias).toBe(node.bias);
      expect(got.run.costs).toEqual(node.costs);
      // Live: 20 parts of 50 iterations, the cost every 5 iterations from 0 to 995.
      expect(got.run.parts).toBe(20);
      expect(got.run.costs.map(([i]) => i)).toEqual(Array.from({ length: 200 }, (_, k) => 5 * k));
      expect(got.run.costs[0]![1]).toBeCloseTo(Math.log(2), 6);
      expect(got.trainAccuracy).toBe(percent(node.trainAccuracy));
      expect(got.testAccuracy).toBe(percent(node.testAccuracy));
      expect(got.status).toBe(`done: train accuracy ${percent(node.trainAccuracy)}, test accuracy ${percent(node.testAccuracy)}`);
      expect(got.speed).toMatch(/^\d+(\.\d)?× faster: \d+ iterations take [\d.]+ ms on wasm-simd, [\d.]+ ms on the pure-TypeScript reference backend$/);

      // Independent math: for two round Gaussians of equal spread the best classifier is the
      // perpendicular bisector of the means; logistic regression should come within a few points
      // of its accuracy on the same test points, with a boundary pointing the same way.
      const { test } = DATASETS.blobs.make();
      const [m0, m1] = BLOB_MEANS;
      const d = [m1[0] - m0[0], m1[1] - m0[1]];
      const threshold = (m1[0] ** 2 + m1[1] ** 2 - m0[0] ** 2 - m0[1] ** 2) / 2;
      let hits = 0;
      for (let i = 0; i < test.m; i++) hits += Number(d[0]! * test.X[i]! + d[1]! * test.X[test.m + i]! > threshold) === test.Y[i] ? 1 : 0;
      const bayes = hits / test.m;
      expect(bayes).toBeGreaterThan(0.85);
      expect(got.run.testAccuracy!).toBeGreaterThan(bayes - 0.03);
      const [w0, w1] = got.run.weights as [number, number];
      const cosine = (w0 * d[0]! + w1 * d[1]!) / Math.hypot(w0, w1) / Math.hypot(d[0]!, d[1]!);
      expect(cosine).toBeGreaterThan(Math.cos((10 * Math.PI) / 180));
    });
  }, 180_000);

  it("trains the course's flower with a one-hidden-layer network and draws its curved boundary, as Node computes it", async () => {
    const settings: Settings = { dataset: "flower", learningRate: 1.2, iterations: 4000, simd: true };
    await withChromium(async (browser) => {
      const { page, problems } = await openDemo(browser);
      const got = await trainOnPage(page, settings);
      await page.screenshot({ path: join(artifacts, "demo-web-flower.png"), fullPage: true });
      expect(got.run.error).toBeUndefined();
      expect(problems).toEqual([]);
      const node = await trainInNode(settings);
      expect(got.run.costs).toEqual(node.costs);
      expect(got.run.grid).toEqual(node.grid);
      expect(got.run.trainAccuracy).toBe(node.trainAccuracy);
      expect(got.run.testAccuracy).toBe(node.testAccuracy);
      // The course's network gets about 90 % on its flower; no straight line gets near that.
      expect(node.testAccuracy).toBeGreaterThan(0.85);
      const { train } = DATASETS.flower.make();
      const best = Math.max(...[train.Y.filter((y) => y === 1).length, train.Y.filter((y) => y === 0).length]) / train.m;
      expect(best).toBeLessThan(0.6);
      // The grid's 0.5 level is not a line: along some row of the grid P changes side twice.
      const side = node.side!;
      const crossings = Array.from({ length: side }, (_, r) => {
        let n = 0;
        for (let c = 1; c < side; c++) n += Number(node.grid![r * side + c]! > 0.5 !== node.grid![r * side + c - 1]! > 0.5);
        return n;
      });
      expect(Math.max(...crossings)).toBeGreaterThanOrEqual(2);
    });
  }, 180_000);

  it("trains the 12288-feature images on the baseline build, then shows a bad learning rate's error", async () => {
    const settings: Settings = { dataset: "images", learningRate: 0.005, iterations: 300, simd: false };
    await withChromium(async (browser) => {
      const { page, problems } = await openDemo(browser);
      const got = await trainOnPage(page, settings);
      await page.screenshot({ path: join(artifacts, "demo-web-images.png"), fullPage: true });
      expect(got.run.error).toBeUndefined();
      expect(problems).toEqual([]);
      const node = await trainInNode(settings);
      expect(got.run.backend).toBe("wasm");
      expect(got.run.weights).toHaveLength(64 * 64 * 3);
      expect(got.run.weights).toEqual(node.weights);
      expect(got.run.costs).toEqual(node.costs);
      expect([got.run.trainAccuracy, got.run.testAccuracy]).toEqual([node.trainAccuracy, node.testAccuracy]);
      expect(got.run.trainAccuracy).toBeGreaterThan(0.9); // 209 examples, 12288 features: it fits the training set

      // The library's own error reaches the page, and the page stays usable.
      const bad = await trainOnPage(page, { ...settings, learningRate: 0 });
      expect(bad.run.state).toBe("error");
      expect(bad.status).toBe("failed: ValueError: LogisticRegression: learningRate must be a positive number, got 0");
    });
  }, 180_000);
});
