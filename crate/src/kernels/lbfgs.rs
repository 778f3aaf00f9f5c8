//! L-BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.5 with the
//! two-loop recursion 7.4), minimising a smooth f: ℝⁿ → ℝ given f and ∇f together, in float64.
//!
//! ```text
//! d_k = −H_k·g_k                   H_k from the last `memory` pairs (s_i, y_i), H⁰ = γ·I,
//!                                  γ = s·y / y·y of the newest pair (N&W eq. 7.20)
//! θ_{k+1} = θ_k + α_k·d_k           α_k from a strong-Wolfe line search (`line_search`)
//! s_k = θ_{k+1} − θ_k,  y_k = g_{k+1} − g_k   (kept when y·s > ε·y·y: curvature holds)
//! ```
//!
//! Stops as scipy's L-BFGS-B does under scikit-learn's settings: `max_i |g_i| ≤ gtol` (the
//! projected gradient of an unbounded problem), or a relative decrease of f below `ftol`
//! (scikit-learn passes 64·ε), or a line search that finds no acceptable step (scipy's
//! "ABNORMAL_TERMINATION_IN_LNSRCH", which scikit-learn reports as a ConvergenceWarning).
//!
//! The state lives in one caller-owned `[f64]` (see [`State`]), so a caller can run a few
//! iterations per call, report progress between calls, and continue where it stopped.

use super::dot::dot;
use super::line_search::strong_wolfe;

/// Header words at the start of the state, before θ.
pub const HEADER: usize = 4;
/// Most evaluations one line search may spend (scikit-learn's `maxls`).
pub const MAX_LINE_SEARCH: usize = 50;

/// Words of state for n parameters and `memory` pairs: `[evaluated, f, pairs, newest] θ g
/// S(memory×n) Y(memory×n) ρ(memory)`. A zero-filled state with θ written is a fresh start.
pub fn state_len(n: usize, memory: usize) -> usize {
    HEADER + 2 * n + 2 * memory * n + memory
}

/// Why [`minimize`] returned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Ran this call's iterations; call again to continue.
    Running,
    /// `max |g_i| ≤ gtol`.
    Converged,
    /// The relative decrease of f fell below `ftol`: f cannot get meaningfully lower.
    NoProgress,
    /// No step along the direction satisfied the line search (even from steepest descent).
    LineSearch,
    /// f or ∇f is not finite at the current point.
    Diverged,
}

/// The settings of one call of [`minimize`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Params {
    /// Pairs (s, y) kept (scipy's and scikit-learn's default: 10).
    pub memory: usize,
    /// Most iterations this call runs.
    pub iterations: usize,
    /// Stop when `max |g_i| ≤ gtol`.
    pub gtol: f64,
    /// Stop when `(f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol`.
    pub ftol: f64,
    /// f's relative rounding error: the line search may accept a step whose slope proves
    /// progress while f is unchanged to within it (see `line_search`).
    pub f_rounding: f64,
}

/// What one call did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Iterations completed by this call (each one accepted step).
    pub iterations: usize,
    pub stop: Stop,
    /// f and `max |g_i|` at the current point.
    pub f: f64,
    pub grad_max: f64,
}

/// The state's parts, as views into the caller's buffer.
pub struct State<'a> {
    header: &'a mut [f64],
    /// The current point (written by the caller before the first call).
    pub theta: &'a mut [f64],
    grad: &'a mut [f64],
    s: &'a mut [f64],
    y: &'a mut [f64],
    rho: &'a mut [f64],
}

impl<'a> State<'a> {
    /// Splits `buf` (exactly [`state_len`]`(n, memory)` words) into its parts.
    pub fn new(buf: &'a mut [f64], n: usize, memory: usize) -> Option<Self> {
        if buf.len() != state_len(n, memory) {
            return None;
        }
        let (header, rest) = buf.split_at_mut(HEADER);
        let (theta, rest) = rest.split_at_mut(n);
        let (grad, rest) = rest.split_at_mut(n);
        let (s, rest) = rest.split_at_mut(memory * n);
        let (y, rho) = rest.split_at_mut(memory * n);
        Some(State { header, theta, grad, s, y, rho })
    }
}

/// Runs up to `params.iterations` L-BFGS iterations from the state, updating it in place.
/// `objective(θ, g) → f` writes ∇f(θ) into g. `on_iteration(k, f)` is called after each
/// completed iteration (k counts from 1 within this call), and with k = 0 for a fresh state's
/// first evaluation.
///
/// A fresh state (header zero) first evaluates f and ∇f at θ; that evaluation is kept in the
/// state, so a later call starts with no extra evaluation.
pub fn minimize(
    st: &mut State<'_>,
    params: &Params,
    mut objective: impl FnMut(&[f64], &mut [f64]) -> f64,
    mut on_iteration: impl FnMut(usize, f64),
) -> Outcome {
    let n = st.theta.len();
    let k_max = params.memory;
    if st.header[0] == 0.0 {
        st.header[1] = objective(st.theta, st.grad);
        st.header[0] = 1.0;
        on_iteration(0, st.header[1]);
    }
    let mut f = st.header[1];
    let mut d = vec![0.0; n];
    let mut alpha = vec![0.0; k_max];
    let mut trial = vec![0.0; n];
    let mut trial_g = vec![0.0; n];
    let outcome =
        |iterations, stop, f: f64, g: &[f64]| Outcome { iterations, stop, f, grad_max: max_abs(g) };
    for it in 0..=params.iterations {
        if !f.is_finite() || !st.grad.iter().all(|g| g.is_finite()) {
            return outcome(it, Stop::Diverged, f, st.grad);
        }
        if max_abs(st.grad) <= params.gtol {
            return outcome(it, Stop::Converged, f, st.grad);
        }
        if it == params.iterations {
            return outcome(it, Stop::Running, f, st.grad);
        }
        // Try the quasi-Newton direction; if its line search fails, forget the pairs and try
        // steepest descent once before giving up (scipy restarts the same way).
        let mut step = None;
        for attempt in 0..2 {
            let pairs = st.header[2] as usize;
            if attempt == 1 {
                if pairs == 0 {
                    break;
                }
                st.header[2] = 0.0;
            }
            direction(st, n, k_max, &mut alpha, &mut d);
            let mut slope0 = dot(st.grad, &d);
            if slope0 >= 0.0 || !slope0.is_finite() {
                // Rounding made H·g useless: steepest descent instead.
                st.header[2] = 0.0;
                direction(st, n, k_max, &mut alpha, &mut d);
                slope0 = dot(st.grad, &d);
            }
            // Without curvature information, a first step of length 1 in θ (as scipy).
            let a0 = if st.header[2] == 0.0 { (1.0 / norm(&d)).min(1.0) } else { 1.0 };
            let theta = &*st.theta;
            step = strong_wolfe(f, slope0, a0, MAX_LINE_SEARCH, params.f_rounding, |a| {
                for j in 0..n {
                    trial[j] = theta[j] + a * d[j];
                }
                let fa = objective(&trial, &mut trial_g);
                (fa, dot(&trial_g, &d))
            });
            if step.is_some() {
                break;
            }
        }
        let Some(step) = step else {
            return outcome(it, Stop::LineSearch, f, st.grad);
        };
        // The search's last evaluation was at the accepted step: trial and trial_g hold it.
        // s = θ⁺ − θ and y = g⁺ − g go into the newest slot.
        let mut sy = 0.0;
        let mut yy = 0.0;
        for j in 0..n {
            let yj = trial_g[j] - st.grad[j];
            sy += (trial[j] - st.theta[j]) * yj;
            yy += yj * yj;
        }
        // Keep the pair only with positive curvature (the Wolfe step guarantees it in exact
        // arithmetic); otherwise H would lose positive definiteness. It replaces the oldest.
        if k_max > 0 && sy > f64::EPSILON * yy {
            let slot = (st.header[3] as usize + 1) % k_max;
            for j in 0..n {
                st.s[slot * n + j] = trial[j] - st.theta[j];
                st.y[slot * n + j] = trial_g[j] - st.grad[j];
            }
            st.rho[slot] = 1.0 / sy;
            st.header[3] = slot as f64;
            st.header[2] = (st.header[2] + 1.0).min(k_max as f64);
        }
        st.theta.copy_from_slice(&trial);
        st.grad.copy_from_slice(&trial_g);
        let f_old = f;
        f = step.f;
        st.header[1] = f;
        on_iteration(it + 1, f);
        if (f_old - f) / f_old.abs().max(f.abs()).max(1.0) <= params.ftol
            && max_abs(st.grad) > params.gtol
        {
            return outcome(it + 1, Stop::NoProgress, f, st.grad);
        }
    }
    unreachable!("the loop returns at it == params.iterations")
}

/// `d = −H·g` by the two-loop recursion over the stored pairs, newest first.
fn direction(st: &State<'_>, n: usize, k_max: usize, alpha: &mut [f64], d: &mut [f64]) {
    for (dj, gj) in d.iter_mut().zip(st.grad.iter()) {
        *dj = -gj;
    }
    let pairs = st.header[2] as usize;
    if pairs == 0 {
        return;
    }
    let newest = st.header[3] as usize;
    let slot = |i: usize| (newest + k_max - i) % k_max; // i = 0: newest
    for i in 0..pairs {
        let k = slot(i);
        let a = st.rho[k] * dot(&st.s[k * n..(k + 1) * n], d);
        alpha[k] = a;
        axpy(-a, &st.y[k * n..(k + 1) * n], d);
    }
    let k = slot(0);
    let (s, y) = (&st.s[k * n..(k + 1) * n], &st.y[k * n..(k + 1) * n]);
    let gamma = dot(s, y) / dot(y, y);
    for v in d.iter_mut() {
        *v *= gamma;
    }
    for i in (0..pairs).rev() {
        let k = slot(i);
        let beta = st.rho[k] * dot(&st.y[k * n..(k + 1) * n], d);
        axpy(alpha[k] - beta, &st.s[k * n..(k + 1) * n], d);
    }
}

fn axpy(a: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += a * xi;
    }
}

fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// `max |a_i|` (0 for an empty slice; NaN if any is NaN).
pub fn max_abs(a: &[f64]) -> f64 {
    a.iter()
        .fold(0.0, |m: f64, &x| if x.is_nan() || m.is_nan() { f64::NAN } else { m.max(x.abs()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rosenbrock's function, the classic hard valley: converges to (1, 1).
    fn rosenbrock(t: &[f64], g: &mut [f64]) -> f64 {
        let (x, y) = (t[0], t[1]);
        g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
        g[1] = 200.0 * (y - x * x);
        (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
    }

    fn run(
        n: usize,
        start: &[f64],
        params: Params,
        f: impl FnMut(&[f64], &mut [f64]) -> f64,
    ) -> (Vec<f64>, Outcome, Vec<f64>) {
        let mut buf = vec![0.0; state_len(n, params.memory)];
        let mut st = State::new(&mut buf, n, params.memory).unwrap();
        st.theta.copy_from_slice(start);
        let mut costs = vec![];
        let out = minimize(&mut st, &params, f, |_, f| costs.push(f));
        (st.theta.to_vec(), out, costs)
    }

    const P: Params =
        Params { memory: 10, iterations: 500, gtol: 1e-10, ftol: -1.0, f_rounding: 0.0 };

    #[test]
    fn minimises_rosenbrock_with_decreasing_costs() {
        let (t, out, costs) = run(2, &[-1.2, 1.0], P, rosenbrock);
        assert_eq!(out.stop, Stop::Converged, "{out:?}");
        assert!((t[0] - 1.0).abs() < 1e-8 && (t[1] - 1.0).abs() < 1e-8, "{t:?}");
        assert!(costs.windows(2).all(|w| w[1] <= w[0]), "{costs:?}");
        assert!(out.iterations < 100, "{out:?}");
    }

    /// A call in chunks of 3 iterations reaches exactly the point one long call reaches.
    #[test]
    fn chunks_continue_where_they_stopped() {
        let (whole, _, _) = run(2, &[-1.2, 1.0], P, rosenbrock);
        let mut buf = vec![0.0; state_len(2, 10)];
        let mut st = State::new(&mut buf, 2, 10).unwrap();
        st.theta.copy_from_slice(&[-1.2, 1.0]);
        let mut evaluations = 0;
        loop {
            let out = minimize(
                &mut st,
                &Params { iterations: 3, ..P },
                |t, g| {
                    evaluations += 1;
                    rosenbrock(t, g)
                },
                |_, _| {},
            );
            if out.stop != Stop::Running {
                break;
            }
        }
        assert_eq!(st.theta.to_vec(), whole);
        assert!(evaluations > 0);
    }

    /// An ill-conditioned quadratic Σ cᵢ·θᵢ²/2 with cᵢ from 1 to 10⁴: converges in under a
    /// thousand iterations, where gradient descent with step 1/L needs ~10⁴·ln(10¹²) ≈ 3·10⁵.
    #[test]
    fn handles_ill_conditioning() {
        let c: Vec<f64> = (0..30).map(|i| 10f64.powf(4.0 * i as f64 / 29.0)).collect();
        let f = |t: &[f64], g: &mut [f64]| {
            let mut s = 0.0;
            for i in 0..t.len() {
                g[i] = c[i] * t[i];
                s += 0.5 * c[i] * t[i] * t[i];
            }
            s
        };
        let (t, out, _) = run(30, &[1.0; 30], Params { iterations: 1500, gtol: 1e-8, ..P }, f);
        assert_eq!(out.stop, Stop::Converged, "{out:?}");
        assert!(t.iter().zip(&c).all(|(x, ci)| (ci * x).abs() <= 1e-8));
    }

    /// scikit-learn's ftol: a relative decrease below it stops the run, reported apart from
    /// convergence.
    #[test]
    fn stops_on_a_small_relative_decrease() {
        let (_, out, _) = run(2, &[-1.2, 1.0], Params { ftol: 1e-2, ..P }, rosenbrock);
        assert_eq!(out.stop, Stop::NoProgress, "{out:?}");
        assert!(out.grad_max > P.gtol);
    }

    #[test]
    fn reports_non_finite_objectives() {
        let (_, out, _) = run(1, &[0.0], P, |_, g| {
            g[0] = f64::NAN;
            f64::NAN
        });
        assert_eq!((out.stop, out.iterations), (Stop::Diverged, 0));
    }

    #[test]
    fn a_converged_start_runs_no_iteration() {
        let (_, out, _) = run(1, &[0.0], P, |t, g| {
            g[0] = t[0];
            0.5 * t[0] * t[0]
        });
        assert_eq!((out.stop, out.iterations, out.grad_max), (Stop::Converged, 0, 0.0));
    }

    #[test]
    fn stops_after_the_asked_iterations() {
        let (_, out, costs) = run(2, &[-1.2, 1.0], Params { iterations: 4, ..P }, rosenbrock);
        assert_eq!((out.stop, out.iterations, costs.len()), (Stop::Running, 4, 5));
    }

    #[test]
    fn state_len_matches_its_parts() {
        let mut buf = vec![0.0; state_len(5, 3)];
        assert!(State::new(&mut buf, 5, 3).is_some());
        assert!(State::new(&mut buf[1..], 5, 3).is_none());
    }
}
