//! One gradient step's quantities, whichever layout and whichever examples: the driver that
//! runs a layout's single pass over X ([`super::rows`], [`super::cols`]) and finishes the sums
//! into the cost, dw and db (means over the examples, plus the L2 terms).

use super::cols;
use super::problem::{Layout, LogisticFloat, Pick, Problem};
use super::rows;
use super::sums::ExampleSums;
use super::workspace::Workspace;
use crate::kernels::fold::Sum;

/// `(cost, db)` of the examples `pick` selects from `p`, with `dw` written (see
/// [`super::logistic_grad`] for the formulas; λ is `p.l2`). Without `cost`, the returned cost
/// leaves out the losses' log1p(e^−|z|) terms (each in [0, ln 2]): cheaper, and finite exactly
/// when the cost is.
///
/// # Safety
/// `w` and `dw` hold `p.n_x` elements; `pick.count() ≥ 1` and `pick.index(k) < p.m` for
/// every `k < pick.count()`; `ws` was made for this `n_x`.
pub(super) unsafe fn step<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    w: &[T],
    b: T,
    cost: bool,
    ws: &mut Workspace<T>,
    dw: &mut [T],
) -> (T, T) {
    ws.cascade.reset();
    ws.dw_block.fill(T::ZERO);
    let mut sums = ExampleSums::<T>::new(cost);
    // Safety: as the caller guarantees.
    unsafe {
        match p.layout {
            Layout::Rows => rows::accumulate(p, pick, w, b, ws, &mut sums),
            Layout::Cols => cols::accumulate(p, pick, w, b, ws, &mut sums),
        }
    }
    let (loss, dz) = sums.totals();
    ws.cascade.total::<Sum>(dw);
    finish(pick.count(), w, p.l2, loss, dz, dw)
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
