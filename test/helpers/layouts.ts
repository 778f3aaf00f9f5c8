/**
 * Random operands in every layout a kernel must accept: contiguous, transposed, sliced with a
 * step, reversed, and broadcast (stride 0). A recipe makes the same array on any backend.
 */
import fc from "fast-check";
import * as vz from "../../ts/index.js";
import { on, type TestBackend } from "./backends.js";
import { randomValues } from "./random.js";

export type Layout = "contiguous" | "transposed" | "sliced" | "reversed" | "broadcast";
export const LAYOUTS: Layout[] = ["contiguous", "transposed", "sliced", "reversed", "broadcast"];

export interface Recipe {
  shape: number[];
  layout: Layout;
  dtype: vz.DType;
  seed: number;
  /** Values for the base array (before the view is taken), from a seed. */
  values: (n: number, seed: number) => number[];
}

const size = (shape: readonly number[]) => shape.reduce((n, d) => n * d, 1);

/** The array a recipe describes, made on `backend` (its base is disposed; the view keeps the buffer). */
export function make(recipe: Recipe, backend: TestBackend): vz.NDArray {
  return on(backend, () => {
    const { shape, layout, dtype, seed, values } = recipe;
    const baseShape =
      layout === "transposed" ? [...shape].reverse()
      : layout === "sliced" ? shape.map((d) => 2 * d + 1)
      : layout === "broadcast" ? shape.map((d, i) => (i % 2 === 0 ? 1 : d)).slice(Math.min(1, shape.length))
      : shape;
    const base = vz.array(values(size(baseShape), seed), { dtype, shape: baseShape });
    const view =
      layout === "transposed" ? base.T
      : layout === "sliced" ? base.slice(...shape.map((d) => [1, 2 * d + 1, 2] as const))
      : layout === "reversed" ? base.slice(...shape.map(() => [null, null, -1] as const))
      : layout === "broadcast" ? base.broadcastTo(shape)
      : base.slice();
    base.dispose();
    return view;
  });
}

export const layoutArb = fc.constantFrom(...LAYOUTS);

/** A recipe for an operand of `shape`. */
export function recipeArb(shape: number[], dtype: vz.DType, values: Recipe["values"] = randomValues): fc.Arbitrary<Recipe> {
  return fc.record({ layout: layoutArb, seed: fc.integer() }).map(({ layout, seed }) => ({ shape, layout, dtype, seed, values }));
}

/** `f` over freshly made operands on `backend`; returns the result's shape, dtype and data (all freed). */
export function runOn(backend: TestBackend, recipes: Recipe[], f: (...xs: vz.NDArray[]) => vz.NDArray) {
  return on(backend, () =>
    vz.scope(() => {
      const out = f(...recipes.map((r) => make(r, backend)));
      return { shape: [...out.shape], dtype: out.dtype, data: out.toTypedArray() };
    }),
  );
}
