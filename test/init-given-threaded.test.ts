// Its own module graph (vitest isolates files): nothing is loaded when it starts.
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { expect, it } from "vitest";
import * as vz from "../ts/index.js";
import { parallelJobs, splitFrom } from "../ts/backend/wasm/init.js";

const wasmFile = (build: "threads" | "threads-relaxed") =>
  readFileSync(new URL(`../ts/backend/wasm/generated/${build}/vectorized_core_bg.wasm`, import.meta.url));

it("init({ wasm }) given a threaded build loads it as its build, starts its pool, and its products split", async () => {
  const cores = availableParallelism();
  expect(await vz.init({ wasm: wasmFile("threads-relaxed") })).toBe("wasm-relaxed");
  expect(vz.threads()).toEqual({ count: cores, reason: "" });
  expect(await vz.init({ wasm: await WebAssembly.compile(wasmFile("threads")), threads: 2 })).toBe("wasm-simd");
  expect(vz.threads()).toEqual({ count: 2, reason: "" });
  // A threaded module does not pass for the other lane layer.
  await expect(vz.init({ wasm: wasmFile("threads-relaxed"), relaxed: false })).rejects.toThrow(
    "init: { relaxed: false } was asked for, but the module given is the wasm-relaxed build",
  );
  splitFrom(1);
  for (const backend of ["wasm-relaxed", "wasm-simd"] as const) {
    vz.setBackend(backend);
    const before = parallelJobs();
    const a = vz.ones([64, 64]);
    expect(vz.scope(() => vz.sum(vz.matmul(a, a)).item())).toBe(64 ** 3);
    a.dispose();
    if (cores > 1) expect(parallelJobs(), backend).toBeGreaterThan(before);
  }
  splitFrom(0);
});
