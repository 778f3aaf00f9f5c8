//! The softmax over the columns of a (k, m) matrix of logits Z (one column per example) and
//! its categorical cross-entropy, both computed stably with the log-sum-exp shift:
//!
//! ```text
//! softmax(z)_r = e^{z_r − max z} / Σ_q e^{z_q − max z}
//! loss(z, y)   = log Σ_q e^{z_q} − z_y = log Σ_q e^{z_q − max z} − (z_y − max z)
//! ∂loss/∂z_r   = softmax(z)_r − [r = y]
//! ```
//!
//! After the shift the largest term of each sum is e⁰ = 1, so the sum lies in [1, k]: its log
//! never sees 0 and no exponential overflows, whatever the logits (no NaN at saturation; only
//! non-finite logits give a non-finite loss). Every pass runs along Z's rows (contiguous, so
//! the compiler vectorizes them), and the exponentials and logs are the lane functions of
//! [`crate::simd::math`] through [`unary_in_place`] (the same bits as `vz.exp` and `vz.log`).
//! Used by the dense network's softmax output (`network`) and by softmax regression
//! (`multinomial`).

use crate::kernels::unary::{unary_in_place, UnaryOpCode};
use crate::simd::math::UnaryMath;

/// `top[i] = max_r z[r][i]` over the k rows of the (k, m) matrix z (NaN-free input assumed:
/// a NaN propagates into the losses and is reported there as divergence).
fn column_max<T: UnaryMath>(z: &[T], m: usize, top: &mut [T]) {
    top.copy_from_slice(&z[..m]);
    for row in z.chunks_exact(m).skip(1) {
        top.iter_mut().zip(row).for_each(|(t, &v)| *t = if v > *t { v } else { *t });
    }
}

/// `z[r][i] ← z[r][i] − top[i]`, then `z ← e^z`, then `sum[i] = Σ_r z[r][i]`.
fn shifted_exp<T: UnaryMath>(z: &mut [T], m: usize, top: &[T], sum: &mut [T]) {
    for row in z.chunks_exact_mut(m) {
        row.iter_mut().zip(top).for_each(|(v, &t)| *v = *v - t);
    }
    unary_in_place(UnaryOpCode::Exp, z);
    sum.iter_mut().for_each(|s| *s = T::ZERO);
    for row in z.chunks_exact(m) {
        sum.iter_mut().zip(row).for_each(|(s, &v)| *s = *s + v);
    }
}

/// Each column of the (k, m) matrix `a` (logits on entry) replaced by its softmax.
///
/// + a: k·m elements, row-major, m ≥ 1
/// + top, sum: m elements of scratch each
pub fn softmax_columns<T: UnaryMath>(a: &mut [T], m: usize, top: &mut [T], sum: &mut [T]) {
    column_max(a, m, top);
    shifted_exp(a, m, top, sum);
    sum.iter_mut().for_each(|s| *s = T::ONE / *s);
    for row in a.chunks_exact_mut(m) {
        row.iter_mut().zip(sum.iter()).for_each(|(v, &r)| *v = *v * r);
    }
}

/// The summed categorical cross-entropy of the (k, m) logits `z` against class indices, with
/// `z` overwritten by the loss's gradient, `softmax(z) − onehot(y)` (dZ, before any 1/m).
///
/// + z: k·m logits, row-major (column i is example i), m ≥ 1
/// + labels: m class indices, each < k (checked by the caller)
/// + top, sum, picked: m elements of scratch each
///
/// Returns `Σᵢ [log Σ_r e^{z_ri} − z_{yᵢ,i}]`, accumulated in f64.
pub fn cross_entropy_columns<T: UnaryMath + Into<f64>>(
    z: &mut [T],
    m: usize,
    labels: &[u32],
    top: &mut [T],
    sum: &mut [T],
    picked: &mut [T],
) -> f64 {
    column_max(z, m, top);
    // The label's shifted logit, z_y − max z, before the exponentials overwrite it.
    for (i, (p, &y)) in picked.iter_mut().zip(labels).enumerate() {
        *p = z[y as usize * m + i] - top[i];
    }
    shifted_exp(z, m, top, sum);
    for (t, &s) in top.iter_mut().zip(sum.iter()) {
        *t = T::ONE / s; // top is free again: it now holds 1 / Σ
    }
    unary_in_place(UnaryOpCode::Log, sum);
    let total: f64 = sum.iter().zip(picked.iter()).map(|(&s, &p)| s.into() - p.into()).sum();
    for row in z.chunks_exact_mut(m) {
        row.iter_mut().zip(top.iter()).for_each(|(v, &r)| *v = *v * r);
    }
    for (i, &y) in labels.iter().enumerate() {
        let v = &mut z[y as usize * m + i];
        *v = *v - T::ONE;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The loss and gradient of one column, by the definition in f64.
    fn by_definition(z: &[f64], y: usize) -> (f64, Vec<f64>) {
        let lse = z.iter().map(|v| v.exp()).sum::<f64>().ln();
        let grad = z.iter().enumerate().map(|(r, v)| (v - lse).exp() - (r == y) as u8 as f64);
        (lse - z[y], grad.collect())
    }

    #[test]
    fn matches_the_definition() {
        // k = 3 classes, m = 4 examples; column i is (z[0][i], z[1][i], z[2][i]).
        let z0 = [0.5, -1.0, 2.0, 0.0, 1.5, 0.25, -0.5, 3.0, -2.0, 0.75, 1.0, -3.0];
        let labels = [2u32, 0, 1, 2];
        let (mut z, mut top, mut sum, mut picked) = (z0.to_vec(), [0.0; 4], [0.0; 4], [0.0; 4]);
        let total = cross_entropy_columns(&mut z, 4, &labels, &mut top, &mut sum, &mut picked);
        let mut expected = 0.0;
        for i in 0..4 {
            let column: Vec<f64> = (0..3).map(|r| z0[r * 4 + i]).collect();
            let (loss, grad) = by_definition(&column, labels[i] as usize);
            expected += loss;
            for r in 0..3 {
                assert!((z[r * 4 + i] - grad[r]).abs() < 1e-15, "dz[{r}][{i}]");
            }
        }
        assert!((total - expected).abs() < 1e-14, "{total} vs {expected}");
        let mut a = z0.to_vec();
        softmax_columns(&mut a, 4, &mut top, &mut sum);
        for i in 0..4 {
            let s: f64 = (0..3).map(|r| a[r * 4 + i]).sum();
            assert!((s - 1.0).abs() < 1e-15);
        }
    }

    /// Every vector and tail shape: m = 1…9 examples and k = 1, 2, 3, 10 classes in both
    /// dtypes, against the definition in f64; the gradient plus the one-hot labels is the
    /// softmax.
    fn blocks_and_tails<T: UnaryMath + Into<f64>>(from: fn(f64) -> T, tol: f64) {
        for k in [1usize, 2, 3, 10] {
            for m in 1..=9usize {
                let z0: Vec<f64> =
                    (0..k * m).map(|v| ((v * 37 % 23) as f64 - 11.0) / 4.0).collect();
                let labels: Vec<u32> = (0..m).map(|i| ((i * 7 + 3) % k) as u32).collect();
                let mut z: Vec<T> = z0.iter().map(|&v| from(v)).collect();
                let mut a = z.clone();
                let (mut top, mut sum, mut picked) =
                    (vec![from(0.0); m], vec![from(0.0); m], vec![from(0.0); m]);
                let total =
                    cross_entropy_columns(&mut z, m, &labels, &mut top, &mut sum, &mut picked);
                softmax_columns(&mut a, m, &mut top, &mut sum);
                let mut expected = 0.0;
                for i in 0..m {
                    let column: Vec<f64> = (0..k).map(|r| z0[r * m + i]).collect();
                    let (loss, grad) = by_definition(&column, labels[i] as usize);
                    expected += loss;
                    for r in 0..k {
                        let dz: f64 = z[r * m + i].into();
                        assert!((dz - grad[r]).abs() < tol, "k {k} m {m}: dz[{r}][{i}] {dz}");
                        let onehot = from((r == labels[i] as usize) as u8 as f64);
                        let p: f64 = (a[r * m + i] - onehot).into();
                        assert_eq!(dz, p, "k {k} m {m}: softmax[{r}][{i}]");
                    }
                }
                assert!((total - expected).abs() < tol * 4.0 * m as f64, "k {k} m {m}: {total}");
            }
        }
    }

    #[test]
    fn blocks_and_tails_f64() {
        blocks_and_tails::<f64>(|v| v, 1e-15);
    }

    #[test]
    fn blocks_and_tails_f32() {
        blocks_and_tails::<f32>(|v| v as f32, 1e-6);
    }

    /// Logits of ±1e4 (e^{1e4} overflows any float): finite losses and gradients, no NaN.
    #[test]
    fn saturated_logits_stay_finite() {
        for z0 in [[1e4f32, -1e4], [-1e4, 1e4], [3e38, -3e38]] {
            let (mut z, mut top, mut sum, mut picked) = (z0.to_vec(), [0.0f32], [0.0f32], [0.0f32]);
            let total = cross_entropy_columns(&mut z, 1, &[0], &mut top, &mut sum, &mut picked);
            assert!(total.is_finite() && z.iter().all(|v| v.is_finite()), "{z0:?}: {total} {z:?}");
            // The right class certain: loss 0; the wrong one: loss = the logit gap.
            let gap = (z0[0] as f64 - z0[1] as f64).abs();
            assert_eq!(total, if z0[0] > z0[1] { 0.0 } else { gap });
        }
    }
}
