/** fast-check generators of shapes that broadcast together, numpy style. */
import fc from "fast-check";

/** A shape of 0..maxDims axes, each 0..maxLen (zero-size and size-1 axes included). */
export const shapeArb = (maxDims = 4, maxLen = 5): fc.Arbitrary<number[]> =>
  fc.array(fc.integer({ min: 0, max: maxLen }), { maxLength: maxDims });

/** An operand shape that broadcasts to `out`: leading axes dropped, some axes set to 1. */
function operandOf(out: number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d)));
}

/** Two shapes that broadcast together. */
export const broadcastPairArb = (maxDims = 4, maxLen = 5): fc.Arbitrary<{ a: number[]; b: number[] }> =>
  shapeArb(maxDims, maxLen).chain((out) => fc.record({ a: operandOf(out), b: operandOf(out) }));

/** The broadcast of two compatible shapes, computed directly from numpy's rule (for checks). */
export function expectedBroadcast(a: number[], b: number[]): number[] {
  const n = Math.max(a.length, b.length);
  const pa = [...Array<number>(n - a.length).fill(1), ...a];
  const pb = [...Array<number>(n - b.length).fill(1), ...b];
  return pa.map((d, i) => (d === 1 ? pb[i]! : d));
}
