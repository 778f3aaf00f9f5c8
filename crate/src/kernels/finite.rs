//! Finding the first NaN or ±∞ of a strided array in one pass: the models' check that X is
//! finite before training (and that training left the parameters finite), which was a chain
//! of full-size reductions (max, then min) before.
//!
//! `x·0` is 0 for a finite x and NaN for NaN and ±∞, so a block's sum of `x·0` is NaN exactly
//! when the block holds a non-finite element: the scan adds (a vector of lanes over contiguous
//! rows, else four independent sums, so the loop pipelines) and looks for the index only inside
//! the block that failed.

use crate::array::strided::{coalesce, for_each_row};
use crate::array::Strided;
use crate::error::KernelError;
use crate::simd::Lanes;

/// Elements summed before testing the sum: long enough to amortise the test, short enough
/// that the block holding a bad element is re-read from L1.
const BLOCK: usize = 256;

/// The row-major index of the first element of `a` (laid out over `shape`) that is NaN or
/// ±∞, or `None` when every element is finite.
///
/// Errors (`Layout`) when the layout reaches outside a's buffer.
pub fn first_non_finite<T: Lanes>(
    shape: &[usize],
    a: Strided<T>,
) -> Result<Option<usize>, KernelError> {
    a.check(shape)?;
    let axes = coalesce(shape, [a.strides]);
    let base = a.ptr();
    let mut seen = 0usize;
    let mut found = None;
    for_each_row(&axes, [a.offset as isize], |[start], len, [stride]| {
        if found.is_some() {
            return;
        }
        // Safety: `check` proved every element of the layout lies inside the buffer.
        let at = |i: usize| unsafe { *base.offset(start + i as isize * stride) };
        let mut i = 0;
        while i < len {
            let end = len.min(i + BLOCK);
            let total = if stride == 1 {
                // Safety: the row's elements i..end are inside the buffer, contiguous.
                unsafe { lane_sum_times_zero(base.offset(start).add(i), end - i) }
            } else {
                let mut sums = [T::ZERO; 4];
                let mut j = i;
                while j + 4 <= end {
                    for (k, s) in sums.iter_mut().enumerate() {
                        *s = *s + at(j + k) * T::ZERO;
                    }
                    j += 4;
                }
                for j in j..end {
                    sums[0] = sums[0] + at(j) * T::ZERO;
                }
                (sums[0] + sums[1]) + (sums[2] + sums[3])
            };
            // NaN is the only value not equal to itself.
            #[allow(clippy::eq_op)]
            if total != total {
                let bad = (i..end).find(|&j| {
                    let v = at(j) * T::ZERO;
                    #[allow(clippy::eq_op)]
                    let nan = v != v;
                    nan
                });
                found = bad.map(|j| seen + j);
                return;
            }
            i = end;
        }
        seen += len;
    });
    Ok(found)
}

/// `Σ x·0` over `n` contiguous elements from `p`, a vector of lanes at a time: NaN exactly when
/// one of them is not finite.
///
/// # Safety
/// `p..p+n` readable.
unsafe fn lane_sum_times_zero<T: Lanes>(p: *const T, n: usize) -> T {
    let zero = T::splat(T::ZERO);
    let body = n - n % T::LANES;
    let mut acc = zero;
    let mut j = 0;
    while j < body {
        // Safety: j + LANES ≤ n.
        acc = T::vadd(acc, T::vmul(unsafe { T::load(p.add(j)) }, zero));
        j += T::LANES;
    }
    let mut total = T::hsum(acc);
    for j in body..n {
        // Safety: j < n.
        total = total + unsafe { *p.add(j) } * T::ZERO;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_bad_element_in_row_major_order() {
        let mut data = vec![1.0f64; 2000];
        let contiguous = |d: &[f64]| first_non_finite(&[40, 50], Strided::new(d, &[50, 1], 0));
        assert_eq!(contiguous(&data).unwrap(), None);
        data[1777] = f64::INFINITY;
        data[1900] = f64::NAN;
        assert_eq!(contiguous(&data).unwrap(), Some(1777));
        // The transpose: element (i, j) of the (50, 40) view is data[j·50 + i].
        let t = first_non_finite(&[50, 40], Strided::new(&data, &[1, 50], 0)).unwrap();
        // data[1900] (j = 38, i = 0) comes first there, before data[1777] (j = 35, i = 27).
        assert_eq!(t, Some(38));
        data[3] = f64::NEG_INFINITY;
        assert_eq!(contiguous(&data).unwrap(), Some(3));
        assert_eq!(first_non_finite::<f32>(&[0, 3], Strided::new(&[], &[3, 1], 0)).unwrap(), None);
        assert!(first_non_finite(&[41, 50], Strided::new(&data, &[50, 1], 0)).is_err());
    }

    /// The contiguous path (lanes per block) against a plain scan: one bad value at every
    /// position of a row longer than two blocks, with the lane tail and an offset start.
    #[test]
    fn contiguous_rows_find_every_position() {
        for bad in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            for len in [1, 3, 4, 255, 256, 257, 515] {
                for at in 0..len {
                    let mut data = vec![f32::MAX; len + 1];
                    data[1 + at] = bad;
                    let found = first_non_finite(&[len], Strided::new(&data, &[1], 1)).unwrap();
                    assert_eq!(found, Some(at), "{bad} at {at} of {len}");
                }
            }
        }
    }
}
