/**
 * vectorized: numpy-style arrays computed by SIMD WebAssembly.
 * @example
 * import * as vz from "vectorized";
 * await vz.init();
 * const x = vz.array([[1, 2, 3], [4, 5, 6]]);
 * vz.add(x, vz.array([[10], [20]])).toArray(); // => [[11,12,13],[24,25,26]]
 * @packageDocumentation
 */
import { activate } from "./backend/registry.js";
import { loadWasmBackend, type InitOptions, type ThreadInfo } from "./backend/wasm/init.js";
import type { BackendName } from "./backend/backend.js";
import { ValueError } from "./errors.js";
import { checkOptions, show } from "./options.js";
// NDArray's methods (x.add(y), x.T, …) are installed by this module, so that the class itself
// imports no op (see ndarray_methods.ts).
import "./ndarray_methods.js";

/**
 * Loads the WebAssembly backend and makes it the active one: the relaxed-SIMD build (fused
 * multiply-adds) where the engine supports relaxed SIMD, else the SIMD128 build where it supports
 * SIMD128, otherwise the baseline build. Concurrent calls share one load; only the build chosen
 * is loaded. The relaxed build's multiply-adds are fused or not depending on the CPU, so its
 * results can differ in the last bits between machines (never between runs on one machine);
 * every stated error bound holds either way.
 * Where the engine can share WebAssembly memory with workers (Node ≥ 20.16, Deno, Bun,
 * cross-origin-isolated pages) and more than one thread is asked for (the default: every core),
 * it loads that build's threaded flavour instead (relaxed or SIMD128) and starts a pool of
 * workers for the large kernels; its results are the same bits for any number of threads. {@link threads} says how
 * many run. Calling `init` again with another `threads` changes the number in use.
 * @param options `{ simd: false }` forces the baseline build, `{ relaxed: false }` the plain SIMD128 build; `{ threads: n }` the number of threads; `{ wasm }` loads the given bytes, URL or Module.
 * @returns the name of the backend now active.
 * @throws {WasmInitError} when the module cannot be loaded.
 * @throws {ValueError} an unknown option, or `threads` not an integer from 1 to 256.
 * @example
 * await vz.init({ relaxed: false }); // => "wasm-simd"
 * await vz.init({ simd: false }); // => "wasm"
 * vz.backendName(); // => "wasm"
 */
export async function init(options?: InitOptions): Promise<BackendName> {
  checkOptions("init", options, ["simd", "relaxed", "wasm", "threads"]);
  const threads = options?.threads;
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1 && threads <= 256)) {
    throw new ValueError(`init: threads must be an integer from 1 to 256, got ${show(threads)}`);
  }
  const backend = await loadWasmBackend(options);
  activate(backend);
  return backend.name;
}

export type { InitOptions, ThreadInfo };
export { threads } from "./threads.js";
export type { InitInput } from "./backend/wasm/glue.js";
export type { BackendName } from "./backend/backend.js";
export { backendName, setBackend } from "./backend/registry.js";
export { NDArray } from "./ndarray.js";
export { array, full, zeros, ones, zerosLike, onesLike, arange, linspace, eye, type ArrayOptions, type ArrayData, type DTypeOption, type NestedInput } from "./creation.js";
/**
 * Random arrays from one seeded stream (xoshiro128**), the same on every backend.
 * @example
 * vz.random.seed(1);
 * vz.random.randn([2, 2]).shape; // => [2, 2]
 */
export * as random from "./random_api.js";
/**
 * Files: numpy's `.npy` and `.npz`, and CSV. The readers take bytes or text (browsers too);
 * `load*` and `save*` take paths (Node).
 * @example
 * vz.io.readNpy(vz.io.writeNpy(vz.eye(2))); // => [[1, 0], [0, 1]]
 */
export * as io from "./io/index.js";
export * from "./ops/index.js";
export { scope } from "./scope.js";
export { LogisticRegression, type LogisticRegressionOptions, type LogisticRegressionJSON, type FitOptions, type Progress } from "./models/logistic_regression.js";
export { DenseNetwork, type DenseNetworkOptions, type DenseNetworkJSON, type DenseFitOptions, type NetworkProgress } from "./models/dense_network.js";
export type { Hidden } from "./models/network/activation.js";
export type { Output } from "./models/network/propagation.js";
export type { Layout } from "./models/data.js";
/**
 * The course notebook's functions, with its names and shapes (X is (n_x, m), examples in columns).
 * @example
 * const { w, b } = vz.course.initializeWithZeros(3);
 * w.shape; // => [3, 1]
 */
export * as course from "./models/course.js";
/**
 * Preparing features: `StandardScaler` (scikit-learn's, with numpy's ddof-0 std).
 * @example
 * new vz.preprocessing.StandardScaler().fit(vz.array([[0], [2]])).scale; // => [1]
 */
export * as preprocessing from "./preprocessing/index.js";
export { memory, type MemoryInfo } from "./memory.js";
export type { DType, FloatArray } from "./dtype.js";
export type { NestedArray } from "./nested.js";
export { formatShape, type Shape } from "./shape.js";
export {
  NdError,
  BroadcastError,
  AlignmentError,
  ReshapeError,
  AxisError,
  IndexError,
  DTypeError,
  ValueError,
  DisposedError,
  WasmInitError,
  OutOfMemoryError,
  IOError,
  LayoutError,
  NotFittedError,
  DivergenceError,
} from "./errors.js";
