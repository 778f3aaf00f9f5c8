//! Gradient descent inside wasm (the notes' formula (4), `w := w − α·dw`, `b := b − α·db`):
//! one call runs many iterations, each one fused step ([`super::step`]) and one update, with
//! the step's scratch allocated once per call.
//!
//! Iteration `i` of a call is global iteration `g = first_iteration + i` (so a caller can
//! train in chunks, reporting progress between them) and does, in order:
//!
//! 1. `(J, dw, db)` at the current `(w, b)`; J's exact losses cost an exp and a log1p per
//!    example, so they are computed only when step 3 records J or step 5 needs it; otherwise
//!    the step sums the losses without their bounded log1p terms, which is finite exactly
//!    when J is (see `loss::loss_and_dz`);
//! 2. if J is not finite: stop, [`StopReason::Diverged`], **without** the update (w, b are
//!    the parameters whose cost was not finite, as they were before this iteration's step;
//!    `J` is computed for the report but not recorded), returning `i` iterations run;
//! 3. if `g % record_every == 0`: push J to `costs`;
//! 4. the update `w_j ← w_j − α·dw_j`, `b ← b − α·db` (one multiplication and one subtraction
//!    each, exactly as a caller would write it after [`super::logistic_grad`]);
//! 5. if `tolerance > 0` and the previous iteration's cost `J'` (or `prev_cost` for a call's
//!    first iteration) has `|J − J'| < tolerance`: stop, [`StopReason::Converged`], after the
//!    update, returning `i + 1`.

use super::problem::{check_indices, All, Indexed, Layout, LogisticFloat, Problem};
use super::step::step;
use super::workspace::Workspace;
use crate::error::KernelError;

/// The knobs of [`logistic_train`] and [`logistic_train_subset`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainOptions<T> {
    /// α in `w := w − α·dw`.
    pub learning_rate: T,
    /// λ of the L2 penalty (0: none).
    pub l2: T,
    /// Most iterations this call runs.
    pub iterations: usize,
    /// The global number of this call's first iteration (0 unless training in chunks).
    pub first_iteration: usize,
    /// Record the cost of every global iteration `g` with `g % record_every == 0` (0: never).
    pub record_every: usize,
    /// Stop when `|J − J'| < tolerance` between consecutive iterations (≤ 0 or NaN: never).
    pub tolerance: T,
    /// The cost of the iteration before this call's first (the previous chunk's
    /// [`TrainOutcome::last_cost`]), so the tolerance test spans chunks; `None` at the start.
    pub prev_cost: Option<T>,
}

/// Why a training call returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StopReason {
    /// Ran every requested iteration.
    Completed,
    /// The cost changed by less than the tolerance.
    Converged,
    /// The cost was not finite (learning rate too large, or non-finite data).
    Diverged,
}

/// What a training call did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrainOutcome<T> {
    /// Iterations whose update was applied: w, b are the parameters after this many updates
    /// of this call. On divergence, the iteration that diverged is `first_iteration + iterations`.
    pub iterations: usize,
    pub stop: StopReason,
    /// The cost of the last iteration that computed it (the non-finite one on divergence; with
    /// a tolerance, every iteration does); `prev_cost` if none did. Pass it as the next
    /// chunk's `prev_cost`.
    pub last_cost: Option<T>,
}

/// `iterations` steps of batch gradient descent over all m examples, updating `w` and `b` in
/// place and recording costs; see the module doc for the exact order of each iteration.
///
/// + layout, x, n_x, m, y: as [`super::logistic_grad`]
/// + w, b: the parameters, read and updated
/// + options: [`TrainOptions`]
/// + costs: recorded costs are pushed, oldest first
///
/// Errors (`Layout`) as [`super::logistic_grad`]; w and b are then untouched.
#[allow(clippy::too_many_arguments)]
pub fn logistic_train<T: LogisticFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    w: &mut [T],
    b: &mut T,
    options: &TrainOptions<T>,
    costs: &mut Vec<T>,
) -> Result<TrainOutcome<T>, KernelError> {
    let p = Problem::new("logistic_train", layout, (x, n_x, m), y, options.l2)?;
    p.check_weights("logistic_train", w, w.len())?;
    let mut ws = Workspace::new(n_x);
    Ok(descend(w, b, options, costs, |_, w, b, cost, dw| {
        // Safety: the operands were checked against n_x and m, and m ≥ 1.
        unsafe { step(&p, All(m), w, b, cost, &mut ws, dw) }
    }))
}

/// Mini-batch gradient descent: iteration `i` of the call is one step on the batch
/// `order[c·batch_size .. min((c+1)·batch_size, len)]`, `c = i mod ⌈len/batch_size⌉`, equal to
/// [`super::logistic_grad_subset`] on that batch (so the recorded costs are batch costs, and
/// the tolerance compares consecutive batches: noisy, use it with care).
///
/// + order: example indices (< m), typically a seeded shuffle of `0..m` per epoch; a
///   call may cover several epochs of one order, or the caller passes a new order per call
/// + batch_size: examples per step (≥ 1); the last batch of the order may be smaller
///
/// In the cols layout every batch is gathered column by column (see the `cols` module for the
/// cost): pack X to rows once with [`super::pack_cols_to_rows`] and train in the rows layout.
///
/// Errors (`Layout`) as [`super::logistic_grad_subset`], or for `batch_size == 0`.
#[allow(clippy::too_many_arguments)]
pub fn logistic_train_subset<T: LogisticFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    w: &mut [T],
    b: &mut T,
    order: &[u32],
    batch_size: usize,
    options: &TrainOptions<T>,
    costs: &mut Vec<T>,
) -> Result<TrainOutcome<T>, KernelError> {
    let p = Problem::new("logistic_train_subset", layout, (x, n_x, m), y, options.l2)?;
    p.check_weights("logistic_train_subset", w, w.len())?;
    check_indices("logistic_train_subset", order, m)?;
    if batch_size == 0 {
        return Err(KernelError::layout("logistic_train_subset: batch_size must be at least 1"));
    }
    let batches = order.len().div_ceil(batch_size);
    let mut ws = Workspace::new(n_x);
    Ok(descend(w, b, options, costs, |i, w, b, cost, dw| {
        let start = (i % batches) * batch_size;
        let batch = &order[start..order.len().min(start + batch_size)];
        // Safety: the operands were checked against n_x and m, every index is < m, and the
        // batch is not empty.
        unsafe { step(&p, Indexed(batch), w, b, cost, &mut ws, dw) }
    }))
}

/// The iteration loop shared by both trainers; `grad(i, w, b, cost, dw)` is iteration i's
/// step (`cost`: whether it must compute the cost, see [`super::step::step`]).
fn descend<T: LogisticFloat>(
    w: &mut [T],
    b: &mut T,
    options: &TrainOptions<T>,
    costs: &mut Vec<T>,
    mut grad: impl FnMut(usize, &[T], T, bool, &mut [T]) -> (T, T),
) -> TrainOutcome<T> {
    let mut dw = vec![T::ZERO; w.len()];
    let mut prev = options.prev_cost;
    let alpha = options.learning_rate;
    let converging = options.tolerance > T::ZERO;
    for i in 0..options.iterations {
        let g = options.first_iteration + i;
        let record = options.record_every > 0 && g.is_multiple_of(options.record_every);
        let (cost, db) = grad(i, w, *b, record || converging, &mut dw);
        if !is_finite(cost) {
            // The cost itself for the report, when the step only checked for divergence.
            let cost = if record || converging { cost } else { grad(i, w, *b, true, &mut dw).0 };
            return TrainOutcome {
                iterations: i,
                stop: StopReason::Diverged,
                last_cost: Some(cost),
            };
        }
        if record {
            costs.push(cost);
        }
        update(w, &dw, alpha);
        *b = *b - alpha * db;
        if converging {
            if let Some(p) = prev {
                let change = if cost > p { cost - p } else { p - cost };
                if change < options.tolerance {
                    return TrainOutcome {
                        iterations: i + 1,
                        stop: StopReason::Converged,
                        last_cost: Some(cost),
                    };
                }
            }
        }
        if record || converging {
            prev = Some(cost);
        }
    }
    TrainOutcome { iterations: options.iterations, stop: StopReason::Completed, last_cost: prev }
}

/// `w_j ← w_j − α·dw_j`.
fn update<T: LogisticFloat>(w: &mut [T], dw: &[T], alpha: T) {
    let n = w.len();
    let l = T::LANES;
    let body = n - n % l;
    let av = T::splat(alpha);
    let (pw, pd) = (w.as_mut_ptr(), dw.as_ptr());
    // Safety: w and dw hold n elements (dw was allocated with w's length).
    unsafe {
        for j in (0..body).step_by(l) {
            T::store(pw.add(j), T::vsub(T::load(pw.add(j)), T::vmul(av, T::load(pd.add(j)))));
        }
    }
    for j in body..n {
        w[j] = w[j] - alpha * dw[j];
    }
}

/// Neither infinite nor NaN (`0·x` is ±0 for finite x, NaN otherwise).
#[inline(always)]
fn is_finite<T: LogisticFloat>(x: T) -> bool {
    T::ZERO * x == T::ZERO
}
