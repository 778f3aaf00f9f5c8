//! The cols layout's pass (the course's X: (n_x, m), examples in columns, row-major): X is
//! read from memory once, a tile of examples at a time.
//!
//! A tile is `width` consecutive columns ([`tile_width`]), i.e. one contiguous segment of
//! every feature row. For each tile:
//!
//! 1. z of the tile: walk the feature rows, `z += Σ_r w_j·X[j, tile]` over a [`quarter_group`] of [`MR`]
//!    rows a quarter of X apart per [`axpy_rows`] call (contiguous segments, z in L1), in
//!    chunks of [`Z_ROWS`] rows;
//! 2. loss and dz of the tile's examples, a vector at a time;
//! 3. dw of the tile: walk the same rows again, `dw_j = dz·X[j, tile]` by [`dot_rows`] (a
//!    group's rows share each load of dz), from cache rather than memory when the tile fits,
//!    and push the tile's dw into the cascade.
//!
//! The tile is a trade-off between the two walks. Short row segments (a tile that fits L2)
//! keep the second walk in L2, but each tile then starts n_x short streams, one per feature
//! row, which the hardware prefetchers barely follow; long segments stream well but the tile
//! falls out to L3. Measured here (V8, Ice Lake, f32 at (1000, 100000), one step, same runs):
//!
//! | tile bytes (width)  | 256 KB–1 MB (64–256) | 2 MB (512) | 4 MB (1024) | 8 MB (2048) | 16–32 MB |
//! |---------------------|----------------------|------------|-------------|-------------|----------|
//! | effective GB/s of X | 2.7–4.2              | 3.4–4.3    | 4.3–5.3     | 5.2–5.5     | 4.8–6.0  |
//!
//! against 7–9 GB/s for the rows pass and for a plain SIMD sum of X in the same runs (the
//! machine was shared; ratios hold, absolute figures do not): long segments let the first walk
//! stream at close to memory speed, and the second then costs an L3 read. So tiles take
//! [`TILE_BYTES`] = 8 MB, a sixth of this L3, past which nothing improved. A pass over few
//! examples is not tiled at all ([`pass_width`]): with at most [`MAX_TILE`] examples and
//! [`WHOLE_BYTES`] of X, one tile spans every column, so each walk reads X as one contiguous
//! run rather than n_x strided segments (the course's (12288, 209), 10 MB in f32, was split at
//! 128 columns into 512 B segments 836 B apart, and at (12288, 256) into 512 B segments 1 KB
//! apart; whole, the step ran 1.04–1.13× and 1.26× faster, Node 24, relaxed build, CPU time of
//! interleaved runs on a loaded machine). With many features
//! a training loop should pay for [`super::pack_cols_to_rows`] once and run the rows pass; with
//! few (n_x below about 512) this pass is the faster one, up to 3× at n_x = 2, where a row is
//! too short for the rows pass to vectorize (bench/results/logistic-layout.md).
//!
//! Mini-batches: the batch's columns are scattered, so each tile is first gathered into a
//! packed `n_x × width` buffer (`X[j, idx[k]]` for each feature row j). Every element gathered
//! is a separate cache line from memory unless the indices are dense and sorted: a random
//! batch costs about 64 bytes of traffic per element used (16× the contiguous pass in f32,
//! 8× in f64), plus a second write and read of the gathered tile. Pack to rows instead.

use super::loss::{exp_neg_abs_at, loss_and_dz_at};
use super::panel::{axpy_rows, dot_rows, quarter_group, store_partial, MR};
use super::problem::{LogisticFloat, Pick, Problem};
use super::sums::{ExampleSums, BLOCK};
use super::workspace::Workspace;
use crate::kernels::fold::{fold_into, Sum};

/// Bytes of X one tile may span: long row segments for the first walk, and a tile that stays
/// in L3 (8 MB of this machine's 48 MB; see the measurements above) for the second. wasm cannot
/// ask the CPU for its cache sizes; current x86 and Apple parts have 16 MB or more of L3/SLC.
pub const TILE_BYTES: usize = 8 << 20;
/// Bounds on the tile width in examples. At least one cost block (so sums block as in the
/// rows layout); at most 4096, so a tile's z, z_part, dz and labels stay in L2 (64 KB in f32).
pub const MIN_TILE: usize = BLOCK;
pub const MAX_TILE: usize = 4096;
/// Most bytes of X a pass takes as one tile of all its examples (see [`pass_width`]): inside
/// the L3 of current x86 parts, where the second walk then finds it.
pub const WHOLE_BYTES: usize = 32 << 20;
/// Feature rows per chunk of z's accumulation: each z takes `Z_ROWS / MR` additions per chunk
/// (after each call's chain of `MR − 1`; the last chunk also takes the `n_x mod MR` rows left
/// over), then one into the running z, so its error grows with `n_x / Z_ROWS`, not `n_x / MR`.
pub const Z_ROWS: usize = 64;

/// Examples per tile for `n_x` features: `TILE_BYTES / (n_x·sizeof T)` rounded down to a
/// multiple of the cost block (64), within `[MIN_TILE, MAX_TILE]`. It depends only on `n_x` and `T`,
/// so a mini-batch is tiled exactly as the same examples gathered into their own X would be.
pub fn tile_width<T>(n_x: usize) -> usize {
    let fit = TILE_BYTES / (n_x.max(1) * core::mem::size_of::<T>());
    (fit / BLOCK * BLOCK).clamp(MIN_TILE, MAX_TILE)
}

/// The tile width of a pass over `count` examples of `n_x` features: all of them, when they
/// are at most [`MAX_TILE`] and [`WHOLE_BYTES`] of X (each feature row is then read whole, and
/// X streams as one run), else [`tile_width`] (at most `count`). It depends only on `n_x`,
/// `count` and `T`, so a mini-batch is tiled as the same examples gathered into their own X.
pub fn pass_width<T>(n_x: usize, count: usize) -> usize {
    let bytes = count.saturating_mul(n_x.max(1) * core::mem::size_of::<T>());
    if count <= MAX_TILE && bytes <= WHOLE_BYTES {
        count
    } else {
        tile_width::<T>(n_x).min(count)
    }
}

/// Adds the picked examples' loss and dz to `sums` and their `Σ dz·x` to `ws.cascade`, in
/// tiles of `width` examples (the last may be shorter). X is `p.x` in the cols layout.
///
/// # Safety
/// `w` holds n_x elements, `pick.index(k) < m` for `k < pick.count()`, and `width ≥ 1`.
pub(super) unsafe fn accumulate<T: LogisticFloat, P: Pick>(
    p: &Problem<T>,
    pick: P,
    width: usize,
    w: &[T],
    b: T,
    ws: &mut Workspace<T>,
    sums: &mut ExampleSums<T>,
) {
    let (x, n_x, m, y) = (p.x.as_ptr(), p.n_x, p.m, p.y.as_ptr());
    let count = pick.count();
    // A pick shorter than a tile is one tile: its gather buffer needs no more than `count`.
    let width = width.min(count);
    ws.size_cols(n_x, width, !P::CONTIGUOUS);
    // LOOP 2: tiles of examples.
    for t0 in (0..count).step_by(width) {
        let t = width.min(count - t0);
        let (start, stride, labels) = if P::CONTIGUOUS {
            // Safety: t0 + t ≤ count ≤ m, so the tile's columns and labels are inside X and y.
            unsafe { (x.add(pick.index(t0)), m, y.add(pick.index(t0))) }
        } else {
            let (buf, ys) = (ws.tile.as_mut_ptr(), ws.y_tile.as_mut_ptr());
            // Safety: every index is < m; buf holds n_x·width elements and ys width.
            unsafe {
                for j in 0..n_x {
                    let (src, dst) = (x.add(j * m), buf.add(j * width));
                    for k in 0..t {
                        *dst.add(k) = *src.add(pick.index(t0 + k));
                    }
                }
                for k in 0..t {
                    *ys.add(k) = *y.add(pick.index(t0 + k));
                }
            }
            (ws.tile.as_ptr(), width, ws.y_tile.as_ptr())
        };
        let tile = Tile { x: start, stride, len: t, labels };
        // Safety: the tile's rows hold t readable elements at `start + j·stride` for j < n_x, and
        // its t labels; w holds n_x.
        unsafe { tile_pass(tile, n_x, w.as_ptr(), b, ws, sums) };
    }
}

/// `z[k] = Σ_j w_j·X[j, k]` for the `t` examples of a tile whose feature row j starts at
/// `tile + j·stride`: the rows in [`quarter_group`]s of [`MR`], [`Z_ROWS`]` / MR` groups to a chunk,
/// the first chunk accumulated straight into z (`0 + s = s`), later ones into `z_part` and then
/// added to z; the `n_x mod MR` rows left over go into the last chunk one at a time. The order
/// of operations for one example depends only on n_x, not on the tile.
///
/// # Safety
/// `tile + j·stride .. + t` readable for every `j < n_x`, `w..+n_x` readable, `z..+t` and
/// `z_part..+t` writable and disjoint from each other and from the inputs (`z_part` is not
/// touched when `n_x ≤ Z_ROWS`).
#[inline(always)]
pub(super) unsafe fn tile_z<T: LogisticFloat>(
    tile: *const T,
    stride: usize,
    n_x: usize,
    t: usize,
    w: *const T,
    z: *mut T,
    z_part: *mut T,
) {
    let row = |j: usize| tile.wrapping_add(j * stride);
    let q = n_x / MR;
    // Safety: every row index is below n_x, so every row segment read is one of the tile's,
    // and every z/z_part index below t, as the caller guarantees.
    unsafe {
        core::ptr::write_bytes(z, 0, t);
        let mut g0 = 0;
        loop {
            let g1 = q.min(g0 + Z_ROWS / MR);
            let target = if g0 == 0 {
                z
            } else {
                core::ptr::write_bytes(z_part, 0, t);
                z_part
            };
            // LOOP 1: one group of MR feature rows per call.
            for g in g0..g1 {
                let rows = quarter_group(g, q);
                axpy_rows::<T, MR>(target, rows.map(|j| *w.add(j)), rows.map(row), t);
            }
            if g1 == q {
                for j in MR * q..n_x {
                    axpy_rows::<T, 1>(target, [*w.add(j)], [row(j)], t);
                }
            }
            if g0 > 0 {
                fold_into::<T, Sum>(z, z, z_part, t);
            }
            if g1 == q {
                break;
            }
            g0 = g1;
        }
    }
}

/// A tile of `len` examples: feature row j's segment starts at `x + j·stride`; its labels.
#[derive(Clone, Copy)]
struct Tile<T> {
    x: *const T,
    stride: usize,
    len: usize,
    labels: *const T,
}

/// One tile of examples.
///
/// # Safety
/// `tile.x + j·stride .. + len` readable for every `j < n_x`, `labels..+len` and `w..+n_x`
/// readable, none of them inside `ws`'s buffers, which must hold `len` (z, z_part, dz) and
/// n_x (dw_block).
#[inline(always)]
unsafe fn tile_pass<T: LogisticFloat>(
    tile: Tile<T>,
    n_x: usize,
    w: *const T,
    b: T,
    ws: &mut Workspace<T>,
    sums: &mut ExampleSums<T>,
) {
    let Tile { x: tile, stride, len: t, labels } = tile;
    let (z, z_part, dz) = (ws.z.as_mut_ptr(), ws.z_part.as_mut_ptr(), ws.dz.as_mut_ptr());
    let row = |j: usize| tile.wrapping_add(j * stride);
    // Safety: (whole body) every row segment read is one of the tile's, every z/z_part/dz
    // index is below t and every dw index below n_x, as the caller guarantees.
    unsafe {
        // 1. z of the tile.
        tile_z(tile, stride, n_x, t, w, z, z_part);

        // 2. loss and dz, LANES examples at a time, in two sweeps: e^−|z| of every example
        // into dz's buffer, then the rest. In one sweep each vector's log1p and division wait
        // on its exponential, a chain the core's scheduler cannot overlap across enough
        // vectors (~66 cycles a vector at n_x = 2); two shorter chains overlap. Same bits.
        let mut c = 0;
        while c < t {
            let lanes = (t - c).min(T::LANES);
            exp_neg_abs_at(z.add(c), dz.add(c), lanes, b);
            c += lanes;
        }
        let mut c = 0;
        while c < t {
            let lanes = (t - c).min(T::LANES);
            let (loss, d) = loss_and_dz_at(
                z.add(c),
                Some(dz.add(c).cast_const()),
                labels.add(c),
                lanes,
                b,
                sums.cost,
            );
            sums.feed(loss, d);
            store_partial(dz.add(c), d, lanes);
            c += lanes;
        }

        // 3. dw_j = dz·X[j, tile] for every feature row, a group of MR rows per call.
        let dw = ws.dw_block.as_mut_ptr();
        let q = n_x / MR;
        for g in 0..q {
            let rows = quarter_group(g, q);
            let s = dot_rows::<T, MR>(dz, rows.map(row), t);
            for r in 0..MR {
                *dw.add(rows[r]) = s[r];
            }
        }
        for j in MR * q..n_x {
            [*dw.add(j)] = dot_rows::<T, 1>(dz, [row(j)], t);
        }
    }
    // Safety: dw_block holds n_x elements, the cascade's width, and is not inside it.
    unsafe { ws.cascade.push::<Sum>(ws.dw_block.as_ptr(), n_x) };
}
