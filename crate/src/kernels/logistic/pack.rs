//! Re-laying the course's X (n_x, m), examples in columns, into example-major order (m, n_x),
//! once per fit, so every training step runs the rows pass (each example one contiguous
//! row: see [`super::rows`]) instead of the tiled cols pass, whose n_x concurrent row streams
//! the prefetchers follow poorly. GEMM packs its panels for the same reason.
//!
//! The transpose goes in blocks of [`PACK_J`] features × [`PACK_I`] examples, so both the
//! block's reads (PACK_J segments of X rows) and its writes (PACK_I segments of output rows)
//! stay in L1/L2 while it is transposed and each cache line moves once; inside a block, L×L
//! tiles (L = lanes) are transposed in registers by [`Lanes::transpose_tile`] (wasm
//! shuffles), four or two vector loads and stores per tile instead of one scalar load and
//! store per element.

use super::problem::checked_size;
use crate::error::KernelError;
use crate::simd::Lanes;

/// Features (X rows) per block: each output row gets a 512 B (f32) segment per block.
pub const PACK_J: usize = 128;
/// Examples (X columns) per block: each X row is read in 1 KB (f32) segments; a block is
/// 128 KB (f32) or 256 KB (f64), inside L2.
pub const PACK_I: usize = 256;

/// `out[i·n_x + j] = x[j·m + i]`: X (n_x, m) row-major into (m, n_x) row-major.
///
/// + x: `n_x·m` elements, examples in columns
/// + out: `m·n_x` elements, written only; one example per row
///
/// Errors (`Layout`) when a length disagrees with `n_x·m`.
pub fn pack_cols_to_rows<T: Lanes>(
    x: &[T],
    n_x: usize,
    m: usize,
    out: &mut [T],
) -> Result<(), KernelError> {
    let size = checked_size(n_x, m)?;
    if x.len() != size || out.len() != size {
        return Err(KernelError::layout(format!(
            "pack_cols_to_rows: x has {} and out {} elements, expected n_x·m = {size} (n_x = {n_x}, m = {m})",
            x.len(),
            out.len()
        )));
    }
    let (px, po) = (x.as_ptr(), out.as_mut_ptr());
    let l = T::LANES;
    // LOOP 2: bands of PACK_I examples (output rows).
    for i0 in (0..m).step_by(PACK_I) {
        let i1 = m.min(i0 + PACK_I);
        let i_tiles = i0 + (i1 - i0) / l * l;
        // LOOP 1: blocks of PACK_J features.
        for j0 in (0..n_x).step_by(PACK_J) {
            let j1 = n_x.min(j0 + PACK_J);
            let j_tiles = j0 + (j1 - j0) / l * l;
            // Safety: (both parts) i < m and j < n_x, so j·m + i and i·n_x + j are below
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
