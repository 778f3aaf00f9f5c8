/**
 * Folding a standardisation into a linear model's parameters. A model fit on
 * `x' = (x − μ)/σ` computes `z = w'ᵀx' + b'`, which equals `wᵀx + b` on raw features with
 *
 * ```text
 * w = w'/σ,   b = b' − Σⱼ w'ⱼ·μⱼ/σⱼ
 * ```
 *
 * so the saved model takes raw features. `unfold` is the inverse (a warm start from raw
 * parameters). Both run in float64 over n_x numbers.
 */
export interface Affine {
  mean: ArrayLike<number>;
  scale: ArrayLike<number>;
}

export function fold(w: ArrayLike<number>, b: number, { mean, scale }: Affine): { w: Float64Array; b: number } {
  const raw = new Float64Array(w.length);
  let shift = 0;
  for (let j = 0; j < w.length; j++) {
    raw[j] = w[j]! / scale[j]!;
    shift += raw[j]! * mean[j]!;
  }
  return { w: raw, b: b - shift };
}

export function unfold(w: ArrayLike<number>, b: number, { mean, scale }: Affine): { w: Float64Array; b: number } {
  const scaled = new Float64Array(w.length);
  let shift = 0;
  for (let j = 0; j < w.length; j++) {
    scaled[j] = w[j]! * scale[j]!;
    shift += w[j]! * mean[j]!;
  }
  return { w: scaled, b: b + shift };
}
