//! n-d strided iteration as a sequence of 1-d rows, so the innermost loop can be SIMD.
//!
//! Axes of length 1 are dropped and neighbouring axes are merged when every operand steps
//! through them as one (outer stride = inner stride × inner length). `(1000,1000) + (1,1000)`
//! thus stays two axes, while two contiguous operands collapse into a single long row.
//! Neither step allocates for arrays of up to [`crate::array::dims::INLINE_AXES`] axes.

use crate::array::dims::Dims;

/// One axis after coalescing: its length and the stride of each of the `N` operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Axis<const N: usize> {
    pub len: usize,
    pub strides: [isize; N],
}

/// Drops length-1 axes and merges mergeable neighbours. `strides[k]` are operand k's strides.
pub fn coalesce<const N: usize>(shape: &[usize], strides: [&[isize]; N]) -> Dims<Axis<N>> {
    let mut axes = Dims::new(Axis { len: 0, strides: [0; N] });
    for (d, &len) in shape.iter().enumerate() {
        if len == 1 {
            continue;
        }
        let inner: [isize; N] = core::array::from_fn(|k| strides[k][d]);
        if let Some(outer) = axes.last_mut() {
            if (0..N).all(|k| outer.strides[k] == inner[k] * len as isize) {
                outer.len *= len;
                outer.strides = inner;
                continue;
            }
        }
        axes.push(Axis { len, strides: inner });
    }
    axes
}

/// Calls `row(starts, len, strides)` for every innermost row of `axes`, in row-major order,
/// with each operand's starting element offset (from `starts`) and its stride along the row.
/// An empty `axes` (a single element) is one row of length 1.
pub fn for_each_row<const N: usize>(
    axes: &[Axis<N>],
    starts: [isize; N],
    mut row: impl FnMut([isize; N], usize, [isize; N]),
) {
    let Some((inner, outer)) = axes.split_last() else {
        row(starts, 1, [0; N]);
        return;
    };
    if outer.iter().any(|a| a.len == 0) || inner.len == 0 {
        return;
    }
    // An odometer over the outer axes, keeping each operand's offset in step.
    let mut index = Dims::filled(0usize, outer.len());
    let mut pos = starts;
    loop {
        row(pos, inner.len, inner.strides);
        let mut d = outer.len();
        loop {
            if d == 0 {
                return;
            }
            d -= 1;
            index[d] += 1;
            for (p, s) in pos.iter_mut().zip(outer[d].strides) {
                *p += s;
            }
            if index[d] < outer[d].len {
                break;
            }
            for (p, s) in pos.iter_mut().zip(outer[d].strides) {
                *p -= s * outer[d].len as isize;
            }
            index[d] = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contiguous_operands_merge_into_one_row() {
        let axes = coalesce(&[2, 3, 4], [&[12, 4, 1], &[12, 4, 1]]);
        assert_eq!(axes, vec![Axis { len: 24, strides: [1, 1] }]);
    }

    #[test]
    fn broadcast_row_keeps_two_axes() {
        let axes = coalesce(&[1000, 1000], [&[1000, 1], &[0, 1]]);
        assert_eq!(axes.len(), 2);
        let axes = coalesce(&[3, 1, 4], [&[4, 4, 1], &[0, 0, 1]]);
        assert_eq!(axes, vec![Axis { len: 3, strides: [4, 0] }, Axis { len: 4, strides: [1, 1] }]);
    }

    #[test]
    fn rows_visit_every_element_in_order() {
        let shape = [2, 3, 2];
        let axes = coalesce(&shape, [&[1, 2, 6]]); // a transposed (Fortran-order) view
        let mut seen = Vec::new();
        for_each_row(&axes, [0], |[s], len, [st]| {
            for i in 0..len as isize {
                seen.push(s + i * st);
            }
        });
        assert_eq!(seen, vec![0, 6, 2, 8, 4, 10, 1, 7, 3, 9, 5, 11]);
    }

    #[test]
    fn zero_d_is_one_row_of_one() {
        let mut rows = 0;
        for_each_row::<1>(&coalesce(&[], [&[]]), [5], |[s], len, _| {
            assert_eq!((s, len), (5, 1));
            rows += 1;
        });
        assert_eq!(rows, 1);
    }
}
