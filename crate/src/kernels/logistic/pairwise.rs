//! Accurate sums over the examples: the cost `Σ loss_i`, `db`'s `Σ dz_i` and `dw`'s
//! `Σ dz_i·x_i`. Each is accumulated in blocks of [`BLOCK`] examples, and the block results go
//! into a pairwise cascade (a binary counter in which level k, when occupied, holds the sum of
//! 2^k consecutive blocks), as numpy's pairwise summation and `kernels::reduce` do.
//!
//! Bounds (Higham, *Accuracy and Stability of Numerical Algorithms*, §4.2), with
//! `γ_h = h·u/(1 − h·u)`, `u = 2⁻²⁴` (f32) or `2⁻⁵³` (f64), m examples and L lanes:
//!
//! - cost and db ([`ExampleSums`]): a lane accumulator takes `BLOCK/L` terms, the block is
//!   folded across lanes (`log₂L`) and pushed; no term goes through more than
//!   `h = BLOCK/L + log₂L + ⌈log₂⌈m/BLOCK⌉⌉ + 1` additions, so the computed sum is within
//!   `γ_h·Σ|termᵢ|` (m = 10⁵: h = 30 in f32, γ ≈ 1.8e-6; h = 45 in f64, γ ≈ 5.0e-15).
//! - dw ([`RowCascade`]): within a block each element takes one addition per microkernel call
//!   (`BLOCK/MR` calls in the rows layout, one per tile in the cols layout, whose dot products
//!   carry `panel::dot_rows`' own bound), then `⌈log₂(blocks)⌉ + 1` cascade additions.

use super::panel::sum_into;
use crate::simd::math::UnaryMath;

/// Examples per block: every lane accumulator of [`ExampleSums`] takes `BLOCK / LANES` terms,
/// and the rows layout pushes its dw block every `BLOCK` examples (16 microkernel calls). A
/// multiple of `MR` and of every lane count, so blocks never split a microkernel group.
pub(super) const BLOCK: usize = 64;
/// Levels of the scalar cascade: one per bit of a `u64` block count.
const LEVELS: usize = 64;

/// A pairwise cascade of scalar block sums.
pub(super) struct Cascade<T> {
    levels: [T; LEVELS],
    count: u64,
}

impl<T: UnaryMath> Cascade<T> {
    pub(super) fn new() -> Self {
        Cascade { levels: [T::ZERO; LEVELS], count: 0 }
    }

    /// Adds one block's sum.
    #[inline(always)]
    pub(super) fn push(&mut self, mut block: T) {
        let merges = self.count.trailing_ones() as usize;
        for level in &self.levels[..merges] {
            block = *level + block;
        }
        self.levels[merges] = block;
        self.count += 1;
    }

    /// The sum of every pushed block, smallest level first (0 if none).
    pub(super) fn total(&self) -> T {
        let mut acc: Option<T> = None;
        for k in 0..LEVELS {
            if self.count >> k & 1 == 1 {
                acc = Some(match acc {
                    None => self.levels[k],
                    Some(a) => self.levels[k] + a,
                });
            }
        }
        acc.unwrap_or(T::ZERO)
    }
}

/// The per-example sums of one step, `Σ loss_i` and `Σ dz_i`, fed one vector of examples at a
/// time (lanes past the last example carry zeros).
pub(super) struct ExampleSums<T: UnaryMath> {
    /// Whether the step wants the cost; if not, the loss terms are only their linear parts,
    /// enough to tell whether the cost is finite (see [`super::loss::loss_and_dz`]).
    pub(super) cost: bool,
    loss: T::V,
    dz: T::V,
    /// Vectors fed into the current block.
    fed: usize,
    loss_blocks: Cascade<T>,
    dz_blocks: Cascade<T>,
}

impl<T: UnaryMath> ExampleSums<T> {
    pub(super) fn new(cost: bool) -> Self {
        ExampleSums {
            cost,
            loss: T::splat(T::ZERO),
            dz: T::splat(T::ZERO),
            fed: 0,
            loss_blocks: Cascade::new(),
            dz_blocks: Cascade::new(),
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
        self.loss_blocks.push(T::hsum(self.loss));
        self.dz_blocks.push(T::hsum(self.dz));
        self.loss = T::splat(T::ZERO);
        self.dz = T::splat(T::ZERO);
        self.fed = 0;
    }

    /// `(Σ loss_i, Σ dz_i)` over everything fed.
    pub(super) fn totals(mut self) -> (T, T) {
        if self.fed > 0 {
            self.flush();
        }
        (self.loss_blocks.total(), self.dz_blocks.total())
    }
}

/// A pairwise cascade of vectors of `n` elements (dw's block sums). Its storage grows to
/// `(⌈log₂ blocks⌉ + 1)·n` elements on the first step and is reused after [`RowCascade::reset`].
pub(super) struct RowCascade<T> {
    n: usize,
    levels: Vec<T>,
    count: u64,
}

impl<T: UnaryMath> RowCascade<T> {
    pub(super) fn new(n: usize) -> Self {
        RowCascade { n, levels: Vec::new(), count: 0 }
    }

    /// Forgets every pushed block (keeps the storage).
    pub(super) fn reset(&mut self) {
        self.count = 0;
    }

    /// Adds one block of `n` sums.
    pub(super) fn push(&mut self, block: &[T]) {
        let n = self.n;
        assert_eq!(block.len(), n, "dw block length");
        let merges = self.count.trailing_ones() as usize;
        if self.levels.len() < (merges + 1) * n {
            self.levels.resize((merges + 1) * n, T::ZERO);
        }
        let (lower, upper) = self.levels.split_at_mut(merges * n);
        let dst = upper[..n].as_mut_ptr();
        // Safety: dst, every lower level and block hold n elements each; dst (level `merges`)
        // is disjoint from the lower levels and from block; `sum_into` allows dst == its b.
        unsafe {
            if merges == 0 {
                core::ptr::copy_nonoverlapping(block.as_ptr(), dst, n);
            } else {
                // Same order as the scalar cascade: level_k + (… + (level_0 + block)).
                sum_into(dst, lower.as_ptr(), block.as_ptr(), n);
                for k in 1..merges {
                    sum_into(dst, lower[k * n..].as_ptr(), dst, n);
                }
            }
        }
        self.count += 1;
    }

    /// Writes the sum of every pushed block, smallest level first, to `out` (zeros if none).
    pub(super) fn total(&self, out: &mut [T]) {
        let n = self.n;
        assert_eq!(out.len(), n, "dw length");
        let mut first = true;
        for k in 0..LEVELS {
            if self.count >> k & 1 == 1 {
                let level = &self.levels[k * n..(k + 1) * n];
                if first {
                    out.copy_from_slice(level);
                    first = false;
                } else {
                    let o = out.as_mut_ptr();
                    // Safety: level and out hold n elements; sum_into allows dst == b.
                    unsafe { sum_into(o, level.as_ptr(), o, n) };
                }
            }
        }
        if first {
            out.fill(T::ZERO);
        }
    }
}
