//! One gradient step's quantities, whichever layout and whichever examples: the driver that
//! runs a layout's single pass over X ([`super::rows`], [`super::cols`]) and finishes the sums
//! into the cost, dw and db (means over the examples, plus the L2 terms).

use super::cols;
use super::problem::{Layout, LogisticFloat, Pick, Problem, Window};
use super::rows;
use super::sums::{ExampleSums, BLOCK};
use super::workspace::{Part, Workspace};
use crate::kernels::fold::{Cascade, Sum};
use crate::parallel::{self, SharedPtr};
use core::mem::size_of;

/// Examples in one part of a rows step split among threads: 2⁷ blocks. A power of two of
/// blocks, so each full part's sums are one whole subtree of the pairwise cascades and
/// combining the parts' sums in order repeats the single-thread step's additions exactly: the
/// bits do not depend on the number of threads. 8192 examples of n_x = 1000 in f32 are 32 MB
/// of X, milliseconds of work against the ~50 µs a job costs.
const PART: usize = BLOCK << 7;

/// `(cost, db)` of the examples `pick` selects from `p`, with `dw` written (see
/// [`super::logistic_grad`] for the formulas; λ is `p.l2`). Without `cost`, the returned cost
/// leaves out the losses' log1p(e^−|z|) terms (each in [0, ln 2]): cheaper, and finite exactly
/// when the cost is.
///
/// # Safety
/// `w` and `dw` hold `p.n_x` elements; `pick.count() ≥ 1` and `pick.index(k) < p.m` for
/// every `k < pick.count()`; `ws` was made for this `n_x`.
pub(super) unsafe fn step<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    w: &[T],
    b: T,
    cost: bool,
    ws: &mut Workspace<T>,
    dw: &mut [T],
) -> (T, T) {
    if p.layout == Layout::Rows && pick.count() >= 2 * PART && parallel::threads() > 1 {
        // Safety: as the caller guarantees.
        let (loss, dz) = unsafe { rows_in_parts(p, pick, w, b, cost, ws, dw) };
        return finish(pick.count(), w, p.l2, loss, dz, dw);
    }
    if let Some(tiles) = cols_part_tiles(p, pick) {
        // Safety: as the caller guarantees.
        let (loss, dz) = unsafe { cols_in_parts(p, pick, w, b, cost, ws, dw, tiles) };
        return finish(pick.count(), w, p.l2, loss, dz, dw);
    }
    ws.cascade.reset();
    ws.dw_block.fill(T::ZERO);
    let mut sums = ExampleSums::<T>::new(cost);
    // Safety: as the caller guarantees.
    unsafe {
        match p.layout {
            Layout::Rows => rows::accumulate(p, pick, w, b, ws, &mut sums),
            Layout::Cols => {
                let width = cols::pass_width::<T>(p.n_x, pick.count());
                cols::accumulate(p, pick, width, w, b, ws, &mut sums)
            }
        }
    }
    let (loss, dz) = sums.totals();
    ws.cascade.total::<Sum>(dw);
    finish(pick.count(), w, p.l2, loss, dz, dw)
}

/// The rows layout's pass split into parts of [`PART`] examples that the pool's threads run,
/// each into its own cascades; then, in part order, each full part's sums go into the step's
/// cascades as one block of the next level up, and the last (partial) part's totals are folded
/// with what they hold, as [`Cascade::finish`] does. Returns `(Σ loss, Σ dz)`; `dw` gets `Σ dz·x`.
///
/// # Safety
/// As [`step`], with `p.layout` the rows layout.
unsafe fn rows_in_parts<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    w: &[T],
    b: T,
    cost: bool,
    ws: &mut Workspace<T>,
    dw: &mut [T],
) -> (T, T) {
    let parts = run_parts(ws, pick, p.n_x, PART, |part, window| {
        part.ws.dw_block.fill(T::ZERO);
        let mut sums = ExampleSums::<T>::new(cost);
        // Safety: the window's examples are the caller's, each `< p.m`.
        unsafe { rows::accumulate(p, window, w, b, &mut part.ws, &mut sums) };
        (part.loss, part.dz) = sums.totals();
        part.ws.cascade.total::<Sum>(&mut part.dw);
    });
    let full = pick.count() / PART;
    combine_dw(ws, parts, full, dw);
    let (mut loss, mut dz) = (Cascade::<T>::new(), Cascade::<T>::new());
    for part in &ws.parts[..full] {
        loss.push::<Sum>(part.loss);
        dz.push::<Sum>(part.dz);
    }
    match ws.parts[..parts].get(full) {
        Some(last) => (loss.finish::<Sum>(last.loss), dz.finish::<Sum>(last.dz)),
        None => (loss.total::<Sum>(), dz.total::<Sum>()),
    }
}

/// Fewest bytes of X in one part of a cols step split among threads: a few milliseconds of
/// the pass against the tens of microseconds a job costs.
const COLS_PART_BYTES: usize = 4 << 20;

/// Tiles per part when a cols step is split among threads (a power of two, so each full part's
/// dw is one whole subtree of the tiles' cascade, see [`cols_in_parts`]): the fewest that hold [`COLS_PART_BYTES`] of
/// X; `None` (one thread) with one thread, fewer than two such parts, or a mini-batch (whose
/// tiles are gathered into a buffer each part would need its own of; pack to rows instead).
fn cols_part_tiles<T: LogisticFloat, P: Pick>(p: &Problem<T>, pick: P) -> Option<usize> {
    let count = pick.count();
    if p.layout != Layout::Cols || !P::CONTIGUOUS || parallel::threads() == 1 {
        return None;
    }
    let tile_bytes = cols::pass_width::<T>(p.n_x, count) * p.n_x * size_of::<T>();
    let tiles = COLS_PART_BYTES.div_ceil(tile_bytes.max(1)).next_power_of_two();
    (count.saturating_mul(p.n_x * size_of::<T>()) >= 2 * COLS_PART_BYTES.max(tiles * tile_bytes))
        .then_some(tiles)
}

/// The cols layout's pass split into parts of `tiles` whole tiles (a power of two) that the
/// pool's threads run, each into its own dw cascade and with its per-example blocks recorded;
/// then, in part order, each full part's dw goes into the step's cascade as one block: a full
/// part's total is what the single-thread cascade holds one level per 2^a tiles, so its levels
/// from a up combine the parts as a cascade of their totals does (a last, partial part's total
/// is folded onto them smallest level first, as the cascade's total folds its tiles). Every
/// part's per-example blocks are replayed into the step's cascades one by one (a tile's block
/// count is not a power of two in general, so a part's sums are not whole subtrees of those).
/// The additions are the single-thread pass's, so the bits do not depend on the number of
/// threads. Returns `(Σ loss, Σ dz)`; `dw` gets `Σ dz·x`.
///
/// # Safety
/// As [`step`], with `p.layout` the cols layout, a contiguous `pick` and `tiles` a power of two.
#[allow(clippy::too_many_arguments)]
unsafe fn cols_in_parts<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    w: &[T],
    b: T,
    cost: bool,
    ws: &mut Workspace<T>,
    dw: &mut [T],
    tiles: usize,
) -> (T, T) {
    debug_assert!(tiles.is_power_of_two());
    let count = pick.count();
    // Every part is tiled as the whole pass is, whatever its own length.
    let width = cols::pass_width::<T>(p.n_x, count);
    let part_len = width * tiles;
    let parts = run_parts(ws, pick, p.n_x, part_len, |part, window| {
        let mut sums = ExampleSums::<T>::recording(cost, core::mem::take(&mut part.blocks));
        // Safety: the window's examples are the caller's, each `< p.m`, and contiguous.
        unsafe { cols::accumulate(p, window, width, w, b, &mut part.ws, &mut sums) };
        part.blocks = sums.into_blocks();
        part.ws.cascade.total::<Sum>(&mut part.dw);
    });
    combine_dw(ws, parts, count / part_len, dw);
    let mut sums = ExampleSums::<T>::new(cost);
    for part in &ws.parts[..parts] {
        sums.replay(&part.blocks);
    }
    sums.totals()
}

/// Runs `body` on the pool's threads for each part of `part_len` examples of `pick` (the last
/// may be shorter), each part with its own state `ws.parts[i]` (grown as needed), its cascade
/// reset. Returns the number of parts.
fn run_parts<T: LogisticFloat, P: Pick>(
    ws: &mut Workspace<T>,
    pick: P,
    n_x: usize,
    part_len: usize,
    body: impl Fn(&mut Part<T>, Window<P>) + Sync,
) -> usize {
    let count = pick.count();
    let parts = count.div_ceil(part_len);
    if ws.parts.len() < parts {
        ws.parts.resize_with(parts, || Part::new(n_x));
    }
    let states = SharedPtr(ws.parts.as_mut_ptr());
    parallel::for_each_part(parts, |i| {
        // Safety: part i is the only one that touches parts[i] (i < parts ≤ its length).
        let part = unsafe { &mut *states.get().add(i) };
        let start = i * part_len;
        part.ws.cascade.reset();
        body(part, Window { pick, start, count: part_len.min(count - start) });
    })
    .expect("logistic step: a worker thread trapped");
    parts
}

/// `dw` = the parts' `Σ dz·x` added as the single-thread pass's cascade adds its blocks: each of
/// the first `full` parts (whole subtrees of it) pushed in order, then the last of `parts`, if
/// it is partial, folded onto them as [`Cascade::finish`] does.
fn combine_dw<T: LogisticFloat>(ws: &mut Workspace<T>, parts: usize, full: usize, dw: &mut [T]) {
    let n_x = dw.len();
    ws.cascade.reset();
    for part in &ws.parts[..full] {
        // Safety: part.dw holds n_x elements, the cascade's width, and is not inside it.
        unsafe { ws.cascade.push::<Sum>(part.dw.as_ptr(), n_x) };
    }
    match ws.parts[..parts].get(full) {
        Some(last) => {
            dw.copy_from_slice(&last.dw);
            // Safety: dw holds n_x elements and is not inside the cascade.
            unsafe { ws.cascade.finish::<Sum>(dw.as_mut_ptr(), n_x) };
        }
        None => ws.cascade.total::<Sum>(dw),
    }
}

/// Means and L2: `cost = (Σ loss + (λ/2)·‖w‖²)/m`, `dw = (Σ dz·x + λ·w)/m`, `db = Σ dz / m`
/// (each a division by m, not a product with a rounded 1/m). With λ = 0 the L2 terms are
/// skipped, so a huge w cannot turn `0·‖w‖²` into NaN.
fn finish<T: LogisticFloat>(count: usize, w: &[T], l2: T, loss: T, dz: T, dw: &mut [T]) -> (T, T) {
    let m = T::from_usize(count);
    let n_x = w.len();
    let l = T::LANES;
    let mv = T::splat(m);
    let body = n_x - n_x % l;
    let (pw, pd) = (w.as_ptr(), dw.as_mut_ptr());
    if l2 == T::ZERO {
        // Safety: dw holds n_x elements.
        unsafe {
            for j in (0..body).step_by(l) {
                T::store(pd.add(j), T::vdiv(T::load(pd.add(j)), mv));
            }
        }
        for d in &mut dw[body..] {
            *d = *d / m;
        }
        return (loss / m, dz / m);
    }
    let lv = T::splat(l2);
    // Safety: w and dw hold n_x elements.
    unsafe {
        for j in (0..body).step_by(l) {
            let reg = T::vmul(lv, T::load(pw.add(j)));
            T::store(pd.add(j), T::vdiv(T::vadd(T::load(pd.add(j)), reg), mv));
        }
    }
    for j in body..n_x {
        dw[j] = (dw[j] + l2 * w[j]) / m;
    }
    // Safety: w holds n_x elements.
    let [wsq] = unsafe { super::panel::dot_rows::<T, 1>(pw, [pw], n_x) };
    ((loss + T::HALF * l2 * wsq) / m, dz / m)
}

#[cfg(test)]
mod tests {
    use super::super::problem::All;
    use super::*;

    /// A cols step cut into parts of 1, 2 and 4 tiles computes the single-thread step's bits:
    /// the cost, db and every dw, with a tile of a non-power-of-two count of blocks and a last
    /// part that is partial (and ends inside a block).
    fn parts_repeat_one_thread<T: LogisticFloat + Into<f64>>(
        n_x: usize,
        tiles: usize,
        of: fn(f64) -> T,
    ) {
        let width = cols::tile_width::<T>(n_x);
        assert!(!(width / BLOCK).is_power_of_two(), "tile of {width}");
        let m = width * tiles + 37;
        let x: Vec<T> =
            (0..n_x * m).map(|i| of(((i * 7919) % 1013) as f64 / 1013.0 - 0.5)).collect();
        let y: Vec<T> = (0..m).map(|i| of(if i % 3 == 0 { 1.0 } else { 0.0 })).collect();
        let w: Vec<T> = (0..n_x).map(|j| of(((j * 31) % 17) as f64 / 170.0 - 0.05)).collect();
        let p = Problem::new("test", Layout::Cols, (&x, n_x, m), &y, of(0.1)).unwrap();
        let bits = |v: &[T], c: T, d: T| {
            let mut all: Vec<f64> = v.iter().map(|&e| e.into()).collect();
            all.extend([c.into(), d.into()]);
            all.iter().map(|e| e.to_bits()).collect::<Vec<_>>()
        };
        let mut want = vec![T::ZERO; n_x];
        // Safety: w and dw hold n_x elements, every example is < m.
        let (c, d) =
            unsafe { step(&p, All(m), &w, of(0.2), true, &mut Workspace::new(n_x), &mut want) };
        let want = bits(&want, c, d);
        for per_part in [1, 2, 4] {
            let mut got = vec![T::ZERO; n_x];
            let mut ws = Workspace::new(n_x);
            // Safety: as above; the cols layout and a contiguous pick.
            let (loss, dz) = unsafe {
                cols_in_parts(&p, All(m), &w, of(0.2), true, &mut ws, &mut got, per_part)
            };
            let (c, d) = finish(m, &w, p.l2, loss, dz, &mut got);
            assert!(bits(&got, c, d) == want, "n_x {n_x}, {per_part} tiles per part");
        }
    }

    #[test]
    fn cols_parts_repeat_one_thread() {
        parts_repeat_one_thread::<f32>(2700, 5, |v| v as f32);
        parts_repeat_one_thread::<f64>(1400, 5, |v| v);
    }
}
