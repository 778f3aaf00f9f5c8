//! Products followed by an epilogue ([`super::epilogue`]): `C ← α·A·B + β·C`, then the
//! epilogue on C, fused into the blocked loops' store when the product takes that path.
//!
//! Each entry computes the very bits of the unfused pair: the product is [`super::gemm_via`]'s
//! (`Path::Auto`) or [`super::gemm_prepacked`]'s, and the epilogue reads its final values. Only
//! where the blocked path would run on C's own rows does it run fused (block by block, in cache);
//! the other paths (GEMV, outer product, direct loop, a column-major C that the GEMM computes as
//! `Cᵀ = Bᵀ·Aᵀ`) run the product, then the epilogue over C as one block.

use super::epilogue::Epilogue;
use super::{auto_path, block_sizes, blocked, gemm_via, BlockSource, Gemm, PackedB, Path};
use crate::kernels::operand::{MatMut, MatRef};

/// [`super::gemm_via`]`(Path::Auto, …)`, then `epilogue` on every element of C.
///
/// # Safety
/// As [`super::gemm`] for A, B and C; the epilogue's operands as its [`Epilogue::finish`]
/// requires for C's whole m×n.
#[allow(clippy::too_many_arguments)]
pub unsafe fn gemm_fused<T: Gemm, E: Epilogue<T>>(
    (m, k, n): (usize, usize, usize),
    alpha: T,
    a: MatRef<T>,
    b: MatRef<T>,
    beta: T,
    c: MatMut<T>,
    epilogue: &E,
) {
    if m == 0 || n == 0 {
        return;
    }
    let rows_major = c.rs.unsigned_abs() >= c.cs.unsigned_abs();
    match auto_path::<T>(m, k, n) {
        Path::Blocked { kc, mc, nc } if rows_major => {
            let blocks = block_sizes::<T>((m, k, n), (kc, mc, nc));
            // Safety: as the caller guarantees; the same call gemm_via makes, with the epilogue.
            unsafe {
                blocked((m, k, n), alpha, a, BlockSource::Strided(b), beta, c, blocks, epilogue)
            }
        }
        _ => {
            // Safety: as the caller guarantees; C is final before the epilogue reads it.
            unsafe {
                gemm_via(Path::Auto, (m, k, n), alpha, a, b, beta, c);
                epilogue.finish((0, 0), (m, n), c);
            }
        }
    }
}

/// [`super::gemm_prepacked`], then `epilogue` on every element of C, fused (that product always
/// takes the blocked path).
///
/// # Safety
/// As [`super::gemm_prepacked`]; the epilogue's operands as its [`Epilogue::finish`] requires
/// for C's whole m×n.
pub unsafe fn gemm_prepacked_fused<T: Gemm, E: Epilogue<T>>(
    m: usize,
    alpha: T,
    a: MatRef<T>,
    b: &PackedB<T>,
    beta: T,
    c: MatMut<T>,
    epilogue: &E,
) {
    let (k, n) = b.shape();
    if m == 0 {
        return;
    }
    let blocks = block_sizes::<T>((m, k, n), (T::KC, T::MC, T::NC));
    // Safety: as the caller guarantees; the packed blocks are B's at these block sizes.
    unsafe { blocked((m, k, n), alpha, a, b.source(), beta, c, blocks, epilogue) }
}
