/** The benchmarks' deterministic inputs, with no import of the library (small_loop.ts may load a built one). */

/** `n` deterministic values `scale·sin(i)`, in [−scale, scale]. */
export function filled(n: number, dtype: "float32" | "float64", scale = 100): Float32Array | Float64Array {
  const data = dtype === "float32" ? new Float32Array(n) : new Float64Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.sin(i) * scale;
  return data;
}
