//! The register-tiled microkernel and its masked edge path (BLIS's `gemm_ukr`; after
//! matrixmultiply's `kernel.rs` and `sgemm_kernel.rs`).
//!
//! The kernel keeps an MR×NR tile of C in `MR·NV` accumulator vectors (`NR = NV·LANES`). Each
//! step of the depth loop loads one NR-wide row of packed B (`NV` vectors), broadcasts each of
//! the MR values of one packed A column straight from memory (`v128.load32_splat` /
//! `load64_splat`: 1.7× the speed of a scalar load then `f32x4.splat` in a probe of the
//! bare 4×8 f32 kernel), and does `acc += a·b` as a mul then an add (SIMD128 has no lane
//! FMA). It has no branches for edges: partial tiles go through [`masked_kernel`], which runs
//! the same kernel into a scratch tile and copies the valid part out, and an edge of at most
//! MR / 2 rows takes two column panels at once ([`paired_edge_kernel`]), to keep as many
//! independent accumulators as a full tile.
//!
//! Speed (Node 20, x64 Ice Lake, min of interleaved trials on a shared machine): 24–26
//! GFLOP/s f32 and 12–13 f64 for n = 128…1024, every transpose combination alike. That is
//! the mul + add roofline of the core: 128-bit FP mul and add both issue on two ports, so
//! 2 ops × 4 lanes per cycle ≈ 25 GFLOP/s at 3.1 GHz. Going past it takes fused
//! multiply-adds: the relaxed build makes [`Lanes::mul_add`] one
//! `relaxed_madd`, which measured 34–41 GFLOP/s f32 and 20 f64 (Node 20 needs
//! `--experimental-wasm-relaxed-simd` for it).

use crate::kernels::operand::MatMut;
use crate::simd::Lanes;

/// C ← α·A·B + β·C for one MR×NR tile, `NR = NV·LANES`, from packed panels.
///
/// + k: the depth (columns of the A panel, rows of the B panel); may be 0
/// + alpha, beta: the scalars
/// + a: packed A micro-panel, `k` columns of MR contiguous values (`a[p·MR + i] = A[i, p]`)
/// + b: packed B micro-panel, `k` rows of NR contiguous values (`b[p·NR + j] = B[p, j]`)
/// + c: the tile of C, with its row and column strides in elements
///
/// β == 0: C is not read (NaN or garbage in it never reaches the result). With `cs_c == 1`
/// rows of C are read and written as vectors; other layouts go element by element.
///
/// # Safety
/// `a` must hold `k·MR` readable elements, `b` `k·NR`, and every `c + i·rs_c + j·cs_c`
/// (`i < MR`, `j < NR`) must be writable (and readable when β ≠ 0).
#[inline(always)]
pub unsafe fn kernel<T: Lanes, const MR: usize, const NV: usize>(
    k: usize,
    alpha: T,
    a: *const T,
    b: *const T,
    beta: T,
    c: MatMut<T>,
) {
    // Safety: as the caller guarantees.
    unsafe { part_kernel::<T, MR, 1, MR, NV>(k, alpha, a, [b], beta, c) }
}

/// [`kernel`] over the first `ROWS` rows of an A panel packed MR tall and `PANELS` B panels
/// packed `NV` vectors wide, side by side in C (panel p's vector v is C's columns
/// `(p·NV + v)·LANES..`). Every element's sum is the full kernel's, in the same order: the same
/// bits.
///
/// # Safety
/// As [`kernel`], for each B panel; C's bounds for `i < ROWS`, `j < PANELS·NR`.
#[inline(always)]
unsafe fn part_kernel<
    T: Lanes,
    const ROWS: usize,
    const PANELS: usize,
    const MR: usize,
    const NV: usize,
>(
    k: usize,
    alpha: T,
    a: *const T,
    b: [*const T; PANELS],
    beta: T,
    c: MatMut<T>,
) {
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let w = T::LANES;
    let nr = PANELS * NV * w;
    let mut ab = [[[T::splat(T::ZERO); NV]; PANELS]; ROWS];
    let (mut a, mut b) = (a, b);
    // LOOP 0: the depth, one rank-1 update of the tile per step.
    for _ in 0..k {
        // Safety: step p reads a[p·MR..p·MR+ROWS] and each b[p·NR..p·NR+NR], inside the panels.
        unsafe {
            let bv: [[T::V; NV]; PANELS] =
                core::array::from_fn(|p| core::array::from_fn(|v| T::load(b[p].add(v * w))));
            for (i, row) in ab.iter_mut().enumerate() {
                let ai = T::load_splat(a.add(i));
                for (accs, bp) in row.iter_mut().zip(&bv) {
                    for (acc, &bj) in accs.iter_mut().zip(bp) {
                        *acc = T::mul_add(ai, bj, *acc);
                    }
                }
            }
            a = a.add(MR);
            b.iter_mut().for_each(|p| *p = p.add(NV * w));
        }
    }
    let alpha_v = T::splat(alpha);
    if cs_c == 1 {
        let beta_v = T::splat(beta);
        for (i, row) in ab.iter().enumerate() {
            for (v, &acc) in row.as_flattened().iter().enumerate() {
                // Safety: the caller guarantees the tile's row i, columns v·w..v·w+w, is
                // in bounds; with cs_c == 1 those are contiguous.
                unsafe {
                    let cv = c.offset(i as isize * rs_c).add(v * w);
                    let out = if beta.is_zero() {
                        T::vmul(alpha_v, acc)
                    } else {
                        T::vadd(T::vmul(alpha_v, acc), T::vmul(beta_v, T::load(cv)))
                    };
                    T::store(cv, out);
                }
            }
        }
    } else {
        // Strided C: the tile goes through memory once, then element by element.
        let t = ab.as_ptr() as *const T;
        for i in 0..ROWS {
            for j in 0..nr {
                // Safety: `ab` is ROWS·PANELS·NV vectors of LANES elements each, contiguous, so
                // t[i·nr + j] is in it; the caller guarantees C's element is in bounds.
                unsafe {
                    let cij = c.offset(i as isize * rs_c + j as isize * cs_c);
                    let x = alpha * *t.add(i * nr + j);
                    *cij = if beta.is_zero() { x } else { x + beta * *cij };
                }
            }
        }
    }
}

/// [`kernel`] for an edge tile of `rows × cols` (≤ MR×NR): the full tile is computed into a
/// scratch tile, then its valid part is combined into C element by element. The packed
/// panels are zero-padded to full MR/NR width, so the kernel itself never branches on edges.
///
/// The same contract as [`kernel`], with `i < rows`, `j < cols` for C; results are bit for
/// bit those of the full kernel (α is applied after the sum in both).
///
/// # Safety
/// As [`kernel`], with C's bounds only for `i < rows`, `j < cols`.
#[inline(never)]
pub unsafe fn masked_kernel<T: Lanes, const MR: usize, const NV: usize>(
    k: usize,
    alpha: T,
    a: *const T,
    b: *const T,
    beta: T,
    c: MatMut<T>,
    edge: (usize, usize),
) {
    let nr = NV * T::LANES;
    let mut tile = [[T::splat(T::ZERO); NV]; MR];
    let t = tile.as_mut_ptr() as *mut T;
    // Safety: the scratch tile is MR rows of NR contiguous elements (row stride nr); the
    // panels are as the caller guarantees; the edge is inside the tile and C.
    unsafe {
        kernel::<T, MR, NV>(k, T::ONE, a, b, T::ZERO, MatMut::new(t, nr as isize, 1));
        combine(t, nr, edge, alpha, beta, c);
    }
}

/// [`masked_kernel`] for an edge of at most `HALF` rows over two neighbouring B panels (`b`,
/// and `b + panel` for C's columns NR..), `rows × cols` with `cols ≤ 2·NR`. Half the rows of
/// two panels are as many accumulators as the full tile, so the edge runs at the full tile's
/// speed, where a masked tile of half its rows takes as long as a full one (its depth loop
/// waits on the latency of half as many independent multiply-adds). A softmax's 10 classes
/// are row tiles of 4, 4 and 2. Same bits as [`kernel`].
///
/// # Safety
/// As [`masked_kernel`], with both B panels readable (`b + panel` packed as `b`).
#[inline(never)]
#[allow(clippy::too_many_arguments)]
pub unsafe fn paired_edge_kernel<T: Lanes, const MR: usize, const NV: usize, const HALF: usize>(
    k: usize,
    alpha: T,
    a: *const T,
    b: *const T,
    panel: usize,
    beta: T,
    c: MatMut<T>,
    edge: (usize, usize),
) {
    let nr = 2 * NV * T::LANES;
    let mut tile = [[[T::splat(T::ZERO); NV]; 2]; HALF];
    let t = tile.as_mut_ptr() as *mut T;
    // Safety: the scratch tile is HALF rows of 2·NR contiguous elements; the panels are as the
    // caller guarantees; the edge is inside the tile and C.
    unsafe {
        let scratch = MatMut::new(t, nr as isize, 1);
        part_kernel::<T, HALF, 2, MR, NV>(k, T::ONE, a, [b, b.add(panel)], T::ZERO, scratch);
        combine(t, nr, edge, alpha, beta, c);
    }
}

/// C's `rows × cols` elements ← α·tile + β·C (C not read when β = 0), from a scratch tile of
/// row stride `nr`.
///
/// # Safety
/// The tile holds `rows` rows of `nr ≥ cols` elements; C's elements are in bounds.
#[inline(always)]
unsafe fn combine<T: Lanes>(
    t: *const T,
    nr: usize,
    (rows, cols): (usize, usize),
    alpha: T,
    beta: T,
    c: MatMut<T>,
) {
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    for i in 0..rows {
        for j in 0..cols {
            // Safety: i < rows and j < cols index the scratch tile; the caller guarantees C's
            // element.
            unsafe {
                let cij = c.offset(i as isize * rs_c + j as isize * cs_c);
                let x = alpha * *t.add(i * nr + j);
                *cij = if beta.is_zero() { x } else { x + beta * *cij };
            }
        }
    }
}
