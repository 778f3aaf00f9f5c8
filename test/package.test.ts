// The built package (dist/), as users load it: through package.json "exports", from ESM and CJS.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { cwd: root, encoding: "utf8" }));

const expected = {
  backend: "wasm-simd",
  sum: [[11, 21, 31], [12, 22, 32]],
  error: {
    name: "BroadcastError",
    isBroadcastError: true,
    message: "add: operands could not be broadcast together with shapes (3,) (2,)",
  },
  baseline: "wasm",
};

describe("the built package", () => {
  it("imports from ESM with zero configuration", () => {
    expect(run("test/package/consumer.mjs")).toEqual(expected);
  });

  it("requires from CJS with zero configuration", () => {
    expect(run("test/package/consumer.cjs")).toEqual(expected);
  });

  it("declares types, import and require in its exports map, ships only dist, and has no side effects but installing NDArray's methods", () => {
    const pkg = JSON.parse(readFileSync(`${root}/package.json`, "utf8"));
    expect(pkg.exports["."].import.types).toBe("./dist/index.d.ts");
    expect(pkg.exports["."].require.types).toBe("./dist/index.d.cts");
    // The CLI ships as ESM only (dist/cli.js, the "bin"); tsup's CJS twin and typings are left out.
    expect(pkg.files).toEqual(["dist", "!dist/*.map", "!dist/cli.cjs", "!dist/cli.d.ts", "!dist/cli.d.cts"]);
    // The one module with a side effect installs NDArray's methods (ts/ndarray_methods.ts): listed
    // so that our bundler keeps it; dist/ matches nothing, so consumers' bundlers tree-shake it
    // as before (consumer.test.ts bundles with Vite and webpack and calls the methods).
    expect(pkg.sideEffects).toEqual(["./ts/ndarray_methods.ts"]);
    const dts = readFileSync(`${root}/dist/index.d.ts`, "utf8");
    expect(dts).toMatch(/declare function add\(a: Operand, b: Operand, options\?: OutOption\): NDArray/);
    // The ESM build must not rely on CJS globals, and neither build fetches file:// URLs.
    const esm = readFileSync(`${root}/dist/index.js`, "utf8");
    expect(esm).not.toMatch(/__dirname|__filename|require\(/);
    expect(esm).not.toMatch(/import\.meta\.url/);
  });
});
