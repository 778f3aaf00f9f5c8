/**
 * int64 elements as JS numbers, rounded once to the dtype they are stored in (going through
 * the nearest float64 first would round twice; see `bigintToFloat32`).
 */
import { bigintToFloat32, type DType } from "../dtype.js";

/** Below this magnitude an int64 is exactly a float64. */
const TWO_53 = 2 ** 53;

/** The int64 at `offset` as the float32 or float64 nearest to it (ties to even). */
export function int64ToNumber(view: DataView, offset: number, littleEndian: boolean, dtype: DType): number {
  const hi = view.getInt32(offset + (littleEndian ? 4 : 0), littleEndian);
  const lo = view.getUint32(offset + (littleEndian ? 0 : 4), littleEndian);
  const value = hi * 2 ** 32 + lo; // exact while |value| < 2^53: most data, and no BigInt
  if (Math.abs(value) < TWO_53) return value;
  const exact = view.getBigInt64(offset, littleEndian);
  return dtype === "float64" ? Number(exact) : bigintToFloat32(exact);
}
