//! One gradient step's quantities, whichever layout and whichever examples: the driver that
//! runs a layout's single pass over X ([`super::rows`], [`super::cols`]) and finishes the sums
//! into the cost, dw and db (means over the examples, plus the L2 terms).
//!
//! Scratch lives in a [`Workspace`] that [`super::logistic_train`] keeps across iterations, so
//! a training step allocates nothing once the first step has sized it.

use super::cols;
use super::rows;
use super::sums::ExampleSums;
use super::{Layout, LogisticFloat};
use crate::kernels::fold::{RowCascade, Sum};

/// Which examples a step reads, by their position `k` in the step (`k < count`).
pub(super) trait Pick: Copy {
    /// Whether example `k` is example `k` of X (so a tile of examples is a contiguous range).
    const CONTIGUOUS: bool;
    /// The column (cols layout) or row (rows layout) of X holding the step's `k`-th example.
    fn index(&self, k: usize) -> usize;
}

/// Every example, in order.
#[derive(Clone, Copy)]
pub(super) struct All;

impl Pick for All {
    const CONTIGUOUS: bool = true;
    #[inline(always)]
    fn index(&self, k: usize) -> usize {
        k
    }
}

/// The examples listed (a mini-batch), in the list's order.
#[derive(Clone, Copy)]
pub(super) struct Indexed<'a>(pub(super) &'a [u32]);

impl Pick for Indexed<'_> {
    const CONTIGUOUS: bool = false;
    #[inline(always)]
    fn index(&self, k: usize) -> usize {
        self.0[k] as usize
    }
}

/// Scratch of one step, reused across steps.
pub(super) struct Workspace<T: LogisticFloat> {
    /// The pairwise cascade of dw's block sums (`n_x` per level).
    pub(super) cascade: RowCascade<T>,
    /// `n_x`: the rows layout's block accumulator of dw, the cols layout's dw of one tile.
    pub(super) dw_block: Vec<T>,
    /// Cols layout, one tile each: z, z of the current chunk of feature rows, dz, labels.
    pub(super) z: Vec<T>,
    pub(super) z_part: Vec<T>,
    pub(super) dz: Vec<T>,
    pub(super) y_tile: Vec<T>,
    /// Cols layout with a mini-batch: the batch's tile gathered, `n_x × tile` row-major.
    pub(super) tile: Vec<T>,
}

impl<T: LogisticFloat> Workspace<T> {
    pub(super) fn new(n_x: usize) -> Self {
        Workspace {
            cascade: RowCascade::new(n_x),
            dw_block: vec![T::ZERO; n_x],
            z: Vec::new(),
            z_part: Vec::new(),
            dz: Vec::new(),
            y_tile: Vec::new(),
            tile: Vec::new(),
        }
    }

    /// Sizes the cols layout's buffers for tiles of `width` examples (`gather`: a mini-batch).
    pub(super) fn size_cols(&mut self, n_x: usize, width: usize, gather: bool) {
        for buf in [&mut self.z, &mut self.z_part, &mut self.dz, &mut self.y_tile] {
            if buf.len() < width {
                buf.resize(width, T::ZERO);
            }
        }
        if gather && self.tile.len() < n_x * width {
            self.tile.resize(n_x * width, T::ZERO);
        }
    }
}

/// `(cost, db)` of the `count` examples `pick` selects, with `dw` written (see
/// [`super::logistic_grad`] for the formulas). Without `cost`, the returned cost leaves out the
/// losses' log1p(e^−|z|) terms (each in [0, ln 2]): cheaper, and finite exactly when the cost is.
///
/// # Safety
/// `x` holds `n_x·m` elements in `layout`, `y` holds m, `w` and `dw` hold `n_x`;
/// `count ≥ 1` and `pick.index(k) < m` for every `k < count`; `ws` was made for this `n_x`.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn step<T: LogisticFloat, P: Pick>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    pick: P,
    count: usize,
    y: &[T],
    w: &[T],
    b: T,
    l2: T,
    cost: bool,
    ws: &mut Workspace<T>,
    dw: &mut [T],
) -> (T, T) {
    ws.cascade.reset();
    ws.dw_block.fill(T::ZERO);
    let mut sums = ExampleSums::<T>::new(cost);
    // Safety: as the caller guarantees.
    unsafe {
        match layout {
            Layout::Rows => rows::accumulate(
                x.as_ptr(),
                n_x,
                pick,
                count,
                y.as_ptr(),
                w.as_ptr(),
                b,
                ws,
                &mut sums,
            ),
            Layout::Cols => cols::accumulate(
                x.as_ptr(),
                n_x,
                m,
                pick,
                count,
                y.as_ptr(),
                w.as_ptr(),
                b,
                ws,
                &mut sums,
            ),
        }
    }
    let (loss, dz) = sums.totals();
    ws.cascade.total::<Sum>(dw);
    finish(count, w, l2, loss, dz, dw)
}

/// Means and L2: `cost = (Σ loss + (λ/2)·‖w‖²)/m`, `dw = (Σ dz·x + λ·w)/m`, `db = Σ dz / m`
/// (each a division by m, not a product with a rounded 1/m). With λ = 0 the L2 terms are
/// skipped, so a huge w cannot turn `0·‖w‖²` into NaN.
fn finish<T: LogisticFloat>(count: usize, w: &[T], l2: T, loss: T, dz: T, dw: &mut [T]) -> (T, T) {
    let m = T::from_usize(count);
    let n_x = w.len();
    let l = T::LANES;
    let mv = T::splat(m);
    let body = n_x - n_x % l;
    let (pw, pd) = (w.as_ptr(), dw.as_mut_ptr());
    if l2 == T::ZERO {
        // Safety: dw holds n_x elements.
        unsafe {
            for j in (0..body).step_by(l) {
                T::store(pd.add(j), T::vdiv(T::load(pd.add(j)), mv));
            }
        }
        for d in &mut dw[body..] {
            *d = *d / m;
        }
        return (loss / m, dz / m);
    }
    let lv = T::splat(l2);
    // Safety: w and dw hold n_x elements.
    unsafe {
        for j in (0..body).step_by(l) {
            let reg = T::vmul(lv, T::load(pw.add(j)));
            T::store(pd.add(j), T::vdiv(T::vadd(T::load(pd.add(j)), reg), mv));
        }
    }
    for j in body..n_x {
        dw[j] = (dw[j] + l2 * w[j]) / m;
    }
    // Safety: w holds n_x elements.
    let [wsq] = unsafe { super::panel::dot_rows::<T, 1>(pw, [pw], n_x) };
    ((loss + T::HALF * l2 * wsq) / m, dz / m)
}
