//! Dot products and sums of contiguous slices, for the solvers' bookkeeping (L-BFGS's two-loop
//! recursion, a softmax's bias gradient): four vector accumulators, so consecutive adds overlap
//! instead of each waiting ~4 cycles on the one before, as a single running sum does.
//!
//! The order is the accumulators' (lane j of accumulator a sums elements `i ≡ a·LANES + j`
//! modulo `4·LANES`), then the accumulators pairwise, the lanes pairwise, and the tail (fewer
//! than `4·LANES` elements) in order: each of the n addends goes through at most
//! `n / (4·LANES) + 4·LANES + 3` roundings, against a sequential sum's `n − 1`. The relaxed
//! build's `mul_add` may fuse or not by the machine (see `simd`): `dot` may then differ in the
//! last bits between machines.

use crate::simd::Lanes;

/// Independent vector accumulators: enough to cover an add's latency at two adds a cycle.
const ACC: usize = 4;

/// `Σ aᵢ·bᵢ`.
///
/// # Panics
/// If the slices' lengths differ.
pub fn dot<T: Lanes>(a: &[T], b: &[T]) -> T {
    assert_eq!(a.len(), b.len(), "dot: slices of different lengths");
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    // Safety: `fold` steps on whole vectors inside the slices only.
    fold(
        a.len(),
        |i, acc| unsafe { T::mul_add(T::load(pa.add(i)), T::load(pb.add(i)), acc) },
        |i| a[i] * b[i],
    )
}

/// `Σ aᵢ`.
pub fn sum<T: Lanes>(a: &[T]) -> T {
    let pa = a.as_ptr();
    // Safety: as in `dot`.
    fold(a.len(), |i, acc| unsafe { T::vadd(T::load(pa.add(i)), acc) }, |i| a[i])
}

/// The accumulator loop both share: `step(i, acc)` folds the vector at element i into an
/// accumulator; `term(i)` is element i's term for the tail.
#[inline(always)]
fn fold<T: Lanes>(n: usize, step: impl Fn(usize, T::V) -> T::V, term: impl Fn(usize) -> T) -> T {
    let w = T::LANES;
    let body = n - n % (ACC * w);
    let mut acc = [T::splat(T::ZERO); ACC];
    for i in (0..body).step_by(ACC * w) {
        for (a, s) in acc.iter_mut().enumerate() {
            *s = step(i + a * w, *s);
        }
    }
    let mut total = T::hsum(T::vadd(T::vadd(acc[0], acc[1]), T::vadd(acc[2], acc[3])));
    for i in body..n {
        total = total + term(i);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every length around the blocks: exact on small integers (no rounding), and within the
    /// module's bound of the f64 sum on values that round.
    #[test]
    fn matches_the_sequential_sums() {
        for n in 0..70 {
            let a: Vec<f64> = (0..n).map(|i| (i % 7) as f64 - 3.0).collect();
            let b: Vec<f64> = (0..n).map(|i| (i % 5) as f64 + 1.0).collect();
            let seq_dot: f64 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert_eq!(dot(&a, &b), seq_dot, "dot n = {n}");
            assert_eq!(sum(&a), a.iter().sum::<f64>(), "sum n = {n}");
            let af: Vec<f32> = a.iter().map(|&v| v as f32).collect();
            let bf: Vec<f32> = b.iter().map(|&v| v as f32).collect();
            assert_eq!(dot(&af, &bf) as f64, seq_dot, "f32 dot n = {n}");
            assert_eq!(sum(&af) as f64, a.iter().sum::<f64>(), "f32 sum n = {n}");
            let c: Vec<f32> = (0..n).map(|i| 1.0 / (i as f32 + 3.0)).collect();
            let exact: f64 = c.iter().map(|&v| v as f64).sum();
            // The module's bound, γ_h·Σ|x| with h = n/16 + 19 roundings of f32x4 lanes.
            let bound = (n as f64 / 16.0 + 19.0) * f32::EPSILON as f64 * exact;
            assert!((sum(&c) as f64 - exact).abs() <= bound, "rounded sum n = {n}");
        }
    }
}
