// The package as users get it: `npm pack`, installed from the tarball into an empty project,
// then imported from ESM and required from CJS in Node, type-checked with tsc against the
// shipped .d.ts, bundled by Vite and by webpack (no plugins, no config) and loaded without a
// bundler (an import map) into pages that headless Chromium runs from a local server. Every
// consumer runs test/consumer/compute.mjs (ops, files and a training run); the results are
// checked against hand-computed values, the training against the reference backend, and the
// browser's against Node's.
import { execFile } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic } from "../scripts/static_server.js";
import * as vzSource from "../ts/index.js";
import { train, type Training } from "./consumer/compute.mjs";
import { collectProblems, withChromium } from "./helpers/chromium.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const artifacts = join(root, "test/artifacts");
const run = promisify(execFile);

let work: string; // a temporary directory: the tarball, and app/ (the consumer project)
let app: string;
let pack: { filename: string; size: number; unpackedSize: number; files: { path: string; size: number }[] };

/** Runs a command (Node itself when `command` is a .js/.mjs/.cjs file), failing with its output. */
async function sh(command: string, args: string[], cwd: string): Promise<string> {
  const [file, argv] = /\.[cm]?js$/.test(command) ? [process.execPath, [command, ...args]] : [command, args];
  try {
    const { stdout, stderr } = await run(file, argv, { cwd, encoding: "utf8", maxBuffer: 64 << 20 });
    return stdout + stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "vectorized-consumer-"));
  [pack] = JSON.parse(await sh("npm", ["pack", "--json", "--silent", "--pack-destination", work], root));
  app = join(work, "app");
  mkdirSync(join(app, "public"), { recursive: true });
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // The tarball has no dependencies, so nothing needs the network.
  await sh("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", join(work, pack.filename)], app);
  for (const file of ["compute.mjs", "esm.mjs", "cjs.cjs", "index.html", "main.js"]) copyFileSync(join(root, "test/consumer", file), join(app, file));
  copyFileSync(join(root, "test/fixtures/io/deflated.npz"), join(app, "public/deflated.npz"));
}, 120_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

// --- the values every consumer must compute, worked out by hand ------------------------------
type Result = Record<string, unknown> & {
  exp: number[];
  sigmoid: number[];
  npz: Record<string, { shape: number[]; dtype: string; values: number[] }>;
  training: Training;
};

/** compute.mjs's training run on this repository's pure-TypeScript reference backend: the independent check. */
const onReference: Training = (() => {
  const previous = vzSource.backendName();
  vzSource.setBackend("reference");
  try {
    return train(vzSource);
  } finally {
    if (previous) vzSource.setBackend(previous);
  }
})();

/** The builds compute.mjs runs: the two whose results are the same bits in every engine. */
const WITHOUT_RELAXED = ["wasm-simd", "wasm"];

function expectHandComputed(results: Record<string, Result>, builds = WITHOUT_RELAXED): void {
  expect(Object.keys(results)).toEqual(builds);
  for (const [backend, r] of Object.entries(results)) {
    expect(r, backend).toMatchObject({
      add: [[11, 12, 13], [24, 25, 26]],
      addString: "array([[11., 12., 13.],\n       [24., 25., 26.]], dtype=float32)",
      sumAxis0: [5, 7, 9],
      methods: [7, 9, 11],
      sumAxis1Keepdims: [[6], [15]],
      mean: 3.5,
      max: 6,
      argmax: 5,
      sumOfSquares: 1 + 4 + 9 + 16 + 25 + 36,
      thirds: [1 / 3, 2 / 3],
      arangeSum: (999 * 1000) / 2,
      error: { name: "BroadcastError", isBroadcastError: true, message: "add: operands could not be broadcast together with shapes (2,3) (2,)" },
      npy: [[0.25, 0.5, 0.75], [1, 1.25, 1.5]],
      csv: { X: [[1, 2], [3, 4]], y: [0, 1], columns: ["a", "b, quoted"] },
      leakedArrays: 0,
    });
    // exp and sigmoid are polynomials: within float32's (float64's) last few bits of Math's.
    [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2].forEach((x, i) => expect(Math.abs(r.exp[i]! / Math.exp(x) - 1)).toBeLessThan(4e-7));
    r.sigmoid.forEach((s, i) => expect(Math.abs(s - 1 / (1 + Math.exp(6 - i)))).toBeLessThan(1e-15));
    // Training: separable, so every prediction is right; J(0, 0) = ln 2; the packed wasm
    // (float64) agrees with the reference backend's own implementation.
    expect(r.training.predict, backend).toEqual([[0, 0, 0, 0, 1, 1, 1, 1]]);
    expect(r.training.score).toBe(1);
    expect(r.training.costs).toHaveLength(3);
    expect(r.training.costs[0]).toBeCloseTo(Math.LN2, 14);
    const close = (a: number[], b: number[]) => a.forEach((v, i) => expect(Math.abs(v - b[i]!), `${backend}: ${a} vs ${b}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(b[i]!))));
    close(r.training.costs, onReference.costs);
    close(r.training.weights, onReference.weights);
    close([r.training.bias], [onReference.bias]);
    close(r.training.proba, onReference.proba);
    // deflated.npz, as test/fixtures/io/make_fixtures.py wrote it.
    const k = (n: number) => Array.from({ length: n }, (_, i) => i);
    expect(r.npz).toEqual({
      X: { shape: [2, 3, 4], dtype: "float32", values: k(24).map((i) => i / 4 - 2) },
      y: { shape: [3, 4], dtype: "float32", values: k(12).map((i) => (i * 23 + 7) % 256) },
      w: { shape: [2, 3], dtype: "float64", values: k(6).map((i) => i * 0.1 + 1 / 3) },
    });
  }
}

/** Runs a consumer script with a given Node binary; its output as JSON (nothing on stderr: no warnings for users). */
async function consumer(node: string, script: string): Promise<Record<string, Result>> {
  const { stdout, stderr } = await run(node, [script], { cwd: app, encoding: "utf8", maxBuffer: 64 << 20 });
  expect(stderr, `${node} ${script}`).toBe("");
  return JSON.parse(stdout);
}

/**
 * Same wasm, same inputs: the SIMD128 and baseline builds bit-identical to this Node's, exp and
 * sigmoid included (the relaxed build may fuse its multiply-adds or not, by CPU: checked by hand).
 */
async function expectSameAsNode(results: Record<string, Result>, label: string): Promise<void> {
  const esm = await runEsm();
  for (const build of WITHOUT_RELAXED) expect(results[build], `${label} ${build}`).toEqual(esm[build]);
}

let nodeResult: Promise<Record<string, Result>> | undefined;
/** The ESM consumer's output on this Node (the reference the other consumers are compared with). */
function runEsm(): Promise<Record<string, Result>> {
  nodeResult ??= consumer(process.execPath, "esm.mjs");
  return nodeResult;
}

describe("the packed package", () => {
  it("ships dist/, package.json, the README and the licence only; its sizes and the wasm binaries' sizes", () => {
    const paths = pack.files.map((f) => f.path).sort();
    expect(paths.filter((p) => !p.startsWith("dist/"))).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE"]));
    expect(paths.filter((p) => !p.startsWith("dist/") && !/^(package\.json|README\.md|LICENSE.*)$/.test(p))).toEqual([]);
    expect(paths).toEqual(expect.arrayContaining(["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts"]));

    // The wasm binaries as shipped: the base64 literals in dist ("AGFzbQ" is "\0asm"), told apart
    // by the vectorized_isa (and vectorized_threads) custom sections the crate embeds. Each build is inlined once per
    // format, in a file of its own loaded on demand: an ESM chunk, and dist/wasm-<build>.cjs.
    const inlined = (files: string[]) =>
      Object.fromEntries(
        files.flatMap((file) => [...readFileSync(join(root, "dist", file), "utf8").matchAll(/"(AGFzbQ[A-Za-z0-9+/=]+)"/g)]).map(([, b64]) => {
          const bytes = Buffer.from(b64!, "base64");
          const module = new WebAssembly.Module(bytes);
          const [isa] = WebAssembly.Module.customSections(module, "vectorized_isa").map((s) => Buffer.from(s).toString());
          const threaded = WebAssembly.Module.customSections(module, "vectorized_threads").length > 0;
          const build = isa === "relaxed" ? (threaded ? "threads-relaxed" : "relaxed") : isa === "wasm128" ? (threaded ? "threads" : "simd") : isa === "scalar" ? "baseline" : `unknown (${isa})`;
          return [build, { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length, base64: b64!.length }];
        }),
      );
    const files = (extension: string) => paths.filter((p) => p.endsWith(extension)).map((p) => p.slice("dist/".length));
    const wasm = inlined(files(".js"));
    const builds = ["baseline", "relaxed", "simd", "threads", "threads-relaxed"];
    expect(Object.keys(wasm).sort()).toEqual(builds);
    expect(inlined(files(".cjs"))).toEqual(wasm);
    for (const build of builds) expect(Object.keys(inlined([`wasm-${build}.cjs`]))).toEqual([build]);
    for (const entry of ["index.js", "index.cjs"]) expect(readFileSync(join(root, "dist", entry), "utf8").match(/"AGFzbQ/g), entry).toBeNull(); // not in the entry
    expect(paths.some((p) => p.endsWith(".map"))).toBe(false);
    const sizes = { tarball: pack.size, unpacked: pack.unpackedSize, files: Object.fromEntries(pack.files.map((f) => [f.path, f.size])), wasm };
    mkdirSync(artifacts, { recursive: true });
    writeFileSync(join(artifacts, "package-size.json"), `${JSON.stringify(sizes, null, 2)}\n`);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      [
        `package: ${pack.filename} ${kb(pack.size)} packed, ${kb(pack.unpackedSize)} unpacked, ${pack.files.length} files`,
        ...pack.files.map((f) => `  ${f.path.padEnd(22)} ${kb(f.size)}`),
        ...Object.entries(wasm).map(([b, s]) => `wasm ${b.padEnd(8)} ${kb(s.bytes)} (gzip ${kb(s.gzip)}, base64 ${kb(s.base64)})`),
      ].join("\n"),
    );
  });

  it("imports from ESM in Node: hand-computed results on both wasm builds", async () => {
    expectHandComputed(await runEsm());
  });

  it("requires from CJS in Node: the same results", async () => {
    const cjs = await consumer(process.execPath, "cjs.cjs");
    expectHandComputed(cjs);
    expect(cjs).toEqual(await runEsm());
  });

  it("requires from CJS in Node: only the binary init() picks is loaded", async () => {
    const script = `const vz = require("vectorized");
      const loaded = () => Object.keys(require.cache).filter((f) => /wasm-[a-z-]+\\.cjs$/.test(f)).map((f) => f.replace(/^.*[\\\\/]/, ""));
      const before = loaded();
      vz.init().then(() => console.log(JSON.stringify({ before, after: loaded(), backend: vz.backendName(), threads: vz.threads().count })));`;
    const { before, after, backend, threads } = JSON.parse(await sh(process.execPath, ["-e", script], app));
    expect(before).toEqual([]);
    const build = { "wasm-relaxed": "relaxed", "wasm-simd": "simd", wasm: "baseline" }[backend as string]!;
    const threaded = { relaxed: "threads-relaxed", simd: "threads" }[build as "relaxed" | "simd"];
    expect(after).toEqual([`wasm-${threads > 1 ? threaded : build}.cjs`]);
  });

  it("runs on Node 18, 22 and 24 as well (ESM and CJS): the same results", async () => {
    // scripts/setup.sh unpacks them under target/node/.
    const versions = readdirSync(join(root, "target/node")).sort((a, b) => parseInt(a) - parseInt(b));
    expect(versions.map((v) => v.split(".")[0])).toEqual(["18", "22", "24"]);
    for (const version of versions) {
      for (const script of ["esm.mjs", "cjs.cjs"]) {
        const got = await consumer(join(root, "target/node", version, "bin/node"), script);
        expectHandComputed(got);
        await expectSameAsNode(got, `Node ${version} ${script}`);
      }
    }
  }, 120_000);

  it("type-checks a strict consumer against the shipped .d.ts (node16 ESM and CJS, bundler)", async () => {
    // What a consumer may write, and (@ts-expect-error) what the types must refuse.
    const body = `
const x: vz.NDArray = vz.array([[1, 2], [3, 4]], { dtype: "float64" });
const total: number = vz.sum(x, { axis: 0, keepdims: true }).item();
const viaMethods: vz.NDArray = x.T.add(1).sum({ axis: 0 }).reshape(1, -1);
const dtype: vz.DType = x.dtype;
const shape: readonly number[] = x.shape;
const kept: vz.NDArray = vz.scope(() => vz.add(x, vz.ones([2, 1])));
const table = vz.io.readCsv("a,b\\n1,2\\n", { label: "b" });
const y: vz.NDArray = table.y;
const columns: string[] = table.columns;
const npy: Uint8Array = vz.io.writeNpy(x, { order: "F" });
const arrays: Promise<Record<string, vz.NDArray>> = vz.io.readNpz(npy);
const isError: boolean = new vz.BroadcastError("m") instanceof vz.NdError && new vz.IOError("m", "f.npy").file === "f.npy";
// @ts-expect-error int8 is not a dtype
vz.zeros([2], { dtype: "int8" });
// @ts-expect-error operands are arrays or numbers
vz.add(x, "1");
// @ts-expect-error y is there only when a label column is given
vz.io.readCsv("a\\n1\\n").y;
// @ts-expect-error toArray() copies out: no NDArray methods on it
x.toArray().dispose();
void [total, viaMethods, dtype, shape, kept, y, columns, arrays, isError];
`;
    writeFileSync(join(app, "esm.ts"), `import * as vz from "vectorized";\nconst backend: vz.BackendName = await vz.init();\nvoid backend;\n${body}`);
    writeFileSync(join(app, "cjs.cts"), `import vz = require("vectorized");\nvoid vz.init({ simd: false }).then((b: vz.BackendName) => b);\n${body}`);
    const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, noEmit: true, target: "es2022", types: [] };
    // node16: the shipped .d.ts is checked too (skipLibCheck off). It declares [Symbol.dispose],
    // so it needs a lib with Symbol.dispose (esnext.disposable, or @types/node's declaration).
    writeFileSync(
      join(app, "tsconfig.node16.json"),
      JSON.stringify({
        compilerOptions: { ...strict, skipLibCheck: false, lib: ["es2022", "dom", "esnext.disposable"], module: "node16", moduleResolution: "node16" },
        files: ["esm.ts", "cjs.cts"],
      }),
    );
    // bundler: as Vite's TypeScript template sets it up.
    writeFileSync(
      join(app, "tsconfig.bundler.json"),
      JSON.stringify({
        compilerOptions: { ...strict, skipLibCheck: true, lib: ["es2022", "dom", "dom.iterable"], module: "esnext", moduleResolution: "bundler" },
        files: ["esm.ts"],
      }),
    );
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    for (const config of ["tsconfig.node16.json", "tsconfig.bundler.json"]) {
      expect(await sh(tsc, ["-p", config, "--pretty", "false"], app), config).toBe("");
    }
    // The CJS file really is checked against index.d.cts, the ESM one against index.d.ts.
    const files = await sh(tsc, ["-p", "tsconfig.node16.json", "--listFilesOnly"], app);
    expect(files).toMatch(/node_modules\/vectorized\/dist\/index\.d\.ts/);
    expect(files).toMatch(/node_modules\/vectorized\/dist\/index\.d\.cts/);
  }, 120_000);

  it("bundles with Vite (no config) into a page that runs in headless Chromium: both builds, the same results as Node", async () => {
    const vite = join(root, "node_modules/vite/bin/vite.js");
    const log = await sh(vite, ["build"], app);
    expect(log, "no browser-compatibility warnings from Vite").not.toMatch(/externalized for browser compatibility|Could not resolve|node:/i);
    // Both inlined wasm builds make the bundle larger than Vite's 500 kB warning threshold.
    if (/Some chunks are larger than/.test(log)) console.log("vite: warns that the chunk is larger than 500 kB (the two inlined wasm builds)");
    const assets = readdirSync(join(app, "dist/assets"));
    const bundle = assets.find((f) => f.endsWith(".js"))!;
    const bundleBytes = readFileSync(join(app, "dist/assets", bundle));
    console.log(`vite: dist/assets/${bundle} ${(bundleBytes.length / 1024).toFixed(1)} KiB (gzip ${(gzipSync(bundleBytes).length / 1024).toFixed(1)} KiB)`);
    expect(statSync(join(app, "dist/deflated.npz")).size).toBe(660);

    await expectPageComputes(join(app, "dist"), "consumer-vite-chromium.png");
  }, 120_000);

  it("runs in a browser without a bundler: the installed dist/ as plain ES modules behind an import map", async () => {
    const site = join(app, "no-bundler");
    cpSync(join(app, "node_modules/vectorized/dist"), join(site, "vectorized"), { recursive: true });
    for (const file of ["main.js", "compute.mjs"]) copyFileSync(join(app, file), join(site, file));
    copyFileSync(join(app, "public/deflated.npz"), join(site, "deflated.npz"));
    const importMap = `<script type="importmap">{ "imports": { "vectorized": "/vectorized/index.js" } }</script>`;
    const html = readFileSync(join(app, "index.html"), "utf8").replace("</head>", `  ${importMap}\n  </head>`);
    expect(html).toContain(importMap);
    writeFileSync(join(site, "index.html"), html);
    await expectPageComputes(site, "consumer-no-bundler-chromium.png");
  }, 120_000);

  it("bundles with webpack (no loaders, no plugins) into a page that runs in headless Chromium: the same results", async () => {
    const { default: webpack } = await import("webpack");
    const out = join(app, "dist-webpack");
    const stats = await new Promise<import("webpack").Stats>((done, fail) =>
      webpack({ mode: "production", context: app, entry: "./main.js", output: { path: out, filename: "main.js" } }, (error, result) =>
        error || !result ? fail(error) : done(result),
      ),
    );
    const info = stats.toJson({ all: false, errors: true, warnings: true, assets: true });
    expect(info.errors, "webpack errors").toEqual([]);
    // Only webpack's size hints (244 KiB per asset by default: each inlined wasm build is ~600 KiB).
    const warnings = info.warnings!.map((w) => w.message);
    expect(warnings.filter((w) => !/asset size limit|entrypoint size limit|can impact web performance/.test(w)), "webpack warnings").toEqual([]);
    if (warnings.length) console.log(`webpack: ${warnings.length} size hints (the inlined wasm builds are ~600 KiB each)`);
    console.log(`webpack: ${info.assets!.map((a) => `${a.name} ${(a.size / 1024).toFixed(1)} KiB`).join(", ")}`);
    // The Vite page's HTML, with webpack's classic script in place of the module entry.
    const html = readFileSync(join(app, "index.html"), "utf8").replace('<script type="module" src="/main.js"></script>', '<script src="main.js"></script>');
    expect(html).toContain('<script src="main.js">');
    writeFileSync(join(out, "index.html"), html);
    copyFileSync(join(app, "public/deflated.npz"), join(out, "deflated.npz"));
    await expectPageComputes(out, "consumer-webpack-chromium.png");
  }, 120_000);
});

/** Serves a page, runs it in headless Chromium, and checks what it computed against Node's. */
async function expectPageComputes(dir: string, screenshot: string): Promise<void> {
  const { server, url } = await serveStatic(dir);
  try {
    await withChromium(async (browser) => {
      const page = await browser.newPage();
      const problems = collectProblems(page);
      await page.goto(url);
      await page.waitForFunction(() => "__result" in window || "__error" in window, undefined, { timeout: 30_000 });
      const { result, error } = await page.evaluate(() => ({
        result: (window as unknown as { __result?: unknown }).__result,
        error: (window as unknown as { __error?: string }).__error,
      }));
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, screenshot), fullPage: true });
      expect(error).toBeUndefined();
      expect(problems).toEqual([]);
      expect(await page.textContent("#status")).toBe("done: wasm-simd, wasm");
      expectHandComputed(result as Record<string, Result>);
      await expectSameAsNode(result as Record<string, Result>, "Chromium");
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
