/**
 * No module of the package imports another that imports it back (type-only imports included):
 * in particular NDArray and the ops, whose methods ts/ndarray_methods.ts installs.
 */
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { importCycles } from "../scripts/import-cycles.js";

const root = fileURLToPath(new URL("../ts", import.meta.url));

describe("import cycles in ts/", () => {
  it("there are none, counting type-only imports", () => {
    expect(importCycles(root)).toEqual([]);
  });

  it("the check finds a cycle that is there", () => {
    const fixture = fileURLToPath(new URL("fixtures/import_cycle", import.meta.url));
    expect(importCycles(fixture)).toEqual([["a.ts", "b.ts", "c.ts"]]);
    expect(importCycles(fixture, true)).toEqual([]); // c imports a only as a type
  });
});
