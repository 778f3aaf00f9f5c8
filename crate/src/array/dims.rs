//! [`Dims`]: a short list of per-axis values (axes, strides, a loop's indices) kept on the stack
//! up to [`INLINE_AXES`] entries, on the heap past that. Every small op builds two or three such
//! lists; as `Vec`s they were an allocation and a free each per call (issue 12's profile).

use std::fmt;
use std::ops::{Deref, DerefMut};

/// Entries kept on the stack: arrays of up to this many axes (after length-1 axes are dropped)
/// allocate nothing. numpy's own limit is 64, but arrays past 6 axes are rare.
pub const INLINE_AXES: usize = 8;

/// A list of `Copy` values, inline up to [`INLINE_AXES`] entries.
#[derive(Clone)]
pub struct Dims<T: Copy> {
    len: usize,
    inline: [T; INLINE_AXES],
    /// Every entry once there are more than fit inline (empty, and unallocated, until then).
    spill: Vec<T>,
}

impl<T: Copy> Dims<T> {
    /// An empty list; `fill` is any value of `T` (it fills the unused inline slots).
    pub fn new(fill: T) -> Self {
        Dims { len: 0, inline: [fill; INLINE_AXES], spill: Vec::new() }
    }

    /// `len` copies of `value`.
    pub fn filled(value: T, len: usize) -> Self {
        let mut dims = Dims::new(value);
        if len <= INLINE_AXES {
            dims.len = len;
        } else {
            dims.spill = vec![value; len];
        }
        dims
    }

    pub fn push(&mut self, value: T) {
        if self.spill.is_empty() && self.len < INLINE_AXES {
            self.inline[self.len] = value;
            self.len += 1;
            return;
        }
        if self.spill.is_empty() {
            self.spill.extend_from_slice(&self.inline[..self.len]);
        }
        self.spill.push(value);
    }
}

impl<T: Copy> Deref for Dims<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }
}

impl<T: Copy> DerefMut for Dims<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        if self.spill.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.spill
        }
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for Dims<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: Copy + PartialEq> PartialEq for Dims<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Copy + Eq> Eq for Dims<T> {}

/// Lets tests compare with `vec![…]`, as they did when these were `Vec`s.
impl<T: Copy + PartialEq> PartialEq<Vec<T>> for Dims<T> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_inline_entries_keeping_order() {
        for n in [0, 1, INLINE_AXES, INLINE_AXES + 1, 3 * INLINE_AXES] {
            let mut dims = Dims::new(0usize);
            (0..n).for_each(|i| dims.push(i));
            assert_eq!(dims, (0..n).collect::<Vec<_>>());
            dims.iter_mut().for_each(|v| *v *= 2);
            assert_eq!(dims, (0..n).map(|i| 2 * i).collect::<Vec<_>>());
            assert_eq!(Dims::filled(7u8, n), vec![7u8; n]);
        }
    }
}
