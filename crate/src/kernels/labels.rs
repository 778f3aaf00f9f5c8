//! Checking a logistic model's labels in one pass: the models' check that Y holds 0/1 labels
//! (or probabilities, as soft labels) before training. It read Y into JavaScript and scanned it
//! there, about 30 % of `course.propagate` at (2, 400) (issue 12's profile).

use crate::array::strided::{coalesce, for_each_row};
use crate::array::Strided;
use crate::error::KernelError;
use crate::simd::{spill, Lanes};

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
        if stride != 1 {
            found = (0..len).find(|&i| bad(at(i))).map(|i| seen + i);
            seen += len;
            return;
        }
        // A contiguous row: a block at a time through the lanes, searched only when flagged.
        let mut i = 0;
        while i < len {
            let end = len.min(i + BLOCK);
            // Safety: the row's elements i..end are inside the buffer, contiguous.
            if unsafe { flagged(base.offset(start).add(i), end - i, binary) } {
                found = (i..end).find(|&j| bad(at(j))).map(|j| seen + j);
                return;
            }
            i = end;
        }
        seen += len;
    });
    Ok(found)
}

/// Labels checked per block of a contiguous row before any is searched for.
const BLOCK: usize = 256;

/// Whether any of `n` contiguous elements from `p` is not a label. Each maps to
/// `p = v·(1 − v)`, which is exactly 0 only at v = ±0 and 1 and ≥ 0 only on [0, 1] (rounding
/// keeps every other value off 0 and its sign: the factors are nonzero and at least 2⁻²⁴ or
/// 2⁻⁵³ from 0 around 1, and `|v·(1 − v)| ≥ |v|` below 0); then to `|p|` (binary) or
/// `p − |p|`, which is 0 exactly for a label. All terms have one sign, so their sum is 0
/// exactly when every term is (NaN stays NaN, ±∞ stays off 0).
///
/// # Safety
/// `p..p+n` readable.
unsafe fn flagged<T: Lanes>(p: *const T, n: usize, binary: bool) -> bool {
    let one = T::splat(T::ONE);
    let term = |v: T::V| {
        let q = T::vmul(v, T::vsub(one, v));
        if binary {
            T::vabs(q)
        } else {
            T::vsub(q, T::vabs(q))
        }
    };
    let body = n - n % T::LANES;
    let mut acc = T::splat(T::ZERO);
    let mut j = 0;
    while j < body {
        // Safety: j + LANES ≤ n.
        acc = T::vadd(acc, term(unsafe { T::load(p.add(j)) }));
        j += T::LANES;
    }
    let mut total = T::hsum(acc);
    for j in body..n {
        // Safety: j < n.
        total = total + spill::<T>(term(T::splat(unsafe { *p.add(j) })))[0];
    }
    total != T::ZERO
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

    /// The contiguous path (a sum per block over lanes) against the scalar predicate: each
    /// value that is close to being a label or not, alone at every position of rows around
    /// the block and lane sizes, in both modes and dtypes.
    #[test]
    fn contiguous_rows_agree_with_the_predicate() {
        fn check<T: Lanes + core::fmt::Debug>(values: &[T]) {
            for &v in values {
                for binary in [true, false] {
                    let bad = if binary {
                        v != T::ZERO && v != T::ONE
                    } else {
                        !(v >= T::ZERO && v <= T::ONE)
                    };
                    for len in [1, 3, 5, 256, 257, 600] {
                        for at in [0, len / 2, len - 1] {
                            let mut data = vec![T::ONE; len];
                            data[at] = v;
                            let found =
                                first_bad_label(&[len], Strided::new(&data, &[1], 0), binary);
                            assert_eq!(
                                found.unwrap(),
                                bad.then_some(at),
                                "{v:?} binary {binary} at {at} of {len}"
                            );
                        }
                    }
                }
            }
        }
        check::<f32>(&[
            0.0,
            -0.0,
            1.0,
            0.5,
            f32::MIN_POSITIVE,
            1e-45,
            -1e-45,
            1.0 - f32::EPSILON / 2.0,
            1.0 + f32::EPSILON,
            2.0,
            -1.0,
            f32::MAX,
            -f32::MAX,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::NAN,
        ]);
        check::<f64>(&[
            0.0,
            -0.0,
            1.0,
            0.5,
            5e-324,
            -5e-324,
            1.0 - f64::EPSILON / 2.0,
            1.0 + f64::EPSILON,
            1e300,
            -1e300,
            f64::INFINITY,
            f64::NAN,
        ]);
    }
}
