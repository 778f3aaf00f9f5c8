//! A read-only strided operand: a buffer plus `(strides, offset)` in elements. Broadcast axes
//! have stride 0, which is sound precisely because the operand is never written through.

use crate::error::{format_shape, KernelError};

#[derive(Clone, Copy, Debug)]
pub struct Strided<'a, T> {
    pub data: &'a [T],
    pub strides: &'a [isize],
    pub offset: usize,
}

impl<'a, T> Strided<'a, T> {
    pub fn new(data: &'a [T], strides: &'a [isize], offset: usize) -> Self {
        Strided { data, strides, offset }
    }

    /// Checks that every element of an array of `shape` read through this layout lies inside
    /// `data`, so kernels can index without bounds checks.
    pub fn check(&self, shape: &[usize]) -> Result<(), KernelError> {
        if self.strides.len() != shape.len() {
            return Err(KernelError::layout(format!(
                "strides of rank {} for an array of shape {}",
                self.strides.len(),
                format_shape(shape)
            )));
        }
        if shape.contains(&0) {
            return Ok(());
        }
        let (mut lo, mut hi) = (self.offset as isize, self.offset as isize);
        for (&len, &stride) in shape.iter().zip(self.strides) {
            let reach = (len as isize - 1) * stride;
            if reach < 0 {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if lo < 0 || hi >= self.data.len() as isize {
            return Err(KernelError::layout(format!(
                "layout of shape {} reads elements {lo}..={hi} of a buffer of {}",
                format_shape(shape),
                self.data.len()
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        let data = [0.0f32; 12];
        assert!(Strided::new(&data, &[4, 1], 0).check(&[3, 4]).is_ok());
        assert!(Strided::new(&data, &[4, 1], 1).check(&[3, 4]).is_err());
        assert!(Strided::new(&data, &[0, 1], 8).check(&[100, 4]).is_ok());
        assert!(Strided::new(&data, &[-4, 1], 8).check(&[3, 4]).is_ok());
        assert!(Strided::new(&data, &[-4, 1], 7).check(&[3, 4]).is_err());
        assert!(Strided::new(&data, &[1], 0).check(&[3, 4]).is_err());
        assert!(Strided::new(&data[..0], &[1], 0).check(&[0]).is_ok());
    }
}
