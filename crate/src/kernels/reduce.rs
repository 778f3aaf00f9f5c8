//! Value reductions over any set of axes, with numpy's semantics: `sum`, `prod`, `max`, `min`
//! ([`reduce`]). `mean` is the caller's `sum / count`; `argmax` and `argmin` are
//! `kernels::arg_reduce`.
//!
//! [`ReducePlan`] splits the axes into kept and reduced ones and coalesces each group; the
//! loop is then chosen by which group owns the unit stride:
//!
//! - **lanes** (the innermost reduced axis is contiguous: `sum(axis=-1)`, or every axis, which
//!   is one long row): each output folds its contiguous rows with four vector accumulators,
//!   then combines the lanes.
//! - **rows** (the innermost kept axis is contiguous: `sum(axis=0)`): vectorised over outputs.
//!   A tile of up to [`TILE`] outputs lives in `out`, and each reduced position adds a whole
//!   input row segment to it, so memory is read in order.
//! - **strided** (neither): the lanes loop, fed one element at a time.
//!
//! Accuracy of sums (after numpy's pairwise summation and Higham, *Accuracy and Stability of
//! Numerical Algorithms*, §4.2): every accumulator (a vector lane, the scalar tail, or one output
//! of a row tile) takes at most [`STEPS`] additions; the block is then folded and pushed into a
//! pairwise cascade (`kernels::fold`: a binary counter of partial sums). No element of an
//! output's `n` addends goes through more than `h = STEPS + 5 + ⌈log2 n⌉` roundings, so
//!
//! ```text
//! |computed − exact| ≤ γ_h · Σ|xᵢ|,   γ_h = h·u / (1 − h·u),   u = 2⁻²⁴ (f32), 2⁻⁵³ (f64)
//! ```
//!
//! e.g. h = 45 and γ_h ≈ 2.7e-6 for 10⁷ float32 addends. Products take the same blocked,
//! pairwise order (relative error ≤ γ_{n−1} without overflow or underflow, as any order);
//! max and min are exact.
//!
//! Large reductions run on the pool's threads with the same bits as on one: the loops split by
//! outputs (each output's fold is unchanged), and one long contiguous row (a full reduction)
//! splits into parts of 2^[`PART_LEVEL`] whole blocks, whose totals enter the cascade as the
//! whole subtrees they are ([`Cascade::push_subtree`]).

use crate::array::reduce_plan::ReducePlan;
use crate::array::split::{for_each_row_split, for_each_tile_split, offsets_at};
use crate::array::strided::{for_each_row, Axis};
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::kernels::fold::{fold_into, Cascade, Fold, Max, Min, Prod, RowCascade, Sum};
use crate::parallel::{self, SharedPtr};
use crate::simd::Lanes;

/// Most additions any one accumulator takes before its block is folded into the cascade.
pub const STEPS: usize = 16;
/// Vector accumulators in the lanes loop (independent chains hide the add latency).
const UNROLL: usize = 4;
/// Outputs per tile in the rows loop: the tile and its cascade levels stay in L1/L2.
pub const TILE: usize = 2048;
/// A long row split among threads is cut into parts of 2^PART_LEVEL blocks of the lanes loop
/// (16 Ki f32 or 8 Ki f64 elements: 64 KiB), each one whole subtree of the cascade.
const PART_LEVEL: usize = 6;

/// The value reductions by the numeric code the bindings receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReduceOpCode {
    Sum = 0,
    Prod = 1,
    Max = 2,
    Min = 3,
}

impl ReduceOpCode {
    pub fn from_u32(code: u32) -> Option<Self> {
        match code {
            0 => Some(ReduceOpCode::Sum),
            1 => Some(ReduceOpCode::Prod),
            2 => Some(ReduceOpCode::Max),
            3 => Some(ReduceOpCode::Min),
            _ => None,
        }
    }
}

/// `out[j] = op over the reduced axes of a`, for `op` in sum, prod, max (IEEE maximum: NaN
/// propagates, +0 > −0), min.
///
/// + shape: the input's shape
/// + a: the input, any layout over `shape` (transposed, reversed, broadcast)
/// + reduced: `reduced[d]` says whether axis `d` is folded
/// + out: contiguous, row-major over the kept axes in their order (keepdims is the caller's);
///   written only. It must not share memory with `a` unless no axis of length > 1 is reduced.
///
/// The result is the fold of the identity (0, 1, −∞, +∞) with every element, so reducing over
/// no axes copies (`0 + x`: a sum turns −0 into +0) and an empty sum or product is 0 or 1. An
/// empty max or min (with a non-empty `out`) is a `Layout` error.
pub fn reduce<T: Lanes>(
    code: ReduceOpCode,
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    out: Output<T>,
) -> Result<(), KernelError> {
    match code {
        ReduceOpCode::Sum => reduce_with::<T, Sum>(shape, a, reduced, out, None),
        ReduceOpCode::Prod => reduce_with::<T, Prod>(shape, a, reduced, out, None),
        ReduceOpCode::Max => reduce_with::<T, Max>(shape, a, reduced, out, None),
        ReduceOpCode::Min => reduce_with::<T, Min>(shape, a, reduced, out, None),
    }
}

/// [`reduce`] for one op, split into `parts` (None: as many as the pool's threads and the size
/// call for; the bits are the same for any number).
fn reduce_with<T: Lanes, Op: Fold<T>>(
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    mut out: Output<T>,
    parts: Option<usize>,
) -> Result<(), KernelError> {
    a.check(shape)?;
    let plan = ReducePlan::new(shape, a.strides, a.offset, reduced, true)?;
    out.check(&plan.kept_shape)?;
    if out.is_empty() {
        return Ok(());
    }
    let po = out.ptr();
    if plan.reduced_size == 0 {
        let Some(value) = Op::empty() else {
            return Err(KernelError::layout(format!(
                "zero-size array to reduction operation {} which has no identity",
                Op::NAME
            )));
        };
        // Safety: out holds out.len() elements.
        unsafe { core::slice::from_raw_parts_mut(po, out.len()) }.fill(value);
        return Ok(());
    }

    let red_inner = plan.reduced.last().map(|ax| ax.strides[0]);
    let kept_inner = plan.kept.last().map(|ax| ax.strides[0]);
    let size = out.len().saturating_mul(plan.reduced_size);
    let parts = parts.unwrap_or_else(|| parallel::parts(size, crossover::reduce::<T>()));
    let (pa, po) = (SharedPtr(a.ptr() as *mut T), SharedPtr(po));
    // Safety: (all three loops) `a.check` proved every element of `shape` read through a's
    // layout is inside its buffer, and the plan only regroups, flips and reorders those axes,
    // so every input offset it produces is one of them. `out` holds size(kept_shape) elements
    // and the plan's output strides are row-major over kept_shape, so every output offset and
    // every tile `o..o+m` along the contiguous kept axis is inside it. Parts write disjoint
    // outputs.
    match (red_inner, kept_inner) {
        (None, _) => {
            // No axis of length > 1 is reduced: `out = identity ⊕ a`.
            // Safety: see above; kept rows are contiguous in `out`.
            for_each_row_split(&plan.kept, [plan.offset, 0], parts, |[s, o], n, [rs, _]| unsafe {
                fold_into_identity::<T, Op>(po.get().offset(o), pa.get().offset(s), rs, n)
            });
        }
        (Some(r), Some(1)) if r != 1 => {
            // Rows: the kept axis is contiguous, so vectorise over outputs, a tile at a time,
            // whole tiles to a part (see `for_each_tile_split`).
            let width = TILE.min(plan.kept.last().expect("kept axes").len);
            let new_tile = || RowTile::<T, Op>::new(width);
            // Safety: see above; `out` does not overlap `a` (the contract).
            for_each_tile_split(
                &plan.kept,
                [plan.offset, 0],
                width,
                parts,
                new_tile,
                |rows, [s, o], m| unsafe {
                    rows.run(pa.get(), s, po.get().offset(o), m, &plan.reduced)
                },
            )
            .expect("reduction: a worker thread trapped");
        }
        (Some(1), _) if plan.reduced.len() == 1 && parts > 1 && out.len() < 4 * parts => {
            // Few outputs, each one long contiguous row: each row's fold in parts.
            for j in 0..out.len() {
                let [s, o] = offsets_at(&plan.kept, [plan.offset, 0], j);
                // Safety: see above.
                unsafe {
                    *po.get().offset(o) =
                        fold_row_in_parts::<T, Op>(pa.get().offset(s), plan.reduced_size)
                };
            }
        }
        _ => {
            // Lanes (contiguous reduced rows) or strided: one output at a time.
            for_each_row_split(&plan.kept, [plan.offset, 0], parts, |[s, o], n, [rs, ro]| {
                let mut acc = Accumulator::<T, Op>::new();
                for i in 0..n as isize {
                    acc.reset();
                    // Safety: see above.
                    for_each_row(&plan.reduced, [s + i * rs], |[r], len, [rr]| unsafe {
                        acc.feed(pa.get().offset(r), len, rr)
                    });
                    // Safety: see above.
                    unsafe { *po.get().offset(o + i * ro) = acc.finish() };
                }
            });
        }
    }
    Ok(())
}

/// The lanes loop's fold of one contiguous row `p[0..n]`, its whole parts (2^[`PART_LEVEL`]
/// blocks each) run by the pool's threads: each part's cascade total is the subtree the
/// single-thread fold builds from those blocks, so pushing the totals in order as subtrees and
/// then feeding the rest of the row repeats its operations exactly.
///
/// # Safety
/// `p..p+n` readable.
unsafe fn fold_row_in_parts<T: Lanes, Op: Fold<T>>(p: *const T, n: usize) -> T {
    let len = (STEPS * UNROLL * T::LANES) << PART_LEVEL;
    let full = n / len;
    let mut totals = vec![T::ZERO; full];
    let (pt, pp) = (SharedPtr(totals.as_mut_ptr()), SharedPtr(p as *mut T));
    parallel::for_each_part(full, |i| {
        let mut acc = Accumulator::<T, Op>::new();
        // Safety: part i is inside the row; totals[i] is written by part i alone.
        unsafe {
            acc.feed(pp.get().add(i * len), len, 1);
            debug_assert_eq!(acc.vsteps, 0, "a part ends on a block boundary");
            *pt.get().add(i) = acc.cascade.total::<Op>();
        }
    })
    .expect("reduction: a worker thread trapped");
    let mut acc = Accumulator::<T, Op>::new();
    for &total in &totals {
        acc.cascade.push_subtree::<Op>(PART_LEVEL, total);
    }
    // Safety: the rest of the row is inside it.
    unsafe { acc.feed(p.add(full * len), n - full * len, 1) };
    acc.finish()
}

/// `out[i] = identity ⊕ a[i·stride]` for `i < n` (a reduction over no axes).
///
/// # Safety
/// `out..out+n` writable, every `a + i·stride` readable.
#[inline(always)]
unsafe fn fold_into_identity<T: Lanes, Op: Fold<T>>(
    out: *mut T,
    a: *const T,
    stride: isize,
    n: usize,
) {
    let id = Op::identity();
    let body = if stride == 1 { n - n % T::LANES } else { 0 };
    // Safety: indices stay below n, as the caller guarantees.
    unsafe {
        for i in (0..body).step_by(T::LANES) {
            T::store(out.add(i), Op::lanes(T::splat(id), T::load(a.add(i))));
        }
        for i in body..n {
            *out.add(i) = Op::scalar(id, *a.offset(i as isize * stride));
        }
    }
}

/// One output's fold in the lanes and strided loops: a block of [`UNROLL`] vector accumulators
/// and a scalar one, each taking at most [`STEPS`] operations before the block goes into the
/// cascade.
struct Accumulator<T: Lanes, Op> {
    v: [T::V; UNROLL],
    s: T,
    vsteps: usize,
    ssteps: usize,
    cascade: Cascade<T>,
    _op: core::marker::PhantomData<Op>,
}

impl<T: Lanes, Op: Fold<T>> Accumulator<T, Op> {
    fn new() -> Self {
        let id = Op::identity();
        Accumulator {
            v: [T::splat(id); UNROLL],
            s: id,
            vsteps: 0,
            ssteps: 0,
            cascade: Cascade::new(),
            _op: core::marker::PhantomData,
        }
    }

    #[inline(always)]
    fn reset_block(&mut self) {
        let id = Op::identity();
        self.v = [T::splat(id); UNROLL];
        self.s = id;
        self.vsteps = 0;
        self.ssteps = 0;
    }

    #[inline(always)]
    fn reset(&mut self) {
        self.reset_block();
        self.cascade.reset();
    }

    /// The block's fold: accumulators pairwise, then lanes pairwise, then the scalar.
    #[inline(always)]
    fn block_total(&self) -> T {
        let [a0, a1, a2, a3] = self.v;
        let v = Op::lanes(Op::lanes(a0, a1), Op::lanes(a2, a3));
        Op::scalar(Op::horizontal(v), self.s)
    }

    #[inline(always)]
    fn flush(&mut self) {
        let total = self.block_total();
        self.cascade.push::<Op>(total);
        self.reset_block();
    }

    /// Folds the row `p[i·stride]`, `i < n`, into the accumulator.
    ///
    /// # Safety
    /// Every `p + i·stride` must be readable.
    #[inline(always)]
    unsafe fn feed(&mut self, p: *const T, n: usize, stride: isize) {
        let w = T::LANES;
        let mut i = 0;
        if stride == 1 {
            let wide = UNROLL * w;
            // LOOP 1: four vectors per step, as many steps as the block has room for.
            while n - i >= wide {
                let steps = ((n - i) / wide).min(STEPS - self.vsteps);
                let [mut a0, mut a1, mut a2, mut a3] = self.v;
                for _ in 0..steps {
                    // Safety: i + wide ≤ n.
                    unsafe {
                        a0 = Op::lanes(a0, T::load(p.add(i)));
                        a1 = Op::lanes(a1, T::load(p.add(i + w)));
                        a2 = Op::lanes(a2, T::load(p.add(i + 2 * w)));
                        a3 = Op::lanes(a3, T::load(p.add(i + 3 * w)));
                    }
                    i += wide;
                }
                self.v = [a0, a1, a2, a3];
                self.vsteps += steps;
                if self.vsteps == STEPS {
                    self.flush();
                }
            }
            // LOOP 2: single vectors into the first accumulator.
            while n - i >= w {
                // Safety: i + w ≤ n.
                self.v[0] = Op::lanes(self.v[0], unsafe { T::load(p.add(i)) });
                i += w;
                self.vsteps += 1;
                if self.vsteps == STEPS {
                    self.flush();
                }
            }
        }
        // LOOP 3: the tail, or a whole strided row, through the scalar accumulator.
        while i < n {
            let steps = (n - i).min(STEPS - self.ssteps);
            let mut s = self.s;
            for k in i..i + steps {
                // Safety: k < n.
                s = Op::scalar(s, unsafe { *p.offset(k as isize * stride) });
            }
            self.s = s;
            i += steps;
            self.ssteps += steps;
            if self.ssteps == STEPS {
                self.flush();
            }
        }
    }

    #[inline(always)]
    fn finish(&self) -> T {
        self.cascade.finish::<Op>(self.block_total())
    }
}

/// The rows loop for one tile of `m` outputs: `out[0..m]` is the block accumulator (each output
/// takes at most [`STEPS`] rows before the tile is pushed), and the cascade's blocks are tiles.
struct RowTile<T, Op> {
    cascade: RowCascade<T>,
    _op: core::marker::PhantomData<Op>,
}

impl<T: Lanes, Op: Fold<T>> RowTile<T, Op> {
    /// For tiles of up to `width` outputs.
    fn new(width: usize) -> Self {
        RowTile { cascade: RowCascade::new(width), _op: core::marker::PhantomData }
    }

    /// `out[0..m] = ⊕ over the reduced positions r of a[start + r .. start + r + m]`.
    ///
    /// # Safety
    /// `out..out+m` writable and disjoint from `a`; for every offset r of `reduced` (from 0),
    /// `a + start + r .. + m` readable; `m` at most the width the tile was made for.
    unsafe fn run(
        &mut self,
        a: *const T,
        start: isize,
        out: *mut T,
        m: usize,
        reduced: &[Axis<1>],
    ) {
        self.cascade.reset();
        let mut steps = 0;
        // LOOP 2: the reduced positions in memory order, one input row segment each.
        for_each_row(reduced, [start], |[r], len, [rr]| {
            for k in 0..len as isize {
                // Safety: the caller guarantees the segment at every reduced offset is readable
                // and out..out+m writable, m ≤ the cascade's width.
                unsafe {
                    let src = a.offset(r + k * rr);
                    if steps == STEPS {
                        self.cascade.push::<Op>(out, m);
                        steps = 0;
                    }
                    if steps == 0 {
                        fold_into_identity::<T, Op>(out, src, 1, m);
                    } else {
                        fold_into::<T, Op>(out, out, src, m);
                    }
                }
                steps += 1;
            }
        });
        // Safety: as above.
        unsafe { self.cascade.finish::<Op>(out, m) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::shape::contiguous_strides;

    /// `op` over `axes` of a contiguous `shape` filled with `data`, split into `parts`.
    fn run<T: Lanes, Op: Fold<T>>(
        shape: &[usize],
        data: &[T],
        axes: &[bool],
        parts: usize,
    ) -> Vec<T> {
        let strides = contiguous_strides(shape);
        let kept: usize = shape.iter().zip(axes).filter(|(_, &r)| !r).map(|(n, _)| n).product();
        let mut out = vec![T::ZERO; kept];
        let a = Strided::new(data, &strides, 0);
        reduce_with::<T, Op>(shape, a, axes, Output::new(&mut out), Some(parts)).unwrap();
        out
    }

    fn values(n: usize, seed: u64, nan_every: usize) -> Vec<f64> {
        let mut x = seed;
        (0..n)
            .map(|i| {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let v = ((x >> 11) as f64 / (1u64 << 53) as f64) * 2.0 - 1.0;
                if nan_every > 0 && i % nan_every == nan_every - 1 {
                    f64::NAN
                } else {
                    1.0 + v / 64.0 // near 1, so long products stay finite
                }
            })
            .collect()
    }

    fn same_bits<T: Lanes + core::fmt::Debug>(a: &[T], b: &[T], what: &str) {
        let bits = |v: &[T]| v.iter().map(|x| format!("{x:?}")).collect::<Vec<_>>();
        assert_eq!(bits(a), bits(b), "{what}");
    }

    /// Split into any number of parts, every loop gives the single-thread bits: long rows cut
    /// into whole subtrees (with remainders that end on a block flushed by the single-vector
    /// loop), outputs cut into runs, and row tiles cut narrower.
    fn parts_repeat_one_thread<T: Lanes + core::fmt::Debug>(from: fn(f64) -> T) {
        let block = STEPS * UNROLL * T::LANES;
        let part = block << PART_LEVEL;
        // The last part's 2^PART_LEVEL-th block is flushed by loop 2 (15 wide steps + 1 vector).
        let flushed = (part - block) + 15 * UNROLL * T::LANES + T::LANES + 3;
        let shapes: [(Vec<usize>, Vec<bool>); 8] = [
            (vec![3 * part], vec![true]),
            (vec![3 * part + 1], vec![true]),
            (vec![2 * part + flushed], vec![true]),
            (vec![5 * part - 7], vec![true]),
            (vec![3, 2 * part + 5], vec![false, true]),
            (vec![37, 1000], vec![false, true]),
            (vec![1000, 37], vec![true, false]),
            (vec![3, 40, 3000], vec![false, true, false]),
        ];
        for (shape, axes) in &shapes {
            for nan_every in [0, 4999] {
                let data: Vec<T> =
                    values(shape.iter().product(), 7, nan_every).into_iter().map(from).collect();
                for parts in [2, 3, 8] {
                    let what = format!("{shape:?} {axes:?} NaN every {nan_every}, {parts} parts");
                    same_bits(
                        &run::<T, Sum>(shape, &data, axes, parts),
                        &run::<T, Sum>(shape, &data, axes, 1),
                        &what,
                    );
                    same_bits(
                        &run::<T, Prod>(shape, &data, axes, parts),
                        &run::<T, Prod>(shape, &data, axes, 1),
                        &what,
                    );
                    same_bits(
                        &run::<T, Max>(shape, &data, axes, parts),
                        &run::<T, Max>(shape, &data, axes, 1),
                        &what,
                    );
                    same_bits(
                        &run::<T, Min>(shape, &data, axes, parts),
                        &run::<T, Min>(shape, &data, axes, 1),
                        &what,
                    );
                }
            }
        }
    }

    #[test]
    fn parts_repeat_one_thread_f32() {
        parts_repeat_one_thread::<f32>(|x| x as f32);
    }

    #[test]
    fn parts_repeat_one_thread_f64() {
        parts_repeat_one_thread::<f64>(|x| x);
    }

    #[test]
    fn a_subtree_pushed_whole_is_its_blocks_pushed_one_by_one() {
        let blocks: Vec<f64> = values(1000, 3, 0);
        let mut one = Cascade::<f64>::new();
        blocks.iter().for_each(|&b| one.push::<Sum>(b));
        let mut whole = Cascade::<f64>::new();
        for chunk in blocks[..960].chunks(64) {
            let mut sub = Cascade::<f64>::new();
            chunk.iter().for_each(|&b| sub.push::<Sum>(b));
            whole.push_subtree::<Sum>(6, sub.total::<Sum>());
        }
        blocks[960..].iter().for_each(|&b| whole.push::<Sum>(b));
        assert_eq!(one.finish::<Sum>(0.5).to_bits(), whole.finish::<Sum>(0.5).to_bits());
    }
}
