//! Each feature's mean and variance (ddof 0, numpy's `X.var(0)`) in one pass over X from
//! memory, for `StandardScaler` and the models' `standardize`: X is read once, where computing
//! the mean and then the mean of the squared deviations (numpy's two passes, and two more for
//! the centred temporary it squares) reads it three to five times. On a (100000, 1000) float32
//! X those passes took ~200 ms of a ~1.7 s fit.
//!
//! X is cut into blocks of about [`BLOCK_ELEMENTS`] elements. Each value is shifted twice,
//! d = (x − x₀) − c: by the feature's first value x₀, and by c, the running mean of x − x₀ over
//! the blocks before (0 for the first). A block gives Σd and Σd²: its mean (of x − x₀) is
//! c + Σd/b and its M2 is Σd² − (Σd)²/b (the "shifted data" formula of Chan, Golub & LeVeque,
//! *Algorithms for computing the sample variance*, 1983, §4), merged into the running
//! statistics by their pairwise update (eq. 1.5b):
//!
//! ```text
//! n = n_a + n_b,   δ = mean_b − mean_a,   mean = mean_a + δ·n_b/n,   M2 = M2_a + M2_b + δ²·n_a·n_b/n
//! ```
//!
//! with δ = Σd/b exactly, since the shift is mean_a. Per element two subtractions, two adds and a
//! multiply, in float64 whatever X's type (scikit-learn's StandardScaler also sums float32 in
//! float64); X is read once.
//!
//! Why x₀ and not just the running mean: a mean stored as such is rounded to u·|mean| (u = 2⁻⁵³),
//! and that error would enter δ and M2 at first order, κ = |mean|/std times the data's own
//! rounding (measured: 2·10⁻¹² relative for features at 10⁶ ± 0.6). Relative to x₀ the running
//! mean is O(std) and rounds to u·std.
//!
//! Error: Σd² of a block of b values is within (b + 1)·u relative (non-negative terms), so its
//! M2 = Σd² − (Σd)²/b is within ~(b + 3)·u·Σd², and Σd² = M2_b + b·δ² is the block's own M2 plus
//! b·δ², which (up to a factor n/n_a ≤ 2 after the first block) is what the merge adds to M2: the
//! shift costs at most ~2(b + 3)·u relative to the final M2. The first block's shift is 0 after
//! x₀, a data value, and b·(mean_b − x₀)² ≤ 4b·M2, so it adds at most ~4b²·u. Each merge adds a
//! few u with no cancellation (all terms ≥ 0). With b = 32 values per feature per block (rows
//! of 1000 features), M2 is within ~10⁻¹² relative and the mean within a few u·std per merge:
//! far inside float32's rounding, near numpy's float64 pairwise sums (the test checks 10⁻¹²
//! against plain two-pass sums for features at 10⁶ ± 0.6). A constant feature gives d = 0
//! throughout: its mean is its value exactly and its variance exactly 0 (where a float64 mean
//! of 0.1, 0.1, 0.1 is 0.10000000000000002 and would leave a scale of ~10⁻¹⁷ instead of the
//! constant-feature rule's 1).
//!
//! A NaN or ±∞ anywhere in a feature makes its mean non-finite, so callers can skip a separate
//! finiteness pass and look for the bad element only when a statistic is not finite.

use super::logistic::Layout;
use crate::error::KernelError;

/// About this many elements per block: few enough values per feature per block (32 rows of
/// 1000 features) that a block's Σd² carries little rounding, many enough that the merge's
/// O(n) work is small next to the block's.
pub const BLOCK_ELEMENTS: usize = 32 * 1024;

/// Writes each of the n_x features' mean and variance (ddof 0) into `mean` and `var`.
///
/// + layout: `Rows`: x is (m, n_x), an example per row; `Cols`: x is (n_x, m), a feature per row
/// + m ≥ 1 examples
///
/// Errors (`Layout`) when x is not n_x·m long, `mean` or `var` not n_x, or m = 0.
pub fn feature_moments<T: Copy + Into<f64>>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    mean: &mut [f64],
    var: &mut [f64],
) -> Result<(), KernelError> {
    if m == 0 || n_x.checked_mul(m) != Some(x.len()) || mean.len() != n_x || var.len() != n_x {
        return Err(KernelError::layout(format!(
            "feature_moments: x has {} elements, mean {} and var {}, expected n_x·m = {n_x}·{m} (m ≥ 1), n_x and n_x",
            x.len(),
            mean.len(),
            var.len()
        )));
    }
    match layout {
        Layout::Rows => rows(x, n_x, m, mean, var),
        Layout::Cols => {
            for (j, feature) in x.chunks_exact(m).enumerate() {
                (mean[j], var[j]) = contiguous(feature);
            }
        }
    }
    Ok(())
}

/// X (m, n): blocks of whole example rows; per feature, the block's Σd and Σd² for
/// d = (x − x₀) − c, c the running mean of x − x₀.
fn rows<T: Copy + Into<f64>>(x: &[T], n: usize, m: usize, mean: &mut [f64], var: &mut [f64]) {
    let block = (BLOCK_ELEMENTS / n.max(1)).max(1);
    let first: Vec<f64> = x[..n].iter().map(|&v| v.into()).collect();
    // The running mean of x − x₀ in `mean` (0 before the first block), M2 in `var`.
    mean.fill(0.0);
    var.fill(0.0);
    let (mut s1, mut s2) = (vec![0.0f64; n], vec![0.0f64; n]);
    let mut seen = 0usize;
    for rows in x.chunks(block * n) {
        s1.fill(0.0);
        s2.fill(0.0);
        let shifts = first.iter().zip(&*mean);
        // Four rows per sweep: one load and store of each accumulator per four elements.
        let quads = rows.chunks_exact(4 * n);
        for row in quads.remainder().chunks_exact(n) {
            let lanes = row.iter().zip(shifts.clone());
            for ((a1, a2), (&v, (&x0, &c))) in s1.iter_mut().zip(s2.iter_mut()).zip(lanes) {
                let d = (v.into() - x0) - c;
                *a1 += d;
                *a2 += d * d;
            }
        }
        for quad in quads {
            let (r0, rest) = quad.split_at(n);
            let (r1, rest) = rest.split_at(n);
            let (r2, r3) = rest.split_at(n);
            let lanes = r0.iter().zip(r1).zip(r2).zip(r3).zip(shifts.clone());
            for ((a1, a2), ((((&v0, &v1), &v2), &v3), (&x0, &c))) in
                s1.iter_mut().zip(s2.iter_mut()).zip(lanes)
            {
                let shift = |v: T| (v.into() - x0) - c;
                let (d0, d1, d2, d3) = (shift(v0), shift(v1), shift(v2), shift(v3));
                *a1 += (d0 + d1) + (d2 + d3);
                *a2 += (d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3);
            }
        }
        merge(mean, var, &s1, &s2, seen, rows.len() / n);
        seen += rows.len() / n;
    }
    for ((mu, v), x0) in mean.iter_mut().zip(var.iter_mut()).zip(first) {
        *mu += x0;
        *v /= m as f64;
    }
}

/// Merges a block of b examples with Σd, Σd² (d = (x − x₀) − c, c the running mean of x − x₀)
/// into the running mean (of x − x₀) and M2 of the `seen` before it. The block's mean is c + Σd/b and
/// its M2 is Σd² − (Σd)²/b, so Chan et al.'s δ is exactly Σd/b: no cancellation against c.
fn merge(mean: &mut [f64], m2: &mut [f64], s1: &[f64], s2: &[f64], seen: usize, b: usize) {
    let total = (seen + b) as f64;
    let (b, cross) = (b as f64, seen as f64 / total);
    for (((mu, q), &a1), &a2) in mean.iter_mut().zip(m2.iter_mut()).zip(s1).zip(s2) {
        let delta = a1 / b;
        *q += (a2 - a1 * delta).max(0.0) + delta * delta * b * cross;
        *mu += a1 / total;
    }
}

/// One feature's m values, contiguous: blocks of [`BLOCK_ELEMENTS`], four partial sums each so
/// the adds vectorize.
fn contiguous<T: Copy + Into<f64>>(values: &[T]) -> (f64, f64) {
    let x0: f64 = values[0].into();
    let (mut mean, mut m2, mut seen) = ([0.0f64], [0.0f64], 0usize);
    for block in values.chunks(BLOCK_ELEMENTS) {
        let c = mean[0];
        let (mut a1, mut a2) = ([0.0f64; 4], [0.0f64; 4]);
        let quads = block.chunks_exact(4);
        let (mut t1, mut t2) = (0.0, 0.0);
        for &v in quads.remainder() {
            let d = (v.into() - x0) - c;
            t1 += d;
            t2 += d * d;
        }
        for q in quads {
            for k in 0..4 {
                let d = (q[k].into() - x0) - c;
                a1[k] += d;
                a2[k] += d * d;
            }
        }
        let s1 = [(a1[0] + a1[1]) + (a1[2] + a1[3]) + t1];
        let s2 = [(a2[0] + a2[1]) + (a2[2] + a2[3]) + t2];
        merge(&mut mean, &mut m2, &s1, &s2, seen, block.len());
        seen += block.len();
    }
    (x0 + mean[0], m2[0] / seen as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// numpy's definition, two plain passes in f64: the reference the blocked pass must meet.
    fn two_pass(values: &[f64]) -> (f64, f64) {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / values.len() as f64;
        (mean, var)
    }

    fn data(n: usize, m: usize) -> Vec<f64> {
        // Offsets far from 0 and different scales per feature: where one-pass Σx² − (Σx)²/m fails.
        (0..n * m)
            .map(|k| {
                let (i, j) = (k / n, k % n);
                1e6 * (j % 3) as f64
                    + (1 + j % 5) as f64 * ((i * 7919 + j * 104729) % 1000) as f64 / 997.0
            })
            .collect()
    }

    #[test]
    fn matches_two_passes_in_both_layouts_across_many_blocks() {
        for (n, m) in [(1, 1), (3, 7), (5, 70_001), (1000, 100), (7, BLOCK_ELEMENTS + 3)] {
            let x = data(n, m);
            let xt: Vec<f64> = (0..n * m).map(|k| x[(k % m) * n + k / m]).collect();
            let (mut mean, mut var) = (vec![0.0; n], vec![0.0; n]);
            let (mut mean_t, mut var_t) = (vec![0.0; n], vec![0.0; n]);
            feature_moments(Layout::Rows, &x, n, m, &mut mean, &mut var).unwrap();
            feature_moments(Layout::Cols, &xt, n, m, &mut mean_t, &mut var_t).unwrap();
            for j in 0..n {
                let (mu, v) = two_pass(&xt[j * m..(j + 1) * m]);
                for (got, want) in [(mean[j], mu), (mean_t[j], mu), (var[j], v), (var_t[j], v)] {
                    assert!(
                        (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
                        "{n}×{m} feature {j}: {got} vs {want}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_constant_feature_has_its_value_as_mean_and_variance_zero() {
        let x = [0.1f64, 2.0, 0.1, 3.0, 0.1, 5.0];
        let (mut mean, mut var) = ([0.0; 2], [0.0; 2]);
        feature_moments(Layout::Rows, &x, 2, 3, &mut mean, &mut var).unwrap();
        assert_eq!((mean[0], var[0]), (0.1, 0.0));
        assert!((mean[1] - 10.0 / 3.0).abs() <= 4.0 * f64::EPSILON, "{}", mean[1]);
        feature_moments(Layout::Cols, &[0.1f32; 9], 1, 9, &mut mean[..1], &mut var[..1]).unwrap();
        assert_eq!((mean[0], var[0]), (0.1f32 as f64, 0.0));
    }

    #[test]
    fn float32_input_accumulates_in_float64() {
        // 2²⁴ + 1 is not a float32, but the sum of many 1s beyond 2²⁴ must not stall.
        let x = vec![1.0f32; (1 << 24) + 8];
        let (mut mean, mut var) = ([0.0], [0.0]);
        feature_moments(Layout::Cols, &x, 1, x.len(), &mut mean, &mut var).unwrap();
        assert_eq!((mean[0], var[0]), (1.0, 0.0));
        let x: Vec<f32> = (0..(1 << 20)).map(|i| (i % 2) as f32 + 16_777_216.0).collect();
        feature_moments(Layout::Cols, &x, 1, x.len(), &mut mean, &mut var).unwrap();
        assert_eq!((mean[0], var[0]), (16_777_216.0, 0.0), "2²⁴ + 1 rounds to 2²⁴ in float32");
    }

    #[test]
    fn non_finite_values_make_the_mean_non_finite() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut x = data(4, 50);
            x[37 * 4 + 2] = bad;
            let (mut mean, mut var) = ([0.0; 4], [0.0; 4]);
            feature_moments(Layout::Rows, &x, 4, 50, &mut mean, &mut var).unwrap();
            assert!(!mean[2].is_finite() && mean[1].is_finite(), "{bad}: {mean:?}");
        }
    }

    #[test]
    fn bad_lengths_are_layout_errors() {
        let (mut mean, mut var) = ([0.0; 2], [0.0; 2]);
        assert!(feature_moments(Layout::Rows, &[1.0f64; 5], 2, 3, &mut mean, &mut var).is_err());
        assert!(feature_moments(Layout::Rows, &[1.0f64; 0], 2, 0, &mut mean, &mut var).is_err());
    }
}
