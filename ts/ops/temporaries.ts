/** Intermediate arrays an op makes for itself (scalars as arrays, casts, copies), freed when it returns or throws. */
import type { NDArray } from "../ndarray.js";

/** Runs `fn` with a `temp` function that marks arrays to dispose once `fn` is done, even if it throws. */
export function withTemporaries<R>(fn: (temp: (x: NDArray) => NDArray) => R): R {
  const temporaries: NDArray[] = [];
  try {
    return fn((x) => (temporaries.push(x), x));
  } finally {
    for (const t of temporaries) t.dispose();
  }
}
