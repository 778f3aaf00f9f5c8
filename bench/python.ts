/**
 * The Python the benchmarks compare against: PyPI's numpy (OpenBLAS) in the venv that
 * scripts/python-venv.sh makes once, run on one thread as vectorized runs.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

let python: string | undefined | null = null;

/** The venv's python, made on first use; undefined when it cannot be made (no python3, no network). */
export function benchPython(): string | undefined {
  if (python === null) {
    try {
      const script = fileURLToPath(new URL("../scripts/python-venv.sh", import.meta.url));
      python = execFileSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    } catch {
      python = undefined;
    }
  }
  return python;
}

/**
 * Runs a bench/*.py script on `threads` BLAS threads (one unless a case compares threads) and
 * returns the number it prints (a median in ms), or undefined.
 */
export function runPython(script: string, args: string[], threads = 1): number | undefined {
  const exe = benchPython();
  if (!exe) return undefined;
  const n = String(threads);
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: n, OMP_NUM_THREADS: n, MKL_NUM_THREADS: n };
  // These machines may pin OpenBLAS to an old kernel (a workaround for old builds): a current
  // numpy runs its own best kernel without them.
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  try {
    const path = fileURLToPath(new URL(script, import.meta.url));
    return Number(execFileSync(exe, [path, ...args], { env, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    return undefined;
  }
}

/** numpy's version and its BLAS as threadpoolctl sees it (e.g. `numpy 2.4.6, openblas 0.3.31 (SkylakeX, 1 thread)`), for the results' header. */
export function numpyBlas(): string {
  const exe = benchPython();
  if (!exe) return "numpy unavailable (the venv could not be made)";
  const path = fileURLToPath(new URL("python/blas_info.py", import.meta.url));
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: "1" };
  delete env["OPENBLAS_CORETYPE"];
  delete env["OPENBLAS_L2_SIZE"];
  return execFileSync(exe, [path], { env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
}
