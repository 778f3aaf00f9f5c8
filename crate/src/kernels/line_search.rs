//! A line search along a descent direction d that returns a step α satisfying the strong Wolfe
//! conditions (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithms 3.5 and 3.6:
//! bracketing, then zoom with safeguarded cubic interpolation):
//!
//! ```text
//! φ(α) ≤ φ(0) + c₁·α·φ'(0)        (sufficient decrease)
//! |φ'(α)| ≤ c₂·|φ'(0)|            (curvature: the step is not too short)
//! ```
//!
//! with `φ(α) = f(θ + α·d)`, `φ'(0) < 0`. The curvature condition keeps `yᵀs > 0`, so L-BFGS's
//! inverse-Hessian estimate stays positive definite and its next direction is a descent one.
//!
//! Rounding: once the decrease `c₁·α·|φ'(0)|` falls below the cost's rounding (float32 costs
//! carry ~1e-6 relative error, float64 ~1e-15), the sufficient-decrease test is decided by noise.
//! As Hager & Zhang (2005, "approximate Wolfe conditions") do, a step is then also accepted when
//! its slope proves progress, `φ'(α) ≤ (2c₁ − 1)·φ'(0)` (the sufficient-decrease test of the
//! quadratic that interpolates φ(0), φ'(0), φ'(α)), provided `φ(α) ≤ φ(0) + ε_f·|φ(0)|`, with
//! ε_f the cost's relative rounding (their ε): an accepted step never raises the cost by more
//! than the cost's own error.

/// c₁ of the sufficient-decrease condition (Nocedal & Wright's and scipy's value).
pub const C1: f64 = 1e-4;
/// c₂ of the curvature condition: 0.9 is the usual choice for quasi-Newton methods (N&W §3.1).
pub const C2: f64 = 0.9;
/// How far one bracketing step may grow α (N&W suggest a growth factor; MINPACK uses 4).
const EXTRAPOLATE: f64 = 4.0;

/// An accepted step: α, φ(α) and φ'(α). The objective's last evaluation was at this α.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub alpha: f64,
    pub f: f64,
    pub slope: f64,
}

/// Searches for a strong-Wolfe step from `alpha` (> 0), evaluating `phi(α) → (φ(α), φ'(α))`
/// at most `max_evals` times. `None` when no acceptable step was found (the interval shrank to
/// rounding, or the evaluations ran out); then the caller keeps its current point.
///
/// + f0, slope0: φ(0) and φ'(0) (< 0)
/// + f_rounding: ε_f, the cost's relative rounding error (0: exact costs, plain strong Wolfe)
/// + phi: evaluates the objective at θ + α·d (a non-finite φ counts as too large)
pub fn strong_wolfe(
    f0: f64,
    slope0: f64,
    alpha: f64,
    max_evals: usize,
    f_rounding: f64,
    mut phi: impl FnMut(f64) -> (f64, f64),
) -> Option<Step> {
    debug_assert!(slope0 < 0.0 && alpha > 0.0);
    let mut evals = 0;
    let mut eval = |a: f64, evals: &mut usize| {
        *evals += 1;
        let (f, s) = phi(a);
        // NaN or +inf (an overflowing step) is treated as a cost too large to accept.
        if f.is_finite() && s.is_finite() {
            (f, s)
        } else {
            (f64::INFINITY, f64::NAN)
        }
    };
    let f_max = f0 + f_rounding * f0.abs();
    let accept = |a: f64, f: f64, s: f64| {
        let curvature = s.abs() <= -C2 * slope0;
        let armijo = f <= f0 + C1 * a * slope0;
        let approximate = f <= f_max && s <= (2.0 * C1 - 1.0) * slope0;
        curvature && (armijo || approximate)
    };
    let too_high = |a: f64, f: f64, s: f64| {
        f > f0 + C1 * a * slope0 && !(f <= f_max && s <= (2.0 * C1 - 1.0) * slope0)
    };
    // Algorithm 3.5: grow α until the interval (α_prev, α) brackets an acceptable step.
    let (mut a_prev, mut f_prev, mut s_prev) = (0.0, f0, slope0);
    let mut a = alpha;
    loop {
        if evals >= max_evals {
            return None;
        }
        let (f, s) = eval(a, &mut evals);
        if too_high(a, f, s) || (a_prev > 0.0 && f >= f_prev) {
            return zoom(
                a_prev, f_prev, s_prev, a, f, s, &mut evals, max_evals, accept, too_high, &mut eval,
            );
        }
        if accept(a, f, s) {
            return Some(Step { alpha: a, f, slope: s });
        }
        if s >= 0.0 {
            return zoom(
                a, f, s, a_prev, f_prev, s_prev, &mut evals, max_evals, accept, too_high, &mut eval,
            );
        }
        // Still descending steeply: extrapolate (cubic step, kept within [1.1·α, 4·α]).
        let next = cubic_min(a_prev, f_prev, s_prev, a, f, s)
            .filter(|t| t.is_finite())
            .unwrap_or(EXTRAPOLATE * a)
            .clamp(1.1 * a, EXTRAPOLATE * a);
        (a_prev, f_prev, s_prev) = (a, f, s);
        a = next;
    }
}

/// Algorithm 3.6: `lo` is the best point so far (it satisfies sufficient decrease), and the
/// interval between `lo` and `hi` contains an acceptable step.
#[allow(clippy::too_many_arguments)]
fn zoom(
    mut lo: f64,
    mut f_lo: f64,
    mut s_lo: f64,
    mut hi: f64,
    mut f_hi: f64,
    mut s_hi: f64,
    evals: &mut usize,
    max_evals: usize,
    accept: impl Fn(f64, f64, f64) -> bool,
    too_high: impl Fn(f64, f64, f64) -> bool,
    eval: &mut impl FnMut(f64, &mut usize) -> (f64, f64),
) -> Option<Step> {
    while *evals < max_evals {
        let width = (hi - lo).abs();
        // The interval has shrunk to the rounding of α: nothing between lo and hi to try.
        if width <= f64::EPSILON * lo.abs().max(hi.abs()) {
            return None;
        }
        // A cubic step, safeguarded to the middle 80 % of the interval, else bisection.
        let (left, right) = (lo.min(hi), lo.max(hi));
        let margin = 0.1 * width;
        let a = match cubic_min(lo, f_lo, s_lo, hi, f_hi, s_hi) {
            Some(t) if t.is_finite() && t > left + margin && t < right - margin => t,
            _ => 0.5 * (lo + hi),
        };
        let (f, s) = eval(a, evals);
        if too_high(a, f, s) || f >= f_lo {
            (hi, f_hi, s_hi) = (a, f, s);
        } else {
            if accept(a, f, s) {
                return Some(Step { alpha: a, f, slope: s });
            }
            if s * (hi - lo) >= 0.0 {
                (hi, f_hi, s_hi) = (lo, f_lo, s_lo);
            }
            (lo, f_lo, s_lo) = (a, f, s);
        }
    }
    None
}

/// The minimiser of the cubic through `(a, fa)` and `(b, fb)` with slopes `sa`, `sb` (N&W
/// eq. 3.59), or `None` when the cubic has no minimiser (or an input is not finite).
fn cubic_min(a: f64, fa: f64, sa: f64, b: f64, fb: f64, sb: f64) -> Option<f64> {
    if !(fa.is_finite() && fb.is_finite() && sa.is_finite() && sb.is_finite()) || a == b {
        return None;
    }
    let d1 = sa + sb - 3.0 * (fa - fb) / (a - b);
    let disc = d1 * d1 - sa * sb;
    if disc < 0.0 {
        return None;
    }
    let d2 = (b - a).signum() * disc.sqrt();
    let denom = sb - sa + 2.0 * d2;
    if denom == 0.0 {
        return None;
    }
    Some(b - (b - a) * (sb + d2 - d1) / denom)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// φ(α) = (α − 3)², φ'(0) = −6: the exact minimiser α = 3 satisfies both conditions.
    #[test]
    fn finds_a_wolfe_step_on_a_quadratic() {
        let phi = |a: f64| ((a - 3.0) * (a - 3.0), 2.0 * (a - 3.0));
        let step = strong_wolfe(9.0, -6.0, 1.0, 20, 0.0, phi).unwrap();
        assert!(step.f <= 9.0 + C1 * step.alpha * -6.0);
        assert!(step.slope.abs() <= C2 * 6.0);
    }

    /// A step far too long (φ overflows to NaN past α = 10) is cut back.
    #[test]
    fn cuts_back_from_non_finite_costs() {
        let phi = |a: f64| {
            if a > 10.0 {
                (f64::NAN, f64::NAN)
            } else {
                ((a - 1.0).powi(2), 2.0 * (a - 1.0))
            }
        };
        let step = strong_wolfe(1.0, -2.0, 100.0, 50, 0.0, phi).unwrap();
        assert!(step.alpha < 10.0 && step.f < 1.0);
        assert!(step.slope.abs() <= C2 * 2.0);
    }

    /// A step far too short is extrapolated until the curvature condition holds.
    #[test]
    fn extrapolates_short_steps() {
        let phi = |a: f64| ((a - 1000.0).powi(2), 2.0 * (a - 1000.0));
        let step = strong_wolfe(1e6, -2000.0, 1e-3, 50, 0.0, phi).unwrap();
        assert!(step.slope.abs() <= C2 * 2000.0 && step.f < 1e6);
    }

    /// Only rounding noise left (φ flat to 1e-12, jittering by 1e-7): the slope-based test
    /// accepts the step to the minimiser, which plain Armijo would refuse half the time, and
    /// never one that raises φ by more than the stated rounding.
    #[test]
    fn accepts_by_slope_under_noise_but_never_rises_beyond_rounding() {
        let noise = |a: f64| 1e-7 * ((a * 1e7).sin());
        let phi = |a: f64| (1.0 + 1e-12 * (a - 1.0).powi(2) + noise(a), 2e-12 * (a - 1.0));
        let f0 = 1.0 + 1e-12 + noise(0.0);
        let step = strong_wolfe(f0, -2e-12, 1.0, 50, 2e-7, phi).unwrap();
        assert!(step.f <= f0 + 2e-7 * f0);
        assert!(step.slope.abs() <= C2 * 2e-12);
        assert_eq!(
            strong_wolfe(f0, -2e-12, 1.0, 50, 0.0, |a| (f0 + 1e-9 + a * 1e-20, 2e-12 * (a - 1.0))),
            None
        );
    }

    /// An ascent-only function (φ' > 0 everywhere is impossible for a descent direction, so
    /// simulate a slope that lies): the search gives up rather than accept a rise.
    #[test]
    fn gives_up_when_nothing_decreases() {
        let phi = |a: f64| (1.0 + a, 1.0);
        assert_eq!(strong_wolfe(1.0, -1.0, 1.0, 30, 1e-6, phi), None);
    }
}
