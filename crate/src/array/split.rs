//! Element-wise work split among the pool's threads: the rows of a coalesced iteration (see
//! [`for_each_row`]) cut along the outermost axis into parts, each a contiguous run of a
//! row-major output. An element's result does not depend on which part computes it, so the
//! bits do not depend on the number of threads.

use crate::array::strided::{for_each_row, Axis};
use crate::parallel;

/// Where a long lone row (one coalesced axis) is cut: a multiple of the widest SIMD loop's step
/// (four vectors of four lanes), so every part but the last runs its vector loop to the end.
const ROW_CUT: usize = 16;

/// Calls `row(starts, len, strides)` for every innermost row of `axes`, as [`for_each_row`]
/// does, split into about `parts` parts along the outermost axis that the pool's threads run
/// (in any order: `row` must only write what its own elements own). One part runs on the caller.
pub fn for_each_row_split<const N: usize>(
    axes: &[Axis<N>],
    starts: [isize; N],
    parts: usize,
    row: impl Fn([isize; N], usize, [isize; N]) + Sync,
) {
    let Some(&outer) = axes.first() else {
        return for_each_row(axes, starts, &row);
    };
    let cut = if axes.len() == 1 && outer.len >= ROW_CUT * parts { ROW_CUT } else { 1 };
    let chunk = outer.len.div_ceil(parts.max(1)).next_multiple_of(cut).max(1);
    let count = outer.len.div_ceil(chunk);
    if count <= 1 {
        return for_each_row(axes, starts, &row);
    }
    parallel::for_each_part(count, |i| {
        let lo = i * chunk;
        let mut part = axes.to_vec();
        part[0].len = chunk.min(outer.len - lo);
        let starts = core::array::from_fn(|k| starts[k] + lo as isize * outer.strides[k]);
        for_each_row(&part, starts, &row);
    })
    .expect("element-wise op: a worker thread trapped");
}

/// Calls `tile(state, starts, len)` for every tile of at most `width` elements along the
/// innermost of `axes`, row-major, whole tiles to a part, about `parts` parts that the pool's
/// threads run. Each part makes its own `state` (a kernel's scratch) with `new_state`.
/// Reductions over rows use it: a tile of contiguous outputs is vectorised across, and a whole
/// tile to a part keeps every input read a long segment (narrower tiles, to have more parts,
/// measured 2–3× slower on two threads than wide ones on one).
pub fn for_each_tile_split<const N: usize, S>(
    axes: &[Axis<N>],
    starts: [isize; N],
    width: usize,
    parts: usize,
    new_state: impl Fn() -> S + Sync,
    tile: impl Fn(&mut S, [isize; N], usize) + Sync,
) -> Result<(), parallel::WorkerFailed> {
    let Some((inner, outer)) = axes.split_last() else {
        tile(&mut new_state(), starts, 1); // no axes: one element, as `for_each_row` has it
        return Ok(());
    };
    let per_row = inner.len.div_ceil(width.max(1));
    let tiles = outer.iter().map(|axis| axis.len).product::<usize>() * per_row;
    if tiles == 0 {
        return Ok(());
    }
    let tiles_per_part = tiles.div_ceil(parts.clamp(1, tiles));
    parallel::for_each_part(tiles.div_ceil(tiles_per_part), |part| {
        let mut state = new_state();
        let first = part * tiles_per_part;
        for index in first..tiles.min(first + tiles_per_part) {
            let t = (index % per_row) * width;
            let row = offsets_at(outer, starts, index / per_row);
            let at = core::array::from_fn(|k| row[k] + t as isize * inner.strides[k]);
            tile(&mut state, at, width.min(inner.len - t));
        }
    })
}

/// The operands' offsets at row-major position `index` of `axes` (from `starts`): where the
/// `index`-th row starts when `axes` are a kernel's outer axes.
pub fn offsets_at<const N: usize>(
    axes: &[Axis<N>],
    starts: [isize; N],
    mut index: usize,
) -> [isize; N] {
    let mut pos = starts;
    for axis in axes.iter().rev() {
        let i = (index % axis.len) as isize;
        index /= axis.len;
        for (p, s) in pos.iter_mut().zip(axis.strides) {
            *p += i * s;
        }
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::array::strided::coalesce;

    /// Every element's (operand offset) in visiting order, sorted: the same set for any split.
    fn visited(shape: &[usize], strides: &[isize], parts: usize) -> Vec<isize> {
        let axes = coalesce(shape, [strides]);
        let seen = std::sync::Mutex::new(Vec::new());
        for_each_row_split(&axes, [3], parts, |[s], len, [st]| {
            let mut seen = seen.lock().unwrap();
            seen.extend((0..len as isize).map(|i| s + i * st));
        });
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        seen
    }

    #[test]
    fn offsets_at_follows_row_major_order() {
        let axes = coalesce(&[2, 3, 4], [&[1, 2, 6]]);
        let mut elements = Vec::new();
        for_each_row(&axes, [5], |[s], len, [st]| {
            elements.extend((0..len as isize).map(|i| s + i * st))
        });
        let at: Vec<isize> = (0..elements.len()).map(|i| offsets_at(&axes, [5], i)[0]).collect();
        assert_eq!(at, elements);
    }

    #[test]
    fn tiles_cover_every_element_once() {
        // (outer rows, inner length, tile width): whole tiles, a short last tile, one tile.
        for (rows, inner, width) in [(3, 10, 4), (5, 8, 4), (2, 3, 16), (1, 1, 1), (0, 5, 2)] {
            let axes = coalesce(&[rows, inner], [&[100, 1], &[inner as isize, 1]]);
            for parts in [1, 2, 3, 7, 64] {
                let seen = std::sync::Mutex::new(Vec::new());
                for_each_tile_split(
                    &axes,
                    [0, 0],
                    width,
                    parts,
                    || (),
                    |_, [s, o], len| {
                        assert!(len >= 1 && len <= width, "tile of {len} (width {width})");
                        let mut seen = seen.lock().unwrap();
                        seen.extend((0..len as isize).map(|i| (s + i, o + i)));
                    },
                )
                .unwrap();
                let mut seen = seen.into_inner().unwrap();
                seen.sort();
                let all: Vec<_> = (0..rows as isize)
                    .flat_map(|r| {
                        (0..inner as isize).map(move |j| (r * 100 + j, r * inner as isize + j))
                    })
                    .collect();
                assert_eq!(seen, all, "({rows}, {inner}) in tiles of {width}, {parts} parts");
            }
        }
    }

    #[test]
    fn parts_visit_every_element_once() {
        let cases: [(&[usize], &[isize]); 5] = [
            (&[1000], &[1]),
            (&[37], &[1]),
            (&[7, 3, 5], &[1, 7, 21]),
            (&[3, 1000], &[0, 1]),
            (&[], &[]),
        ];
        for (shape, strides) in cases {
            let one = visited(shape, strides, 1);
            assert_eq!(one.len(), shape.iter().product::<usize>(), "{shape:?}");
            for parts in [2, 3, 4, 64, 5000] {
                assert_eq!(visited(shape, strides, parts), one, "{shape:?} in {parts} parts");
            }
        }
    }
}
