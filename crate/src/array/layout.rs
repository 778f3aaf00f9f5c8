//! Kernel operands. [`Strided`] is a read-only strided view: a buffer plus `(strides, offset)`
//! in elements; broadcast axes have stride 0, which is sound precisely because it is never
//! written through. [`Output`] is a contiguous, row-major, write-only result buffer.
//!
//! Both hold raw pointers rather than slices so that an output may share memory with an input
//! (`out=` in-place ops) without creating aliasing `&`/`&mut` references. The contract every
//! kernel keeps: an input that shares memory with the output reads, at each element, at most
//! the output element being written (identical layout); the TypeScript layer copies otherwise.

use std::marker::PhantomData;

use crate::array::shape::checked_size;
use crate::error::{format_shape, KernelError};

#[derive(Clone, Copy, Debug)]
pub struct Strided<'a, T> {
    ptr: *const T,
    len: usize,
    pub strides: &'a [isize],
    pub offset: usize,
    _data: PhantomData<&'a T>,
}

impl<'a, T> Strided<'a, T> {
    pub fn new(data: &'a [T], strides: &'a [isize], offset: usize) -> Self {
        Strided { ptr: data.as_ptr(), len: data.len(), strides, offset, _data: PhantomData }
    }

    /// # Safety
    /// `ptr..ptr+len` must stay readable for `'a` (it may overlap an [`Output`], see the module doc).
    pub unsafe fn from_raw(ptr: *const T, len: usize, strides: &'a [isize], offset: usize) -> Self {
        Strided { ptr, len, strides, offset, _data: PhantomData }
    }

    /// The buffer's first element (not the view's: add `offset`).
    pub fn ptr(&self) -> *const T {
        self.ptr
    }

    /// Elements in the whole buffer.
    pub fn buffer_len(&self) -> usize {
        self.len
    }

    /// Checks that every element of an array of `shape` read through this layout lies inside
    /// the buffer, so kernels can index without bounds checks.
    pub fn check(&self, shape: &[usize]) -> Result<(), KernelError> {
        if self.strides.len() != shape.len() {
            return Err(KernelError::layout(format!(
                "strides of rank {} for an array of shape {}",
                self.strides.len(),
                format_shape(shape)
            )));
        }
        if checked_size(shape)? == 0 {
            return Ok(());
        }
        // In i128: no shape, stride or offset a caller passes can wrap the arithmetic.
        let (mut lo, mut hi) = (self.offset as i128, self.offset as i128);
        for (&len, &stride) in shape.iter().zip(self.strides) {
            let reach = (len as i128 - 1) * stride as i128;
            if reach < 0 {
                lo += reach;
            } else {
                hi += reach;
            }
        }
        if lo < 0 || hi >= self.len as i128 {
            return Err(KernelError::layout(format!(
                "layout of shape {} reads elements {lo}..={hi} of a buffer of {}",
                format_shape(shape),
                self.len
            )));
        }
        Ok(())
    }
}

/// A contiguous result buffer of `len` elements.
#[derive(Debug)]
pub struct Output<'a, T> {
    ptr: *mut T,
    len: usize,
    _data: PhantomData<&'a mut T>,
}

impl<'a, T> Output<'a, T> {
    pub fn new(data: &'a mut [T]) -> Self {
        Output { ptr: data.as_mut_ptr(), len: data.len(), _data: PhantomData }
    }

    /// # Safety
    /// `ptr..ptr+len` must stay writable for `'a`; inputs may overlap it only as the module doc allows.
    pub unsafe fn from_raw(ptr: *mut T, len: usize) -> Self {
        Output { ptr, len, _data: PhantomData }
    }

    pub fn ptr(&mut self) -> *mut T {
        self.ptr
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Checks the buffer holds exactly `size(shape)` elements.
    pub fn check(&self, shape: &[usize]) -> Result<(), KernelError> {
        if self.len != checked_size(shape)? {
            return Err(KernelError::layout(format!(
                "output of {} elements for shape {}",
                self.len,
                format_shape(shape)
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
        let mut out = [0.0f32; 6];
        assert!(Output::new(&mut out).check(&[2, 3]).is_ok());
        assert!(Output::new(&mut out).check(&[7]).is_err());
        // Sizes that wrap a usize product are refused, not wrapped into range.
        let huge = [1usize << (usize::BITS - 1), 2, 3];
        assert!(Output::new(&mut out).check(&huge).is_err());
        assert!(Strided::new(&data, &[0, 0, 0], 0).check(&huge).is_err());
        assert!(Strided::new(&data, &[isize::MAX, 1], 0).check(&[3, 4]).is_err());
    }
}
