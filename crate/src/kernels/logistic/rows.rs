//! The rows layout's pass (X is (m, n_x), one example per contiguous row, as sklearn's; also
//! what [`super::pack_cols_to_rows`] makes of the course's layout): every example row is read
//! from memory once.
//!
//! For each walk of up to [`BLOCK`] examples whose rows fit in L2 ([`walk_len`]): z of every
//! example by [`dot_rows`] (one load of w feeds four rows, a quarter of the walk apart:
//! [`walk_z`]); then for each group of [`MR`] consecutive examples their loss and dz in one
//! or two vectors ([`loss_and_dz_at`]) and `dw += Σ dz_i·x_i` by [`axpy_rows`] while the
//! rows are still in L2 (a walk of one group: z, loss and dw of the group in turn, its rows
//! in L1). That is the fusion: the unfused `A = σ(wᵀX + b)`, `dw = X·dZᵀ/m` reads X twice
//! and writes Z, A and dZ.
//!
//! dw accumulates into a block buffer of n_x elements (L1-resident for n_x up to a few
//! thousand), pushed into the pairwise cascade every [`BLOCK`] examples. A mini-batch costs
//! nothing extra here: its rows are read through their indices, each still contiguous.

use super::loss::loss_and_dz_at;
use super::panel::{axpy_rows, dot_rows, quarter_group, store_partial, MR};
use super::problem::{LogisticFloat, Pick, Problem};
use super::sums::{ExampleSums, BLOCK};
use super::workspace::Workspace;
use crate::kernels::fold::Sum;

/// Bytes of example rows one z walk may span, so that they are still in L2 for the dw walk.
const WALK_BYTES: usize = 128 << 10;

/// Examples per walk for rows of `n_x` elements: a power of two from [`MR`] to [`BLOCK`]
/// whose rows span at most [`WALK_BYTES`] (one group when a group's rows are already larger),
/// so a walk never straddles a block.
fn walk_len<T>(n_x: usize) -> usize {
    let fit = WALK_BYTES / (n_x.max(1) * core::mem::size_of::<T>());
    let mut len = MR;
    while len * 2 <= fit.min(BLOCK) {
        len *= 2;
    }
    len
}

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
    let walk = walk_len::<T>(n_x);
    let row = |k: usize| {
        // Safety: pick.index(k) < m, so the row is inside x.
        unsafe { x.add(pick.index(k) * n_x) }
    };
    // z of the walk's examples; a walk of one group keeps it in the group's first MR.
    let mut z = [T::ZERO; BLOCK];
    let mut in_block = 0;
    let mut k0 = 0;
    // LOOP 3: walks of `walk` examples (fewer at the end).
    while k0 < count {
        let len = walk.min(count - k0);
        if walk > MR {
            // Safety: every row holds n_x readable elements, and so does w.
            unsafe { walk_z(w, n_x, len, |k| row(k0 + k), &mut z) };
        }
        // LOOP 2: groups of MR consecutive examples (fewer at the end, one row at a time):
        // their loss and dz, then dw += Σ dz·x while their rows are in L1 or L2.
        let mut k = 0;
        while k < len {
            let g = (len - k).min(MR);
            let rows: [*const T; MR] =
                core::array::from_fn(|r| if r < g { row(k0 + k + r) } else { x });
            let labels: [T; MR] = core::array::from_fn(|r| {
                if r < g {
                    // Safety: the index is < m, inside y.
                    unsafe { *y.add(pick.index(k0 + k + r)) }
                } else {
                    T::ZERO
                }
            });
            if walk == MR {
                // Safety: every row holds n_x readable elements, and so does w.
                unsafe { walk_z(w, n_x, g, |r| rows[r], &mut z) };
            }
            let z = &z[k..k + g];
            let mut dz = [T::ZERO; MR];
            let mut c = 0;
            while c < g {
                let lanes = (g - c).min(T::LANES);
                // Safety: c + lanes ≤ g, inside z, labels and dz.
                unsafe {
                    let (loss, d) = loss_and_dz_at(
                        z.as_ptr().add(c),
                        None,
                        labels.as_ptr().add(c),
                        lanes,
                        b,
                        sums.cost,
                    );
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
        }
        k0 += len;
        in_block += len;
        if in_block == BLOCK || k0 == count {
            // Safety: dw_block holds n_x elements, the cascade's width, and is not inside it.
            unsafe { ws.cascade.push::<Sum>(ws.dw_block.as_ptr(), n_x) };
            ws.dw_block.fill(T::ZERO);
            in_block = 0;
        }
    }
}

/// `z[k] = w·x_k` for the `len` examples `row(k)`, in [`quarter_group`]s of [`MR`] (the rest
/// one at a time). Each z depends only on its row and w, not on the grouping: the bits are the
/// same either way.
///
/// # Safety
/// `w` and every `row(k)`, `k < len ≤ BLOCK`, hold n_x readable elements.
#[inline(always)]
unsafe fn walk_z<T: LogisticFloat>(
    w: *const T,
    n_x: usize,
    len: usize,
    row: impl Fn(usize) -> *const T,
    z: &mut [T; BLOCK],
) {
    let q = len / MR;
    // Safety: as the caller guarantees.
    unsafe {
        for i in 0..q {
            let ks = quarter_group(i, q);
            let zs = dot_rows::<T, MR>(w, ks.map(&row), n_x);
            for r in 0..MR {
                z[ks[r]] = zs[r];
            }
        }
        for (k, zk) in z.iter_mut().enumerate().take(len).skip(MR * q) {
            [*zk] = dot_rows::<T, 1>(w, [row(k)], n_x);
        }
    }
}
