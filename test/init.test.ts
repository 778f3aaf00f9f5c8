// Runs in its own module graph (vitest isolates files), so it starts uninitialised.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as vz from "../ts/index.js";

const wasmFile = (build: "relaxed" | "simd" | "baseline") =>
  readFileSync(new URL(`../ts/backend/wasm/generated/${build}/vectorized_core_bg.wasm`, import.meta.url));

describe("init", () => {
  it("an op before init() throws a WasmInitError that says to call init()", () => {
    expect(vz.backendName()).toBeUndefined();
    expect(() => vz.array([1, 2])).toThrow(vz.WasmInitError);
    expect(() => vz.add(1, 2)).toThrow(/call `await vz.init\(\)` first/);
  });

  it("setBackend rejects unknown names and builds that are not loaded yet", () => {
    expect(() => vz.setBackend("wasm")).toThrow(/not loaded: call `await vz.init\(\{ simd: false \}\)` first/);
    expect(() => vz.setBackend("gpu" as vz.BackendName)).toThrow(/unknown backend "gpu"/);
  });

  it("concurrent calls share one load and, on one thread, pick relaxed SIMD where the engine has it (Node 20 with the flag vitest passes)", async () => {
    const names = await Promise.all([vz.init({ threads: 1 }), vz.init({ threads: 1 }), vz.init({ threads: 1 })]);
    expect(names).toEqual(["wasm-relaxed", "wasm-relaxed", "wasm-relaxed"]);
    expect(vz.backendName()).toBe("wasm-relaxed");
    expect(vz.add(vz.array([1, 2]), 1).toArray()).toEqual([2, 3]);
    expect(() => vz.setBackend("wasm-simd")).toThrow(/not loaded: call `await vz.init\(\{ relaxed: false \}\)` first/);
  });

  it("{ relaxed: false } loads the SIMD128 build and { simd: false } the baseline; arrays keep the backend they were made on", async () => {
    const onRelaxed = vz.array([1, 2, 3]);
    expect(await vz.init({ relaxed: false })).toBe("wasm-simd");
    const onSimd = vz.array([1, 2, 3]);
    expect(await vz.init({ simd: false })).toBe("wasm");
    const onBaseline = vz.array([10, 20, 30]);
    expect(vz.add(onBaseline, 1).toArray()).toEqual([11, 21, 31]);
    expect(() => vz.add(onSimd, onBaseline)).toThrow(/different backends \(wasm-simd and wasm\)/);
    expect(() => vz.add(onRelaxed, onSimd)).toThrow(/different backends \(wasm-relaxed and wasm-simd\)/);
    vz.setBackend("reference");
    expect(vz.backendName()).toBe("reference");
    await vz.init({ threads: 1 });
    expect(vz.backendName()).toBe("wasm-relaxed");
    await expect(vz.init({ simd: false, relaxed: true })).rejects.toThrow(/contradict/);
    await expect(vz.init({ relaxd: false } as vz.InitOptions)).rejects.toThrow(/unknown option 'relaxd' \(did you mean 'relaxed'\?\)/);
  });

  it("{ wasm } is refused for a build already loaded, a foreign module, or the wrong build", async () => {
    await expect(vz.init({ wasm: wasmFile("simd") })).rejects.toThrow(
      "init: the wasm-simd build is already loaded; init({ wasm }) must come before any other init() that loads it",
    );
    await expect(vz.init({ wasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) })).rejects.toThrow(
      "init: the module given is not a vectorized build (it has no vectorized_isa section)",
    );
    await expect(vz.init({ wasm: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/could not compile the WebAssembly module given/);
    await expect(vz.init({ wasm: wasmFile("simd"), simd: false })).rejects.toThrow(
      "init: { simd: false } was asked for, but the module given is the wasm-simd build",
    );
    await expect(vz.init({ wasm: wasmFile("relaxed"), relaxed: false })).rejects.toThrow(
      "init: { relaxed: false } was asked for, but the module given is the wasm-relaxed build",
    );
    await expect(vz.init({ wasm: "file:///nonexistent.wasm" })).rejects.toThrow(/in Node, pass the file's bytes/);
    // Nothing above disturbed the loaded backends.
    expect(vz.add(vz.array([1]), 1).toArray()).toEqual([2]);
  });
});
