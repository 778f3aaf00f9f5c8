import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { countRelaxedInstructions, countSimdInstructions } from "../scripts/check-simd.mjs";
import { relaxedProbe, relaxedSimdSupported, simdSupported } from "../ts/backend/wasm/simd_probe.js";
import { execFileSync } from "node:child_process";

const file = (build: string) => fileURLToPath(new URL(`../ts/backend/wasm/generated/${build}/vectorized_core_bg.wasm`, import.meta.url));

describe("the three wasm builds", () => {
  it("the SIMD build contains v128 instructions and the baseline none; only the relaxed build has relaxed ones", () => {
    expect(countSimdInstructions(file("simd"))).toBeGreaterThan(0);
    expect(countSimdInstructions(file("baseline"))).toBe(0);
    expect(countRelaxedInstructions(file("simd"))).toBe(0);
    expect(countRelaxedInstructions(file("relaxed"))).toBeGreaterThan(0);
  });

  it("the relaxed probe is accepted by an engine with relaxed SIMD (Node 20 with --experimental-wasm-relaxed-simd) and refused without it", () => {
    expect(relaxedSimdSupported()).toBe(true);
    const validate = (flags: string[]) =>
      execFileSync(process.execPath, [...flags, "-e", `console.log(WebAssembly.validate(Buffer.from("${Buffer.from(relaxedProbe).toString("base64")}", "base64")))`], { encoding: "utf8" }).trim();
    expect(validate([])).toBe("false"); // Node 20 without the flag: init() falls back to SIMD128
    expect(validate(["--experimental-wasm-relaxed-simd"])).toBe("true");
  });

  it("the feature probe is a valid SIMD module (Node 20 supports SIMD128) and only a SIMD engine accepts it", () => {
    expect(simdSupported()).toBe(true);
  });
});
