//! The register-tiled microkernel and its masked edge path (BLIS's `gemm_ukr`; after
//! matrixmultiply's `kernel.rs` and `sgemm_kernel.rs`).
//!
//! The kernel keeps an MR×NR tile of C in `MR·NV` accumulator vectors (`NR = NV·LANES`). Each
//! step of the depth loop loads one NR-wide row of packed B (`NV` vectors), broadcasts each of
//! the MR values of one packed A column straight from memory (`v128.load32_splat` /
//! `load64_splat`: 1.7× the speed of a scalar load then `f32x4.splat` in a probe of the
//! bare 4×8 f32 kernel), and does `acc += a·b` as a mul then an add (SIMD128 has no lane
//! FMA). It has no branches for edges: partial tiles go through [`masked_kernel`], which runs
//! the same kernel into a scratch tile and copies the valid part out.
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
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let w = T::LANES;
    let nr = NV * w;
    let mut ab = [[T::splat(T::ZERO); NV]; MR];
    let (mut a, mut b) = (a, b);
    // LOOP 0: the depth, one rank-1 update of the tile per step.
    for _ in 0..k {
        // Safety: step p reads a[p·MR..p·MR+MR] and b[p·NR..p·NR+NR], inside the panels.
        unsafe {
            let bv: [T::V; NV] = core::array::from_fn(|v| T::load(b.add(v * w)));
            for (i, row) in ab.iter_mut().enumerate() {
                let ai = T::load_splat(a.add(i));
                for (acc, &bj) in row.iter_mut().zip(&bv) {
                    *acc = T::mul_add(ai, bj, *acc);
                }
            }
            a = a.add(MR);
            b = b.add(nr);
        }
    }

    let alpha_v = T::splat(alpha);
    if cs_c == 1 {
        let beta_v = T::splat(beta);
        for (i, row) in ab.iter().enumerate() {
            for (v, &acc) in row.iter().enumerate() {
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
        for i in 0..MR {
            for j in 0..nr {
                // Safety: `ab` is MR·NV vectors of LANES elements each, contiguous, so
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
    (rows, cols): (usize, usize),
) {
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let nr = NV * T::LANES;
    let mut tile = [[T::splat(T::ZERO); NV]; MR];
    let t = tile.as_mut_ptr() as *mut T;
    // Safety: the scratch tile is MR rows of NR contiguous elements (row stride nr); the
    // panels are as the caller guarantees.
    unsafe { kernel::<T, MR, NV>(k, T::ONE, a, b, T::ZERO, MatMut::new(t, nr as isize, 1)) };
    for i in 0..rows {
        for j in 0..cols {
            // Safety: i < rows ≤ MR and j < cols ≤ NR index the scratch tile; the caller
            // guarantees C's element.
            unsafe {
                let cij = c.offset(i as isize * rs_c + j as isize * cs_c);
                let x = alpha * *t.add(i * nr + j);
                *cij = if beta.is_zero() { x } else { x + beta * *cij };
            }
        }
    }
}
