//! Logistic regression fitted by L-BFGS ([`super::lbfgs`]): the parameters θ = (w, b), the
//! objective and its gradient from the fused step [`logistic_grad`] (X read once per
//! evaluation), as scikit-learn's `LogisticRegression(solver="lbfgs")` minimises it:
//!
//! ```text
//! f(w, b) = (1/m)·Σᵢ [log(1 + e^zᵢ) − yᵢ·zᵢ] + (λ/2m)·‖w‖²     λ = 1/C, the bias not penalised
//! ```
//!
//! (scikit-learn ≥ 1.2 scales its objective the same way: the mean loss plus
//! `‖w‖² / (2·C·m)`, so its `tol` on the gradient means the same here.)
//!
//! θ is kept in float64 whatever X's type: the two-loop recursion's dot products and the
//! line search's trial points would otherwise round at float32's 6e-8 relative. Each
//! evaluation rounds w and b to X's type, as the stored model will hold them.

use super::lbfgs::{self, minimize, Outcome, Params, State};
use super::logistic::{logistic_grad, Layout, LogisticFloat};
use crate::error::KernelError;

/// The knobs of [`logistic_lbfgs`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LbfgsOptions {
    /// λ of the L2 penalty (scikit-learn's 1/C; 0: none).
    pub l2: f64,
    /// L-BFGS's pairs (scikit-learn: 10).
    pub memory: usize,
    /// Most iterations this call runs.
    pub iterations: usize,
    /// Global number of this call's first iteration (training in chunks).
    pub first_iteration: usize,
    /// Record f at every global iteration that is a multiple of this (0: never).
    pub record_every: usize,
    /// Stop at `max |∂f| ≤ gtol` (scikit-learn's `tol`, default 1e-4).
    pub gtol: f64,
    /// Stop when f's relative decrease is at most this (scikit-learn: 64·ε; −∞: never).
    pub ftol: f64,
}

/// The relative error of a cost the fused step computes in T: its pairwise sums are within
/// ~30–45 roundings (see the `logistic` module doc), so 64 ε covers them.
fn cost_rounding<T: Widen>() -> f64 {
    64.0 * T::EPSILON
}

/// Conversion between the element type and the solver's float64.
pub trait Widen: LogisticFloat {
    /// The type's machine epsilon, as a float64.
    const EPSILON: f64;
    fn widen(self) -> f64;
    fn narrow(v: f64) -> Self;
}

impl Widen for f32 {
    const EPSILON: f64 = f32::EPSILON as f64;
    fn widen(self) -> f64 {
        self as f64
    }
    fn narrow(v: f64) -> f32 {
        v as f32
    }
}

impl Widen for f64 {
    const EPSILON: f64 = f64::EPSILON;
    fn widen(self) -> f64 {
        self
    }
    fn narrow(v: f64) -> f64 {
        v
    }
}

/// Runs up to `options.iterations` L-BFGS iterations on the logistic objective.
///
/// + layout, x, n_x, m, y: as [`logistic_grad`]
/// + state: [`lbfgs::state_len`]`(n_x + 1, memory)` words; θ = (w₀…w_{n_x−1}, b) at
///   [`lbfgs::HEADER`]; zero-filled with θ written for a fresh start, else the previous call's
/// + costs: f of each recorded iteration is pushed, oldest first
///
/// Errors (`Layout`) when a length disagrees with n_x and m (as [`logistic_grad`]) or the
/// state has the wrong length; the state is then untouched.
#[allow(clippy::too_many_arguments)]
pub fn logistic_lbfgs<T: Widen>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    state: &mut [f64],
    options: &LbfgsOptions,
    costs: &mut Vec<f64>,
) -> Result<Outcome, KernelError> {
    let n = n_x + 1;
    let (expected, got) = (lbfgs::state_len(n, options.memory), state.len());
    let mut st = State::new(state, n, options.memory).ok_or_else(|| {
        KernelError::layout(format!(
            "logistic_lbfgs: the state has {got} words, expected {expected}"
        ))
    })?;
    let mut w = vec![T::ZERO; n_x];
    let mut dw = vec![T::ZERO; n_x];
    let l2 = T::narrow(options.l2);
    // Check the operands once, before the solver relies on every evaluation succeeding.
    logistic_grad(layout, x, n_x, m, y, &w, T::ZERO, l2, &mut dw)?;
    let objective = |theta: &[f64], g: &mut [f64]| {
        for (wj, &t) in w.iter_mut().zip(theta) {
            *wj = T::narrow(t);
        }
        let (cost, db) =
            logistic_grad(layout, x, n_x, m, y, &w, T::narrow(theta[n_x]), l2, &mut dw)
                .expect("operands checked above");
        for (gj, &d) in g.iter_mut().zip(&dw) {
            *gj = d.widen();
        }
        g[n_x] = db.widen();
        cost.widen()
    };
    let params = Params {
        memory: options.memory,
        iterations: options.iterations,
        gtol: options.gtol,
        ftol: options.ftol,
        f_rounding: cost_rounding::<T>(),
    };
    let record = |k: usize, f: f64| {
        let g = options.first_iteration + k;
        if options.record_every > 0 && g.is_multiple_of(options.record_every) {
            costs.push(f);
        }
    };
    Ok(minimize(&mut st, &params, objective, record))
}
