//! Matrix-vector product, `y ← α·A·x + β·y` ([`sgemv`], [`dgemv`]): GEMM's path for `m == 1`
//! or `n == 1`, where there is no reuse to block for and the product runs at memory speed if
//! A is read once, in memory order (after gemm-common's `gemv_rowmajor` / `gemv_colmajor`).
//!
//! The loop is chosen by A's strides:
//!
//! - **rows** (`cs_a == 1`, row-major): each `y[i]` is a dot product of a contiguous row with
//!   `x`; four rows at a time share each load of `x`, with two vector accumulators per row.
//! - **columns** (`rs_a == 1`, column-major): `t += x[p]·A[:, p]`, four columns per pass over a
//!   contiguous accumulator `t`, then `y ← α·t + β·y`.
//! - **strided** (neither): the same two loops element by element, along the smaller stride.
//!
//! The four rows (or columns) of a pass are a quarter of A apart (`i, i + q, i + 2q, i + 3q`,
//! `q = ⌊m/4⌋` rows, or `⌊k/4⌋` columns), not neighbours: then a pass over A is four long sequential streams, which the
//! hardware prefetchers follow, where four neighbouring rows a few cache lines long (the
//! course's X is 12288 rows of 209 examples, 836 B in f32) are four short streams restarted
//! every pass. On the course's X (12288, 209), Node 24, relaxed build: `wᵀX` and `X·v`
//! 2.4× faster in f32, 4× in f64 (20 MB, past what this VM's cache kept). The rows loop's
//! bits do not depend on the grouping (each row is its own dot product); the columns loop's
//! order into `t` does.
//!
//! `x` is copied contiguous first when it is strided (O(k), next to A's O(mk)).
//!
//! Large products along A's rows (the rows and strided loops) are split by rows among the
//! pool's threads: each `y[i]` is computed by the same instructions in the same order whichever
//! part holds row i, so the bits do not depend on the number of threads. The columns loop stays
//! on one thread: its parts would each read a short segment of every column, which measured
//! 2× slower on two threads than one (`bench/crossover.ts`, `x·A`); splitting k instead would
//! change the order of each y[i]'s sum.

use crate::kernels::crossover;
use crate::kernels::operand::{MatRef, VecMut, VecRef};
use crate::kernels::store::{buffer, write_lanes, write_one};
use crate::parallel::{self, SharedPtr};
use crate::simd::Lanes;

/// Rows per pass of the rows loop (each load of `x` feeds this many rows).
const ROWS: usize = 4;
/// Columns per pass of the columns loop (each pass over `t` adds this many columns).
const COLS: usize = 4;

/// y ← α·A·x + β·y in f32; see [`gemv`].
///
/// # Safety
/// As [`gemv`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemv(
    m: usize,
    k: usize,
    alpha: f32,
    a: *const f32,
    rs_a: isize,
    cs_a: isize,
    x: *const f32,
    inc_x: isize,
    beta: f32,
    y: *mut f32,
    inc_y: isize,
) {
    let (a, x, y) =
        (MatRef::new(a, rs_a, cs_a), VecRef { ptr: x, inc: inc_x }, VecMut { ptr: y, inc: inc_y });
    // Safety: as the caller guarantees.
    unsafe { gemv((m, k), alpha, a, x, beta, y) }
}

/// y ← α·A·x + β·y in f64; see [`gemv`].
///
/// # Safety
/// As [`gemv`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn dgemv(
    m: usize,
    k: usize,
    alpha: f64,
    a: *const f64,
    rs_a: isize,
    cs_a: isize,
    x: *const f64,
    inc_x: isize,
    beta: f64,
    y: *mut f64,
    inc_y: isize,
) {
    let (a, x, y) =
        (MatRef::new(a, rs_a, cs_a), VecRef { ptr: x, inc: inc_x }, VecMut { ptr: y, inc: inc_y });
    // Safety: as the caller guarantees.
    unsafe { gemv((m, k), alpha, a, x, beta, y) }
}

/// y ← α·A·x + β·y.
///
/// + (m, k): A is m×k, x has k elements, y has m; either may be 0
/// + alpha, beta: the scalars
/// + a: A's element (0, 0) and its row and column strides in elements
/// + x: x's first element and its stride
/// + y: y's first element and its stride
///
/// β == 0: y is not read (NaN in it never reaches the result). k == 0: y ← β·y.
///
/// # Safety
/// Every element of A and x reachable through their strides must be readable, every
/// element of y writable (and readable when β ≠ 0); y's elements must be distinct and must
/// not overlap A or x.
pub unsafe fn gemv<T: Lanes>(
    (m, k): (usize, usize),
    alpha: T,
    a: MatRef<T>,
    x: VecRef<T>,
    beta: T,
    y: VecMut<T>,
) {
    let along_rows = a.cs == 1 || (a.rs != 1 && a.rs.unsigned_abs() > a.cs.unsigned_abs());
    let parts =
        if along_rows { parallel::parts(m.saturating_mul(k), crossover::gemv::<T>()) } else { 1 };
    if parts == 1 {
        // Safety: as the caller guarantees.
        return unsafe { gemv_one_thread((m, k), alpha, a, x, beta, y) };
    }
    // Parts of whole groups of the rows loop's ROWS rows, each a smaller product with the same x.
    let rows = m.div_ceil(parts).next_multiple_of(ROWS);
    let (pa, px, py) = (SharedPtr(a.ptr as *mut T), SharedPtr(x.ptr as *mut T), SharedPtr(y.ptr));
    parallel::for_each_part(m.div_ceil(rows), |i| {
        let (i0, len) = (i * rows, rows.min(m - i * rows));
        let a = MatRef::new(pa.get().wrapping_offset(i0 as isize * a.rs) as *const T, a.rs, a.cs);
        let y = VecMut { ptr: py.get().wrapping_offset(i0 as isize * y.inc), inc: y.inc };
        let x = VecRef { ptr: px.get() as *const T, inc: x.inc };
        // Safety: rows i0..i0+len of A and elements i0..i0+len of y are the caller's, and no
        // other part writes those elements of y.
        unsafe { gemv_one_thread((len, k), alpha, a, x, beta, y) }
    })
    .expect("gemv: a worker thread trapped");
}

/// [`gemv`] on the calling thread.
///
/// # Safety
/// As [`gemv`].
unsafe fn gemv_one_thread<T: Lanes>(
    (m, k): (usize, usize),
    alpha: T,
    a: MatRef<T>,
    x: VecRef<T>,
    beta: T,
    y: VecMut<T>,
) {
    let MatRef { ptr: a, rs: rs_a, cs: cs_a } = a;
    let (VecRef { ptr: x, inc: inc_x }, VecMut { ptr: y, inc: inc_y }) = (x, y);
    if m == 0 {
        return;
    }
    // Safety: (all arms) as the caller guarantees; each loop reads A (i, p) for i < m, p < k.
    unsafe {
        if k == 0 {
            for i in 0..m {
                let yi = y.offset(i as isize * inc_y);
                *yi = if beta.is_zero() { T::ZERO } else { beta * *yi };
            }
        } else if cs_a == 1 || (rs_a != 1 && rs_a.unsigned_abs() > cs_a.unsigned_abs()) {
            let mut x_buf;
            let x = if inc_x == 1 {
                x
            } else {
                x_buf = buffer::<T>(k);
                let xc = x_buf.as_mut_ptr() as *mut T;
                for p in 0..k {
                    *xc.add(p) = *x.offset(p as isize * inc_x);
                }
                xc as *const T
            };
            if cs_a == 1 {
                rows(
                    (m, k),
                    alpha,
                    MatRef::new(a, rs_a, 1),
                    x,
                    beta,
                    VecMut { ptr: y, inc: inc_y },
                );
            } else {
                for i in 0..m {
                    let ai = a.offset(i as isize * rs_a);
                    let mut s = T::ZERO;
                    for p in 0..k {
                        s = s + *ai.offset(p as isize * cs_a) * *x.add(p);
                    }
                    write_one(s, alpha, beta, y.offset(i as isize * inc_y));
                }
            }
        } else {
            let (a, x) = (MatRef::new(a, rs_a, cs_a), VecRef { ptr: x, inc: inc_x });
            columns((m, k), alpha, a, x, beta, VecMut { ptr: y, inc: inc_y });
        }
    }
}

/// The rows loop: row-major A (`cs_a == 1`), contiguous x.
///
/// # Safety
/// As [`gemv`], with `cs_a == 1`, a contiguous `x` and `m, k ≥ 1`.
unsafe fn rows<T: Lanes>(
    (m, k): (usize, usize),
    alpha: T,
    a: MatRef<T>,
    x: *const T,
    beta: T,
    y: VecMut<T>,
) {
    let (MatRef { ptr: a, rs: rs_a, .. }, VecMut { ptr: y, inc: inc_y }) = (a, y);
    let q = m / ROWS;
    // Safety: rows i + r·q < m of A and those elements of y are in bounds.
    unsafe {
        for i in 0..q {
            let s = dots::<T, ROWS>(k, a.offset(i as isize * rs_a), q as isize * rs_a, x);
            for (r, &sr) in s.iter().enumerate() {
                write_one(sr, alpha, beta, y.offset((i + r * q) as isize * inc_y));
            }
        }
        for i in ROWS * q..m {
            let [s] = dots::<T, 1>(k, a.offset(i as isize * rs_a), rs_a, x);
            write_one(s, alpha, beta, y.offset(i as isize * inc_y));
        }
    }
}

/// `R` dot products of contiguous rows (`a + r·step`, k elements each) with contiguous `x`.
///
/// # Safety
/// The R rows and x's k elements are readable.
#[inline(always)]
unsafe fn dots<T: Lanes, const R: usize>(
    k: usize,
    a: *const T,
    step: isize,
    x: *const T,
) -> [T; R] {
    let w = T::LANES;
    let body2 = k - k % (2 * w);
    let body = k - k % w;
    let rows: [*const T; R] = core::array::from_fn(|r| a.wrapping_offset(r as isize * step));
    let mut acc = [[T::splat(T::ZERO); 2]; R];
    // Safety: every index below is < k, inside each row and x.
    unsafe {
        for p in (0..body2).step_by(2 * w) {
            let (x0, x1) = (T::load(x.add(p)), T::load(x.add(p + w)));
            for (row, acc) in rows.iter().zip(&mut acc) {
                acc[0] = T::vadd(acc[0], T::vmul(T::load(row.add(p)), x0));
                acc[1] = T::vadd(acc[1], T::vmul(T::load(row.add(p + w)), x1));
            }
        }
        if body > body2 {
            let x0 = T::load(x.add(body2));
            for (row, acc) in rows.iter().zip(&mut acc) {
                acc[0] = T::vadd(acc[0], T::vmul(T::load(row.add(body2)), x0));
            }
        }
        core::array::from_fn(|r| {
            let mut s = T::hsum(T::vadd(acc[r][0], acc[r][1]));
            for p in body..k {
                s = s + *rows[r].add(p) * *x.add(p);
            }
            s
        })
    }
}

/// The columns loop: `t += x[p]·A[:, p]` into a contiguous accumulator, then `y ← α·t + β·y`.
/// Vectorised over rows when `rs_a == 1`, element by element otherwise.
///
/// # Safety
/// As [`gemv`], with `m, k ≥ 1`.
unsafe fn columns<T: Lanes>(
    (m, k): (usize, usize),
    alpha: T,
    a: MatRef<T>,
    x: VecRef<T>,
    beta: T,
    y: VecMut<T>,
) {
    let MatRef { ptr: a, rs: rs_a, cs: cs_a } = a;
    let (VecRef { ptr: x, inc: inc_x }, VecMut { ptr: y, inc: inc_y }) = (x, y);
    let w = T::LANES;
    let mut t_buf = buffer::<T>(m);
    let t = t_buf.as_mut_ptr() as *mut T;
    let body = if rs_a == 1 { m - m % w } else { 0 };
    let quarter = k / COLS;
    let kbody = COLS * quarter;
    // Safety: t holds m elements; columns p + c·quarter < k of A (m elements each) and those
    // elements of x are in bounds.
    unsafe {
        for p in 0..quarter {
            let cols: [*const T; COLS] =
                core::array::from_fn(|c| a.offset((p + c * quarter) as isize * cs_a));
            let xs: [T; COLS] =
                core::array::from_fn(|c| *x.offset((p + c * quarter) as isize * inc_x));
            let xv: [T::V; COLS] = core::array::from_fn(|q| T::splat(xs[q]));
            for i in (0..body).step_by(w) {
                let mut s = T::load(t.add(i));
                for (col, &xq) in cols.iter().zip(&xv) {
                    s = T::vadd(s, T::vmul(xq, T::load(col.add(i))));
                }
                T::store(t.add(i), s);
            }
            for i in body..m {
                let mut s = *t.add(i);
                for (col, &xq) in cols.iter().zip(&xs) {
                    s = s + xq * *col.offset(i as isize * rs_a);
                }
                *t.add(i) = s;
            }
        }
        for p in kbody..k {
            let col = a.offset(p as isize * cs_a);
            let xp = *x.offset(p as isize * inc_x);
            let xv = T::splat(xp);
            for i in (0..body).step_by(w) {
                T::store(t.add(i), T::vadd(T::load(t.add(i)), T::vmul(xv, T::load(col.add(i)))));
            }
            for i in body..m {
                *t.add(i) = *t.add(i) + xp * *col.offset(i as isize * rs_a);
            }
        }
        let (alpha_v, beta_v) = (T::splat(alpha), T::splat(beta));
        let ybody = m - m % w;
        for i in (0..ybody).step_by(w) {
            write_lanes(
                T::load(t.add(i)),
                alpha_v,
                beta_v,
                beta,
                y.offset(i as isize * inc_y),
                inc_y,
            );
        }
        for i in ybody..m {
            write_one(*t.add(i), alpha, beta, y.offset(i as isize * inc_y));
        }
    }
}
