/**
 * Arrays one operation combines must live on one backend: a backend's kernels read and write
 * only its own memory (a wasm kernel would take another backend's buffer for a wasm address).
 */
import type { Backend } from "../backend/backend.js";
import { ValueError } from "../errors.js";
import type { NDArray } from "../ndarray.js";

/**
 * The backend all of `arrays` live on.
 * @throws {ValueError} `<op>: operands live on different backends (wasm-simd and reference)`
 */
export function sameBackend(op: string, arrays: readonly NDArray[], what = "operands"): Backend {
  const backend = arrays[0]!.backend;
  const stranger = arrays.find((x) => x.backend !== backend);
  if (stranger) throw new ValueError(`${op}: ${what} live on different backends (${backend.name} and ${stranger.backend.name})`);
  return backend;
}
