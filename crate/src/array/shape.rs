//! Shape arithmetic: element counts, row-major strides and numpy broadcasting.

use crate::error::KernelError;

/// Number of elements (1 for a 0-d shape, 0 if any axis is 0).
pub fn size(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// Number of elements, refused when it exceeds `isize::MAX` (2³¹ − 1 on wasm32): every index,
/// offset and reach a kernel computes from the shape then fits in `isize` without wrapping.
pub fn checked_size(shape: &[usize]) -> Result<usize, KernelError> {
    if shape.contains(&0) {
        return Ok(0);
    }
    shape
        .iter()
        .try_fold(1usize, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= isize::MAX as usize)
        .ok_or_else(|| KernelError::too_large(shape))
}

/// Row-major (C order) element strides for a contiguous array of `shape`.
pub fn contiguous_strides(shape: &[usize]) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut step = 1isize;
    for (stride, &len) in strides.iter_mut().zip(shape).rev() {
        *stride = step;
        step *= len as isize;
    }
    strides
}

/// numpy's broadcasting rule: align shapes on the right; two axes agree when equal or when one
/// is 1, and the result takes the larger (a 0 against a 1 gives 0).
pub fn broadcast_shapes(lhs: &[usize], rhs: &[usize]) -> Result<Vec<usize>, KernelError> {
    let ndim = lhs.len().max(rhs.len());
    let mut out = vec![0usize; ndim];
    for (i, dim) in out.iter_mut().enumerate() {
        // Axis i of the result, counted from the left; missing leading axes act as 1.
        let a = axis_from_right(lhs, ndim - 1 - i);
        let b = axis_from_right(rhs, ndim - 1 - i);
        *dim = match (a, b) {
            (a, b) if a == b => a,
            (1, b) => b,
            (a, 1) => a,
            _ => return Err(KernelError::broadcast(lhs, rhs)),
        };
    }
    Ok(out)
}

fn axis_from_right(shape: &[usize], k: usize) -> usize {
    if k < shape.len() {
        shape[shape.len() - 1 - k]
    } else {
        1
    }
}

/// Strides that read an array of `shape`/`strides` as if it had the (broadcast) shape `target`:
/// stretched and missing axes get stride 0, so no data is copied.
pub fn broadcast_strides(shape: &[usize], strides: &[isize], target: &[usize]) -> Vec<isize> {
    let lead = target.len() - shape.len();
    (0..target.len())
        .map(|i| if i < lead || shape[i - lead] == 1 { 0 } else { strides[i - lead] })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcast_table() {
        let ok: &[(&[usize], &[usize], &[usize])] = &[
            (&[], &[], &[]),
            (&[3, 4], &[], &[3, 4]),
            (&[3, 4], &[4], &[3, 4]),
            (&[3, 1], &[1, 4], &[3, 4]),
            (&[5, 1, 4], &[3, 1], &[5, 3, 4]),
            (&[0], &[1], &[0]),
            (&[2, 0], &[2, 1], &[2, 0]),
            (&[1], &[0], &[0]),
        ];
        for (a, b, want) in ok {
            assert_eq!(broadcast_shapes(a, b).unwrap(), want.to_vec(), "{a:?} {b:?}");
            assert_eq!(broadcast_shapes(b, a).unwrap(), want.to_vec(), "{b:?} {a:?}");
        }
        let err = broadcast_shapes(&[3, 4], &[5]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "operands could not be broadcast together with shapes (3,4) (5,)"
        );
        assert!(broadcast_shapes(&[0], &[2]).is_err());
    }

    #[test]
    fn checked_sizes() {
        assert_eq!(checked_size(&[]).unwrap(), 1);
        assert_eq!(checked_size(&[3, 0, usize::MAX]).unwrap(), 0);
        assert_eq!(checked_size(&[3, 4]).unwrap(), 12);
        assert_eq!(checked_size(&[isize::MAX as usize]).unwrap(), isize::MAX as usize);
        assert!(checked_size(&[isize::MAX as usize, 2]).is_err());
        assert!(checked_size(&[usize::MAX, usize::MAX]).is_err());
        let err = checked_size(&[1 << 20, 1 << 20, 1 << 30]).unwrap_err();
        assert_eq!(err.code(), "ValueError");
    }

    #[test]
    fn strides() {
        assert_eq!(contiguous_strides(&[2, 3, 4]), vec![12, 4, 1]);
        assert_eq!(contiguous_strides(&[]), Vec::<isize>::new());
        assert_eq!(broadcast_strides(&[3, 1], &[1, 1], &[2, 3, 4]), vec![0, 1, 0]);
    }
}
