//! Logistic regression as the lecture notes teach it (one neuron, sigmoid, cross-entropy,
//! batch gradient descent vectorized over the m examples), as fused kernels that read X once
//! per step.
//!
//! Notation (the notes' §1.2.3): X holds m examples of n_x features, w has n_x weights, b is a
//! scalar, Y the m labels in [0, 1].
//!
//! ```text
//! z = wᵀx + b,   a = σ(z)                        (the notes: Z = wᵀX + b, A = σ(Z))
//! J = (1/m)·Σ [log(1 + eᶻ) − y·z] + (λ/2m)·‖w‖²   (= formula (3) wherever that is finite)
//! dz = a − y,  dw = (1/m)·X·dz + (λ/m)·w,  db = (1/m)·Σ dz
//! ```
//!
//! Two layouts of X, each streamed in its memory order ([`Layout`]): the course's **cols**
//! (n_x, m) and sklearn's **rows** (m, n_x). One step ([`logistic_grad`]) computes z, a, the
//! cost terms, dz and the dw contribution of a few examples while they are in cache, so X
//! comes from memory once and nothing of size m is written; the unfused composition reads X
//! twice and writes Z, A and dZ. For training, re-lay the course's X once with
//! [`pack_cols_to_rows`] and run the rows pass: contiguous example rows stream faster than
//! the tiles the cols pass has to use (see `cols`).
//!
//! Files, one concept each: `panel` (the dot and axpy microkernels over four rows),
//! `loss` (the stable loss and dz of a vector of examples), `sums` (blocked, pairwise
//! sums over examples), `rows` / `cols` (each layout's single pass), `step` (the driver
//! and the means), `forward` (prediction), `pack` (the re-layout), `train` (the loop);
//! `problem` (the types they share: the layout, X and labels checked once, which examples a
//! step reads) and `workspace` (a step's scratch).
//!
//! Accuracy, with `u = 2⁻²⁴` (f32) or `2⁻⁵³` (f64) and `γ_h = h·u/(1 − h·u)`:
//!
//! - z: `|ẑ − z| ≤ γ_h·(Σ_j |w_j·x_j|) + u·|z|` with h ≤ 36 (f32) / 51 (f64) at n_x = 1000
//!   in the rows layout (`panel`'s dot bound); the cols layout's chunked accumulation has
//!   `h = 5 + Z_ROWS/MR + (n_x mod MR) + ⌈n_x/Z_ROWS⌉` (37 at n_x = 1000).
//! - each loss term: within ~5u relative of the exact loss at ẑ, and the loss is 1-Lipschitz
//!   in z (`loss`); each dz within ~3u absolute of `σ(ẑ) − y`, and `|∂σ/∂z| ≤ 1/4`.
//! - the sums over examples, blocked and pairwise (`sums`), are within `γ_h·Σ|termᵢ|`:
//!   cost and db with `h = 64/L + log₂L + ⌈log₂⌈m/64⌉⌉ + 1` (30 in f32, 45 in f64 at
//!   m = 10⁵), each dw_j with `h = 21 + ⌈log₂⌈m/64⌉⌉` in the rows layout (32 at m = 10⁵)
//!   and the tile's dot bound plus `⌈log₂(tiles)⌉ + 1` in the cols layout. The cost's terms
//!   are all ≥ 0 (for y in [0, 1]), so its relative error is that bound plus the terms' ~5u.
//! - the means divide by m (one rounding each; m itself is rounded to T, exact below 2²⁴ in f32).
//!
//! Speed (V8 TurboFan, the SIMD build, this 2.8 GHz Ice Lake VM shared with other jobs; f32 at
//! (n_x, m) = (1000, 100000), same-run comparisons): with X in cache the rows step runs at
//! ~19.5 GB/s of X, near the roofline of 128-bit lanes without FMA (each element is a
//! multiply and an add in z and again in dw: ~22 GB/s at 2.8 GHz); from memory it runs at
//! 0.7–1.0× a bare SIMD sum over X, the forward pass at ~1.0×, the cols step at ~0.6×.
//!
//! Special values: the cost is finite for every finite z (saturated examples contribute 0 or
//! |z|, never `log(0)`); NaN or ±inf in X, w or b gives a NaN or infinite cost, which
//! [`logistic_train`] reports as divergence.

mod cols;
mod forward;
mod loss;
mod pack;
mod panel;
mod problem;
mod rows;
mod step;
mod sums;
mod train;
mod workspace;

pub use cols::{pass_width, tile_width, MAX_TILE, MIN_TILE, TILE_BYTES, WHOLE_BYTES, Z_ROWS};
pub use pack::{pack_cols_to_rows, PACK_I, PACK_J};
pub use problem::{Layout, LogisticFloat};
pub use train::{logistic_train, logistic_train_subset, StopReason, TrainOptions, TrainOutcome};

use crate::error::KernelError;
use problem::{check_indices, checked_size, All, Indexed, Problem};
use step::step;
use workspace::with_kept;

/// One fused gradient step: streams X once, returns `(cost, db)` and writes dw.
///
/// ```text
/// cost = (1/m)·Σᵢ [log(1 + e^zᵢ) − yᵢ·zᵢ] + (λ/2m)·‖w‖²,   zᵢ = wᵀx⁽ⁱ⁾ + b
/// dw   = (1/m)·Σᵢ (σ(zᵢ) − yᵢ)·x⁽ⁱ⁾ + (λ/m)·w,             db = (1/m)·Σᵢ (σ(zᵢ) − yᵢ)
/// ```
///
/// + layout: [`Layout::Cols`] (x is (n_x, m)) or [`Layout::Rows`] (x is (m, n_x))
/// + x: `n_x·m` elements; y: m labels, in [0, 1] (the loss form needs no more; 0/1 is the
///   caller's policy); w: n_x weights; b: the bias
/// + l2: λ ≥ 0 (0: no penalty)
/// + dw: n_x elements, written only (NaN in it is never read)
///
/// Errors (`Layout`) when a length disagrees with n_x and m, or m = 0 (a mean over no
/// examples). n_x = 0 is allowed (z = b). Accuracy: see the module doc.
#[allow(clippy::too_many_arguments)]
pub fn logistic_grad<T: LogisticFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    w: &[T],
    b: T,
    l2: T,
    dw: &mut [T],
) -> Result<(T, T), KernelError> {
    let p = Problem::new("logistic_grad", layout, (x, n_x, m), y, l2)?;
    p.check_weights("logistic_grad", w, dw.len())?;
    // Safety: the lengths were checked against n_x and m ≥ 1.
    Ok(with_kept(n_x, |ws| unsafe { step(&p, All(m), w, b, true, ws, dw) }))
}

/// [`logistic_grad`] over the examples `indices` lists (a mini-batch): equal, bit for bit, to
/// [`logistic_grad`] on those examples gathered in that order into their own X (so m is
/// `indices.len()` in the means and in λ/2m).
///
/// + indices: example numbers `< m`, not empty; repeats count as often as they appear
///
/// Rows layout: each example row is read through its index, at full speed. Cols layout:
/// each tile of the batch is gathered column by column into a packed buffer first, about one
/// cache line of traffic per element (16× a contiguous read in f32; see the `cols` module); pack X to
/// rows for mini-batch training.
///
/// Errors (`Layout`) as [`logistic_grad`], or for an empty list or an index ≥ m.
#[allow(clippy::too_many_arguments)]
pub fn logistic_grad_subset<T: LogisticFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    y: &[T],
    w: &[T],
    b: T,
    l2: T,
    indices: &[u32],
    dw: &mut [T],
) -> Result<(T, T), KernelError> {
    let p = Problem::new("logistic_grad_subset", layout, (x, n_x, m), y, l2)?;
    p.check_weights("logistic_grad_subset", w, dw.len())?;
    check_indices("logistic_grad_subset", indices, m)?;
    // Safety: the lengths were checked against n_x and m, every index is < m, and there is
    // at least one.
    Ok(with_kept(n_x, |ws| unsafe { step(&p, Indexed(indices), w, b, true, ws, dw) }))
}

/// Probabilities `out[i] = σ(wᵀx⁽ⁱ⁾ + b)`, X read once, each z computed exactly as the
/// training step in the same layout computes it.
///
/// + layout, x, n_x, m, w, b: as [`logistic_grad`] (m = 0 is allowed: nothing to do)
/// + out: m elements, written only
///
/// Errors (`Layout`) when a length disagrees with n_x and m.
pub fn logistic_forward<T: LogisticFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    w: &[T],
    b: T,
    out: &mut [T],
) -> Result<(), KernelError> {
    let size = checked_size(n_x, m)?;
    if x.len() != size || w.len() != n_x || out.len() != m {
        return Err(KernelError::layout(format!(
            "logistic_forward: x has {}, w {} and out {} elements, expected n_x·m = {size}, n_x = {n_x} and m = {m}",
            x.len(),
            w.len(),
            out.len()
        )));
    }
    let (px, pw, po) = (x.as_ptr(), w.as_ptr(), out.as_mut_ptr());
    // Safety: the lengths were checked.
    unsafe {
        match layout {
            Layout::Rows => forward::forward_rows(px, n_x, m, pw, b, po),
            Layout::Cols => forward::forward_cols(px, n_x, m, pw, b, po),
        }
    }
    Ok(())
}
