//! Re-laying the course's X (n_x, m), examples in columns, into example-major order (m, n_x),
//! once per fit, so every training step runs the rows pass (each example one contiguous
//! row: see [`super::rows`]) instead of the tiled cols pass, whose n_x concurrent row streams
//! the prefetchers follow poorly. GEMM packs its panels for the same reason.
//!
//! The transpose goes in blocks of [`PACK_J`] features × [`PACK_I`] examples, so both the
//! block's reads (PACK_J segments of X rows) and its writes (PACK_I segments of output rows)
//! stay in L1/L2 while it is transposed and each cache line moves once; inside a block, L×L
//! tiles (L = lanes) are transposed in registers by [`PackLanes::transpose_tile`] (wasm
//! shuffles), four or two vector loads and stores per tile instead of one scalar load and
//! store per element.

use crate::error::KernelError;

/// Features (X rows) per block: each output row gets a 512 B (f32) segment per block.
pub const PACK_J: usize = 128;
/// Examples (X columns) per block: each X row is read in 1 KB (f32) segments; a block is
/// 128 KB (f32) or 256 KB (f64), inside L2.
pub const PACK_I: usize = 256;

/// An element type whose L×L tiles can be transposed in registers.
pub trait PackLanes: Copy {
    /// L, the tile side: the lane count of the SIMD build (1 in the scalar one, where a
    /// "tile" is one element).
    const TILE: usize;
    /// `dst[c·dst_stride + r] = src[r·src_stride + c]` for `r, c < TILE`.
    ///
    /// # Safety
    /// The TILE rows of TILE elements at `src + r·src_stride` readable, those at
    /// `dst + c·dst_stride` writable, the two disjoint.
    unsafe fn transpose_tile(
        src: *const Self,
        src_stride: usize,
        dst: *mut Self,
        dst_stride: usize,
    );
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod tiles {
    use super::PackLanes;
    use core::arch::wasm32::*;

    impl PackLanes for f32 {
        const TILE: usize = 4;
        #[inline(always)]
        unsafe fn transpose_tile(src: *const f32, ss: usize, dst: *mut f32, ds: usize) {
            // Safety: as the caller guarantees (4 rows of 4 at src and at dst); v128 loads and
            // stores need no alignment.
            unsafe {
                let r0 = v128_load(src as *const v128);
                let r1 = v128_load(src.add(ss) as *const v128);
                let r2 = v128_load(src.add(2 * ss) as *const v128);
                let r3 = v128_load(src.add(3 * ss) as *const v128);
                // Interleave pairs of rows, then pairs of pairs.
                let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0, r1);
                let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0, r1);
                let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2, r3);
                let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2, r3);
                v128_store(dst as *mut v128, i32x4_shuffle::<0, 1, 4, 5>(t0, t2));
                v128_store(
                    dst.add(ds) as *mut v128,
                    i32x4_shuffle::<2, 3, 6, 7>(t0, t2),
                );
                v128_store(
                    dst.add(2 * ds) as *mut v128,
                    i32x4_shuffle::<0, 1, 4, 5>(t1, t3),
                );
                v128_store(
                    dst.add(3 * ds) as *mut v128,
                    i32x4_shuffle::<2, 3, 6, 7>(t1, t3),
                );
            }
        }
    }

    impl PackLanes for f64 {
        const TILE: usize = 2;
        #[inline(always)]
        unsafe fn transpose_tile(src: *const f64, ss: usize, dst: *mut f64, ds: usize) {
            // Safety: as the caller guarantees (2 rows of 2 at src and at dst).
            unsafe {
                let r0 = v128_load(src as *const v128);
                let r1 = v128_load(src.add(ss) as *const v128);
                v128_store(dst as *mut v128, i64x2_shuffle::<0, 2>(r0, r1));
                v128_store(dst.add(ds) as *mut v128, i64x2_shuffle::<1, 3>(r0, r1));
            }
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod tiles {
    use super::PackLanes;

    macro_rules! scalar_tiles {
        ($($t:ty),*) => {$(
            impl PackLanes for $t {
                const TILE: usize = 1;
                #[inline(always)]
                unsafe fn transpose_tile(src: *const $t, _ss: usize, dst: *mut $t, _ds: usize) {
                    // Safety: one readable and one writable element, as the caller guarantees.
                    unsafe { *dst = *src };
                }
            }
        )*};
    }
    scalar_tiles!(f32, f64);
}

/// `out[i·n_x + j] = x[j·m + i]`: X (n_x, m) row-major into (m, n_x) row-major.
///
/// + x: `n_x·m` elements, examples in columns
/// + out: `m·n_x` elements, written only; one example per row
///
/// Errors (`Layout`) when a length disagrees with `n_x·m`.
pub fn pack_cols_to_rows<T: PackLanes>(
    x: &[T],
    n_x: usize,
    m: usize,
    out: &mut [T],
) -> Result<(), KernelError> {
    let size = super::checked_size(n_x, m)?;
    if x.len() != size || out.len() != size {
        return Err(KernelError::layout(format!(
            "pack_cols_to_rows: x has {} and out {} elements, expected n_x·m = {size} (n_x = {n_x}, m = {m})",
            x.len(),
            out.len()
        )));
    }
    let (px, po) = (x.as_ptr(), out.as_mut_ptr());
    let l = T::TILE;
    // LOOP 2: bands of PACK_I examples (output rows).
    for i0 in (0..m).step_by(PACK_I) {
        let i1 = m.min(i0 + PACK_I);
        let i_tiles = i0 + (i1 - i0) / l * l;
        // LOOP 1: blocks of PACK_J features.
        for j0 in (0..n_x).step_by(PACK_J) {
            let j1 = n_x.min(j0 + PACK_J);
            let j_tiles = j0 + (j1 - j0) / l * l;
            // Safety (both parts): i < m and j < n_x, so j·m + i and i·n_x + j are below
            // n_x·m, the length of both buffers (checked above); a tile at (i, j) covers
            // i..i+L ≤ i_tiles ≤ m and j..j+L ≤ j_tiles ≤ n_x. x and out are distinct slices.
            unsafe {
                for i in (i0..i_tiles).step_by(l) {
                    for j in (j0..j_tiles).step_by(l) {
                        T::transpose_tile(px.add(j * m + i), m, po.add(i * n_x + j), n_x);
                    }
                }
                // Edges narrower than a tile: the features past j_tiles of every example,
                // and every feature of the examples past i_tiles.
                for i in i0..i_tiles {
                    for j in j_tiles..j1 {
                        *po.add(i * n_x + j) = *px.add(j * m + i);
                    }
                }
                for i in i_tiles..i1 {
                    for j in j0..j1 {
                        *po.add(i * n_x + j) = *px.add(j * m + i);
                    }
                }
            }
        }
    }
    Ok(())
}
