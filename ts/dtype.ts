/**
 * Element types. JS numbers used as operands take the array's dtype, as numpy's scalars do.
 * @example
 * vz.add(vz.ones([1]), vz.ones([1], { dtype: "float64" })).dtype; // => "float64"
 */
export type DType = "float32" | "float64";

export type TypedArrayFor<D extends DType> = D extends "float32" ? Float32Array : Float64Array;
/**
 * The typed array of a dtype's elements, as `toTypedArray()` returns it.
 * @example
 * vz.ones([2], { dtype: "float64" }).toTypedArray(); // => Float64Array.of(1, 1)
 */
export type FloatArray = Float32Array | Float64Array;

export const DTYPES: readonly DType[] = ["float32", "float64"];

export function isDType(value: unknown): value is DType {
  return value === "float32" || value === "float64";
}

export function bytesPerElement(dtype: DType): number {
  return dtype === "float32" ? 4 : 8;
}

export function typedArrayClass(dtype: DType): Float32ArrayConstructor | Float64ArrayConstructor {
  return dtype === "float32" ? Float32Array : Float64Array;
}

/** numpy's promotion for our two dtypes: float32 with float64 gives float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return a === "float64" || b === "float64" ? "float64" : "float32";
}

/**
 * A 64-bit integer rounded once, to the nearest float32 (ties to even). `Math.fround(Number(v))`
 * rounds twice, to float64 first: 2⁶⁰ + 2³⁶ + 1 would become 2⁶⁰ instead of numpy's 2⁶⁰ + 2³⁷.
 */
export function bigintToFloat32(v: bigint): number {
  const sign = v < 0n ? -1 : 1;
  const a = v < 0n ? -v : v;
  if (a < 2n ** 53n) return Math.fround(sign * Number(a)); // exact in float64: one rounding
  const shift = BigInt(a.toString(2).length - 24); // keep float32's 24 significant bits
  let mantissa = a >> shift;
  const rest = a - (mantissa << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (mantissa & 1n) === 1n)) mantissa += 1n;
  return sign * Number(mantissa) * 2 ** Number(shift); // exact: ≤ 2²⁴ times a power of two
}
