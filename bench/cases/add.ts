/** Broadcast add: a (1000,1000) matrix plus a column and plus a row, float32 and float64, result read back into JS. */
import * as vz from "../../ts/index.js";
import { contendersFor } from "../contenders.js";
import { filled } from "../filled.js";
import type { BenchCase } from "../harness.js";

export function addCases(): BenchCase[] {
  const cases: BenchCase[] = [];
  for (const dtype of ["float32", "float64"] as const) {
    const bytesPer = dtype === "float32" ? 4 : 8;
    for (const shape of [[1000, 1], [1, 1000]]) {
      const a = { data: filled(1e6, dtype), shape: [1000, 1000] };
      const b = { data: filled(1000, dtype), shape };
      cases.push({
        name: `add (1000,1000)+${vz.formatShape(shape)} ${dtype}, read back`,
        bytes: 2 * 1e6 * bytesPer, // the matrix read once, the result written once
        contenders: contendersFor([a, b], (x, y) => vz.add(x, y), (tf, x, y) => tf.add(x, y), {
          readBack: true,
          js: { numpyTs: (np, x, y) => np.add(x, y), jax: (np, x, y) => np.add(x, y) },
          numpy: "a + b",
        }),
      });
    }
  }
  return cases;
}
