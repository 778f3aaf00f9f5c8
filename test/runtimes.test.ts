/**
 * The packed package in Deno and Bun, the runtimes of the npm packages `deno` and `bun` (their
 * binaries, devDependencies): test/consumer's ESM script (and the CJS one) imports the installed
 * package by name and runs compute.mjs on every wasm build; the output must be Node's, value
 * for value (same wasm, same inputs), with nothing on stderr.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installPackedApp, type PackedApp } from "./helpers/packed_app.js";
import { WASM_BUILDS } from "./helpers/wasm_builds.js";

const bin = fileURLToPath(new URL("../node_modules/.bin/", import.meta.url));
const run = promisify(execFile);

let packed: PackedApp;
let node: Record<string, unknown>;

/** Runs a command in the consumer project: its stdout parsed as JSON; stderr must be empty. */
async function output(command: string, args: string[]): Promise<Record<string, unknown>> {
  const { stdout, stderr } = await run(command, args, { cwd: packed.app, encoding: "utf8", maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: "1" } });
  expect(stderr, `${command} ${args.join(" ")}`).toBe("");
  return JSON.parse(stdout);
}

beforeAll(async () => {
  packed = await installPackedApp();
  node = await output(process.execPath, ["esm.mjs"]);
  expect(Object.keys(node)).toEqual(WASM_BUILDS);
}, 120_000);

afterAll(() => packed?.remove());

// Deno reads node_modules through package.json (it needs no network: --cached-only), and
// only needs to read files (the .npz fixture).
const RUNTIMES = [
  { name: "Deno", command: join(bin, "deno"), args: (script: string) => ["run", "--quiet", "--cached-only", "--no-lock", "--allow-read=.", script] },
  { name: "Bun", command: join(bin, "bun"), args: (script: string) => [script] },
];

describe.each(RUNTIMES)("the packed package in $name", ({ command, args }) => {
  it("reports its version", async () => {
    const { stdout } = await run(command, ["--version"], { encoding: "utf8" });
    console.log(stdout.split("\n")[0]);
  });

  for (const script of ["esm.mjs", "cjs.cjs"]) {
    it(`runs ${script} on every wasm build: Node's results`, async () => {
      const result = await output(command, args(script));
      expect(Object.keys(result)).toEqual(WASM_BUILDS);
      expect(result).toEqual(node);
    }, 60_000);
  }
});
