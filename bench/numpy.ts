/**
 * numpy as users install it: PyPI's wheel (it bundles OpenBLAS) in the venv that
 * scripts/python-venv.sh creates once in target/venv, run on one thread. Debian's python3-numpy
 * may run the reference BLAS (~1.6× slower on the logistic step), so plain `python3` is never used.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

let python: string | undefined;

/** The venv's python, creating the venv on first use (idempotent; `npm run bench` needs PyPI once). */
export function venvPython(): string {
  python ??= execFileSync("bash", [fileURLToPath(new URL("../scripts/python-venv.sh", import.meta.url))], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
  return python;
}

/**
 * The environment for numpy: one BLAS thread; OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset for
 * this command only (these machines pin OpenBLAS to an old kernel, a workaround for old builds:
 * a current numpy picks its own best kernel without them).
 */
export function numpyEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" };
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  return env;
}

/** Runs a script of bench/ with the venv's numpy; its stdout, trimmed. */
export function runNumpy(script: string, args: string[]): string {
  const path = fileURLToPath(new URL(script, import.meta.url));
  return execFileSync(venvPython(), [path, ...args], { env: numpyEnv(), encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}

/** numpy's version and its BLAS as threadpoolctl sees it, e.g. `numpy 2.4.6, openblas 0.3.30 (Zen, 1 thread)`. */
export function numpyBlas(): string {
  return runNumpy("python/blas_info.py", []);
}
