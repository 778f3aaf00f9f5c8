//! Checking a logistic model's labels in one pass: the models' check that Y holds 0/1 labels
//! (or probabilities, as soft labels) before training. It read Y into JavaScript and scanned it
//! there, about 30 % of `course.propagate` at (2, 400) (issue 12's profile).

use crate::array::strided::{coalesce, for_each_row};
use crate::array::Strided;
use crate::error::KernelError;
use crate::simd::Lanes;

/// The row-major index of the first element of `y` (laid out over `shape`) that is not a
/// label, or `None` when all are: with `binary`, anything but exactly 0 or 1; without it,
/// anything outside `[0, 1]`, NaN included.
///
/// Errors (`Layout`) when the layout reaches outside y's buffer.
pub fn first_bad_label<T: Lanes>(
    shape: &[usize],
    y: Strided<T>,
    binary: bool,
) -> Result<Option<usize>, KernelError> {
    y.check(shape)?;
    let axes = coalesce(shape, [y.strides]);
    let base = y.ptr();
    let bad = |v: T| {
        if binary {
            v != T::ZERO && v != T::ONE
        } else {
            !(v >= T::ZERO && v <= T::ONE)
        }
    };
    let mut seen = 0usize;
    let mut found = None;
    for_each_row(&axes, [y.offset as isize], |[start], len, [stride]| {
        if found.is_some() {
            return;
        }
        // Safety: `check` proved every element of the layout lies inside the buffer.
        let at = |i: usize| unsafe { *base.offset(start + i as isize * stride) };
        found = (0..len).find(|&i| bad(at(i))).map(|i| seen + i);
        seen += len;
    });
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bad_label_in_row_major_order() {
        let mut data = vec![0.0f32, 1.0, 1.0, 0.0, 0.5, 1.0];
        let first =
            |d: &[f32], binary| first_bad_label(&[3, 2], Strided::new(d, &[1, 3], 0), binary);
        // Transposed: row-major order visits 0, 0, 1, 0.5, 1, 1.
        assert_eq!(first(&data, true).unwrap(), Some(3));
        assert_eq!(first(&data, false).unwrap(), None);
        data[2] = f32::NAN;
        assert_eq!(first(&data, false).unwrap(), Some(4));
        data[2] = -0.0; // −0 == 0: a label
        assert_eq!(first(&data, false).unwrap(), None);
        data[5] = 1.0 + f32::EPSILON;
        assert_eq!(first(&data, false).unwrap(), Some(5));
        assert!(first(&data[..5], false).is_err());
    }
}
