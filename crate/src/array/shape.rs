//! Shape arithmetic: checked element counts and row-major strides. (numpy's broadcasting
//! rule is the TypeScript layer's: kernels receive operands already laid out over one shape.)

use crate::array::dims::Dims;
use crate::error::KernelError;

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
    contiguous_dims(shape).to_vec()
}

/// [`contiguous_strides`] without an allocation for up to [`crate::array::dims::INLINE_AXES`]
/// axes: what the kernels use on every call.
pub fn contiguous_dims(shape: &[usize]) -> Dims<isize> {
    let mut strides = Dims::filled(0isize, shape.len());
    let mut step = 1isize;
    for (stride, &len) in strides.iter_mut().zip(shape).rev() {
        *stride = step;
        step *= len as isize;
    }
    strides
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
