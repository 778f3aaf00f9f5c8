/**
 * Doctests: every TSDoc `@example` in ts/ and every ts/js code block in the README runs against
 * the built package (dist/), and what its comments say it gives (`// => …`, `// throws …`; the
 * convention is in helpers/doctest/expected.ts) is checked, so the docs cannot rot. Examples
 * run in a scratch directory holding test/fixtures/doctest/ (the files they read), with a
 * fetch that serves those files.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as vz from "../dist/index.js";
import { markdownExamples, tsdocExamples } from "./helpers/doctest/extract.js";
import { runExample, type Sandbox } from "./helpers/doctest/run.js";

const root = fileURLToPath(new URL("..", import.meta.url));
let cwd: string;
let scratch: string | undefined;

const sandbox: Sandbox = {
  vz,
  fetch: async (url) => new Response(readFileSync(url)),
};

beforeAll(() => {
  cwd = process.cwd();
});

/** Leaves the current example's scratch directory and removes it. */
function leaveScratch(): void {
  process.chdir(cwd);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
}
afterEach(leaveScratch);
afterAll(leaveScratch);

// Each example starts in a fresh copy of the fixtures (examples write files too), on the
// default backend, with the random stream at a fixed seed.
beforeEach(async () => {
  scratch = mkdtempSync(join(tmpdir(), "vectorized-doctest-"));
  cpSync(join(root, "test/fixtures/doctest"), scratch, { recursive: true });
  process.chdir(scratch);
  await vz.init();
  vz.random.seed(0);
});

const examples = [...markdownExamples(join(root, "README.md"), root), ...tsdocExamples(join(root, "ts"), root)];

describe("doctests", () => {
  it("finds the README's code blocks and the TSDoc examples", () => {
    expect(examples.filter((e) => e.name.startsWith("README.md")).length).toBeGreaterThanOrEqual(4);
    expect(examples.filter((e) => e.name.startsWith("ts/")).length).toBeGreaterThanOrEqual(70);
  });

  it.each(examples)("$name", async ({ code, line }) => {
    const failures = await runExample(code, line, sandbox);
    expect(failures.map((f) => `line ${f.line}: ${f.message}`).join("\n\n")).toBe("");
  });
});

describe("the doctest runner itself", () => {
  const run = (code: string) => runExample(code, 1, sandbox);

  it("passes what the example gives, to the digits shown", async () => {
    expect(await run(`vz.exp(vz.array([0, 1])); // => [1, 2.7182817]\nconst s = vz.array([1, 2]).toString(); // => array([1., 2.], dtype=float32)\n`)).toEqual([]);
    expect(await run(`console.log(vz.add(vz.array([[1, 2], [3, 4]]), 1).toString());\n// => array([[2., 3.],\n//           [4., 5.]], dtype=float32)\n`)).toEqual([]);
    expect(await run(`vz.add(vz.ones([2]), vz.ones([3])); // throws BroadcastError: add: operands could not be broadcast together with shapes (2,) (3,)\n`)).toEqual([]);
  });

  it("fails a wrong value, a wrong digit, a wrong error, a missing error, and an unmarked output", async () => {
    const lines = async (code: string) => (await run(code)).map((f) => f.line);
    expect(await lines(`vz.add(vz.array([1]), 1); // => [3]\n`)).toEqual([1]);
    expect(await lines(`vz.exp(vz.array([1])); // => [2.7182818]\n`)).toEqual([1]);
    expect(await lines(`vz.array([1.4]); // => [1]\n`)).toEqual([1]);
    expect(await lines(`vz.array([1, 2]).shape; // => [2, 1]\n`)).toEqual([1]);
    expect(await lines(`const x = 1;\nvz.add(vz.ones([2]), vz.ones([3])); // throws ValueError: add: …\n`)).toEqual([2]);
    expect(await lines(`vz.add(vz.ones([2]), 1); // throws BroadcastError: …\n`)).toEqual([1]);
    expect(await lines(`vz.sum(vz.ones([2])); // 2\n`)).toEqual([1]);
    expect(await lines(`console.log("a");\n// => b\n`)).toEqual([2]);
    expect(await lines(`\n\nvz.nonexistent();\n`)).toEqual([1]);
  });
});
