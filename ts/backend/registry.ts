/**
 * Which backend new arrays go to. The reference backend is always available; the wasm builds
 * become available once `init()` has loaded them.
 */
import { ValueError, WasmInitError } from "../errors.js";
import type { Backend, BackendName } from "./backend.js";
import { ReferenceBackend } from "./reference/index.js";

const available = new Map<BackendName, Backend>([["reference", new ReferenceBackend()]]);
let active: Backend | undefined;

/** @internal Registers a loaded backend and makes it the active one. */
export function activate(backend: Backend): void {
  available.set(backend.name, backend);
  active = backend;
}

/** @internal The backend new arrays are created on. */
export function currentBackend(op: string): Backend {
  if (!active) {
    throw new WasmInitError(
      `${op}: vectorized is not initialised: call \`await vz.init()\` first ` +
        `(or vz.setBackend("reference") for the pure-TypeScript backend)`,
    );
  }
  return active;
}

/**
 * The active backend's name: `"wasm-relaxed"`, `"wasm-simd"`, `"wasm"` or `"reference"` (undefined before `init()`).
 * @example
 * vz.setBackend("reference");
 * vz.backendName(); // => "reference"
 */
export function backendName(): BackendName | undefined {
  return active?.name;
}

/**
 * Switches the backend new arrays are created on. `"reference"` is always available; the wasm
 * builds after `init()` (or `init({ simd: false })`) has loaded them. Arrays made before stay
 * on their backend; mixing backends in one op is an error.
 * @param name the backend to use from now on.
 * @throws {ValueError} for an unknown name or a wasm build that is not loaded yet.
 * @example
 * vz.setBackend("reference");
 * vz.add(vz.array([1, 2]), 1); // => [2, 3]
 * vz.setBackend("float16"); // throws ValueError: …
 */
export function setBackend(name: BackendName): void {
  const backend = available.get(name);
  if (!backend) {
    const known: BackendName[] = ["wasm-relaxed", "wasm-simd", "wasm", "reference"];
    throw new ValueError(
      known.includes(name)
        ? `setBackend: backend "${name}" is not loaded: call \`await vz.init(${{ wasm: "{ simd: false }", "wasm-simd": "{ relaxed: false }" }[name as string] ?? ""})\` first`
        : `setBackend: unknown backend "${String(name)}"; expected one of ${known.map((k) => `"${k}"`).join(", ")}`,
    );
  }
  active = backend;
}
