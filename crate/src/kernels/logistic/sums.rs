//! Accurate sums over the examples: the cost `Σ loss_i`, `db`'s `Σ dz_i` and `dw`'s
//! `Σ dz_i·x_i`. Each is accumulated in blocks of [`BLOCK`] examples, and the block results go
//! into a pairwise cascade (`kernels::fold`: a binary counter in which level k, when occupied,
//! holds the sum of 2^k consecutive blocks), as numpy's pairwise summation and
//! `kernels::reduce` do. [`ExampleSums`] holds the per-example sums; dw's blocks go into a
//! `RowCascade` of n_x sums (in the step's `Workspace`).
//!
//! Bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, §4.2), with
//! `γ_h = h·u/(1 − h·u)`, `u = 2⁻²⁴` (f32) or `2⁻⁵³` (f64), m examples and L lanes:
//!
//! - cost and db ([`ExampleSums`]): a lane accumulator takes `BLOCK/L` terms, the block is
//!   folded across lanes (`log₂L`) and pushed; no term goes through more than
//!   `h = BLOCK/L + log₂L + ⌈log₂⌈m/BLOCK⌉⌉ + 1` additions, so the computed sum is within
//!   `γ_h·Σ|termᵢ|` (m = 10⁵: h = 30 in f32, γ ≈ 1.8e-6; h = 45 in f64, γ ≈ 5.0e-15).
//! - dw (a `RowCascade`): within a block each element takes one addition per microkernel call
//!   (`BLOCK/MR` calls in the rows layout, after the call's own chain of `MR − 1`, one per tile in the cols layout, whose dot products
//!   carry `panel::dot_rows`' own bound), then `⌈log₂(blocks)⌉ + 1` cascade additions.

use super::problem::LogisticFloat;
use crate::kernels::fold::{Cascade, Sum};

/// Examples per block: every lane accumulator of [`ExampleSums`] takes `BLOCK / LANES` terms,
/// and the rows layout pushes its dw block every `BLOCK` examples (16 microkernel calls). A
/// multiple of `MR` and of every lane count, so blocks never split a microkernel group.
pub(super) const BLOCK: usize = 64;

/// The per-example sums of one step, `Σ loss_i` and `Σ dz_i`, fed one vector of examples at a
/// time (lanes past the last example carry zeros).
pub(super) struct ExampleSums<T: LogisticFloat> {
    /// Whether the step wants the cost; if not, the loss terms are only their linear parts,
    /// enough to tell whether the cost is finite (see [`super::loss::loss_and_dz`]).
    pub(super) cost: bool,
    loss: T::V,
    dz: T::V,
    /// Vectors fed into the current block.
    fed: usize,
    loss_blocks: Cascade<T>,
    dz_blocks: Cascade<T>,
    /// When recording (a part of a step split among threads): each block's `[Σ loss, Σ dz]`,
    /// in order, instead of the cascades; the step replays them ([`ExampleSums::replay`]).
    record: Option<Vec<[T; 2]>>,
}

impl<T: LogisticFloat> ExampleSums<T> {
    pub(super) fn new(cost: bool) -> Self {
        ExampleSums {
            cost,
            loss: T::splat(T::ZERO),
            dz: T::splat(T::ZERO),
            fed: 0,
            loss_blocks: Cascade::new(),
            dz_blocks: Cascade::new(),
            record: None,
        }
    }

    /// Sums that record each block's results into `blocks` (cleared first), for
    /// [`ExampleSums::into_blocks`].
    pub(super) fn recording(cost: bool, mut blocks: Vec<[T; 2]>) -> Self {
        blocks.clear();
        ExampleSums { record: Some(blocks), ..Self::new(cost) }
    }

    /// The recorded blocks, the last (partial) one included.
    pub(super) fn into_blocks(mut self) -> Vec<[T; 2]> {
        if self.fed > 0 {
            self.flush();
        }
        self.record.take().unwrap_or_default()
    }

    /// Pushes recorded blocks into the cascades, in order: the same additions as feeding
    /// their examples here.
    pub(super) fn replay(&mut self, blocks: &[[T; 2]]) {
        debug_assert!(self.fed == 0 && self.record.is_none());
        for &[loss, dz] in blocks {
            self.loss_blocks.push::<Sum>(loss);
            self.dz_blocks.push::<Sum>(dz);
        }
    }

    /// Adds one vector of loss terms and one of dz values (`LANES` examples).
    #[inline(always)]
    pub(super) fn feed(&mut self, loss: T::V, dz: T::V) {
        self.loss = T::vadd(self.loss, loss);
        self.dz = T::vadd(self.dz, dz);
        self.fed += 1;
        if self.fed * T::LANES == BLOCK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let (loss, dz) = (T::hsum(self.loss), T::hsum(self.dz));
        match &mut self.record {
            Some(blocks) => blocks.push([loss, dz]),
            None => {
                self.loss_blocks.push::<Sum>(loss);
                self.dz_blocks.push::<Sum>(dz);
            }
        }
        self.loss = T::splat(T::ZERO);
        self.dz = T::splat(T::ZERO);
        self.fed = 0;
    }

    /// `(Σ loss_i, Σ dz_i)` over everything fed.
    pub(super) fn totals(mut self) -> (T, T) {
        if self.fed > 0 {
            self.flush();
        }
        (self.loss_blocks.total::<Sum>(), self.dz_blocks.total::<Sum>())
    }
}
