// Its own module graph (vitest isolates files): nothing is loaded when it starts.
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import * as vz from "../ts/index.js";

const wasmFile = (build: "relaxed" | "simd" | "baseline") =>
  readFileSync(new URL(`../ts/backend/wasm/generated/${build}/vectorized_core_bg.wasm`, import.meta.url));

it("init({ wasm }) loads given bytes or a compiled Module, paired with the build it is", async () => {
  const baseline = await WebAssembly.compile(wasmFile("baseline"));
  expect(await vz.init({ wasm: baseline })).toBe("wasm");
  expect(vz.add(vz.array([1, 2]), vz.array([[10], [20]])).toArray()).toEqual([[11, 12], [21, 22]]);
  expect(await vz.init({ wasm: new Response(wasmFile("simd")) })).toBe("wasm-simd");
  expect(vz.add(vz.array([1.5]), 1).toArray()).toEqual([2.5]);
  expect(await vz.init({ wasm: wasmFile("relaxed"), relaxed: true })).toBe("wasm-relaxed");
  expect(vz.sum(vz.mul(vz.array([1, 2]), vz.array([3, 4]))).item()).toBe(11);
  // A later plain init() reuses the build loaded from the given module.
  expect(await vz.init({ simd: false })).toBe("wasm");
  expect(await vz.init({ relaxed: false })).toBe("wasm-simd");
  expect(await vz.init({ threads: 1 })).toBe("wasm-relaxed");
  // More threads cannot come from a single-thread build loaded from a module: it says so.
  expect(await vz.init({ relaxed: false, threads: 2 })).toBe("wasm-simd");
  expect(vz.threads()).toEqual({
    count: 1,
    reason: "the wasm-simd build in use was loaded without threads (by an earlier init() with threads: 1, or from a module given to init)",
  });
});
