//! The n-d bookkeeping of a reduction: which axes survive into the output, which are folded,
//! and in what order the folded ones are walked.
//!
//! The axes are split into two groups and each group is coalesced on its own (see
//! [`coalesce`]): kept axes carry the input stride and the stride of the contiguous row-major
//! output, reduced axes carry the input stride only. A kernel then iterates outputs over the
//! kept group and, per output (or per row of outputs), the reduced group; which loop is inner
//! and SIMD depends on which group owns the unit stride.

use crate::array::shape::contiguous_strides;
use crate::array::strided::{coalesce, Axis};
use crate::error::{format_shape, KernelError};

/// A reduction of one strided operand, split into kept and reduced axes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReducePlan {
    /// Kept axes, coalesced, in their original order; strides `[input, output]`.
    pub kept: Vec<Axis<2>>,
    /// Reduced axes, coalesced; stride `[input]`. Row-major over the reduced axes in their
    /// original order, unless the plan was built with `reorder`.
    pub reduced: Vec<Axis<1>>,
    /// Input element of output 0's first reduced element (moved when a reduced axis is flipped).
    pub offset: isize,
    /// Lengths of the kept axes, uncoalesced: the shape `out` must have (without keepdims).
    pub kept_shape: Vec<usize>,
    /// Elements folded into each output (1 when no axis is reduced, 0 for an empty reduction).
    pub reduced_size: usize,
}

impl ReducePlan {
    /// Splits `shape` (input `strides`, `offset`) by the mask `reduced`.
    ///
    /// + reorder: the fold does not depend on the order of its elements (sum, prod, max, min,
    ///   up to rounding), so reduced axes with negative strides are flipped and the reduced axes
    ///   are sorted into memory order (largest stride outermost, broadcast axes outside all).
    ///   Without it (arg-reductions) the reduced axes stay row-major in their original order,
    ///   so the position within them is the flat index the caller expects.
    pub fn new(
        shape: &[usize],
        strides: &[isize],
        offset: usize,
        reduced: &[bool],
        reorder: bool,
    ) -> Result<ReducePlan, KernelError> {
        if reduced.len() != shape.len() || strides.len() != shape.len() {
            return Err(KernelError::layout(format!(
                "reduction mask of rank {} and strides of rank {} for an array of shape {}",
                reduced.len(),
                strides.len(),
                format_shape(shape)
            )));
        }
        let mut offset = offset as isize;

        let kept_shape: Vec<usize> =
            (0..shape.len()).filter(|&d| !reduced[d]).map(|d| shape[d]).collect();
        let kept_in: Vec<isize> =
            (0..shape.len()).filter(|&d| !reduced[d]).map(|d| strides[d]).collect();
        let kept_out = contiguous_strides(&kept_shape);
        let kept = coalesce(&kept_shape, [&kept_in, &kept_out]).to_vec();

        let mut red: Vec<(usize, isize)> =
            (0..shape.len()).filter(|&d| reduced[d]).map(|d| (shape[d], strides[d])).collect();
        let reduced_size = red.iter().map(|&(len, _)| len).product();
        if reorder && reduced_size > 0 {
            for (len, stride) in red.iter_mut() {
                if *stride < 0 {
                    offset += (*len as isize - 1) * *stride;
                    *stride = -*stride;
                }
            }
            // Stable: equal strides keep their order. Broadcast (stride 0) axes go outermost so
            // the innermost axis is the one that moves through memory fastest.
            red.sort_by_key(|&(_, stride)| (stride != 0, core::cmp::Reverse(stride)));
        }
        let red_shape: Vec<usize> = red.iter().map(|&(len, _)| len).collect();
        let red_strides: Vec<isize> = red.iter().map(|&(_, stride)| stride).collect();
        let reduced_axes = coalesce(&red_shape, [&red_strides]).to_vec();

        Ok(ReducePlan { kept, reduced: reduced_axes, offset, kept_shape, reduced_size })
    }

    /// Number of outputs.
    pub fn kept_size(&self) -> usize {
        self.kept_shape.iter().product()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_columns_of_a_matrix() {
        // Sum over axis 1: one kept axis walking rows, one contiguous reduced axis.
        let plan = ReducePlan::new(&[3, 4], &[4, 1], 0, &[false, true], true).unwrap();
        assert_eq!(plan.kept, vec![Axis { len: 3, strides: [4, 1] }]);
        assert_eq!(plan.reduced, vec![Axis { len: 4, strides: [1] }]);
        assert_eq!((plan.kept_shape.clone(), plan.reduced_size), (vec![3], 4));
        // Sum over axis 0: the kept axis is the contiguous one.
        let plan = ReducePlan::new(&[3, 4], &[4, 1], 0, &[true, false], true).unwrap();
        assert_eq!(plan.kept, vec![Axis { len: 4, strides: [1, 1] }]);
        assert_eq!(plan.reduced, vec![Axis { len: 3, strides: [4] }]);
    }

    #[test]
    fn all_axes_of_a_contiguous_array_are_one_row() {
        let plan = ReducePlan::new(&[2, 3, 4], &[12, 4, 1], 5, &[true; 3], false).unwrap();
        assert_eq!(plan.kept, vec![]);
        assert_eq!(plan.reduced, vec![Axis { len: 24, strides: [1] }]);
        assert_eq!((plan.offset, plan.kept_size(), plan.reduced_size), (5, 1, 24));
    }

    #[test]
    fn reorder_flips_and_sorts_reduced_axes() {
        // A transposed (Fortran-order) 3-d array reduced over everything: memory order is one row.
        let plan = ReducePlan::new(&[2, 3, 4], &[1, 2, 6], 0, &[true; 3], true).unwrap();
        assert_eq!(plan.reduced, vec![Axis { len: 24, strides: [1] }]);
        // Without reordering, row-major order over the axes is kept.
        let plan = ReducePlan::new(&[2, 3, 4], &[1, 2, 6], 0, &[true; 3], false).unwrap();
        assert_eq!(plan.reduced.len(), 3);
        // A reversed axis is flipped: the walk starts at the lowest address.
        let plan = ReducePlan::new(&[5], &[-1], 4, &[true], true).unwrap();
        assert_eq!((plan.offset, plan.reduced.clone()), (0, vec![Axis { len: 5, strides: [1] }]));
        // Broadcast axes go outside.
        let plan = ReducePlan::new(&[3, 7], &[1, 0], 0, &[true; 2], true).unwrap();
        assert_eq!(
            plan.reduced,
            vec![Axis { len: 7, strides: [0] }, Axis { len: 3, strides: [1] }]
        );
    }

    #[test]
    fn no_reduced_axes_and_rank_errors() {
        let plan = ReducePlan::new(&[3, 1], &[1, 1], 0, &[false, true], true).unwrap();
        assert_eq!((plan.reduced.clone(), plan.reduced_size), (vec![], 1));
        let plan = ReducePlan::new(&[3, 0], &[1, 1], 0, &[false, true], true).unwrap();
        assert_eq!(plan.reduced_size, 0);
        assert!(ReducePlan::new(&[3, 4], &[4, 1], 0, &[true], true).is_err());
    }
}
