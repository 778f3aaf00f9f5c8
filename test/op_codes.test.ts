/**
 * The op codes are one table on each side of the boundary: TypeScript's (ts/backend/backend.ts)
 * and the crate's enums (their `from_u32`), which every build reports through `op_codes()`.
 * This checks they agree name for name and number for number, so a code added or reordered on
 * one side only fails here instead of running the wrong kernel.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { ArgOp, BinaryOp, LogisticLayout, NetworkHidden, NetworkOutput, ReduceOp, UnaryOp } from "../ts/backend/backend.js";
import { WasmBackend } from "../ts/backend/wasm/index.js";
import { loadAll, on, WASM_BUILDS } from "./helpers/backends.js";

beforeAll(loadAll);

/** TypeScript's tables, keyed as the crate's enums are named (its variants are capitalised). */
const ours: Record<string, Record<string, number>> = { BinaryOp, UnaryOp, ReduceOp, ArgOp, LogisticLayout, NetworkHidden, NetworkOutput };
const capitalised = (table: Record<string, number>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [k[0]!.toUpperCase() + k.slice(1), v]));

describe.each(WASM_BUILDS)("op codes on %s", (build) => {
  it("TypeScript's tables are the crate's, name for name and code for code", () => {
    const probe = on(build, () => vz.zeros([1]));
    const backend = probe.backend;
    probe.dispose();
    expect(backend).toBeInstanceOf(WasmBackend);
    const theirs = (backend as WasmBackend).opCodes();
    expect(Object.keys(theirs).sort()).toEqual(Object.keys(ours).sort());
    for (const [name, table] of Object.entries(ours)) expect(capitalised(table), name).toEqual(theirs[name]);
  });
});
