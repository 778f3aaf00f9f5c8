//! Softmax regression fitted by L-BFGS ([`super::lbfgs`]), as scikit-learn's
//! `LogisticRegression(solver="lbfgs")` fits more than two classes (its multinomial loss):
//! θ = (W row-major, k·n_x, then b, k), the objective and gradient of
//! [`super::multinomial`] (two GEMMs and one stable softmax pass per evaluation):
//!
//! ```text
//! f(W, b) = (1/m)·Σᵢ [log Σ_r e^{z_ri} − z_{yᵢ,i}] + (λ/2m)·‖W‖²     λ = 1/C
//! ```
//!
//! The biases are not penalised, so f is unchanged by adding one constant to every b_r; the
//! gradient's b part sums to zero (Σ_r (p_r − t_r) = 0), so from b = 0 every iterate keeps
//! Σ_r b_r = 0 and the minimum reached is the one scikit-learn reports. θ is float64 whatever
//! X's type, as in [`super::logistic_lbfgs`].

use super::lbfgs::{self, minimize, Outcome, Params, State};
use super::logistic_lbfgs::{LbfgsOptions, Widen};
use super::multinomial::{Data, Objective};
use super::network::NetworkFloat;
use crate::error::KernelError;

/// Runs up to `options.iterations` L-BFGS iterations on the softmax-regression objective.
///
/// + d: the data, as [`super::multinomial::multinomial_grad`]
/// + state: [`lbfgs::state_len`]`(k·(n_x + 1), memory)` words; θ at [`lbfgs::HEADER`];
///   zero-filled with θ written for a fresh start, else the previous call's
/// + costs: f of each recorded iteration is pushed, oldest first
///
/// Errors (`Layout`) as [`super::multinomial::multinomial_grad`], or when the state has the
/// wrong length; the state is then untouched.
pub fn multinomial_lbfgs<T: NetworkFloat + Widen>(
    d: &Data<T>,
    state: &mut [f64],
    options: &LbfgsOptions,
    costs: &mut Vec<f64>,
) -> Result<Outcome, KernelError> {
    let weights = d.k.saturating_mul(d.n_x);
    let n = weights.saturating_add(d.k);
    let (expected, got) = (lbfgs::state_len(n, options.memory), state.len());
    let mut st = State::new(state, n, options.memory).ok_or_else(|| {
        KernelError::layout(format!(
            "multinomial_lbfgs: the state has {got} words, expected {expected}"
        ))
    })?;
    let (mut w, mut b) = (vec![T::ZERO; weights], vec![T::ZERO; d.k]);
    let (mut dw, mut db) = (vec![T::ZERO; weights], vec![T::ZERO; d.k]);
    let l2 = T::narrow(options.l2);
    // Checked once, before the solver relies on every evaluation succeeding.
    let mut f = Objective::new(d)?;
    let objective = |theta: &[f64], g: &mut [f64]| {
        let (tw, tb) = theta.split_at(weights);
        w.iter_mut().zip(tw).for_each(|(p, &t)| *p = T::narrow(t));
        b.iter_mut().zip(tb).for_each(|(p, &t)| *p = T::narrow(t));
        let cost = f.grad(&w, &b, l2, &mut dw, &mut db);
        let (gw, gb) = g.split_at_mut(weights);
        gw.iter_mut().zip(&dw).for_each(|(g, &v)| *g = v.widen());
        gb.iter_mut().zip(&db).for_each(|(g, &v)| *g = v.widen());
        cost.widen()
    };
    let params = Params {
        memory: options.memory,
        iterations: options.iterations,
        gtol: options.gtol,
        ftol: options.ftol,
        f_rounding: 64.0 * T::EPSILON,
    };
    let record = |k: usize, f: f64| {
        let g = options.first_iteration + k;
        if options.record_every > 0 && g.is_multiple_of(options.record_every) {
            costs.push(f);
        }
    };
    Ok(minimize(&mut st, &params, objective, record))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kernels::logistic::Layout;

    /// Three separable-ish clusters: converges, with the gradient below tol and Σ b = 0.
    #[test]
    fn converges_with_centred_biases() {
        let (n_x, m, k) = (2usize, 30usize, 3usize);
        let y: Vec<f64> = (0..m).map(|i| (i % k) as f64).collect();
        let x: Vec<f64> = (0..m * n_x)
            .map(|v| {
                let (i, j) = (v / n_x, v % n_x);
                let centre = [[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]][i % k][j];
                centre + ((v * 7919 % 13) as f64 - 6.0) / 6.0
            })
            .collect();
        let d = Data { layout: Layout::Rows, x: &x, n_x, m, labels: &y, k };
        let options = LbfgsOptions {
            l2: 1.0,
            memory: 10,
            iterations: 200,
            first_iteration: 0,
            record_every: 1,
            gtol: 1e-10,
            ftol: f64::NEG_INFINITY,
        };
        let n = k * (n_x + 1);
        let mut state = vec![0.0; lbfgs::state_len(n, 10)];
        let mut costs = Vec::new();
        let out = multinomial_lbfgs(&d, &mut state, &options, &mut costs).unwrap();
        assert_eq!(out.stop, lbfgs::Stop::Converged, "{out:?}");
        assert!((costs[0] - (3.0f64).ln()).abs() < 1e-15);
        let theta = &state[lbfgs::HEADER..lbfgs::HEADER + n];
        let bias_sum: f64 = theta[k * n_x..].iter().sum();
        assert!(bias_sum.abs() < 1e-12, "{bias_sum}");
        assert!(costs.windows(2).all(|c| c[1] <= c[0] * (1.0 + 1e-14)));
    }
}
