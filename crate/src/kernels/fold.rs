//! Associative folds and the pairwise cascade that combines their blocks, shared by the value
//! reductions (`kernels::reduce`) and the logistic step's sums over examples.
//!
//! A [`Fold`] is one associative operation (sum, product, IEEE maximum or minimum) given once
//! for lanes and once for scalars, with its identity. Long folds are computed in blocks: an
//! accumulator takes a bounded number of operations, then its block result goes into a
//! cascade, a binary counter in which level k, when occupied, holds the fold of 2^k
//! consecutive blocks (numpy's pairwise summation, iteratively). Every element then goes
//! through at most `block steps + ⌈log₂ blocks⌉ + 1` operations, which is what the error
//! bounds of the callers count (Higham, *Accuracy and Stability of Numerical Algorithms*,
//! §4.2). [`Cascade`] holds scalar block results, [`RowCascade`] blocks of many outputs at
//! once; both combine levels in the same order, smallest level first.

use crate::simd::{spill, Lanes, MAX_LANES};

/// An associative fold, given once for lanes and once for scalars.
pub trait Fold<T: Lanes> {
    /// numpy's ufunc name, for the empty-reduction error.
    const NAME: &'static str;
    /// `identity ⊕ x = x` for every x (for a sum: +0, so a sum of −0s is +0 as in the reference).
    fn identity() -> T;
    /// The result of an empty reduction, if the op has one.
    fn empty() -> Option<T>;
    fn lanes(a: T::V, b: T::V) -> T::V;
    fn scalar(a: T, b: T) -> T;
    /// The lanes of `v` folded pairwise, lane 0 first: `(v₀ ⊕ v₁) ⊕ (v₂ ⊕ v₃)`, or `v₀ ⊕ v₁`
    /// ([`Lanes::hsum`]'s order, which the sum uses).
    #[inline(always)]
    fn horizontal(v: T::V) -> T {
        let mut lanes = spill::<T>(v);
        let mut width = T::LANES;
        while width > 1 {
            width /= 2;
            for i in 0..width {
                lanes[i] = Self::scalar(lanes[2 * i], lanes[2 * i + 1]);
            }
        }
        lanes[0]
    }
}

const _: () = assert!(MAX_LANES.is_power_of_two());

/// `a + b`.
pub struct Sum;
/// `a · b`.
pub struct Prod;
/// IEEE 754-2019 `maximum`: NaN if either is NaN, +0 above −0.
pub struct Max;
/// IEEE 754-2019 `minimum`.
pub struct Min;

/// +∞ in `T`.
#[inline(always)]
pub fn infinity<T: Lanes>() -> T {
    T::ONE / T::ZERO
}

impl<T: Lanes> Fold<T> for Sum {
    const NAME: &'static str = "add";
    #[inline(always)]
    fn identity() -> T {
        T::ZERO
    }
    fn empty() -> Option<T> {
        Some(T::ZERO)
    }
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vadd(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        a + b
    }
    #[inline(always)]
    fn horizontal(v: T::V) -> T {
        T::hsum(v)
    }
}

impl<T: Lanes> Fold<T> for Prod {
    const NAME: &'static str = "multiply";
    #[inline(always)]
    fn identity() -> T {
        T::ONE
    }
    fn empty() -> Option<T> {
        Some(T::ONE)
    }
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vmul(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        a * b
    }
}

impl<T: Lanes> Fold<T> for Max {
    const NAME: &'static str = "maximum";
    #[inline(always)]
    fn identity() -> T {
        T::ZERO - infinity::<T>()
    }
    fn empty() -> Option<T> {
        None
    }
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vmax(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        T::max_ieee(a, b)
    }
}

impl<T: Lanes> Fold<T> for Min {
    const NAME: &'static str = "minimum";
    #[inline(always)]
    fn identity() -> T {
        infinity()
    }
    fn empty() -> Option<T> {
        None
    }
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vmin(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        T::min_ieee(a, b)
    }
}

/// `dst[i] = a[i] ⊕ b[i]` for `i < n`; `dst` may be `a` or `b` (each element is read before
/// it is written).
///
/// # Safety
/// `a..a+n`, `b..b+n` readable, `dst..dst+n` writable.
#[inline(always)]
pub unsafe fn fold_into<T: Lanes, Op: Fold<T>>(dst: *mut T, a: *const T, b: *const T, n: usize) {
    let body = n - n % T::LANES;
    // Safety: indices stay below n, as the caller guarantees.
    unsafe {
        for i in (0..body).step_by(T::LANES) {
            T::store(dst.add(i), Op::lanes(T::load(a.add(i)), T::load(b.add(i))));
        }
        for i in body..n {
            *dst.add(i) = Op::scalar(*a.add(i), *b.add(i));
        }
    }
}

/// Levels of a cascade: one per bit of a `u64` block count.
const LEVELS: usize = 64;

/// The pairwise cascade of scalar block results.
pub struct Cascade<T> {
    levels: [T; LEVELS],
    count: u64,
}

impl<T: Lanes> Cascade<T> {
    pub fn new() -> Self {
        Cascade { levels: [T::ZERO; LEVELS], count: 0 }
    }

    /// Forgets every pushed block.
    #[inline(always)]
    pub fn reset(&mut self) {
        self.count = 0;
    }

    /// Adds one block's result: it absorbs the levels it completes, smallest first.
    #[inline(always)]
    pub fn push<Op: Fold<T>>(&mut self, mut block: T) {
        let merges = self.count.trailing_ones() as usize;
        for level in &self.levels[..merges] {
            block = Op::scalar(*level, block);
        }
        self.levels[merges] = block;
        self.count += 1;
    }

    /// Adds the fold of `2^level` blocks that a cascade of its own took exactly that many pushes
    /// to make (its [`Cascade::total`]): the same operations as pushing those blocks here, when
    /// no level below `level` is occupied. How a fold split among threads repeats the
    /// single-thread fold bit for bit.
    pub fn push_subtree<Op: Fold<T>>(&mut self, level: usize, mut total: T) {
        debug_assert!(self.count.trailing_zeros() as usize >= level, "a lower level is occupied");
        let merges = (self.count >> level).trailing_ones() as usize;
        for below in &self.levels[level..level + merges] {
            total = Op::scalar(*below, total);
        }
        self.levels[level + merges] = total;
        self.count += 1 << level;
    }

    /// The fold of every pushed block and then `last`, smallest level first (the same
    /// operations as pushing `last` and taking [`Cascade::total`]).
    #[inline(always)]
    pub fn finish<Op: Fold<T>>(&self, mut last: T) -> T {
        for k in occupied(self.count) {
            last = Op::scalar(self.levels[k], last);
        }
        last
    }

    /// The fold of every pushed block, smallest level first (the identity if none).
    pub fn total<Op: Fold<T>>(&self) -> T {
        let mut levels = occupied(self.count);
        match levels.next() {
            None => Op::identity(),
            Some(first) => {
                levels.fold(self.levels[first], |acc, k| Op::scalar(self.levels[k], acc))
            }
        }
    }
}

impl<T: Lanes> Default for Cascade<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The pairwise cascade of blocks of up to `width` results each (many outputs folded side by
/// side: a tile of reduction outputs, or dw's n_x sums). Level k's storage (`width` elements)
/// is allocated when first reached, and kept across [`RowCascade::reset`].
pub struct RowCascade<T> {
    width: usize,
    levels: Vec<T>,
    count: u64,
}

impl<T: Lanes> RowCascade<T> {
    pub fn new(width: usize) -> Self {
        RowCascade { width, levels: Vec::new(), count: 0 }
    }

    /// Forgets every pushed block (keeps the storage).
    pub fn reset(&mut self) {
        self.count = 0;
    }

    /// Elements of storage held (`width` per level reached so far).
    pub fn capacity(&self) -> usize {
        self.levels.capacity()
    }

    /// Adds one block of `m ≤ width` results, in the order of the scalar cascade:
    /// `level_k ⊕ (… ⊕ (level_0 ⊕ block))` into the first free level.
    ///
    /// # Safety
    /// `block..block+m` readable and not inside the cascade; `m ≤ width`, and the same `m` for
    /// every block since the last reset.
    pub unsafe fn push<Op: Fold<T>>(&mut self, block: *const T, m: usize) {
        let w = self.width;
        debug_assert!(m <= w);
        let merges = self.count.trailing_ones() as usize;
        if self.levels.len() < (merges + 1) * w {
            self.levels.resize((merges + 1) * w, T::ZERO);
        }
        let (lower, upper) = self.levels.split_at_mut(merges * w);
        let dst = upper.as_mut_ptr();
        // Safety: every level holds w ≥ m elements; dst (level `merges`) is disjoint from the
        // lower levels and from block; fold_into allows dst == its b.
        unsafe {
            if merges == 0 {
                core::ptr::copy_nonoverlapping(block, dst, m);
            } else {
                fold_into::<T, Op>(dst, lower.as_ptr(), block, m);
                for k in 1..merges {
                    fold_into::<T, Op>(dst, lower.as_ptr().add(k * w), dst, m);
                }
            }
        }
        self.count += 1;
    }

    /// `out[0..m]` = the fold of every pushed block and then `out`'s own (the last block),
    /// smallest level first.
    ///
    /// # Safety
    /// `out..out+m` readable, writable and not inside the cascade; `m` as for
    /// [`RowCascade::push`].
    pub unsafe fn finish<Op: Fold<T>>(&self, out: *mut T, m: usize) {
        for k in occupied(self.count) {
            // Safety: level k holds w ≥ m elements; out as the caller guarantees.
            unsafe { fold_into::<T, Op>(out, self.levels.as_ptr().add(k * self.width), out, m) };
        }
    }

    /// `out` = the fold of every pushed block, smallest level first (the identity if none).
    ///
    /// # Panics
    /// If `out` is longer than `width`.
    pub fn total<Op: Fold<T>>(&self, out: &mut [T]) {
        let m = out.len();
        assert!(m <= self.width, "cascade total: {m} outputs for blocks of {}", self.width);
        let mut levels = occupied(self.count);
        let Some(first) = levels.next() else {
            out.fill(Op::identity());
            return;
        };
        out.copy_from_slice(&self.levels[first * self.width..][..m]);
        for k in levels {
            let (o, level) = (out.as_mut_ptr(), self.levels[k * self.width..].as_ptr());
            // Safety: level k and out hold m elements; fold_into allows dst == b.
            unsafe { fold_into::<T, Op>(o, level, o, m) };
        }
    }
}

/// The occupied levels of a cascade after `count` pushes (the set bits), smallest first.
#[inline(always)]
fn occupied(count: u64) -> impl Iterator<Item = usize> {
    let mut bits = count;
    core::iter::from_fn(move || {
        let k = bits.trailing_zeros() as usize;
        bits &= bits.wrapping_sub(1);
        (k < LEVELS).then_some(k)
    })
}
