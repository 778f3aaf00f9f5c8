//! Index reductions over any set of axes, with numpy's semantics: `argmax` and `argmin`
//! ([`arg_reduce`]): the row-major flat index, within the reduced axes, of the first extreme.
//!
//! The axes are split as for the value reductions (`kernels::reduce`), and the loop is chosen
//! the same way:
//!
//! - **lanes** (the innermost reduced axis is contiguous): chunks of [`ARG_CHUNK`] elements,
//!   each reduced to its IEEE maximum (minimum) with SIMD, then scanned for the first element
//!   equal to it only when it beats the best so far.
//! - **rows** (the innermost kept axis is contiguous): vectorised over a tile of outputs; each
//!   lane keeps its best value and the row it came from, as a number in `T`, for blocks of up
//!   to [`ARG_ROWS`] rows.
//! - **strided** (neither): element by element.
//!
//! Comparisons are exact, so the result is exact: the first NaN if there is one, otherwise the
//! first element equal to the extreme. Large searches run on the pool's threads by outputs, or,
//! for a few long contiguous rows, by parts of a row whose winners are compared in order: the
//! same index on any number of threads.

use crate::array::reduce_plan::ReducePlan;
use crate::array::split::{for_each_row_split, for_each_tile_split, offsets_at};
use crate::array::strided::{for_each_row, Axis};
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::kernels::fold::infinity;
use crate::kernels::reduce::TILE;
use crate::parallel::{self, SharedPtr};
use crate::simd::{spill, Lanes};

/// Rows per block in the vectorised (rows) loop: row numbers within a block are tracked in
/// lanes of `T`, exact while below 2²⁴ (float32's integer range).
const ARG_ROWS: usize = 1 << 16;
/// Elements per chunk in the contiguous (lanes) loop (one SIMD max/min, then a scan if it wins).
const ARG_CHUNK: usize = 256;
/// Vector accumulators of a chunk's extreme (independent chains hide the latency).
const UNROLL: usize = 4;
/// Elements per part when one long row is searched by several threads.
const ARG_PART: usize = 1 << 14;

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

/// `out[j] = index of the first max (min) over the reduced axes of a`, as the row-major flat
/// index within the reduced axes, in f64.
///
/// + shape, a, reduced: as for `kernels::reduce::reduce`
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
        ArgOpCode::ArgMax => arg_reduce_with::<T, ArgMax>(shape, a, reduced, out, None),
        ArgOpCode::ArgMin => arg_reduce_with::<T, ArgMin>(shape, a, reduced, out, None),
    }
}

/// argmax or argmin: which element replaces the current best.
trait ArgFold<T: Lanes> {
    const NAME: &'static str;
    /// The value no element loses to (−∞ for argmax), so a fresh search starts at index 0.
    fn worst() -> T;
    /// `x` replaces `best`: best is not NaN, and x is NaN or strictly more extreme.
    #[inline(always)]
    fn better(x: T, best: T) -> bool {
        !best.is_nan() && (x.is_nan() || Self::beyond(x, best))
    }
    /// Strictly more extreme (`x > best` for argmax).
    fn beyond(x: T, best: T) -> bool;
    /// IEEE maximum (minimum): the extreme of a set, NaN if any is NaN.
    fn lanes_extreme(a: T::V, b: T::V) -> T::V;
    fn extreme(a: T, b: T) -> T;
}

struct ArgMax;
struct ArgMin;

impl<T: Lanes> ArgFold<T> for ArgMax {
    const NAME: &'static str = "argmax";
    fn worst() -> T {
        T::ZERO - infinity::<T>()
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

/// [`arg_reduce`] for one op, split into `parts` (None: as the pool's threads and the size call
/// for; the result is the same for any number).
fn arg_reduce_with<T: Lanes, A: ArgFold<T>>(
    shape: &[usize],
    a: Strided<T>,
    reduced: &[bool],
    mut out: Output<f64>,
    parts: Option<usize>,
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
    let size = out.len().saturating_mul(plan.reduced_size);
    let parts = parts.unwrap_or_else(|| parallel::parts(size, crossover::arg_reduce::<T>()));
    let (pa, po) = (SharedPtr(pa as *mut T), SharedPtr(po));
    // Safety: (all loops) as in `reduce_with`; `out` is f64 with the same row-major layout.
    match (red_inner, kept_inner) {
        (None, _) => {
            // One element per output. Safety: out holds out.len() elements.
            unsafe { core::slice::from_raw_parts_mut(po.get(), out.len()) }.fill(0.0);
        }
        (Some(r), Some(1)) if r != 1 => {
            // Tiles of the contiguous kept axis, whole ones to a part (see `for_each_tile_split`).
            let new_search = ArgRows::<T, A>::new;
            // Safety: see above; `out` does not overlap `a` (the contract).
            for_each_tile_split(
                &plan.kept,
                [plan.offset, 0],
                TILE,
                parts,
                new_search,
                |search, [s, o], m| unsafe {
                    search.run(pa.get(), s, po.get().offset(o), m, &plan.reduced)
                },
            )
            .expect("arg reduction: a worker thread trapped");
        }
        (Some(1), _) if plan.reduced.len() == 1 && parts > 1 && out.len() < 4 * parts => {
            // Few outputs, each one long contiguous row: each row searched in parts.
            for j in 0..out.len() {
                let [s, o] = offsets_at(&plan.kept, [plan.offset, 0], j);
                // Safety: see above.
                unsafe {
                    let index = search_row_in_parts::<T, A>(pa.get().offset(s), plan.reduced_size);
                    *po.get().offset(o) = index as f64;
                }
            }
        }
        _ => {
            for_each_row_split(&plan.kept, [plan.offset, 0], parts, |[s, o], n, [rs, ro]| {
                let mut search = ArgSearch::<T, A>::new();
                for i in 0..n as isize {
                    search.reset();
                    // Safety: see above.
                    for_each_row(&plan.reduced, [s + i * rs], |[r], len, [rr]| unsafe {
                        search.feed(pa.get().offset(r), len, rr)
                    });
                    // Safety: see above.
                    unsafe { *po.get().offset(o + i * ro) = search.index as f64 };
                }
            });
        }
    }
    Ok(())
}

/// The index of the first extreme of the contiguous row `p[0..n]`, its parts of [`ARG_PART`]
/// elements searched by the pool's threads; a later part's winner replaces an earlier one's only
/// if strictly better (or the first NaN), so ties keep the first index, as one search does.
///
/// # Safety
/// `p..p+n` readable, n ≥ 1.
unsafe fn search_row_in_parts<T: Lanes, A: ArgFold<T>>(p: *const T, n: usize) -> usize {
    let parts = n.div_ceil(ARG_PART);
    let mut winners = vec![(A::worst(), 0); parts];
    let (pw, pp) = (SharedPtr(winners.as_mut_ptr()), SharedPtr(p as *mut T));
    parallel::for_each_part(parts, |i| {
        let mut search = ArgSearch::<T, A>::new();
        let start = i * ARG_PART;
        // Safety: part i is inside the row; winners[i] is written by part i alone.
        unsafe {
            search.feed(pp.get().add(start), ARG_PART.min(n - start), 1);
            *pw.get().add(i) = (search.best, start + search.index);
        }
    })
    .expect("arg reduction: a worker thread trapped");
    let mut best = winners[0];
    for &winner in &winners[1..] {
        if A::better(winner.0, best.0) {
            best = winner;
        }
    }
    best.1
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
        if self.best.is_nan() {
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
                    let m_nan = m.is_nan();
                    // The first element equal to m (the first NaN when m is NaN): it exists.
                    let k = (0..len)
                        .find(|&k| {
                            // Safety: k < len.
                            let x = unsafe { *chunk.add(k) };
                            if m_nan {
                                x.is_nan()
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
    let lanes = spill::<T>(joined);
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
    _op: core::marker::PhantomData<A>,
}

impl<T: Lanes, A: ArgFold<T>> ArgRows<T, A> {
    fn new() -> Self {
        let fill = A::worst();
        ArgRows {
            best: vec![fill; TILE],
            block_best: vec![fill; TILE],
            block_row: vec![fill; TILE],
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
        let mut row_t = T::ZERO; // the same, as T
                                 // The flat index of the block's first row.
        let mut base = 0;
        // LOOP 2: the reduced positions in row-major order, one input row segment each.
        for_each_row(reduced, [start], |[r], len, [rr]| {
            for k in 0..len as isize {
                // Safety: the caller guarantees the segment is readable; bb and br hold TILE ≥ m.
                unsafe {
                    let src = a.offset(r + k * rr);
                    if row == 0 {
                        core::ptr::copy_nonoverlapping(src, bb, m);
                        core::slice::from_raw_parts_mut(br, m).fill(T::ZERO);
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
                row_t = row_t + T::ONE;
                if row == ARG_ROWS {
                    // Safety: as for `run`.
                    unsafe { self.merge(out, m, base) };
                    base += row;
                    (row, row_t) = (0, T::ZERO);
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
                let index = base + self.block_row[i].to_usize();
                // Safety: i < m.
                unsafe { *out.add(i) = index as f64 };
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::shape::contiguous_strides;

    fn run<A: ArgFold<f32>>(
        shape: &[usize],
        data: &[f32],
        axes: &[bool],
        parts: usize,
    ) -> Vec<f64> {
        let strides = contiguous_strides(shape);
        let kept: usize = shape.iter().zip(axes).filter(|(_, &r)| !r).map(|(n, _)| n).product();
        let mut out = vec![-1.0; kept];
        let a = Strided::new(data, &strides, 0);
        arg_reduce_with::<f32, A>(shape, a, axes, Output::new(&mut out), Some(parts)).unwrap();
        out
    }

    /// Split into any number of parts, every loop finds the single-thread index: ties (small
    /// integers), the extreme repeated in several parts, a NaN in a later part.
    #[test]
    fn parts_find_the_one_thread_index() {
        let shapes: [(Vec<usize>, Vec<bool>); 6] = [
            (vec![3 * ARG_PART + 5], vec![true]),
            (vec![2, 2 * ARG_PART + 1], vec![false, true]),
            (vec![37, 1000], vec![false, true]),
            (vec![1000, 37], vec![true, false]),
            (vec![3, 40, 300], vec![false, true, false]),
            (vec![3, 7, TILE + 300], vec![false, true, false]),
        ];
        for (shape, axes) in &shapes {
            let n: usize = shape.iter().product();
            for nan_at in [None, Some(n - ARG_PART / 2)] {
                let data: Vec<f32> = (0..n)
                    .map(|i| if Some(i) == nan_at { f32::NAN } else { ((i * 7919) % 13) as f32 })
                    .collect();
                let one =
                    (run::<ArgMax>(shape, &data, axes, 1), run::<ArgMin>(shape, &data, axes, 1));
                for parts in [2, 3, 8] {
                    let split = (
                        run::<ArgMax>(shape, &data, axes, parts),
                        run::<ArgMin>(shape, &data, axes, parts),
                    );
                    assert_eq!(split, one, "{shape:?} {axes:?} NaN at {nan_at:?}, {parts} parts");
                }
            }
        }
    }
}
