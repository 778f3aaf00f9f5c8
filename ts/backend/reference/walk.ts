/**
 * Row-major iteration over an n-d shape, moving several operands' offsets by their strides
 * (an odometer). The reference backend's one loop: simple rather than fast.
 */
import type { Shape } from "../../shape.js";

/** Calls `visit(offsets)` for every index of `shape`, with `offsets[k]` the k-th operand's element offset. */
export function walk(shape: Shape, strides: readonly (readonly number[])[], starts: readonly number[], visit: (offsets: number[]) => void): void {
  const size = shape.reduce((n, d) => n * d, 1);
  if (size === 0) return;
  const offsets = [...starts];
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < size; i++) {
    visit(offsets);
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]!++;
      for (let k = 0; k < offsets.length; k++) offsets[k]! += strides[k]![d]!;
      if (index[d]! < shape[d]!) break;
      for (let k = 0; k < offsets.length; k++) offsets[k]! -= strides[k]![d]! * shape[d]!;
      index[d] = 0;
    }
  }
}

/** Row-major strides over the axes where `pick` is true; 0 on the others. */
export function stridesOver(shape: Shape, pick: readonly boolean[]): number[] {
  const strides = new Array<number>(shape.length).fill(0);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (!pick[d]) continue;
    strides[d] = step;
    step *= shape[d]!;
  }
  return strides;
}
