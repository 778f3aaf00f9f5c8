//! Writing results into an output, `c ← α·x + β·c`, the contract every GEMM and GEMV path
//! shares (β == 0: c is not read, so NaN or garbage in it never reaches the result), and the
//! scratch buffers those paths pack into. Depends only on the lane layer, so the blocked GEMM
//! and its fast paths (`gemv`, the outer product, the direct loop) all use it without
//! depending on each other.

use crate::simd::{spill, Lanes};

/// `c[j·cs] ← α·v[j] + β·c[j·cs]` for the LANES elements of `v` (β == 0: c is not read);
/// one vector load/store when `cs == 1`.
///
/// # Safety
/// `c + j·cs` for `j < LANES` must be writable (and readable when β ≠ 0).
#[inline(always)]
pub unsafe fn write_lanes<T: Lanes>(
    v: T::V,
    alpha_v: T::V,
    beta_v: T::V,
    beta: T,
    c: *mut T,
    cs: isize,
) {
    let x = T::vmul(alpha_v, v);
    // Safety: as the caller guarantees.
    unsafe {
        if cs == 1 {
            let out = if beta.is_zero() { x } else { T::vadd(x, T::vmul(beta_v, T::load(c))) };
            T::store(c, out);
        } else {
            for (j, &xj) in spill::<T>(x)[..T::LANES].iter().enumerate() {
                let cj = c.offset(j as isize * cs);
                *cj = if beta.is_zero() { xj } else { xj + beta * *cj };
            }
        }
    }
}

/// `*c ← α·x + β·*c` (β == 0: c is not read).
///
/// # Safety
/// `c` must be writable (and readable when β ≠ 0).
#[inline(always)]
pub unsafe fn write_one<T: Lanes>(x: T, alpha: T, beta: T, c: *mut T) {
    // Safety: as the caller guarantees.
    unsafe { *c = if beta.is_zero() { alpha * x } else { alpha * x + beta * *c } };
}

/// A zeroed scratch buffer of at least `len` elements, aligned to the vector size.
pub fn buffer<T: Lanes>(len: usize) -> Vec<T::V> {
    vec![T::splat(T::ZERO); len.div_ceil(T::LANES)]
}
