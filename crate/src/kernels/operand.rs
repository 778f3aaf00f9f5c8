//! Strided operands as raw pointers, grouped as matrixmultiply groups them (`a, rsa, csa`):
//! element (i, j) of a matrix is at `ptr + i·rs + j·cs`, element i of a vector at
//! `ptr + i·inc`. A transposed matrix is the same pointer with its strides swapped
//! ([`MatRef::t`]), so every transpose combination is one call. Making or copying one reads
//! nothing; the kernels that take them state what must be readable or writable.

/// A matrix read through strides.
#[derive(Clone, Copy, Debug)]
pub struct MatRef<T> {
    pub ptr: *const T,
    /// Row stride, in elements.
    pub rs: isize,
    /// Column stride, in elements.
    pub cs: isize,
}

/// A matrix written through strides.
#[derive(Clone, Copy, Debug)]
pub struct MatMut<T> {
    pub ptr: *mut T,
    pub rs: isize,
    pub cs: isize,
}

/// A vector read through a stride.
#[derive(Clone, Copy, Debug)]
pub struct VecRef<T> {
    pub ptr: *const T,
    pub inc: isize,
}

/// A vector written through a stride.
#[derive(Clone, Copy, Debug)]
pub struct VecMut<T> {
    pub ptr: *mut T,
    pub inc: isize,
}

impl<T> MatRef<T> {
    pub fn new(ptr: *const T, rs: isize, cs: isize) -> Self {
        MatRef { ptr, rs, cs }
    }

    /// The transpose: the same elements, strides swapped.
    pub fn t(self) -> Self {
        MatRef { ptr: self.ptr, rs: self.cs, cs: self.rs }
    }

    /// Row `i` as a vector.
    pub fn row(self, i: usize) -> VecRef<T> {
        VecRef { ptr: self.ptr.wrapping_offset(i as isize * self.rs), inc: self.cs }
    }

    /// Column `j` as a vector.
    pub fn col(self, j: usize) -> VecRef<T> {
        VecRef { ptr: self.ptr.wrapping_offset(j as isize * self.cs), inc: self.rs }
    }
}

impl<T> MatMut<T> {
    pub fn new(ptr: *mut T, rs: isize, cs: isize) -> Self {
        MatMut { ptr, rs, cs }
    }

    /// The transpose: the same elements, strides swapped.
    pub fn t(self) -> Self {
        MatMut { ptr: self.ptr, rs: self.cs, cs: self.rs }
    }

    /// Row `i` as a vector.
    pub fn row(self, i: usize) -> VecMut<T> {
        VecMut { ptr: self.ptr.wrapping_offset(i as isize * self.rs), inc: self.cs }
    }

    /// Column `j` as a vector.
    pub fn col(self, j: usize) -> VecMut<T> {
        VecMut { ptr: self.ptr.wrapping_offset(j as isize * self.cs), inc: self.rs }
    }
}
