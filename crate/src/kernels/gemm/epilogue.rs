//! Epilogues: what a product does to C once C is final, block by block while each block is
//! still in cache, so that an elementwise step that follows a product (a bias, an activation, a
//! derivative, a gradient step) costs no pass of its own over memory. The blocked loops
//! ([`super::fused`]'s entries) call [`Epilogue::finish`] once per block of C (MC rows of an
//! NC-column block, ≤ 64×1024 elements: in L2) right after the block's last depth step, and
//! the epilogue goes through it row by row.
//!
//! Per block, not per MR×NR tile: a tile's rows are lines far apart in the epilogue's other
//! operands (W for the gradient step is 128×784 in the softmax network), and visiting them a
//! tile at a time defeated the hardware prefetcher: the per-tile version cost 6–7 ns per
//! element (wasm, relaxed; more than the product itself for dW), the per-block one streams rows.
//!
//! This file holds the contract and the lane helpers the epilogues share; the network's
//! epilogues are in [`super::layer_epilogues`].

use crate::kernels::operand::{MatMut, MatRef};
use crate::simd::{spill, Lanes, MAX_LANES};

/// A step applied to every finished block of C.
pub trait Epilogue<T>: Sync {
    /// The blocks of one row of C must be finished in the order of their columns, by one thread
    /// at a time (an epilogue that sums along C's rows). The blocked loops then never split a
    /// row's columns between threads.
    const IN_ROW_ORDER: bool;

    /// Finishes the `rows × cols` block of C whose element (0, 0) is C's element `(i0, j0)`.
    ///
    /// # Safety
    /// The block's elements `c.ptr + i·c.rs + j·c.cs` (`i < rows`, `j < cols`) hold the product's
    /// final values and are readable and writable, and no other thread touches them or the
    /// epilogue's own operands at those positions meanwhile (nor, with `IN_ROW_ORDER`, rows
    /// `i0..i0 + rows` of them).
    unsafe fn finish(&self, at: (usize, usize), size: (usize, usize), c: MatMut<T>);
}

/// No epilogue: the plain product.
pub struct Nothing;

impl<T> Epilogue<T> for Nothing {
    const IN_ROW_ORDER: bool = false;

    #[inline(always)]
    unsafe fn finish(&self, _: (usize, usize), _: (usize, usize), _: MatMut<T>) {}
}

/// The `len ≤ LANES` elements `p[j·inc]` as a vector; the lanes past `len` are copies of the
/// first (so a lane function sees only values of the row). One vector load when they are
/// contiguous and a whole vector.
///
/// # Safety
/// `p + j·inc` for `j < len` must be readable; `len ≥ 1`.
#[inline(always)]
pub unsafe fn load_part<T: Lanes>(p: *const T, inc: isize, len: usize) -> T::V {
    // Safety: as the caller guarantees.
    unsafe {
        if inc == 1 && len == T::LANES {
            return T::load(p);
        }
        let mut buf = [*p; MAX_LANES];
        for (j, slot) in buf[..len].iter_mut().enumerate() {
            *slot = *p.offset(j as isize * inc);
        }
        T::load(buf.as_ptr())
    }
}

/// Stores the first `len ≤ LANES` lanes of `v` to `p[j·inc]`.
///
/// # Safety
/// `p + j·inc` for `j < len` must be writable.
#[inline(always)]
pub unsafe fn store_part<T: Lanes>(p: *mut T, inc: isize, len: usize, v: T::V) {
    // Safety: as the caller guarantees.
    unsafe {
        if inc == 1 && len == T::LANES {
            return T::store(p, v);
        }
        for (j, &x) in spill::<T>(v)[..len].iter().enumerate() {
            *p.offset(j as isize * inc) = x;
        }
    }
}

/// `f(j, len, unit)` over a row of `cols` elements in chunks of `len = LANES` from `j = 0` on,
/// the last chunk shorter when LANES does not divide `cols`. When every stride in `incs` is 1,
/// the whole chunks go through a loop of their own with `unit` true, where `f` is to use stride
/// 1 (a constant there, so the lane helpers become plain vector loads and stores).
#[inline(always)]
pub fn for_each_lanes<T: Lanes, const N: usize>(
    cols: usize,
    incs: [isize; N],
    mut f: impl FnMut(usize, usize, bool),
) {
    let w = T::LANES;
    let body = if incs.iter().all(|&inc| inc == 1) { cols - cols % w } else { 0 };
    for j in (0..body).step_by(w) {
        f(j, w, true);
    }
    for j in (body..cols).step_by(w) {
        f(j, w.min(cols - j), false);
    }
}

/// Element (i, j) of a strided matrix.
#[inline(always)]
pub fn at<T>(m: MatRef<T>, i: usize, j: usize) -> *const T {
    m.ptr.wrapping_offset(i as isize * m.rs + j as isize * m.cs)
}

/// Element (i, j) of a strided matrix, to write.
#[inline(always)]
pub fn at_mut<T>(m: MatMut<T>, i: usize, j: usize) -> *mut T {
    m.ptr.wrapping_offset(i as isize * m.rs + j as isize * m.cs)
}
