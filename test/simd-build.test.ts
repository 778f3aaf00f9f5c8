import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs build script without type declarations
import { countSimdInstructions } from "../scripts/check-simd.mjs";
import { simdSupported } from "../ts/backend/wasm/simd_probe.js";

const file = (build: string) => fileURLToPath(new URL(`../ts/backend/wasm/generated/${build}/vectorized_core_bg.wasm`, import.meta.url));

describe("the two wasm builds", () => {
  it("the SIMD build contains v128 instructions and the baseline none", () => {
    expect(countSimdInstructions(file("simd"))).toBeGreaterThan(0);
    expect(countSimdInstructions(file("baseline"))).toBe(0);
  });

  it("the feature probe is a valid SIMD module (Node 20 supports SIMD128) and only a SIMD engine accepts it", () => {
    expect(simdSupported()).toBe(true);
  });
});
