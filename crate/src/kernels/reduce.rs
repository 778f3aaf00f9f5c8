//! Reductions over any set of axes, with numpy's semantics: `sum`, `prod`, `max`, `min`
//! ([`reduce`]) and `argmax`, `argmin` ([`arg_reduce`]). `mean` is the caller's `sum / count`.
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
//! pairwise cascade (a binary counter of partial sums). No element of an output's `n` addends
//! goes through more than `h = STEPS + 5 + ⌈log2 n⌉` roundings, so
//!
//! ```text
//! |computed − exact| ≤ γ_h · Σ|xᵢ|,   γ_h = h·u / (1 − h·u),   u = 2⁻²⁴ (f32), 2⁻⁵³ (f64)
//! ```
//!
//! e.g. h = 45 and γ_h ≈ 2.7e-6 for 10⁷ float32 addends. Products take the same blocked,
//! pairwise order (relative error ≤ γ_{n−1} without overflow or underflow, as any order);
//! max and min are exact.

use crate::array::reduce_plan::ReducePlan;
use crate::array::strided::{for_each_row, Axis};
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::simd::Lanes;

/// Most additions any one accumulator takes before its block is folded into the cascade.
pub const STEPS: usize = 16;
/// Vector accumulators in the lanes loop (independent chains hide the add latency).
const UNROLL: usize = 4;
/// Outputs per tile in the rows loop: the tile and its cascade levels stay in L1/L2.
pub const TILE: usize = 2048;
/// Rows per block in the vectorised arg loop: indices within a block are tracked in lanes of
/// `T`, exact while below 2²⁴ (float32's integer range).
const ARG_ROWS: usize = 1 << 16;
/// Elements per chunk in the contiguous arg loop (one SIMD max/min, then a scan if it wins).
const ARG_CHUNK: usize = 256;
/// Levels of the pairwise cascade: one per bit of the block count.
const LEVELS: usize = 64;
/// Widest lane count the horizontal fold supports.
const MAX_LANES: usize = 8;

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

/// The index reductions by the numeric code the bindings receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgOpCode {
    ArgMax = 0,
    ArgMin = 1,
}

impl ArgOpCode {
    pub fn from_u32(code: u32) -> Option<Self> {
        match code {
            0 => Some(ArgOpCode::ArgMax),
            1 => Some(ArgOpCode::ArgMin),
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
        ReduceOpCode::Sum => reduce_with::<T, Sum>(shape, a, reduced, out),
        ReduceOpCode::Prod => reduce_with::<T, Prod>(shape, a, reduced, out),
        ReduceOpCode::Max => reduce_with::<T, Max>(shape, a, reduced, out),
        ReduceOpCode::Min => reduce_with::<T, Min>(shape, a, reduced, out),
    }
}

/// `out[j] = index of the first max (min) over the reduced axes of a`, as the row-major flat
/// index within the reduced axes, in f64.
///
/// + shape, a, reduced: as for [`reduce`]
/// + out: contiguous, row-major over the kept axes; written only
///
/// The first NaN wins if there is one (numpy); otherwise the first element equal to the
/// extreme, so −0 and +0 tie and the earlier one is chosen, as numpy's `argmax` and the
/// TypeScript reference (`max` itself returns +0 for such a tie). An empty reduction (with a
/// non-empty `out`) is a `Layout` error.
pub fn arg_reduce<T: Lanes>(
    code: ArgOpCode,
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    out: Output<f64>,
) -> Result<(), KernelError> {
    match code {
        ArgOpCode::ArgMax => arg_reduce_with::<T, ArgMax>(shape, a, reduced, out),
        ArgOpCode::ArgMin => arg_reduce_with::<T, ArgMin>(shape, a, reduced, out),
    }
}

// ---------------------------------------------------------------------------------------------
// Value reductions

/// An associative fold, given once for lanes and once for scalars.
trait Fold<T: Lanes> {
    /// numpy's ufunc name, for the empty-reduction error.
    const NAME: &'static str;
    /// `identity ⊕ x = x` for every x (for a sum: +0, so a sum of −0s is +0 as in the reference).
    fn identity() -> T;
    /// The result of an empty reduction, if the op has one.
    fn empty() -> Option<T>;
    fn lanes(a: T::V, b: T::V) -> T::V;
    fn scalar(a: T, b: T) -> T;
}

struct Sum;
struct Prod;
struct Max;
struct Min;

#[inline(always)]
fn zero<T: Lanes>() -> T {
    T::from_bool(false)
}
#[inline(always)]
fn one<T: Lanes>() -> T {
    T::from_bool(true)
}
#[inline(always)]
fn infinity<T: Lanes>() -> T {
    one::<T>() / zero::<T>()
}

impl<T: Lanes> Fold<T> for Sum {
    const NAME: &'static str = "add";
    #[inline(always)]
    fn identity() -> T {
        zero()
    }
    fn empty() -> Option<T> {
        Some(zero())
    }
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vadd(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        a + b
    }
}

impl<T: Lanes> Fold<T> for Prod {
    const NAME: &'static str = "multiply";
    #[inline(always)]
    fn identity() -> T {
        one()
    }
    fn empty() -> Option<T> {
        Some(one())
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
        zero::<T>() - infinity::<T>()
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

fn reduce_with<T: Lanes, Op: Fold<T>>(
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    mut out: Output<T>,
) -> Result<(), KernelError> {
    a.check(shape)?;
    let plan = ReducePlan::new(shape, a.strides, a.offset, reduced, true)?;
    out.check(&plan.kept_shape)?;
    if out.is_empty() {
        return Ok(());
    }
    let (pa, po) = (a.ptr(), out.ptr());
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
    // Safety: (all three loops) `a.check` proved every element of `shape` read through a's
    // layout is inside its buffer, and the plan only regroups, flips and reorders those axes,
    // so every input offset it produces is one of them. `out` holds size(kept_shape) elements
    // and the plan's output strides are row-major over kept_shape, so every output offset and
    // every tile `o..o+m` along the contiguous kept axis is inside it.
    match (red_inner, kept_inner) {
        (None, _) => {
            // No axis of length > 1 is reduced: `out = identity ⊕ a`.
            // Safety: see above; kept rows are contiguous in `out`.
            for_each_row(&plan.kept, [plan.offset, 0], |[s, o], n, [rs, _]| unsafe {
                fold_into_identity::<T, Op>(po.offset(o), pa.offset(s), rs, n)
            });
        }
        (Some(r), Some(1)) if r != 1 => {
            // Rows: the kept axis is contiguous, so vectorise over outputs.
            let (inner, outer) = plan.kept.split_last().expect("kept axes");
            let mut rows = RowCascade::<T, Op>::new();
            for_each_row(outer, [plan.offset, 0], |[s, o], n, [rs, ro]| {
                for i in 0..n as isize {
                    let (s, o) = (s + i * rs, o + i * ro);
                    // LOOP 1: tiles of the contiguous kept axis.
                    for t in (0..inner.len).step_by(TILE) {
                        let m = TILE.min(inner.len - t);
                        // Safety: see above; `out` does not overlap `a` (the contract).
                        unsafe {
                            rows.run(
                                pa,
                                s + t as isize,
                                po.offset(o + t as isize),
                                m,
                                &plan.reduced,
                            )
                        };
                    }
                }
            });
        }
        _ => {
            // Lanes (contiguous reduced rows) or strided: one output at a time.
            let mut acc = Accumulator::<T, Op>::new();
            for_each_row(&plan.kept, [plan.offset, 0], |[s, o], n, [rs, ro]| {
                for i in 0..n as isize {
                    acc.reset();
                    // Safety: see above.
                    for_each_row(&plan.reduced, [s + i * rs], |[r], len, [rr]| unsafe {
                        acc.feed(pa.offset(r), len, rr)
                    });
                    // Safety: see above.
                    unsafe { *po.offset(o + i * ro) = acc.finish() };
                }
            });
        }
    }
    Ok(())
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

/// `dst[i] = dst[i] ⊕ src[i]` for `i < n`.
///
/// # Safety
/// `dst..dst+n` writable, `src..src+n` readable, the two disjoint.
#[inline(always)]
unsafe fn fold_row<T: Lanes, Op: Fold<T>>(dst: *mut T, src: *const T, n: usize) {
    let body = n - n % T::LANES;
    // Safety: indices stay below n, as the caller guarantees.
    unsafe {
        for i in (0..body).step_by(T::LANES) {
            T::store(dst.add(i), Op::lanes(T::load(dst.add(i)), T::load(src.add(i))));
        }
        for i in body..n {
            *dst.add(i) = Op::scalar(*dst.add(i), *src.add(i));
        }
    }
}

/// Pairwise combination of block results: a binary counter in which level k, when occupied,
/// holds the fold of 2^k consecutive blocks.
struct Cascade<T> {
    levels: [T; LEVELS],
    count: u64,
}

impl<T: Lanes> Cascade<T> {
    fn new(fill: T) -> Self {
        Cascade { levels: [fill; LEVELS], count: 0 }
    }

    #[inline(always)]
    fn push<Op: Fold<T>>(&mut self, mut block: T) {
        let merges = self.count.trailing_ones() as usize;
        for level in &self.levels[..merges] {
            block = Op::scalar(*level, block);
        }
        self.levels[merges] = block;
        self.count += 1;
    }

    /// The fold of every pushed block and then `last`, smallest level first.
    #[inline(always)]
    fn finish<Op: Fold<T>>(&self, mut last: T) -> T {
        let mut bits = self.count;
        let mut k = 0;
        while bits != 0 {
            if bits & 1 == 1 {
                last = Op::scalar(self.levels[k], last);
            }
            bits >>= 1;
            k += 1;
        }
        last
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
        assert!(T::LANES <= MAX_LANES && T::LANES.is_power_of_two());
        let id = Op::identity();
        Accumulator {
            v: [T::splat(id); UNROLL],
            s: id,
            vsteps: 0,
            ssteps: 0,
            cascade: Cascade::new(id),
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
        self.cascade.count = 0;
    }

    /// The block's fold: accumulators pairwise, then lanes pairwise, then the scalar.
    #[inline(always)]
    fn block_total(&self) -> T {
        let [a0, a1, a2, a3] = self.v;
        let v = Op::lanes(Op::lanes(a0, a1), Op::lanes(a2, a3));
        let mut lanes = [Op::identity(); MAX_LANES];
        // Safety: LANES ≤ MAX_LANES (asserted in `new`).
        unsafe { T::store(lanes.as_mut_ptr(), v) };
        let mut w = T::LANES;
        while w > 1 {
            w /= 2;
            for i in 0..w {
                lanes[i] = Op::scalar(lanes[i], lanes[i + w]);
            }
        }
        Op::scalar(lanes[0], self.s)
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
/// takes at most [`STEPS`] rows before the tile is pushed), and the cascade levels are tiles.
struct RowCascade<T, Op> {
    levels: Vec<Vec<T>>,
    count: u64,
    _op: core::marker::PhantomData<Op>,
}

impl<T: Lanes, Op: Fold<T>> RowCascade<T, Op> {
    fn new() -> Self {
        RowCascade { levels: Vec::new(), count: 0, _op: core::marker::PhantomData }
    }

    /// `out[0..m] = ⊕ over the reduced positions r of a[start + r .. start + r + m]`.
    ///
    /// # Safety
    /// `out..out+m` writable and disjoint from `a`; for every offset r of `reduced` (from 0),
    /// `a + start + r .. + m` readable.
    unsafe fn run(
        &mut self,
        a: *const T,
        start: isize,
        out: *mut T,
        m: usize,
        reduced: &[Axis<1>],
    ) {
        self.count = 0;
        let mut steps = 0;
        // LOOP 2: the reduced positions in memory order, one input row segment each.
        for_each_row(reduced, [start], |[r], len, [rr]| {
            for k in 0..len as isize {
                // Safety: the caller guarantees the segment at every reduced offset is readable.
                unsafe {
                    let src = a.offset(r + k * rr);
                    if steps == STEPS {
                        self.push(out, m);
                        steps = 0;
                    }
                    if steps == 0 {
                        fold_into_identity::<T, Op>(out, src, 1, m);
                    } else {
                        fold_row::<T, Op>(out, src, m);
                    }
                }
                steps += 1;
            }
        });
        let mut bits = self.count;
        let mut k = 0;
        while bits != 0 {
            if bits & 1 == 1 {
                // Safety: level k holds at least m ≤ TILE elements; out..out+m is writable.
                unsafe { fold_row::<T, Op>(out, self.levels[k].as_ptr(), m) };
            }
            bits >>= 1;
            k += 1;
        }
    }

    /// Moves the finished block in `out[0..m]` into the cascade.
    ///
    /// # Safety
    /// `out..out+m` readable and writable, `m ≤ TILE`.
    unsafe fn push(&mut self, out: *mut T, m: usize) {
        let merges = self.count.trailing_ones() as usize;
        for level in &self.levels[..merges] {
            // Safety: the caller's contract; levels hold TILE ≥ m elements.
            unsafe { fold_row::<T, Op>(out, level.as_ptr(), m) };
        }
        if self.levels.len() == merges {
            self.levels.push(vec![Op::identity(); TILE]);
        }
        // Safety: the level holds TILE ≥ m elements and is not `out`.
        unsafe { core::ptr::copy_nonoverlapping(out, self.levels[merges].as_mut_ptr(), m) };
        self.count += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Index reductions

/// argmax or argmin: which element replaces the current best.
trait ArgFold<T: Lanes> {
    const NAME: &'static str;
    /// The value no element loses to (−∞ for argmax), so a fresh search starts at index 0.
    fn worst() -> T;
    /// `x` replaces `best`: best is not NaN, and x is NaN or strictly more extreme.
    #[inline(always)]
    fn better(x: T, best: T) -> bool {
        !is_nan(best) && (is_nan(x) || Self::beyond(x, best))
    }
    /// Strictly more extreme (`x > best` for argmax).
    fn beyond(x: T, best: T) -> bool;
    /// IEEE maximum (minimum): the extreme of a set, NaN if any is NaN.
    fn lanes_extreme(a: T::V, b: T::V) -> T::V;
    fn extreme(a: T, b: T) -> T;
}

struct ArgMax;
struct ArgMin;

/// `x != x`: the NaN test (`Lanes` has no `is_nan`).
#[inline(always)]
#[allow(clippy::eq_op)]
fn is_nan<T: Lanes>(x: T) -> bool {
    x != x
}

impl<T: Lanes> ArgFold<T> for ArgMax {
    const NAME: &'static str = "argmax";
    fn worst() -> T {
        zero::<T>() - infinity::<T>()
    }
    #[inline(always)]
    fn beyond(x: T, best: T) -> bool {
        x > best
    }
    #[inline(always)]
    fn lanes_extreme(a: T::V, b: T::V) -> T::V {
        T::vmax(a, b)
    }
    #[inline(always)]
    fn extreme(a: T, b: T) -> T {
        T::max_ieee(a, b)
    }
}

impl<T: Lanes> ArgFold<T> for ArgMin {
    const NAME: &'static str = "argmin";
    fn worst() -> T {
        infinity()
    }
    #[inline(always)]
    fn beyond(x: T, best: T) -> bool {
        x < best
    }
    #[inline(always)]
    fn lanes_extreme(a: T::V, b: T::V) -> T::V {
        T::vmin(a, b)
    }
    #[inline(always)]
    fn extreme(a: T, b: T) -> T {
        T::min_ieee(a, b)
    }
}

fn arg_reduce_with<T: Lanes, A: ArgFold<T>>(
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    mut out: Output<f64>,
) -> Result<(), KernelError> {
    a.check(shape)?;
    // Not reordered: the position within the reduced axes is the row-major flat index.
    let plan = ReducePlan::new(shape, a.strides, a.offset, reduced, false)?;
    out.check(&plan.kept_shape)?;
    if out.is_empty() {
        return Ok(());
    }
    let (pa, po) = (a.ptr(), out.ptr());
    if plan.reduced_size == 0 {
        return Err(KernelError::layout(format!(
            "attempt to get {} of an empty sequence",
            A::NAME
        )));
    }

    let red_inner = plan.reduced.last().map(|ax| ax.strides[0]);
    let kept_inner = plan.kept.last().map(|ax| ax.strides[0]);
    // Safety: (all loops) as in `reduce_with`; `out` is f64 with the same row-major layout.
    match (red_inner, kept_inner) {
        (None, _) => {
            // One element per output. Safety: out holds out.len() elements.
            unsafe { core::slice::from_raw_parts_mut(po, out.len()) }.fill(0.0);
        }
        (Some(r), Some(1)) if r != 1 => {
            let (inner, outer) = plan.kept.split_last().expect("kept axes");
            let mut rows = ArgRows::<T, A>::new(plan.reduced_size);
            for_each_row(outer, [plan.offset, 0], |[s, o], n, [rs, ro]| {
                for i in 0..n as isize {
                    let (s, o) = (s + i * rs, o + i * ro);
                    // LOOP 1: tiles of the contiguous kept axis.
                    for t in (0..inner.len).step_by(TILE) {
                        let m = TILE.min(inner.len - t);
                        // Safety: see above; `out` does not overlap `a` (the contract).
                        unsafe {
                            rows.run(
                                pa,
                                s + t as isize,
                                po.offset(o + t as isize),
                                m,
                                &plan.reduced,
                            )
                        };
                    }
                }
            });
        }
        _ => {
            let mut search = ArgSearch::<T, A>::new();
            for_each_row(&plan.kept, [plan.offset, 0], |[s, o], n, [rs, ro]| {
                for i in 0..n as isize {
                    search.reset();
                    // Safety: see above.
                    for_each_row(&plan.reduced, [s + i * rs], |[r], len, [rr]| unsafe {
                        search.feed(pa.offset(r), len, rr)
                    });
                    // Safety: see above.
                    unsafe { *po.offset(o + i * ro) = search.index as f64 };
                }
            });
        }
    }
    Ok(())
}

/// One output's search in the lanes and strided loops, over its elements in row-major order.
struct ArgSearch<T, A> {
    best: T,
    index: usize,
    /// Elements seen so far: the flat index of the next row's first element.
    pos: usize,
    _op: core::marker::PhantomData<A>,
}

impl<T: Lanes, A: ArgFold<T>> ArgSearch<T, A> {
    fn new() -> Self {
        assert!(T::LANES <= MAX_LANES);
        ArgSearch { best: A::worst(), index: 0, pos: 0, _op: core::marker::PhantomData }
    }

    #[inline(always)]
    fn reset(&mut self) {
        (self.best, self.index, self.pos) = (A::worst(), 0, 0);
    }

    /// Searches the row `p[i·stride]`, `i < n`.
    ///
    /// # Safety
    /// Every `p + i·stride` must be readable.
    #[inline(always)]
    unsafe fn feed(&mut self, p: *const T, n: usize, stride: isize) {
        if is_nan(self.best) {
            // A NaN was found: nothing later wins.
        } else if stride == 1 {
            // LOOP 1: chunks: the IEEE extreme with SIMD, then a scan only if it wins.
            for c in (0..n).step_by(ARG_CHUNK) {
                let len = ARG_CHUNK.min(n - c);
                // Safety: c + len ≤ n, so the chunk is inside the row.
                let (chunk, m) = unsafe {
                    let chunk = p.add(c);
                    (chunk, chunk_extreme::<T, A>(chunk, len))
                };
                if A::better(m, self.best) {
                    let m_nan = is_nan(m);
                    // The first element equal to m (the first NaN when m is NaN): it exists.
                    let k = (0..len)
                        .find(|&k| {
                            // Safety: k < len.
                            let x = unsafe { *chunk.add(k) };
                            if m_nan {
                                is_nan(x)
                            } else {
                                x == m
                            }
                        })
                        .unwrap_or(0);
                    // Safety: k < len.
                    self.best = unsafe { *chunk.add(k) };
                    self.index = self.pos + c + k;
                    if m_nan {
                        break;
                    }
                }
            }
        } else {
            // LOOP 2: a strided row, element by element.
            for k in 0..n {
                // Safety: k < n.
                let x = unsafe { *p.offset(k as isize * stride) };
                if A::better(x, self.best) {
                    self.best = x;
                    self.index = self.pos + k;
                }
            }
        }
        self.pos += n;
    }
}

/// The IEEE maximum (minimum) of `p[0..n]`, n ≥ 1.
///
/// # Safety
/// `p..p+n` readable.
#[inline(always)]
unsafe fn chunk_extreme<T: Lanes, A: ArgFold<T>>(p: *const T, n: usize) -> T {
    let w = T::LANES;
    let wide = UNROLL * w;
    // Safety: n ≥ 1 elements are readable.
    let first = T::splat(unsafe { *p });
    let mut v = [first; UNROLL];
    let mut i = 0;
    // Safety: every load ends at or before n.
    unsafe {
        while n - i >= wide {
            for (u, acc) in v.iter_mut().enumerate() {
                *acc = A::lanes_extreme(*acc, T::load(p.add(i + u * w)));
            }
            i += wide;
        }
        while n - i >= w {
            v[0] = A::lanes_extreme(v[0], T::load(p.add(i)));
            i += w;
        }
    }
    let joined = A::lanes_extreme(A::lanes_extreme(v[0], v[1]), A::lanes_extreme(v[2], v[3]));
    let mut lanes = [A::worst(); MAX_LANES];
    // Safety: LANES ≤ MAX_LANES (asserted in `ArgSearch::new`, the only caller).
    unsafe { T::store(lanes.as_mut_ptr(), joined) };
    let mut m = lanes[0];
    for &x in &lanes[1..w] {
        m = A::extreme(m, x);
    }
    for k in i..n {
        // Safety: k < n.
        m = A::extreme(m, unsafe { *p.add(k) });
    }
    m
}

/// The vectorised arg loop for one tile of `m` outputs. Within a block of up to [`ARG_ROWS`]
/// rows the best values and their row numbers live in lanes of `T`; blocks are merged into
/// the running best with scalar compares.
struct ArgRows<T, A> {
    best: Vec<T>,
    block_best: Vec<T>,
    block_row: Vec<T>,
    /// 2^k as `T`, to read a block-row number back as an integer by binary expansion.
    powers: Vec<T>,
    _op: core::marker::PhantomData<A>,
}

impl<T: Lanes, A: ArgFold<T>> ArgRows<T, A> {
    fn new(reduced_size: usize) -> Self {
        // Row numbers within a block are < min(reduced_size, ARG_ROWS): that many bits.
        let rows = reduced_size.min(ARG_ROWS);
        let bits = usize::BITS - (rows - 1).leading_zeros();
        let mut powers = Vec::with_capacity(bits as usize);
        let mut p = one::<T>();
        for _ in 0..bits {
            powers.push(p);
            p = p + p;
        }
        let fill = A::worst();
        ArgRows {
            best: vec![fill; TILE],
            block_best: vec![fill; TILE],
            block_row: vec![fill; TILE],
            powers,
            _op: core::marker::PhantomData,
        }
    }

    /// `out[0..m] = flat index of the first extreme of a[start + r .. + m] over the reduced r`.
    ///
    /// # Safety
    /// `out..out+m` writable; for every offset r of `reduced` (from 0), `a + start + r .. + m`
    /// readable; `m ≤ TILE`.
    unsafe fn run(
        &mut self,
        a: *const T,
        start: isize,
        out: *mut f64,
        m: usize,
        reduced: &[Axis<1>],
    ) {
        let w = T::LANES;
        let body = m - m % w;
        let (bb, br) = (self.block_best.as_mut_ptr(), self.block_row.as_mut_ptr());
        let mut row = 0; // within the block
        let mut row_t = zero::<T>(); // the same, as T
        let mut base = 0; // flat index of the block's first row
                          // LOOP 2: the reduced positions in row-major order, one input row segment each.
        for_each_row(reduced, [start], |[r], len, [rr]| {
            for k in 0..len as isize {
                // Safety: the caller guarantees the segment is readable; bb and br hold TILE ≥ m.
                unsafe {
                    let src = a.offset(r + k * rr);
                    if row == 0 {
                        core::ptr::copy_nonoverlapping(src, bb, m);
                        core::slice::from_raw_parts_mut(br, m).fill(zero());
                    } else {
                        let rv = T::splat(row_t);
                        // LOOP 3: lanes whose value wins take this row's number. `extreme` is
                        // NaN-propagating, so `changed` covers a NaN arriving; a NaN best
                        // (changed by NaN ≠ NaN) is masked by `best == best`.
                        for i in (0..body).step_by(w) {
                            let (x, best) = (T::load(src.add(i)), T::load(bb.add(i)));
                            let ext = A::lanes_extreme(best, x);
                            let changed = T::vmul(T::vne(ext, best), T::veq(best, best));
                            T::store(bb.add(i), ext);
                            T::store(br.add(i), T::vselect(changed, rv, T::load(br.add(i))));
                        }
                        for i in body..m {
                            if A::better(*src.add(i), *bb.add(i)) {
                                *bb.add(i) = *src.add(i);
                                *br.add(i) = row_t;
                            }
                        }
                    }
                }
                row += 1;
                row_t = row_t + one();
                if row == ARG_ROWS {
                    // Safety: as for `run`.
                    unsafe { self.merge(out, m, base) };
                    base += row;
                    (row, row_t) = (0, zero());
                }
            }
        });
        if row > 0 {
            // Safety: as for `run`.
            unsafe { self.merge(out, m, base) };
        }
    }

    /// Folds the block into the running best: the block wins an output only if strictly better,
    /// so ties keep the earlier index.
    ///
    /// # Safety
    /// `out..out+m` writable, `m ≤ TILE`.
    unsafe fn merge(&mut self, out: *mut f64, m: usize, base: usize) {
        for i in 0..m {
            let value = self.block_best[i];
            if base == 0 || A::better(value, self.best[i]) {
                self.best[i] = value;
                let index = base + self.row_number(self.block_row[i]);
                // Safety: i < m.
                unsafe { *out.add(i) = index as f64 };
            }
        }
    }

    /// The integer value of a block-row number held in `T` (exact: below 2¹⁶).
    #[inline(always)]
    fn row_number(&self, mut x: T) -> usize {
        let mut n = 0;
        for (bit, &p) in self.powers.iter().enumerate().rev() {
            if x >= p {
                x = x - p;
                n |= 1 << bit;
            }
        }
        n
    }
}
