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
//!
//! **Standardised without a copy** ([`Standardization`]): the model fit on x' = (x − μ)/σ is
//! the same linear function of raw x, `w'ᵀx' + b' = wᵀx + b` with `w = w'/σ` and
//! `b = b' − Σⱼ wⱼμⱼ`, so each evaluation runs the fused step on raw X at (w, b) and maps its
//! gradient back: `∂f/∂w'ⱼ = (∂f/∂wⱼ − μⱼ·∂f/∂b)/σⱼ`, `∂f/∂b' = ∂f/∂b`, the L2 penalty on w'
//! (scikit-learn penalises the standardised weights) added in float64. θ = (w', b') throughout, so
//! the solver takes the same steps as on a scaled copy of X, without the copy (X's size again)
//! or the passes that make it. The price is rounding: z = Σ wⱼxⱼ + b sums terms up to
//! (1 + κ)·|w'ⱼ| for κ = max |μⱼ|/σⱼ where the copy's are ~|w'ⱼ|, so f and ∇f carry (1 + κ)
//! times the copy's rounding error; `cost_rounding` scales by it, and the caller keeps the copy
//! where that would matter (float32 with large κ).

use super::lbfgs::{self, minimize, Outcome, Params, State};
use super::logistic::{logistic_grad, logistic_grad_subset, Layout, LogisticFloat};
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

/// A standardisation folded into the objective: μ and σ (> 0) of each feature, float64.
#[derive(Clone, Copy, Debug)]
pub struct Standardization<'a> {
    pub mean: &'a [f64],
    pub scale: &'a [f64],
}

impl Standardization<'_> {
    /// κ = max |μⱼ|/σⱼ: how much more rounding z carries on raw X than on the scaled copy.
    pub fn amplification(&self) -> f64 {
        self.mean.iter().zip(self.scale).fold(0.0, |k: f64, (mu, sd)| k.max(mu.abs() / sd))
    }
}

/// Runs up to `options.iterations` L-BFGS iterations on the logistic objective.
///
/// + layout, x, n_x, m, y: as [`logistic_grad`]
/// + standardized: θ holds the parameters on standardised features (see the module doc)
/// + state: [`lbfgs::state_len`]`(n_x + 1, memory)` words; θ = (w₀…w_{n_x−1}, b) at
///   [`lbfgs::HEADER`]; zero-filled with θ written for a fresh start, else the previous call's
/// + costs: f of each recorded iteration is pushed, oldest first
///
/// Errors (`Layout`) when a length disagrees with n_x and m (as [`logistic_grad`]), μ or σ is
/// not n_x long, or the state has the wrong length; the state is then untouched.
#[allow(clippy::too_many_arguments)]
pub fn logistic_lbfgs<T: Widen>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    standardized: Option<Standardization<'_>>,
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
    if let Some(s) = standardized {
        if s.mean.len() != n_x || s.scale.len() != n_x {
            return Err(KernelError::layout(format!(
                "logistic_lbfgs: μ has {} and σ {} elements, expected n_x = {n_x}",
                s.mean.len(),
                s.scale.len()
            )));
        }
    }
    let mut w = vec![T::ZERO; n_x];
    let mut dw = vec![T::ZERO; n_x];
    // Standardised: the penalty is on w', added here; the fused step runs without one.
    let l2 = T::narrow(if standardized.is_some() { 0.0 } else { options.l2 });
    // Check the operands once, before the solver relies on every evaluation succeeding: the
    // step on example 0 alone checks them all and reads n_x elements, not X (a whole pass per
    // call when it was the full step: 2 of ~14 passes on a 12-iteration fit).
    logistic_grad_subset(layout, x, n_x, m, y, &w, T::ZERO, l2, &[0], &mut dw)?;
    let lambda_m = options.l2 / m as f64;
    let objective = |theta: &[f64], g: &mut [f64]| {
        let Some(s) = standardized else {
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
            return cost.widen();
        };
        // b = b' − Σ wⱼμⱼ with the rounded wⱼ the step uses, so z = Σ wⱼ(xⱼ − μⱼ) + b'.
        let mut shift = 0.0;
        for j in 0..n_x {
            w[j] = T::narrow(theta[j] / s.scale[j]);
            shift += w[j].widen() * s.mean[j];
        }
        let (cost, db) =
            logistic_grad(layout, x, n_x, m, y, &w, T::narrow(theta[n_x] - shift), l2, &mut dw)
                .expect("operands checked above");
        let db = db.widen();
        let mut squares = 0.0;
        for j in 0..n_x {
            g[j] = (dw[j].widen() - s.mean[j] * db) / s.scale[j] + lambda_m * theta[j];
            squares += theta[j] * theta[j];
        }
        g[n_x] = db;
        cost.widen() + 0.5 * lambda_m * squares
    };
    let amplification = standardized.map_or(0.0, |s| s.amplification());
    let params = Params {
        memory: options.memory,
        iterations: options.iterations,
        gtol: options.gtol,
        ftol: options.ftol,
        f_rounding: cost_rounding::<T>() * (1.0 + amplification),
    };
    let record = |k: usize, f: f64| {
        let g = options.first_iteration + k;
        if options.record_every > 0 && g.is_multiple_of(options.record_every) {
            costs.push(f);
        }
    };
    Ok(minimize(&mut st, &params, objective, record))
}
