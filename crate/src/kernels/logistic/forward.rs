//! Forward only, for prediction: `a = σ(wᵀx + b)` per example, X read once.
//!
//! Each example's z is computed with exactly the operations of the training step in the same
//! layout (rows: [`dot_rows`]; cols: [`tile_z`]), so `predict_proba` after `fit` sees the
//! logits training saw. The cols layout reads tiles of [`MAX_TILE`] examples (16 KB row
//! segments in f32): there is no second walk to keep in L2, so longer segments stream better,
//! and z accumulates in the output itself.

use super::cols::{tile_z, MAX_TILE, Z_ROWS};
use super::panel::{dot_rows, load_padded, store_partial, MR};
use super::problem::LogisticFloat;
use crate::simd::math::vsigmoid;

/// `out[k] = σ(z[k] + b)` for `k < n`, in place (`z == out` allowed).
///
/// # Safety
/// `z..z+n` readable, `out..out+n` writable.
#[inline(always)]
unsafe fn sigmoid_into<T: LogisticFloat>(z: *const T, b: T, out: *mut T, n: usize) {
    let mut c = 0;
    while c < n {
        let lanes = (n - c).min(T::LANES);
        // Safety: c + lanes ≤ n.
        unsafe {
            let a = vsigmoid::<T>(T::vadd(load_padded(z.add(c), lanes), T::splat(b)));
            store_partial(out.add(c), a, lanes);
        }
        c += lanes;
    }
}

/// Rows layout: X is (m, n_x).
///
/// # Safety
/// `x` holds `m·n_x` elements, `w` n_x, `out` m.
pub(super) unsafe fn forward_rows<T: LogisticFloat>(
    x: *const T,
    n_x: usize,
    m: usize,
    w: *const T,
    b: T,
    out: *mut T,
) {
    let mut i = 0;
    // Safety: (whole loop) rows i..i+g are inside x, out[i..i+g] inside out.
    unsafe {
        // LOOP 1: groups of MR examples.
        while i + MR <= m {
            let rows =
                [x.add(i * n_x), x.add((i + 1) * n_x), x.add((i + 2) * n_x), x.add((i + 3) * n_x)];
            let z = dot_rows::<T, MR>(w, rows, n_x);
            sigmoid_into(z.as_ptr(), b, out.add(i), MR);
            i += MR;
        }
        while i < m {
            let z = dot_rows::<T, 1>(w, [x.add(i * n_x)], n_x);
            sigmoid_into(z.as_ptr(), b, out.add(i), 1);
            i += 1;
        }
    }
}

/// Cols layout: X is (n_x, m).
///
/// # Safety
/// `x` holds `n_x·m` elements, `w` n_x, `out` m.
pub(super) unsafe fn forward_cols<T: LogisticFloat>(
    x: *const T,
    n_x: usize,
    m: usize,
    w: *const T,
    b: T,
    out: *mut T,
) {
    let width = MAX_TILE.min(m);
    let mut z_part = if n_x > Z_ROWS { vec![T::ZERO; width] } else { Vec::new() };
    // LOOP 2: tiles of examples.
    for t0 in (0..m).step_by(MAX_TILE) {
        let t = MAX_TILE.min(m - t0);
        // Safety: the tile's feature rows start at x + t0 + j·m and hold t elements; out[t0..t0+t]
        // is inside out and disjoint from X; z_part holds width ≥ t elements when it is used.
        unsafe {
            tile_z(x.add(t0), m, n_x, t, w, out.add(t0), z_part.as_mut_ptr());
            sigmoid_into(out.add(t0), b, out.add(t0), t);
        }
    }
}
