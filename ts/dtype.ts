/** Element types. JS numbers used as operands take the array's dtype, as numpy's scalars do. */
export type DType = "float32" | "float64";

export type TypedArrayFor<D extends DType> = D extends "float32" ? Float32Array : Float64Array;
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
