/**
 * int64 elements as JS numbers, rounded once to the dtype they are stored in. Going through the
 * nearest float64 first would round twice: 2^60 + 2^36 + 1 is nearest 2^60 in float64, which
 * then stays 2^60 in float32, though the float32 nearest the integer is 2^60 + 2^37 (numpy's
 * astype gives that).
 */
import type { DType } from "../dtype.js";

/** Beyond this magnitude an int64 is not always a float64. */
const TWO_53 = 2 ** 53;

/** The int64 at `offset` as the float32 or float64 nearest to it (ties to even). */
export function int64ToNumber(view: DataView, offset: number, littleEndian: boolean, dtype: DType): number {
  const hi = view.getInt32(offset + (littleEndian ? 4 : 0), littleEndian);
  const lo = view.getUint32(offset + (littleEndian ? 0 : 4), littleEndian);
  const value = hi * 2 ** 32 + lo; // exact while |value| <= 2^53: most data, and no BigInt
  if (Math.abs(value) < TWO_53) return value;
  const exact = view.getBigInt64(offset, littleEndian);
  return dtype === "float64" ? Number(exact) : roundedToOdd(exact);
}

/**
 * A float64 from which Math.fround (or a Float32Array store) gives the float32 nearest `v`:
 * `v` truncated to its top bits with the last bit set when any dropped bit was (rounding to odd,
 * Boldo & Melquiond 2008). With at least 42 bits kept, 2 more than float32's 24 + 2, the second
 * rounding cannot go wrong. For |v| >= 2^53, so dropping 11 bits keeps 42 or more.
 */
function roundedToOdd(v: bigint): number {
  const magnitude = v < 0n ? -v : v;
  let top = magnitude >> 11n;
  if ((magnitude & 0x7ffn) !== 0n) top |= 1n;
  const rounded = Number(top) * 2048; // top < 2^53: both exact
  return v < 0n ? -rounded : rounded;
}
