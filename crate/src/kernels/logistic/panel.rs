//! The two microkernels every logistic pass is built from, each over `R` rows at once so one
//! load of the shared operand feeds `R` rows:
//!
//! - [`dot_rows`]: `s_r = Σ_j v[j]·x_r[j]`: z of `R` examples against w (rows layout), or the
//!   dw of `R` features against a tile's dz (cols layout);
//! - [`axpy_rows`]: `y[j] += Σ_r c_r·x_r[j]`: dw += dz·x over `R` examples (rows layout), or
//!   z += w_j·X[j, tile] over `R` features (cols layout).
//!
//! plus the lane helpers they share ([`load_padded`], [`store_partial`]). Tails shorter
//! than a vector are padded with zeros into whole vectors, so a result never depends on where
//! a row starts or ends relative to the vector width (nor, in the relaxed build, on whether
//! the engine fuses `mul_add`: lanes and tails take the same instruction).
//!
//! Accuracy of [`dot_rows`] (Higham, *Accuracy and Stability of Numerical Algorithms*, §3.1):
//! each accumulator chain takes at most [`CHAIN`] additions before it is folded into the row's
//! outer accumulator, so every product `v[j]·x_r[j]` goes through at most
//! `h = 1 + CHAIN + ⌈log₂UNROLL⌉ + ⌈n / (CHAIN·UNROLL·L)⌉ + 1 + log₂L` roundings (L lanes) and
//! `|ŝ − s| ≤ γ_h·Σ|v[j]·x_r[j]|`, `γ_h = h·u/(1 − h·u)`: for n = 1000 that is h = 29 in f32
//! (γ ≈ 1.7e-6) and h = 36 in f64 (γ ≈ 4.0e-15).

use crate::simd::math::UnaryMath;
use crate::simd::MAX_LANES;

/// Rows per microkernel call: one load of the shared operand feeds four rows, and four
/// independent add chains per lane keep both FP ports busy (SIMD128 has no FMA, so a dot or
/// an axpy is one multiplication and one addition per element; the relaxed build fuses them).
/// Eight rows per axpy (sharing each load and store of dw over eight) measured no faster.
pub(super) const MR: usize = 4;
/// The [`MR`] rows of group `g` when rows are walked in groups a quarter of the walk apart:
/// `g, g + q, g + 2q, g + 3q`, `q = ⌊rows/MR⌋` (the `rows mod MR` left over go one at a
/// time after the groups).
///
/// Why not four neighbours: rows of a few cache lines (the course's feature rows are 209
/// examples, 836 B in f32 and 1672 B in f64; an example row at n_x = 1000 in f32 is one
/// 4 KB page) read four at a time are four streams one row long, restarted every group, which
/// the hardware prefetchers barely follow; once X was larger than the cache the walks waited
/// on memory (the course's (12288, 209) step in f64, 20 MB, took 2.5× its time at 10 MB per
/// byte). A quarter apart, a walk is four long sequential streams.
#[inline(always)]
pub(super) fn quarter_group(g: usize, q: usize) -> [usize; MR] {
    core::array::from_fn(|r| g + r * q)
}
/// Vector accumulators per row in [`dot_rows`]: two, so one step is eight independent
/// multiply-add chains over four rows (with one per row, four chains of a 4-cycle `relaxed_madd`
/// bound the loop at one vector of X per cycle), and the loop walks one pointer per row with
/// the second vector at a constant offset. That offset is folded into the load by the build's
/// `wasm-opt --low-memory-unused` (LLVM leaves it an `i32.add`, which V8 turned into an `lea`
/// per load: with it, two accumulators measured ~15 % slower than one). V8 13 makes the loop
/// 25 instructions per 8 vectors of X (4.25 per vector before); the rows-layout step at
/// (12288, 209) and (1000, 20000) 1.09–1.16× faster with [`axpy_rows`]'s two vectors per step.
const UNROLL: usize = 2;
/// Additions each accumulator chain of [`dot_rows`] takes before the chunk is folded into the
/// row's outer accumulator, so the error bound grows with `n / (CHAIN·L)` rather than `n / L`.
const CHAIN: usize = 16;

#[inline(always)]
fn zero<T: UnaryMath>() -> T::V {
    T::splat(T::ZERO)
}

/// `k ≤ LANES` elements from `p`, then zeros.
///
/// # Safety
/// `p..p+k` readable.
#[inline(always)]
pub(super) unsafe fn load_padded<T: UnaryMath>(p: *const T, k: usize) -> T::V {
    // Safety: k ≤ LANES elements are readable, as the caller guarantees.
    unsafe { T::load_partial(p, k) }
}

/// Stores the first `k ≤ LANES` lanes of `v` to `p`.
///
/// # Safety
/// `p..p+k` writable.
#[inline(always)]
pub(super) unsafe fn store_partial<T: UnaryMath>(p: *mut T, v: T::V, k: usize) {
    if k == T::LANES {
        // Safety: k = LANES elements are writable, as the caller guarantees.
        return unsafe { T::store(p, v) };
    }
    let mut buf = [T::ZERO; MAX_LANES];
    // Safety: buf holds MAX_LANES ≥ LANES elements; p..p+k is writable.
    unsafe {
        T::store(buf.as_mut_ptr(), v);
        core::ptr::copy_nonoverlapping(buf.as_ptr(), p, k);
    }
}

/// `t₀ + t₁ + … + t_{R−1}` as a balanced tree: `(t₀ + t₁) + (t₂ + t₃)` for R = 4.
#[inline(always)]
fn tree<T: UnaryMath, const R: usize>(mut t: [T::V; R]) -> T::V {
    let mut s = 1;
    while s < R {
        let mut i = 0;
        while i + s < R {
            t[i] = T::vadd(t[i], t[i + s]);
            i += 2 * s;
        }
        s *= 2;
    }
    t[0]
}

/// `s_r = Σ_{j<n} v[j]·x_r[j]` for the `R` rows `x_r`.
///
/// + v: the shared operand (w, or a tile's dz), `n` elements
/// + rows: `R` row starts, `n` elements each
///
/// The order of operations depends only on `n` (see the module doc for the error bound).
///
/// # Safety
/// `v..v+n` and every `rows[r]..rows[r]+n` readable.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // acc[r][u] by row and unroll index reads clearest
pub(super) unsafe fn dot_rows<T: UnaryMath, const R: usize>(
    v: *const T,
    rows: [*const T; R],
    n: usize,
) -> [T; R] {
    let l = T::LANES;
    let step = l * UNROLL;
    let body = n - n % step;
    let mut outer = [zero::<T>(); R];
    let mut j = 0;
    // Safety: every load below reads v[j..j+LANES] and x_r[j..j+LANES] with j + LANES ≤ body ≤ n,
    // or, in the tail, k ≤ n − j elements; the caller guarantees n readable elements per row.
    unsafe {
        // LOOP 2: chunks of CHAIN steps, folded into `outer`. The loops walk pointers (one
        // add per row per step, the second vector at a constant offset that the build's
        // wasm-opt folds into the load) rather than index from the row starts.
        let (mut pv, mut px) = (v, rows);
        while j < body {
            let end = body.min(j + CHAIN * step);
            let mut acc = [[zero::<T>(); UNROLL]; R];
            let stop = v.add(end);
            // LOOP 1: one step is UNROLL vectors of every row.
            while pv < stop {
                for u in 0..UNROLL {
                    let vv = T::load(pv.add(u * l));
                    for r in 0..R {
                        acc[r][u] = T::mul_add(vv, T::load(px[r].add(u * l)), acc[r][u]);
                    }
                }
                pv = pv.add(step);
                px = px.map(|p| p.add(step));
            }
            j = end;
            for r in 0..R {
                outer[r] = T::vadd(outer[r], tree::<T, UNROLL>(acc[r]));
            }
        }
        // Tail: fewer than UNROLL·LANES elements, as zero-padded vectors.
        if j < n {
            let mut acc = [zero::<T>(); R];
            while j < n {
                let k = (n - j).min(l);
                let vv = load_padded(v.add(j), k);
                for r in 0..R {
                    acc[r] = T::mul_add(vv, load_padded(rows[r].add(j), k), acc[r]);
                }
                j += k;
            }
            for r in 0..R {
                outer[r] = T::vadd(outer[r], acc[r]);
            }
        }
    }
    outer.map(T::hsum)
}

/// One vector of [`axpy_rows`]: `y ← y + (((c₀·x₀) + c₁·x₁) + …)` over `lanes ≤ LANES`
/// elements (a tail zero-padded, so it takes the very same lane operations).
///
/// # Safety
/// `y + j .. + lanes` readable and writable, every `rows[r] + j .. + lanes` readable.
#[inline(always)]
unsafe fn axpy_vector<T: UnaryMath, const R: usize>(
    y: *mut T,
    cs: [T::V; R],
    rows: [*const T; R],
    j: usize,
    lanes: usize,
) {
    // Safety: as the caller guarantees.
    unsafe {
        let mut t = T::vmul(cs[0], load_padded(rows[0].add(j), lanes));
        for r in 1..R {
            t = T::mul_add(cs[r], load_padded(rows[r].add(j), lanes), t);
        }
        store_partial(y.add(j), T::vadd(load_padded(y.add(j), lanes), t), lanes);
    }
}

/// `y[j] ← y[j] + Σ_r c_r·x_r[j]` for `j < n`: the `R` products summed by a [`Lanes::mul_add`]
/// chain first (in the relaxed build one fused multiply-add per element of X after the first
/// row; elements are independent, so the chain's latency overlaps across j), then added into
/// `y`: one rounding into `y` per call, whatever `R`.
///
/// + y: `n` elements, read and written; must not overlap the rows
/// + c, rows: `R` coefficients and row starts of `n` elements each
///
/// # Safety
/// `y..y+n` readable and writable, every `rows[r]..rows[r]+n` readable, y disjoint from them.
///
/// [`Lanes::mul_add`]: crate::simd::Lanes::mul_add
#[inline(always)]
pub(super) unsafe fn axpy_rows<T: UnaryMath, const R: usize>(
    y: *mut T,
    c: [T; R],
    rows: [*const T; R],
    n: usize,
) {
    let l = T::LANES;
    let cs = c.map(T::splat);
    let body = n - n % l;
    // Safety: indices stay below n, as the caller guarantees for y and every row.
    unsafe {
        // LOOP 1: two vectors of y per step (walking pointers, as dot_rows), then one.
        let pairs = body - body % (2 * l);
        let (mut py, mut px, stop) = (y, rows, y.add(pairs));
        while py < stop {
            axpy_vector(py, cs, px, 0, l);
            axpy_vector(py, cs, px, l, l);
            py = py.add(2 * l);
            px = px.map(|p| p.add(2 * l));
        }
        let mut j = pairs;
        while j < body {
            axpy_vector(y, cs, rows, j, l);
            j += l;
        }
        if j < n {
            axpy_vector(y, cs, rows, j, n - j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Float: UnaryMath {
        fn of(x: f64) -> Self;
        fn bits(self) -> u64;
    }
    impl Float for f32 {
        fn of(x: f64) -> Self {
            x as f32
        }
        fn bits(self) -> u64 {
            self.to_bits().into()
        }
    }
    impl Float for f64 {
        fn of(x: f64) -> Self {
            x
        }
        fn bits(self) -> u64 {
            self.to_bits()
        }
    }

    /// The documented order, written plainly (one vector per step, rows indexed): what the
    /// pointer-walking loops must reproduce bit for bit.
    fn dot_model<T: UnaryMath>(v: &[T], x: &[T]) -> T {
        let (l, n) = (T::LANES, v.len());
        let step = l * UNROLL;
        let body = n - n % step;
        let mut outer = zero::<T>();
        // Safety: every load is inside v and x (n elements each), tails padded.
        unsafe {
            for chunk in (0..body).step_by(CHAIN * step) {
                let mut acc = [zero::<T>(); UNROLL];
                for j in (chunk..body.min(chunk + CHAIN * step)).step_by(step) {
                    for (u, a) in acc.iter_mut().enumerate() {
                        *a = T::mul_add(T::load(&v[j + u * l]), T::load(&x[j + u * l]), *a);
                    }
                }
                outer = T::vadd(outer, tree::<T, UNROLL>(acc));
            }
            if body < n {
                let mut acc = zero::<T>();
                for j in (body..n).step_by(l) {
                    let p = |s: &[T]| load_padded(s[j..].as_ptr(), l.min(n - j));
                    acc = T::mul_add(p(v), p(x), acc);
                }
                outer = T::vadd(outer, acc);
            }
        }
        T::hsum(outer)
    }

    fn axpy_model<T: UnaryMath, const R: usize>(y: &mut [T], c: [T; R], rows: [&[T]; R]) {
        let (l, n) = (T::LANES, y.len());
        for j in (0..n).step_by(l) {
            let k = l.min(n - j);
            let pad = |s: &[T]| {
                let mut v = [T::ZERO; MAX_LANES];
                v[..k].copy_from_slice(&s[j..j + k]);
                v
            };
            // Safety: every buffer holds MAX_LANES ≥ LANES elements.
            unsafe {
                let mut t = T::vmul(T::splat(c[0]), T::load(pad(rows[0]).as_ptr()));
                for r in 1..R {
                    t = T::mul_add(T::splat(c[r]), T::load(pad(rows[r]).as_ptr()), t);
                }
                let mut out = [T::ZERO; MAX_LANES];
                T::store(out.as_mut_ptr(), T::vadd(T::load(pad(y).as_ptr()), t));
                y[j..j + k].copy_from_slice(&out[..k]);
            }
        }
    }

    fn values<T: Float>(n: usize, seed: usize) -> Vec<T> {
        // Varied magnitudes, so a change in the order of additions changes the bits.
        (0..n)
            .map(|i| {
                T::of(
                    (((i * 7919 + seed * 104729) % 1009) as f64 - 504.0)
                        * 1.37e-2
                        * (1.0 + (i % 13) as f64 * 1e3),
                )
            })
            .collect()
    }

    fn check<T: Float>() {
        for n in 0..(2 * CHAIN + 3) * T::LANES {
            // Rows one element past a vector boundary: the kernels assume no alignment.
            let v = values::<T>(n, 1);
            let data: Vec<Vec<T>> = (0..4).map(|r| values::<T>(n + 1, r + 2)).collect();
            let rows: [&[T]; 4] = core::array::from_fn(|r| &data[r][1..]);
            // Safety: v and every row hold n elements.
            let got = unsafe { dot_rows::<T, 4>(v.as_ptr(), rows.map(|r| r.as_ptr()), n) };
            let want = rows.map(|r| dot_model(&v, r));
            assert_eq!(got.map(|s| s.bits()), want.map(|s| s.bits()), "dot_rows, n = {n}");
            let c: [T; 4] = core::array::from_fn(|r| T::of(0.5 - r as f64 * 0.3));
            let (mut got, mut want) = (values::<T>(n, 9), values::<T>(n, 9));
            // Safety: y and every row hold n elements, y is its own buffer.
            unsafe { axpy_rows::<T, 4>(got.as_mut_ptr(), c, rows.map(|r| r.as_ptr()), n) };
            axpy_model(&mut want, c, rows);
            let bits = |y: &[T]| y.iter().map(|s| s.bits()).collect::<Vec<_>>();
            assert_eq!(bits(&got), bits(&want), "axpy_rows, n = {n}");
        }
    }

    #[test]
    fn microkernels_keep_the_documented_order() {
        check::<f32>();
        check::<f64>();
    }
}
