//! The rows layout's pass (X is (m, n_x), one example per contiguous row, as sklearn's; also
//! what [`super::pack_cols_to_rows`] makes of the course's layout): every example row is read
//! from memory once.
//!
//! For each group of [`MR`] examples: z for the four rows by [`dot_rows`] (one load of w feeds
//! four rows), their loss and dz in one or two vectors ([`loss_and_dz_at`]), then
//! `dw += Σ dz_i·x_i` by [`axpy_rows`] while the four rows (4·n_x elements: 16 KB at
//! n_x = 1000 in f32) are still in L1. That is the fusion: the unfused `A = σ(wᵀX + b)`,
//! `dw = X·dZᵀ/m` reads X twice and writes Z, A and dZ.
//!
//! dw accumulates into a block buffer of n_x elements (L1-resident for n_x up to a few
//! thousand), pushed into the pairwise cascade every [`BLOCK`] examples. A mini-batch costs
//! nothing extra here: its rows are read through their indices, each still contiguous.

use super::loss::loss_and_dz_at;
use super::panel::{axpy_rows, dot_rows, store_partial, MR};
use super::problem::{LogisticFloat, Pick, Problem};
use super::sums::{ExampleSums, BLOCK};
use super::workspace::Workspace;
use crate::kernels::fold::Sum;

/// Adds the picked examples' loss and dz to `sums` and their `Σ dz·x` to `ws.cascade`
/// (whose block buffer `ws.dw_block` must be zero). X is `p.x` in the rows layout.
///
/// # Safety
/// `w` holds n_x elements and `pick.index(k) < m` for `k < pick.count()`.
pub(super) unsafe fn accumulate<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    w: &[T],
    b: T,
    ws: &mut Workspace<T>,
    sums: &mut ExampleSums<T>,
) {
    let (x, n_x, y, w) = (p.x.as_ptr(), p.n_x, p.y.as_ptr(), w.as_ptr());
    let count = pick.count();
    let mut in_block = 0;
    let mut k = 0;
    // LOOP 1: groups of MR examples (fewer at the end, one row at a time).
    while k < count {
        let g = (count - k).min(MR);
        let mut rows = [x; MR];
        let mut labels = [T::ZERO; MR];
        for r in 0..g {
            let i = pick.index(k + r);
            // Safety: i < m, so row i and label i are inside x and y.
            unsafe {
                rows[r] = x.add(i * n_x);
                labels[r] = *y.add(i);
            }
        }
        // Safety: every row holds n_x readable elements, and so does w.
        let z = unsafe {
            if g == MR {
                dot_rows::<T, MR>(w, rows, n_x)
            } else {
                let mut z = [T::ZERO; MR];
                for r in 0..g {
                    [z[r]] = dot_rows::<T, 1>(w, [rows[r]], n_x);
                }
                z
            }
        };
        let mut dz = [T::ZERO; MR];
        let mut c = 0;
        while c < g {
            let lanes = (g - c).min(T::LANES);
            // Safety: c + lanes ≤ g ≤ MR, inside z, labels and dz.
            unsafe {
                let (loss, d) =
                    loss_and_dz_at(z.as_ptr().add(c), labels.as_ptr().add(c), lanes, b, sums.cost);
                sums.feed(loss, d);
                store_partial(dz.as_mut_ptr().add(c), d, lanes);
            }
            c += lanes;
        }
        let block = ws.dw_block.as_mut_ptr();
        // Safety: block holds n_x elements and is disjoint from X; every row holds n_x.
        unsafe {
            if g == MR {
                axpy_rows::<T, MR>(block, dz, rows, n_x);
            } else {
                for r in 0..g {
                    axpy_rows::<T, 1>(block, [dz[r]], [rows[r]], n_x);
                }
            }
        }
        k += g;
        in_block += g;
        if in_block == BLOCK || k == count {
            // Safety: dw_block holds n_x elements, the cascade's width, and is not inside it.
            unsafe { ws.cascade.push::<Sum>(ws.dw_block.as_ptr(), n_x) };
            ws.dw_block.fill(T::ZERO);
            in_block = 0;
        }
    }
}
