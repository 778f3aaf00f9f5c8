//! Blocking parameters of the BLIS loops, per dtype (`S_` f32, `D_` f64) and per lane layer.
//! Which loop each constant cuts, and why it has its value (cache sizes of the x64 target:
//! L1d 32–48 KiB, L2 256 KiB–2 MiB per core):
//!
//! - `MR × NR`: the register tile of the microkernel (loops 1 and 2 step by them). Wasm SIMD
//!   on x64 has 16 XMM registers and no lane FMA (a `mul` then an `add`), so the tile is 8
//!   accumulator vectors + the NV vectors of one B row + one broadcast of A = 11 registers:
//!   4×8 for f32 (`f32x4`) and 4×4 for f64 (`f64x2`). A 6×8 f32 tile (12 accumulators)
//!   spills in V8: a probe of the bare kernel ran it at half the speed of 4×8.
//! - `KC`: the depth of one packed panel pair (loop 4). A KC×NR micro-panel of B stays in L1
//!   while every MR×KC micro-panel of A streams past it, and the longer the panel the better
//!   the tile's C load/store is amortised (at n = 1024, KC = 128 measured 10–15% slower
//!   than 256; 256–512 were equal within noise): 256·8·4 B = 8 KiB of B for f32, 256·4·8 B = 8 KiB for f64, next to
//!   4 KiB / 8 KiB of A, well inside a 32 KiB L1.
//! - `MC`: rows of the packed A block (loop 3), reused against every B micro-panel of the NC
//!   block, so it must stay in L2: 64·256·4 B = 64 KiB (f32), 64·256·8 B = 128 KiB (f64), at
//!   most half of a small 256 KiB L2 so B's micro-panels and C's tiles pass beside it.
//!   (32–128 measured equal; 256 was about 10% slower for f32.)
//! - `NC`: columns of the packed B block (loop 5), reused by every MC block of A, so it
//!   lives in L2/L3: KC·NC = 256·1024·4 B = 1 MiB (f32) and 256·512·8 B = 1 MiB (f64). It
//!   also bounds the packing buffer the wasm heap grows for. 512–4096 measured equal.
//!
//! The baseline (no SIMD) build keeps the blocks and shrinks the tile: its "vectors" are
//! scalars in registers, so 2×4 (8 accumulators) for both dtypes; 4×4 measured the same.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod tile {
    /// f32 rows per register tile.
    pub const S_MR: usize = 4;
    /// f32 `f32x4` vectors per tile row (NR = 2·4 = 8 columns).
    pub const S_NV: usize = 2;
    /// f64 rows per register tile.
    pub const D_MR: usize = 4;
    /// f64 `f64x2` vectors per tile row (NR = 2·2 = 4 columns).
    pub const D_NV: usize = 2;
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod tile {
    /// f32 rows per register tile.
    pub const S_MR: usize = 2;
    /// f32 four-element "vectors" per tile row (NR = 4 columns).
    pub const S_NV: usize = 1;
    /// f64 rows per register tile.
    pub const D_MR: usize = 2;
    /// f64 two-element "vectors" per tile row (NR = 4 columns).
    pub const D_NV: usize = 2;
}

pub use tile::*;

/// f32 columns per register tile (loop 2's step).
pub const S_NR: usize = S_NV * 4;
/// f32 depth of a packed panel (loop 4's step); see the module doc.
pub const S_KC: usize = 256;
/// f32 rows of a packed A block (loop 3's step), a multiple of `S_MR`.
pub const S_MC: usize = 64;
/// f32 columns of a packed B block (loop 5's step), a multiple of `S_NR`.
pub const S_NC: usize = 1024;

/// f64 columns per register tile (loop 2's step).
pub const D_NR: usize = D_NV * 2;
/// f64 depth of a packed panel (loop 4's step).
pub const D_KC: usize = 256;
/// f64 rows of a packed A block (loop 3's step), a multiple of `D_MR`.
pub const D_MC: usize = 64;
/// f64 columns of a packed B block (loop 5's step), a multiple of `D_NR`.
pub const D_NC: usize = 512;

/// Largest `m·k·n` that takes the direct (unpacked) path: below it, packing and the blocked
/// loops cost more than the microkernel saves. Measured crossover (wasm SIMD, square
/// matrices, both dtypes): the direct path wins up to 12³, the blocked one from 16³.
pub const DIRECT_MAX: usize = 2048;

const _: () = assert!(
    S_MC.is_multiple_of(S_MR)
        && S_NC.is_multiple_of(S_NR)
        && D_MC.is_multiple_of(D_MR)
        && D_NC.is_multiple_of(D_NR)
);

/// Fewest multiply-adds in one (jc, pc) step of the blocked loops (`m·kc·nc`) that are run as a
/// parallel job rather than on the caller alone, f32 and f64: the measured crossovers of square
/// products (`npx tsx bench/crossover.ts --quick`, see `kernels::crossover` for the machine):
/// f32 ran ×0.99 on two threads at 4·10⁶ (n = 161) and ×1.04 from 1.7·10⁷ (n = 256) on; f64,
/// whose multiply-adds take twice as long, ×0.78 at 2.6·10⁵ and ×1.18 from 10⁶ (n = 102) on.
/// A network layer's (20, k)·(k, 209) steps (20·256·216 ≈ 1.1·10⁶) measured ×0.82–0.95 on two
/// threads at every k (each step's job is too short for its wake-up), so they stay below it.
pub const S_PARALLEL_MIN: usize = 1 << 24;
pub const D_PARALLEL_MIN: usize = 1 << 20;

/// [`S_PARALLEL_MIN`] or [`D_PARALLEL_MIN`], by the element's size.
pub fn parallel_min<T>() -> usize {
    if core::mem::size_of::<T>() == 4 {
        S_PARALLEL_MIN
    } else {
        D_PARALLEL_MIN
    }
}

/// Fewest multiply-adds (`m·k·n`) in a product with too few row blocks for its steps to be
/// shared, that runs as one job of column slices ([`super::slices`]), f32 and f64: a network
/// layer's (20, k)·(k, 209) (measured by `npx tsx bench/crossover.ts --quick`, family "gemm, a
/// network layer").
pub const S_SLICES_MIN: usize = 1 << 22;
pub const D_SLICES_MIN: usize = 1 << 21;

/// [`S_SLICES_MIN`] or [`D_SLICES_MIN`], by the element's size.
pub fn slices_min<T>() -> usize {
    if core::mem::size_of::<T>() == 4 {
        S_SLICES_MIN
    } else {
        D_SLICES_MIN
    }
}
