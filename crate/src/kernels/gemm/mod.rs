//! Dense matrix multiply, `C ← α·A·B + β·C`, for f32 ([`sgemm`]) and f64 ([`dgemm`]).
//!
//! The structure is BLIS's five loops around a register-tiled microkernel (Van Zee and van de
//! Geijn, *BLIS: A Framework for Rapidly Instantiating BLAS Functionality*, TOMS 2015), as
//! matrixmultiply's `gemm.rs` lays them out:
//!
//! ```text
//! LOOP 5  jc: split n into NC-column blocks                    B block in L2/L3
//! LOOP 4  pc: split k into KC-deep blocks, pack B (KC×NC)      → NR-wide panels
//! LOOP 3  ic: split m into MC-row blocks, pack A (MC×KC)       → MR-tall panels, in L2
//! LOOP 2  jr: NR-column micro-panels of packed B               one stays in L1
//! LOOP 1  ir: MR-row micro-panels of packed A                  streamed from L2
//!         microkernel: the MR×NR tile of C in registers, or the masked edge path
//! ```
//!
//! Before the blocked path, shapes with a cheaper algorithm take it (after gemm-common's
//! `gemm.rs`): `m == 1` or `n == 1` is a matrix-vector product ([`crate::kernels::gemv`],
//! streamed in the matrix's memory order); `k ≤ 2` is a sum of one or two outer products,
//! written in one pass over C; and products too small to repay packing
//! (`m·k·n ≤ DIRECT_MAX`) run a direct loop. A column-major C is handled as `Cᵀ = Bᵀ·Aᵀ`,
//! so the kernels always write along C's unit stride when it has one.
//!
//! Operands are raw pointers with element strides (`rs_a, cs_a`: row and column stride): a
//! transposed operand is the same buffer with its strides swapped, and only the packing loops
//! (O(mk + kn)) ever see them, so every transpose combination runs the same O(mnk) kernel.

pub mod epilogue;
pub mod fused;
pub mod layer_epilogues;
pub mod microkernel;
pub mod pack;
pub mod params;
pub mod slices;

use crate::kernels::gemv::gemv;
use crate::kernels::operand::{MatMut, MatRef};
use crate::kernels::store::{buffer, write_lanes, write_one};
use crate::parallel::{self, SharedPtr};
use crate::simd::Lanes;
use epilogue::{Epilogue, Nothing};

/// A dtype with a GEMM microkernel: its tile and blocking constants (from [`params`]), and
/// the kernel and packing routines instantiated at that tile.
pub trait Gemm: Lanes {
    /// Rows of the register tile (loop 1's step).
    const MR: usize;
    /// Columns of the register tile (loop 2's step).
    const NR: usize;
    /// Depth of a packed panel (loop 4's step).
    const KC: usize;
    /// Rows of a packed A block (loop 3's step).
    const MC: usize;
    /// Columns of a packed B block (loop 5's step).
    const NC: usize;

    /// [`microkernel::kernel`] at this type's tile.
    ///
    /// # Safety
    /// As [`microkernel::kernel`].
    unsafe fn kernel(
        k: usize,
        alpha: Self,
        a: *const Self,
        b: *const Self,
        beta: Self,
        c: MatMut<Self>,
    );

    /// [`microkernel::masked_kernel`] at this type's tile.
    ///
    /// # Safety
    /// As [`microkernel::masked_kernel`].
    unsafe fn masked_kernel(
        k: usize,
        alpha: Self,
        a: *const Self,
        b: *const Self,
        beta: Self,
        c: MatMut<Self>,
        edge: (usize, usize),
    );

    /// [`microkernel::paired_edge_kernel`] at this type's tile, for edges of at most MR / 2 rows.
    ///
    /// # Safety
    /// As [`microkernel::paired_edge_kernel`].
    #[allow(clippy::too_many_arguments)]
    unsafe fn paired_edge_kernel(
        k: usize,
        alpha: Self,
        a: *const Self,
        b: *const Self,
        panel: usize,
        beta: Self,
        c: MatMut<Self>,
        edge: (usize, usize),
    );

    /// [`pack::pack`] into MR-row panels (A).
    ///
    /// # Safety
    /// As [`pack::pack`].
    unsafe fn pack_a(
        rows: usize,
        depth: usize,
        src: *const Self,
        rs: isize,
        cs: isize,
        dst: *mut Self,
    );

    /// [`pack::pack`] into NR-row panels (B, whose panel rows are its columns).
    ///
    /// # Safety
    /// As [`pack::pack`].
    unsafe fn pack_b(
        rows: usize,
        depth: usize,
        src: *const Self,
        rs: isize,
        cs: isize,
        dst: *mut Self,
    );
}

macro_rules! impl_gemm {
    ($t:ty, $mr:expr, $nv:expr, $kc:expr, $mc:expr, $nc:expr) => {
        impl Gemm for $t {
            const MR: usize = $mr;
            const NR: usize = $nv * <$t as crate::simd::Lanes>::LANES;
            const KC: usize = $kc;
            const MC: usize = $mc;
            const NC: usize = $nc;

            #[inline(always)]
            unsafe fn kernel(
                k: usize,
                alpha: $t,
                a: *const $t,
                b: *const $t,
                beta: $t,
                c: MatMut<$t>,
            ) {
                // Safety: as the caller guarantees.
                unsafe { microkernel::kernel::<$t, { $mr }, { $nv }>(k, alpha, a, b, beta, c) }
            }

            #[inline(always)]
            unsafe fn masked_kernel(
                k: usize,
                alpha: $t,
                a: *const $t,
                b: *const $t,
                beta: $t,
                c: MatMut<$t>,
                edge: (usize, usize),
            ) {
                // Safety: as the caller guarantees.
                unsafe {
                    microkernel::masked_kernel::<$t, { $mr }, { $nv }>(
                        k, alpha, a, b, beta, c, edge,
                    )
                }
            }

            #[inline(always)]
            unsafe fn paired_edge_kernel(
                k: usize,
                alpha: $t,
                a: *const $t,
                b: *const $t,
                panel: usize,
                beta: $t,
                c: MatMut<$t>,
                edge: (usize, usize),
            ) {
                // Safety: as the caller guarantees.
                unsafe {
                    microkernel::paired_edge_kernel::<$t, { $mr }, { $nv }, { $mr / 2 }>(
                        k, alpha, a, b, panel, beta, c, edge,
                    )
                }
            }

            #[inline(always)]
            unsafe fn pack_a(
                rows: usize,
                depth: usize,
                src: *const $t,
                rs: isize,
                cs: isize,
                dst: *mut $t,
            ) {
                // Safety: as the caller guarantees.
                unsafe { pack::pack::<$t, { $mr }>(rows, depth, src, rs, cs, dst) }
            }

            #[inline(always)]
            unsafe fn pack_b(
                rows: usize,
                depth: usize,
                src: *const $t,
                rs: isize,
                cs: isize,
                dst: *mut $t,
            ) {
                // Safety: as the caller guarantees.
                unsafe {
                    pack::pack::<$t, { $nv * <$t as crate::simd::Lanes>::LANES }>(
                        rows, depth, src, rs, cs, dst,
                    )
                }
            }
        }
    };
}

impl_gemm!(f32, params::S_MR, params::S_NV, params::S_KC, params::S_MC, params::S_NC);
impl_gemm!(f64, params::D_MR, params::D_NV, params::D_KC, params::D_MC, params::D_NC);

/// Which algorithm [`gemm_via`] runs. [`Path::Auto`] is what [`sgemm`]/[`dgemm`] use; the
/// others force one path, so tests can check each at every shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Path {
    /// Chosen by shape: GEMV, outer product, direct, then blocked (see the module doc).
    Auto,
    /// Matrix-vector product; needs `m == 1` or `n == 1`.
    Gemv,
    /// One pass over C per outer product; needs `k ≤ 2`.
    Outer,
    /// Unpacked loops: rows of A against B, NR columns of C at a time in registers.
    Direct,
    /// The five BLIS loops with these block sizes (rounded up to the tile).
    Blocked { kc: usize, mc: usize, nc: usize },
    /// The blocked loops at [`Path::Auto`]'s block sizes as one job of this many column slices
    /// ([`slices`]), whatever the shape and the number of threads.
    Slices(usize),
}

/// C ← α·A·B + β·C in f32; see [`gemm`].
///
/// # Safety
/// As [`gemm`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn sgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f32,
    a: *const f32,
    rs_a: isize,
    cs_a: isize,
    b: *const f32,
    rs_b: isize,
    cs_b: isize,
    beta: f32,
    c: *mut f32,
    rs_c: isize,
    cs_c: isize,
) {
    // Safety: as the caller guarantees.
    unsafe { gemm(m, k, n, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, rs_c, cs_c) }
}

/// C ← α·A·B + β·C in f64; see [`gemm`].
///
/// # Safety
/// As [`gemm`].
#[allow(clippy::too_many_arguments)]
pub unsafe fn dgemm(
    m: usize,
    k: usize,
    n: usize,
    alpha: f64,
    a: *const f64,
    rs_a: isize,
    cs_a: isize,
    b: *const f64,
    rs_b: isize,
    cs_b: isize,
    beta: f64,
    c: *mut f64,
    rs_c: isize,
    cs_c: isize,
) {
    // Safety: as the caller guarantees.
    unsafe { gemm(m, k, n, alpha, a, rs_a, cs_a, b, rs_b, cs_b, beta, c, rs_c, cs_c) }
}

/// C ← α·A·B + β·C for one matrix product.
///
/// + m, k, n: A is m×k, B is k×n, C is m×n; any may be 0
/// + alpha, beta: the scalars
/// + a, rs_a, cs_a: A's element (0, 0) and its row and column strides in elements: element
///   (i, p) is `a + i·rs_a + p·cs_a` (Aᵀ of a row-major buffer is `cs_a = ld, rs_a = 1`)
/// + b, rs_b, cs_b: B likewise
/// + c, rs_c, cs_c: C likewise; C may be a non-contiguous view
///
/// β == 0: C is not read, so NaN in it never reaches the result. k == 0: C ← β·C (zeros
/// when β == 0). Strides may be negative or zero for A and B.
///
/// # Safety
/// Every element of A and B reachable through their strides must be readable, every
/// element of C writable (and readable when β ≠ 0); C's elements must be distinct (no zero
/// or overlapping strides) and must not overlap A or B.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm<T: Gemm>(
    m: usize,
    k: usize,
    n: usize,
    alpha: T,
    a: *const T,
    rs_a: isize,
    cs_a: isize,
    b: *const T,
    rs_b: isize,
    cs_b: isize,
    beta: T,
    c: *mut T,
    rs_c: isize,
    cs_c: isize,
) {
    let (a, b, c) =
        (MatRef::new(a, rs_a, cs_a), MatRef::new(b, rs_b, cs_b), MatMut::new(c, rs_c, cs_c));
    // Safety: as the caller guarantees.
    unsafe { gemm_via(Path::Auto, (m, k, n), alpha, a, b, beta, c) }
}

/// [`gemm`] along a chosen [`Path`], with the operands grouped: `(m, k, n)`, and A, B, C
/// each a pointer with its strides.
///
/// # Panics
/// If `path` cannot compute this shape (GEMV needs `m == 1` or `n == 1`, Outer `k ≤ 2`).
///
/// # Safety
/// As [`gemm`].
pub unsafe fn gemm_via<T: Gemm>(
    path: Path,
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) {
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // Safety: C's elements are writable (and readable when β ≠ 0), as the caller guarantees.
        unsafe { scale((m, n), beta, c) };
        return;
    }
    // A column-major C: compute Cᵀ (n×m) = Bᵀ·Aᵀ instead, whose rows are C's columns.
    let (m, n, a, b, c) = if c.rs.unsigned_abs() < c.cs.unsigned_abs() {
        (n, m, b.t(), a.t(), c.t())
    } else {
        (m, n, a, b, c)
    };
    let path = if path == Path::Auto { auto_path::<T>(m, k, n) } else { path };
    // Safety: (all arms) the operands are as the caller guarantees; transposing the problem
    // above only renamed them.
    unsafe {
        match path {
            Path::Gemv if n == 1 => gemv((m, k), alpha, a, b.col(0), beta, c.col(0)),
            // A 1×k row times B: y = Bᵀ·x, with Bᵀ an n×k matrix.
            Path::Gemv if m == 1 => gemv((n, k), alpha, b.t(), a.row(0), beta, c.row(0)),
            Path::Outer if k <= 2 => outer((m, k, n), alpha, a, b, beta, c),
            Path::Direct => direct((m, k, n), alpha, a, b, beta, c),
            Path::Blocked { kc, mc, nc } => {
                let blocks = block_sizes::<T>((m, k, n), (kc, mc, nc));
                blocked((m, k, n), alpha, a, BlockSource::Strided(b), beta, c, blocks, &Nothing)
            }
            Path::Slices(parts) => {
                let blocks = block_sizes::<T>((m, k, n), (T::KC, T::MC, T::NC));
                let b = BlockSource::Strided(b);
                slices::blocked_in_slices((m, k, n), alpha, a, b, beta, c, blocks, parts.max(1))
            }
            _ => panic!("gemm: path {path:?} cannot compute a {m}×{k} by {k}×{n} product"),
        }
    }
}

/// The path [`Path::Auto`] takes for an m×k by k×n product with `m, k, n ≥ 1`: GEMV when
/// `m == 1` or `n == 1`, the outer product when `k ≤ 2`, the direct loop when
/// `m·k·n ≤ DIRECT_MAX`, and the blocked loops at this dtype's block sizes otherwise.
pub fn auto_path<T: Gemm>(m: usize, k: usize, n: usize) -> Path {
    if m == 1 || n == 1 {
        Path::Gemv
    } else if k <= 2 {
        Path::Outer
    } else if m.saturating_mul(k).saturating_mul(n) <= params::DIRECT_MAX {
        // Saturating: on wasm32, m·k·n overflows usize from 2048³ on.
        Path::Direct
    } else {
        Path::Blocked { kc: T::KC, mc: T::MC, nc: T::NC }
    }
}

/// The block sizes [`blocked`] runs with for an m×k by k×n product: `(kc, mc, nc)` asked for,
/// clamped to the problem and rounded to the tile (MC to MR, NC to NR).
pub(super) fn block_sizes<T: Gemm>(
    (m, k, n): (usize, usize, usize),
    (kc, mc, nc): (usize, usize, usize),
) -> (usize, usize, usize) {
    (
        kc.clamp(1, k),
        mc.max(1).next_multiple_of(T::MR).min(m.next_multiple_of(T::MR)),
        nc.max(1).next_multiple_of(T::NR).min(n.next_multiple_of(T::NR)),
    )
}

/// Where [`blocked`] takes B's (jc, pc) blocks from: packed from a strided matrix at each step,
/// or already packed ([`PackedB`]).
#[derive(Clone, Copy)]
pub(super) enum BlockSource<T> {
    Strided(MatRef<T>),
    /// Every block packed, block (jc, pc) at `jc·k + ⌈nc/NR⌉·NR·pc` (see [`PackedB`]).
    Packed(*const T),
}

/// B (k×n) packed once into the blocked path's NR-column panels, for many products with the
/// same B: `gemm_prepacked` then skips loop 4's packing of B. The blocks are those
/// [`Path::Auto`]'s blocked path uses, so a product computes the very bits [`gemm`] does on
/// that path. Holds ⌈n/NR⌉·NR·k elements.
pub struct PackedB<T: Gemm> {
    buf: Vec<T::V>,
    k: usize,
    n: usize,
}

impl<T: Gemm> PackedB<T> {
    /// Packs B (k×n, element (p, j) at `b.ptr + p·b.rs + j·b.cs`); k, n ≥ 1.
    ///
    /// # Safety
    /// Every element of B must be readable.
    pub unsafe fn new(k: usize, n: usize, b: MatRef<T>) -> Self {
        assert!(k >= 1 && n >= 1, "PackedB: an empty {k}×{n} matrix");
        let (kc_max, _, nc_max) = block_sizes::<T>((1, k, n), (T::KC, T::MC, T::NC));
        let mut buf = buffer::<T>(n.next_multiple_of(T::NR) * k);
        let dst = buf.as_mut_ptr() as *mut T;
        for jc in (0..n).step_by(nc_max) {
            let nc = nc_max.min(n - jc);
            for pc in (0..k).step_by(kc_max) {
                let kc = kc_max.min(k - pc);
                // Safety: B's block (pc.., jc..) of kc×nc is readable, as the caller guarantees;
                // its ⌈nc/NR⌉·NR·kc packed elements end at or before the next block's offset, and
                // the last block's at ⌈n/NR⌉·NR·k, the buffer's length.
                unsafe {
                    let src = b.ptr.offset(pc as isize * b.rs + jc as isize * b.cs);
                    let at = dst.add(jc * k + nc.next_multiple_of(T::NR) * pc);
                    T::pack_b(nc, kc, src, b.cs, b.rs, at);
                }
            }
        }
        PackedB { buf, k, n }
    }

    /// B's shape, (k, n).
    pub fn shape(&self) -> (usize, usize) {
        (self.k, self.n)
    }

    /// The blocks, as [`blocked`] takes them.
    pub(super) fn source(&self) -> BlockSource<T> {
        BlockSource::Packed(self.buf.as_ptr() as *const T)
    }
}

/// C ← α·A·B + β·C with B packed beforehand ([`PackedB`]): the blocked path whatever the
/// shape, with [`gemm`]'s contract for A (m×k) and C (m×n) and the bits [`gemm`] computes on
/// that path. Fastest with C's rows contiguous (`cs == 1`); any C layout is correct.
///
/// # Safety
/// As [`gemm`] for A and C.
pub unsafe fn gemm_prepacked<T: Gemm>(
    m: usize,
    alpha: T,
    a: MatRef<T>,
    b: &PackedB<T>,
    beta: T,
    c: MatMut<T>,
) {
    let (k, n) = b.shape();
    if m == 0 {
        return;
    }
    let blocks = block_sizes::<T>((m, k, n), (T::KC, T::MC, T::NC));
    // Safety: as the caller guarantees; the packed blocks are B's at these block sizes.
    unsafe { blocked((m, k, n), alpha, a, b.source(), beta, c, blocks, &Nothing) }
}

/// The blocked BLIS path: loops 5, 4 and 3 with packing, then [`packed`] for loops 2 and 1; after
/// the last depth block, each block of C (MC rows of an NC-column block, still in L2) goes to
/// `epilogue`, row by row. The block sizes are [`block_sizes`]'s.
///
/// # Safety
/// As [`gemm`], with `m, k, n ≥ 1`; a packed B source holds B's blocks at these block sizes;
/// the epilogue's operands as its [`Epilogue::finish`] requires for every tile of C.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn blocked<T: Gemm, E: Epilogue<T>>(
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: BlockSource<T>,
    beta: T,
    c: MatMut<T>,
    (kc_max, mc_max, nc_max): (usize, usize, usize),
    epilogue: &E,
) {
    let (blocks, threads) = (m.div_ceil(mc_max), parallel::threads());
    let step = m.saturating_mul(kc_max * nc_max);
    let job = parallel::parts(step, params::parallel_min::<T>()) > 1;
    if (blocks < threads || !job)
        && parallel::parts(m.saturating_mul(k).saturating_mul(n), params::slices_min::<T>()) > 1
    {
        // Steps too short for a job each, or too few row blocks to share one among the
        // threads: cut C's columns instead, in one job over every step (see [`slices`]).
        // The epilogue then runs as a pass once every slice is done (the same bits: see
        // [`super::fused`]).
        let (sizes, parts) = ((kc_max, mc_max, nc_max), slices::slices_for::<T>(n, threads));
        // Safety: as the caller guarantees; C is final before the epilogue reads it.
        unsafe {
            slices::blocked_in_slices((m, k, n), alpha, a, b, beta, c, sizes, parts);
            epilogue.finish((0, 0), (m, n), c);
        }
        return;
    }
    let MatRef { ptr: a, rs: rs_a, cs: cs_a } = a;
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let mut b_buf = buffer::<T>(if let BlockSource::Strided(_) = b { kc_max * nc_max } else { 0 });
    let bp = b_buf.as_mut_ptr() as *mut T;
    // One (jc, pc) step's loops 3 and 2 run as a job when the step is long enough to pay for
    // waking the workers. Its parts are a grid: the m blocks of loop 3 × slices of loop 2's
    // NR-column panels (slices only when there are too few m blocks to keep every thread busy).
    // A part packs its own A block; B's block is packed once, before the job. Every tile of C
    // is computed by the same instructions however the grid is cut, so the bits do not depend
    // on the number of threads. An epilogue that needs a row's tiles in order keeps each row
    // in one part.
    let panels = nc_max.div_ceil(T::NR);
    let slices = if job && !E::IN_ROW_ORDER {
        (2 * threads).div_ceil(blocks).clamp(1, panels.div_ceil(4))
    } else {
        1
    };
    let slice_width = panels.div_ceil(slices) * T::NR;
    let mut a_buf = buffer::<T>(if job { 0 } else { mc_max * kc_max });
    let a_shared = SharedPtr(a_buf.as_mut_ptr() as *mut T);
    let (a, c) = (SharedPtr(a as *mut T), SharedPtr(c));

    // LOOP 5: split n into nc parts.
    for jc in (0..n).step_by(nc_max) {
        let nc = nc_max.min(n - jc);
        // LOOP 4: split k into kc parts.
        for pc in (0..k).step_by(kc_max) {
            let kc = kc_max.min(k - pc);
            let bp = match b {
                // Safety: B's block (pc.., jc..) of kc×nc is in bounds; b_buf holds
                // ⌈nc/NR⌉·NR·kc ≤ nc_max·kc_max elements.
                BlockSource::Strided(MatRef { ptr, rs, cs }) => unsafe {
                    T::pack_b(nc, kc, ptr.offset(pc as isize * rs + jc as isize * cs), cs, rs, bp);
                    bp as *const T
                },
                // Safety: the block's offset in the packed B, as the caller guarantees.
                BlockSource::Packed(p) => unsafe {
                    p.add(jc * k + nc.next_multiple_of(T::NR) * pc)
                },
            };
            // The first kc block applies β; later ones accumulate into what it wrote; the last
            // one finishes the blocks.
            let beta = if pc == 0 { beta } else { T::ONE };
            let last = pc + kc == k;
            let bp = SharedPtr(bp as *mut T);
            // LOOP 3: split m into mc parts (here: rows ic.. of A and C, columns j0.. of the
            // B block and of C, a multiple of NR so its panels start at j0·kc in bp).
            let part = |ic: usize, j0: usize, ap: *mut T| {
                let (mc, width) = (mc_max.min(m - ic), slice_width.min(nc - j0));
                // Safety: A's block (ic.., pc..) of mc×kc is in bounds and `ap` holds
                // ⌈mc/MR⌉·MR·kc elements; C's block (ic.., jc + j0..) of mc×width is in
                // bounds, and no other part writes it (parts are disjoint); after the last
                // depth block it is final, for the epilogue (rows in order: see `slices`).
                unsafe {
                    let a_block = a.get().offset(ic as isize * rs_a + pc as isize * cs_a);
                    T::pack_a(mc, kc, a_block, rs_a, cs_a, ap);
                    let c_block = c.get().offset(ic as isize * rs_c + (jc + j0) as isize * cs_c);
                    let (bp, c_block) = (bp.get().add(j0 * kc), MatMut::new(c_block, rs_c, cs_c));
                    packed((mc, kc, width), alpha, ap, bp, beta, c_block);
                    if last {
                        epilogue.finish((ic, jc + j0), (mc, width), c_block);
                    }
                }
            };
            if job {
                let slices = nc.div_ceil(slice_width);
                parallel::for_each_part(blocks * slices, |i| {
                    let mut a_buf = buffer::<T>(mc_max * kc_max);
                    let (ic, j0) = ((i / slices) * mc_max, (i % slices) * slice_width);
                    part(ic, j0, a_buf.as_mut_ptr() as *mut T);
                })
                .expect("gemm: a worker thread trapped");
            } else {
                (0..blocks).for_each(|i| part(i * mc_max, 0, a_shared.get()));
            }
        }
    }
}

/// Loops 2 and 1 over packed blocks: C (mc×nc) ← α·A·B + β·C with A and B packed.
///
/// # Safety
/// `ap` holds ⌈mc/MR⌉ packed panels of depth kc, `bp` ⌈nc/NR⌉; C's mc×nc block is in bounds.
unsafe fn packed<T: Gemm>(
    (mc, kc, nc): (usize, usize, usize),
    alpha: T,
    ap: *const T,
    bp: *const T,
    beta: T,
    c: MatMut<T>,
) {
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    // An edge of at most MR / 2 rows goes last, two column panels at a time.
    let edge_rows = mc % T::MR;
    let paired = edge_rows > 0 && edge_rows <= T::MR / 2;
    let tiled_rows = if paired { mc - edge_rows } else { mc };
    // LOOP 2: split the B block into NR-column micro-panels.
    for jr in (0..nc).step_by(T::NR) {
        let cols = T::NR.min(nc - jr);
        // LOOP 1: split the A block into MR-row micro-panels.
        for ir in (0..tiled_rows).step_by(T::MR) {
            let rows = T::MR.min(mc - ir);
            // Safety: micro-panel jr/NR of B starts at jr·kc, ir/MR of A at ir·kc (each
            // panel is NR·kc or MR·kc long); the tile (ir.., jr..) of rows×cols is in C.
            unsafe {
                let (a, b) = (ap.add(ir * kc), bp.add(jr * kc));
                let c = MatMut::new(c.offset(ir as isize * rs_c + jr as isize * cs_c), rs_c, cs_c);
                if rows == T::MR && cols == T::NR {
                    T::kernel(kc, alpha, a, b, beta, c);
                } else {
                    T::masked_kernel(kc, alpha, a, b, beta, c, (rows, cols));
                }
            }
        }
    }
    if paired {
        let ir = tiled_rows;
        for jr in (0..nc).step_by(2 * T::NR) {
            let cols = (2 * T::NR).min(nc - jr);
            // Safety: as above; a pair's second panel exists when cols > NR.
            unsafe {
                let (a, b) = (ap.add(ir * kc), bp.add(jr * kc));
                let c = MatMut::new(c.offset(ir as isize * rs_c + jr as isize * cs_c), rs_c, cs_c);
                if cols > T::NR {
                    T::paired_edge_kernel(kc, alpha, a, b, T::NR * kc, beta, c, (edge_rows, cols));
                } else {
                    T::masked_kernel(kc, alpha, a, b, beta, c, (edge_rows, cols));
                }
            }
        }
    }
}

/// `k ≤ 2`: C ← α·(A[:,0]·B[0,:] + A[:,1]·B[1,:]) + β·C in one pass over C, row by row.
/// B is read in place when its rows are contiguous (`cs_b == 1`), and its k rows are copied
/// contiguous first otherwise (O(n)), so any B layout streams the same.
///
/// # Safety
/// As [`gemm`], with `1 ≤ k ≤ 2`.
unsafe fn outer<T: Gemm>(
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) {
    let (MatRef { ptr: a, rs: rs_a, cs: cs_a }, MatRef { ptr: b, rs: rs_b, cs: cs_b }) = (a, b);
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let w = T::LANES;
    let mut b_buf;
    let (b0, b1) = if cs_b == 1 {
        // Row 1 is only read when k == 2 (wrapping: for k == 1 it may point anywhere).
        (b, b.wrapping_offset(rs_b))
    } else {
        b_buf = buffer::<T>(k * n);
        let b0 = b_buf.as_mut_ptr() as *mut T;
        // Safety: b_buf holds k·n elements; B's k×n elements are in bounds.
        unsafe {
            for p in 0..k {
                for j in 0..n {
                    *b0.add(p * n + j) = *b.offset(p as isize * rs_b + j as isize * cs_b);
                }
            }
            (b0 as *const T, b0.add(n) as *const T)
        }
    };
    let body = n - n % w;
    let (alpha_v, beta_v) = (T::splat(alpha), T::splat(beta));
    for i in 0..m {
        // Safety: row i of A (k elements) and of C (n elements) are in bounds; b0/b1 hold n each.
        unsafe {
            let ai = a.offset(i as isize * rs_a);
            let ci = c.offset(i as isize * rs_c);
            let (a0, a0v) = (*ai, T::load_splat(ai));
            let (a1, a1v) = if k == 2 {
                (*ai.offset(cs_a), T::load_splat(ai.offset(cs_a)))
            } else {
                (T::ZERO, T::splat(T::ZERO))
            };
            if k == 2 {
                for j in (0..body).step_by(w) {
                    let ab =
                        T::vadd(T::vmul(a0v, T::load(b0.add(j))), T::vmul(a1v, T::load(b1.add(j))));
                    write_lanes(ab, alpha_v, beta_v, beta, ci.offset(j as isize * cs_c), cs_c);
                }
                for j in body..n {
                    write_one(
                        a0 * *b0.add(j) + a1 * *b1.add(j),
                        alpha,
                        beta,
                        ci.offset(j as isize * cs_c),
                    );
                }
            } else {
                for j in (0..body).step_by(w) {
                    write_lanes(
                        T::vmul(a0v, T::load(b0.add(j))),
                        alpha_v,
                        beta_v,
                        beta,
                        ci.offset(j as isize * cs_c),
                        cs_c,
                    );
                }
                for j in body..n {
                    write_one(a0 * *b0.add(j), alpha, beta, ci.offset(j as isize * cs_c));
                }
            }
        }
    }
}

/// Small products: for each row of A, NR columns of C at a time accumulate in registers
/// over the whole depth. B is read in place when its rows are contiguous (`cs_b == 1`) and
/// copied row-major first otherwise (O(kn), cheap next to the O(mkn) loop).
///
/// # Safety
/// As [`gemm`], with `m, k, n ≥ 1`.
unsafe fn direct<T: Gemm>(
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
) {
    let (MatRef { ptr: a, rs: rs_a, cs: cs_a }, MatRef { ptr: b, rs: rs_b, cs: cs_b }) = (a, b);
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    let w = T::LANES;
    let mut b_buf;
    let (b, rs_b) = if cs_b == 1 {
        (b, rs_b)
    } else {
        b_buf = buffer::<T>(k * n);
        let bc = b_buf.as_mut_ptr() as *mut T;
        for p in 0..k {
            for j in 0..n {
                // Safety: B's element (p, j) is in bounds; b_buf holds k·n elements.
                unsafe { *bc.add(p * n + j) = *b.offset(p as isize * rs_b + j as isize * cs_b) };
            }
        }
        (bc as *const T, n as isize)
    };
    let (alpha_v, beta_v) = (T::splat(alpha), T::splat(beta));
    let body2 = n - n % (2 * w);
    let body = n - n % w;
    for i in 0..m {
        // Safety: row i of A has k elements, of C n; B (now with cs_b == 1) has k rows of n.
        unsafe {
            let ai = a.offset(i as isize * rs_a);
            let ci = c.offset(i as isize * rs_c);
            for j in (0..body2).step_by(2 * w) {
                let (mut s0, mut s1) = (T::splat(T::ZERO), T::splat(T::ZERO));
                for p in 0..k {
                    let av = T::load_splat(ai.offset(p as isize * cs_a));
                    let bp = b.offset(p as isize * rs_b).add(j);
                    s0 = T::vadd(s0, T::vmul(av, T::load(bp)));
                    s1 = T::vadd(s1, T::vmul(av, T::load(bp.add(w))));
                }
                write_lanes(s0, alpha_v, beta_v, beta, ci.offset(j as isize * cs_c), cs_c);
                write_lanes(s1, alpha_v, beta_v, beta, ci.offset((j + w) as isize * cs_c), cs_c);
            }
            for j in (body2..body).step_by(w) {
                let mut s = T::splat(T::ZERO);
                for p in 0..k {
                    let av = T::load_splat(ai.offset(p as isize * cs_a));
                    s = T::vadd(s, T::vmul(av, T::load(b.offset(p as isize * rs_b).add(j))));
                }
                write_lanes(s, alpha_v, beta_v, beta, ci.offset(j as isize * cs_c), cs_c);
            }
            for j in body..n {
                let mut s = T::ZERO;
                for p in 0..k {
                    s = s + *ai.offset(p as isize * cs_a) * *b.offset(p as isize * rs_b).add(j);
                }
                write_one(s, alpha, beta, ci.offset(j as isize * cs_c));
            }
        }
    }
}

/// C ← β·C (zeros when β == 0, without reading C).
///
/// # Safety
/// C's m×n elements are writable, and readable when β ≠ 0.
unsafe fn scale<T: Gemm>((m, n): (usize, usize), beta: T, c: MatMut<T>) {
    let MatMut { ptr: c, rs: rs_c, cs: cs_c } = c;
    for i in 0..m {
        for j in 0..n {
            // Safety: (i, j) is in C, as the caller guarantees.
            unsafe {
                let cij = c.offset(i as isize * rs_c + j as isize * cs_c);
                *cij = if beta.is_zero() { T::ZERO } else { beta * *cij };
            }
        }
    }
}
