//! What one example contributes besides its features, computed on a vector of examples:
//! the cross-entropy loss and `dz = a − y`, from `z = wᵀx + b`.
//!
//! The loss is the lecture notes' `L(a, y) = −(y·log a + (1 − y)·log(1 − a))` with `a = σ(z)`,
//! which is `log(1 + eᶻ) − y·z` (softplus). Written as
//!
//! ```text
//! L = max(z, 0) − y·z + log1p(e^−|z|)
//!   = z·(1 − y) + log1p(e^−z)      for z ≥ 0
//!   = −(y·z)    + log1p(e^z)       for z < 0
//! ```
//!
//! it is finite for every finite z (no `log(0)`: `e^−|z| ∈ (0, 1]`, so the log1p term is in
//! `[0, ln 2]`), exact at saturation (`z = ±1000`: 0 or 1000), and, for `y ∈ [0, 1]`, a sum of
//! two non-negative terms with no cancellation: each is within a few `u` relative (the linear
//! part ≤ 2 roundings, `vexp` ≤ 1.0 ulp, `vlog1p_unit` ≤ 0.9 ulp), so the loss is within about `5u`
//! relative of the exact loss at the computed z, and `|∂L/∂z| = |a − y| ≤ 1` bounds what z's
//! own error adds. The formula (3) form would be `−log(0) = inf` as soon as `σ(z)` rounds to
//! 0 or 1 (|z| > 17 in f32, 37 in f64).
//!
//! `a = σ(z)` shares the loss's one exponential `e = e^−|z|` ∈ [0, 1]: `1/(1 + e)` for z ≥ 0,
//! `e/(1 + e)` below (`vexp` ≤ 1.0 ulp, then an addition and a division with no cancellation:
//! within 2.5 ulp; no overflow, and 0 or 1 exactly at ±inf). A second exponential, as a separate
//! sigmoid would take, was a third of the cost of a step at n_x = 2. `dz = a − y` is the notes'
//! formula (6), the value their first per-example loop misprints as `a(1 − a)`.

use super::panel::{load_padded, store_partial};
use crate::simd::math::{vexp, vlog1p_unit, UnaryMath};
use crate::simd::spill;

/// `(loss, dz)` per lane for the logits `z`, their exponentials `e = e^−|z|`
/// ([`exp_neg_abs`]) and the labels `y` (see the module doc); the loss is +inf for a label
/// outside [0, 1] or NaN (whatever z). Without `cost`, the loss lanes hold only the linear part,
/// `max(z, 0) − y·z`, skipping the log1p of the tail: the tail is in [0, ln 2], so a sum of
/// these is finite exactly when the sum of the losses is (near overflow the tail is below their
/// last bit), which is all a training step needs to notice divergence.
#[inline(always)]
pub(super) fn loss_and_dz<T: UnaryMath>(z: T::V, e: T::V, y: T::V, cost: bool) -> (T::V, T::V) {
    let (zero, one) = (T::splat(T::ZERO), T::splat(T::ONE));
    let negative = T::vlt_mask(z, zero);
    let a = T::vdiv(T::vblend(negative, e, one), T::vadd(one, e));
    let dz = T::vsub(a, y);
    let linear = T::vblend(negative, T::vneg(T::vmul(y, z)), T::vmul(z, T::vsub(one, y)));
    // A label outside [0, 1], or NaN, makes its loss +inf, so a finite cost also proves the
    // labels valid: the caller scans them to name the bad one only when it is not.
    let valid = T::vand(T::vle_mask(zero, y), T::vle_mask(y, one));
    let linear = T::vblend(valid, linear, T::splat(T::INFINITY));
    if !cost {
        return (linear, dz);
    }
    (T::vadd(linear, vlog1p_unit::<T>(e)), dz)
}

/// Zeroes the lanes from `k` on.
#[inline(always)]
fn keep_first<T: UnaryMath>(v: T::V, k: usize) -> T::V {
    if k == T::LANES {
        return v;
    }
    let mut buf = spill::<T>(v);
    for lane in buf.iter_mut().take(T::LANES).skip(k) {
        *lane = T::ZERO;
    }
    // Safety: as above.
    unsafe { T::load(buf.as_ptr()) }
}

/// `e^−|z|` per lane: [`loss_and_dz`]'s one exponential.
#[inline(always)]
pub(super) fn exp_neg_abs<T: UnaryMath>(z: T::V) -> T::V {
    vexp::<T>(T::vneg(T::vabs(z)))
}

/// `e^−|z[i] + b|` of the `k ≤ LANES` examples at `z`, stored to `e` (the first `k` lanes), for
/// a caller that computes a run of them before the rest ([`loss_and_dz_at`]).
///
/// # Safety
/// `z..z+k` readable, `e..e+k` writable.
#[inline(always)]
pub(super) unsafe fn exp_neg_abs_at<T: UnaryMath>(z: *const T, e: *mut T, k: usize, b: T) {
    // Safety: as the caller guarantees.
    unsafe { store_partial(e, exp_neg_abs::<T>(T::vadd(load_padded(z, k), T::splat(b))), k) }
}

/// `(loss, dz)` for the `k ≤ LANES` examples with logits `z[i] + b` and labels `y[i]`, their
/// exponentials read from `e` when given ([`exp_neg_abs_at`]), computed here when not; lanes
/// from `k` on are 0 in both. `cost` as [`loss_and_dz`].
///
/// # Safety
/// `z..z+k`, `y..y+k` and, if given, `e..e+k` readable.
#[inline(always)]
pub(super) unsafe fn loss_and_dz_at<T: UnaryMath>(
    z: *const T,
    e: Option<*const T>,
    y: *const T,
    k: usize,
    b: T,
    cost: bool,
) -> (T::V, T::V) {
    // Safety: k elements of z, y and e are readable, as the caller guarantees.
    let (zv, yv) = unsafe { (T::vadd(load_padded(z, k), T::splat(b)), load_padded(y, k)) };
    let ev = match e {
        // Safety: as above.
        Some(e) => unsafe { load_padded(e, k) },
        None => exp_neg_abs::<T>(zv),
    };
    let (loss, dz) = loss_and_dz::<T>(zv, ev, yv, cost);
    (keep_first::<T>(loss, k), keep_first::<T>(dz, k))
}
