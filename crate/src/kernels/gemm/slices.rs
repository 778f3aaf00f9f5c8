//! The blocked loops as ONE parallel job over a whole product: C's columns cut into slices of
//! whole NR-column panels, each part running loops 4 to 1 (every KC step) over its slice.
//!
//! [`super::blocked`]'s own split is a job per (jc, pc) step, its parts the step's row blocks:
//! right for large products, but a network layer's (20, k)·(k, 209) has one row block and 48
//! steps of ~10⁶ multiply-adds at k = 12288, each too short to repay waking the workers
//! (×0.82–0.95 on two threads). `blocked` runs a product here instead when its steps are too
//! short for a job each or it has fewer row blocks than threads: the workers are woken once per
//! product. A part packs its own A blocks (so each slice packs all of A again: slices stay wide,
//! [`slices_for`]) and, when B is not packed already, its own columns of B (no B is packed twice).
//!
//! Every tile of C is the one [`super::blocked`] computes: slices start on NR panels, rows on
//! MR panels, and each tile takes its KC steps in order with β on the first, so the bits do
//! not depend on the number of slices or threads.

use super::{block_sizes, packed, BlockSource, Gemm, PackedB};
use crate::kernels::operand::{MatMut, MatRef};
use crate::kernels::store::buffer;
use crate::parallel::{self, SharedPtr};

/// Fewest NR panels per slice when a product is cut for more than one slice per thread.
const MIN_PANELS: usize = 8;

/// How many slices [`blocked_in_slices`] cuts an n-column product into for `threads` threads:
/// a multiple of the thread count (the slices are equal, so no thread gets a larger share),
/// up to four per thread while each keeps [`MIN_PANELS`] panels.
pub(super) fn slices_for<T: Gemm>(n: usize, threads: usize) -> usize {
    let panels = n.div_ceil(T::NR);
    let per_thread = (panels / (threads * MIN_PANELS)).clamp(1, 4);
    (threads * per_thread).min(panels)
}

/// C ← α·A·B + β·C by the blocked loops with block sizes `(kc_max, mc_max, nc_max)`, as one
/// job of `slices` parts, part i computing C's panels `[i·P/slices, (i+1)·P/slices)` of the
/// P = ⌈n/NR⌉ (split where they cross an NC block).
///
/// # Safety
/// As [`super::gemm`], with `m, k, n ≥ 1` and `slices ≥ 1`; a packed B source holds B's blocks at
/// these block sizes (as [`super::PackedB`] lays them out).
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn blocked_in_slices<T: Gemm>(
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: BlockSource<T>,
    beta: T,
    c: MatMut<T>,
    (kc_max, mc_max, nc_max): (usize, usize, usize),
    slices: usize,
) {
    let MatRef { ptr: a, rs: rs_a, cs: cs_a } = a;
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let (a, c) = (SharedPtr(a as *mut T), SharedPtr(c));
    let panels = n.div_ceil(T::NR);
    let block_panels = nc_max / T::NR;
    // B as a pointer the parts can share: a strided matrix (its strides), or the packed blocks.
    let (b, rs_b, cs_b, strided) = match b {
        BlockSource::Strided(MatRef { ptr, rs, cs }) => (SharedPtr(ptr as *mut T), rs, cs, true),
        BlockSource::Packed(ptr) => (SharedPtr(ptr as *mut T), 0, 0, false),
    };
    parallel::for_each_part(slices, |i| {
        let (first, end) = (i * panels / slices, (i + 1) * panels / slices);
        if first == end {
            return; // more slices than panels
        }
        let mut a_buf = buffer::<T>(mc_max * kc_max);
        let width_max = ((end - first) * T::NR).min(nc_max);
        let mut b_buf = buffer::<T>(if strided { kc_max * width_max } else { 0 });
        let (ap, b_own) = (a_buf.as_mut_ptr() as *mut T, b_buf.as_mut_ptr() as *mut T);
        // The slice's columns, one NC block at a time: columns jc + j0 .. + width.
        let mut p = first;
        while p < end {
            let (jc, j0) = ((p / block_panels) * nc_max, (p % block_panels) * T::NR);
            let nc = nc_max.min(n - jc);
            let segment_end = end.min((p / block_panels + 1) * block_panels);
            let width = ((segment_end - p) * T::NR).min(nc - j0);
            // LOOP 4: every KC step of this slice.
            for pc in (0..k).step_by(kc_max) {
                let kc = kc_max.min(k - pc);
                let bp = if strided {
                    // Safety: B's block (pc.., jc + j0..) of kc×width is in bounds; b_own holds
                    // ⌈width/NR⌉·NR·kc ≤ kc_max·width_max elements (width_max is a multiple of NR).
                    unsafe {
                        let src = b.get().offset(pc as isize * rs_b + (jc + j0) as isize * cs_b);
                        T::pack_b(width, kc, src, cs_b, rs_b, b_own);
                        b_own as *const T
                    }
                } else {
                    // Safety: the block's offset in the packed B, as the caller guarantees, and
                    // panel j0/NR of it at j0·kc.
                    unsafe { b.get().add(jc * k + nc.next_multiple_of(T::NR) * pc + j0 * kc) }
                };
                let beta = if pc == 0 { beta } else { T::ONE };
                // LOOP 3: the MC blocks of rows.
                for ic in (0..m).step_by(mc_max) {
                    let mc = mc_max.min(m - ic);
                    // Safety: A's block (ic.., pc..) of mc×kc is in bounds and `ap` holds
                    // mc_max·kc_max ≥ ⌈mc/MR⌉·MR·kc elements; C's block (ic.., jc + j0..) of
                    // mc×width is in bounds, and only this part writes it (slices are disjoint).
                    unsafe {
                        let a_block = a.get().offset(ic as isize * rs_a + pc as isize * cs_a);
                        T::pack_a(mc, kc, a_block, rs_a, cs_a, ap);
                        let c_block =
                            c.get().offset(ic as isize * rs_c + (jc + j0) as isize * cs_c);
                        let c_block = MatMut::new(c_block, rs_c, cs_c);
                        packed((mc, kc, width), alpha, ap, bp, beta, c_block);
                    }
                }
            }
            p = segment_end;
        }
    })
    .expect("gemm: a worker thread trapped");
}

/// [`super::gemm_prepacked`] as one job of `slices` column slices, whatever the shape and the
/// number of threads (tests cut products every way with it; `gemm_prepacked` picks the count).
///
/// # Safety
/// As [`super::gemm_prepacked`], with `slices ≥ 1`.
pub unsafe fn gemm_prepacked_in_slices<T: Gemm>(
    m: usize,
    alpha: T,
    a: MatRef<T>,
    b: &PackedB<T>,
    beta: T,
    c: MatMut<T>,
    slices: usize,
) {
    let (k, n) = b.shape();
    if m == 0 {
        return;
    }
    let blocks = block_sizes::<T>((m, k, n), (T::KC, T::MC, T::NC));
    let source = BlockSource::Packed(b.buf.as_ptr() as *const T);
    // Safety: as the caller guarantees; the packed blocks are B's at these block sizes.
    unsafe { blocked_in_slices((m, k, n), alpha, a, source, beta, c, blocks, slices) }
}
