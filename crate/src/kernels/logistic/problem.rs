//! What a logistic step is asked to compute on: X in its [`Layout`] with the labels and the L2
//! penalty ([`Problem`], length-checked once), which of its examples a step reads ([`Pick`]),
//! and the element types ([`LogisticFloat`]). Shared by the layouts' passes and the drivers,
//! which depend on this module and never on each other's.

use crate::error::KernelError;
use crate::simd::math::UnaryMath;

/// How X is laid out (both row-major).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// The course's X: (n_x, m), one example per column; `x[j·m + i]` is feature j of example i.
    Cols = 0,
    /// sklearn's X: (m, n_x), one example per row; `x[i·n_x + j]` is feature j of example i.
    Rows = 1,
}

impl Layout {
    /// The layout by the numeric code the bindings receive.
    pub fn from_u32(code: u32) -> Option<Self> {
        match code {
            0 => Some(Layout::Cols),
            1 => Some(Layout::Rows),
            _ => None,
        }
    }
}

/// The element types the logistic kernels run on (f32, f64): the lane math.
pub trait LogisticFloat: UnaryMath {}

impl LogisticFloat for f32 {}
impl LogisticFloat for f64 {}

/// X, the labels and the penalty: `x` holds `n_x·m` elements in `layout`, `y` m labels,
/// `m ≥ 1` (checked by [`Problem::new`]).
#[derive(Clone, Copy)]
pub(super) struct Problem<'a, T> {
    pub(super) layout: Layout,
    pub(super) x: &'a [T],
    pub(super) n_x: usize,
    pub(super) m: usize,
    pub(super) y: &'a [T],
    /// λ ≥ 0 of the L2 penalty (0: none).
    pub(super) l2: T,
}

impl<'a, T> Problem<'a, T> {
    /// The problem, once its lengths agree (errors name `name`, the caller).
    pub(super) fn new(
        name: &str,
        layout: Layout,
        (x, n_x, m): (&'a [T], usize, usize),
        y: &'a [T],
        l2: T,
    ) -> Result<Self, KernelError> {
        let size = checked_size(n_x, m)?;
        if m == 0 {
            return Err(KernelError::layout(format!("{name}: no examples (m = 0)")));
        }
        if x.len() != size {
            return Err(KernelError::layout(format!(
                "{name}: x has {} elements, expected n_x·m = {size} (n_x = {n_x}, m = {m})",
                x.len()
            )));
        }
        if y.len() != m {
            return Err(KernelError::layout(format!(
                "{name}: y has {} elements, expected m = {m}",
                y.len()
            )));
        }
        Ok(Problem { layout, x, n_x, m, y, l2 })
    }

    /// Checks the weights' and the gradient's lengths against `n_x`.
    pub(super) fn check_weights(
        &self,
        name: &str,
        w: &[T],
        dw_len: usize,
    ) -> Result<(), KernelError> {
        let n_x = self.n_x;
        if w.len() != n_x || dw_len != n_x {
            return Err(KernelError::layout(format!(
                "{name}: w has {} and dw {dw_len} elements, expected n_x = {n_x}",
                w.len()
            )));
        }
        Ok(())
    }
}

/// `n_x·m`, or an error if it overflows.
pub(super) fn checked_size(n_x: usize, m: usize) -> Result<usize, KernelError> {
    n_x.checked_mul(m).ok_or_else(|| {
        KernelError::layout(format!("logistic: n_x·m overflows (n_x = {n_x}, m = {m})"))
    })
}

/// A mini-batch's indices: at least one, each below m.
pub(super) fn check_indices(name: &str, indices: &[u32], m: usize) -> Result<(), KernelError> {
    if indices.is_empty() {
        return Err(KernelError::layout(format!("{name}: empty batch")));
    }
    if let Some((k, &i)) = indices.iter().enumerate().find(|&(_, &i)| i as usize >= m) {
        return Err(KernelError::layout(format!(
            "{name}: index {i} at position {k} is out of bounds for m = {m}"
        )));
    }
    Ok(())
}

/// Which examples a step reads, by their position `k` in the step (`k < count()`).
pub(super) trait Pick: Copy + Sync {
    /// Whether example `k` is example `k` of X (so a tile of examples is a contiguous range).
    const CONTIGUOUS: bool;
    /// How many examples the step reads (≥ 1).
    fn count(&self) -> usize;
    /// The column (cols layout) or row (rows layout) of X holding the step's `k`-th example.
    fn index(&self, k: usize) -> usize;
}

/// Every example, in order: the `m` of the problem.
#[derive(Clone, Copy)]
pub(super) struct All(pub(super) usize);

impl Pick for All {
    const CONTIGUOUS: bool = true;
    #[inline(always)]
    fn count(&self) -> usize {
        self.0
    }
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
    fn count(&self) -> usize {
        self.0.len()
    }
    #[inline(always)]
    fn index(&self, k: usize) -> usize {
        self.0[k] as usize
    }
}

/// Examples `start..start + count` of another pick: one part of a step split among threads.
#[derive(Clone, Copy)]
pub(super) struct Window<P> {
    pub(super) pick: P,
    pub(super) start: usize,
    pub(super) count: usize,
}

impl<P: Pick> Pick for Window<P> {
    const CONTIGUOUS: bool = P::CONTIGUOUS;
    #[inline(always)]
    fn count(&self) -> usize {
        self.count
    }
    #[inline(always)]
    fn index(&self, k: usize) -> usize {
        self.pick.index(self.start + k)
    }
}
