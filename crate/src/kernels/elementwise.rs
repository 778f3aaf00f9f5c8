//! Binary element-wise ops with numpy broadcasting: `out = op(a, b)` over strided operands.
//!
//! Rows after coalescing take the fastest applicable path:
//! both operands contiguous → one SIMD loop; one operand constant along the row (a broadcast
//! column or a scalar) → SIMD with that operand splatted; anything else → a strided scalar loop.

use crate::array::shape::contiguous_strides;
use crate::array::strided::{coalesce, for_each_row};
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::simd::Lanes;

/// An element-wise binary operation, given once for lanes and once for the scalar tail.
pub trait BinaryOp<T: Lanes> {
    fn lanes(a: T::V, b: T::V) -> T::V;
    fn scalar(a: T, b: T) -> T;
}

pub struct Add;

impl<T: Lanes> BinaryOp<T> for Add {
    #[inline(always)]
    fn lanes(a: T::V, b: T::V) -> T::V {
        T::vadd(a, b)
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        a + b
    }
}

/// The binary ops by the numeric code the bindings receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOpCode {
    Add = 0,
}

impl BinaryOpCode {
    pub fn from_u32(code: u32) -> Option<Self> {
        match code {
            0 => Some(BinaryOpCode::Add),
            _ => None,
        }
    }
}

/// `out = op(a, b)`, where `a` and `b` are already broadcast to `shape` (stride 0 on stretched
/// axes) and `out` is contiguous in row-major order.
///
/// + shape: the broadcast result shape
/// + a, b: operands laid out over `shape`
/// + out: `size(shape)` elements, written only (never read); may be an input's buffer when
///   that input has the output's layout (in-place ops)
pub fn binary<T: Lanes>(
    code: BinaryOpCode,
    shape: &[usize],
    a: Strided<T>,
    b: Strided<T>,
    out: Output<T>,
) -> Result<(), KernelError> {
    match code {
        BinaryOpCode::Add => binary_with::<T, Add>(shape, a, b, out),
    }
}

fn binary_with<T: Lanes, Op: BinaryOp<T>>(
    shape: &[usize],
    a: Strided<T>,
    b: Strided<T>,
    mut out: Output<T>,
) -> Result<(), KernelError> {
    a.check(shape)?;
    b.check(shape)?;
    out.check(shape)?;
    let out_strides = contiguous_strides(shape);
    let axes = coalesce(shape, [a.strides, b.strides, &out_strides]);
    let starts = [a.offset as isize, b.offset as isize, 0];
    let (pa, pb, po) = (a.ptr(), b.ptr(), out.ptr());
    for_each_row(&axes, starts, |[sa, sb, so], len, [ra, rb, _]| {
        // Safety: `check` proved every element reachable through a's and b's layouts is in
        // bounds, and out is contiguous with exactly size(shape) elements, so its rows are too.
        unsafe { row::<T, Op>(pa.offset(sa), ra, pb.offset(sb), rb, po.offset(so), len) }
    });
    Ok(())
}

/// One row: `out[i] = op(a[i·sa], b[i·sb])` for `i < n`; `out` is contiguous.
///
/// # Safety
/// Every `a + i·sa`, `b + i·sb` must be readable and `out..out+n` writable.
#[inline(always)]
unsafe fn row<T: Lanes, Op: BinaryOp<T>>(
    a: *const T,
    sa: isize,
    b: *const T,
    sb: isize,
    out: *mut T,
    n: usize,
) {
    let w = T::LANES;
    let body = n - n % w;
    // Safety (all arms): indices stay below n, as the caller guarantees is in bounds.
    unsafe {
        match (sa, sb) {
            (1, 1) => {
                for i in (0..body).step_by(w) {
                    T::store(out.add(i), Op::lanes(T::load(a.add(i)), T::load(b.add(i))));
                }
                for i in body..n {
                    *out.add(i) = Op::scalar(*a.add(i), *b.add(i));
                }
            }
            (1, 0) => {
                let (bs, bv) = (*b, T::splat(*b));
                for i in (0..body).step_by(w) {
                    T::store(out.add(i), Op::lanes(T::load(a.add(i)), bv));
                }
                for i in body..n {
                    *out.add(i) = Op::scalar(*a.add(i), bs);
                }
            }
            (0, 1) => {
                let (as_, av) = (*a, T::splat(*a));
                for i in (0..body).step_by(w) {
                    T::store(out.add(i), Op::lanes(av, T::load(b.add(i))));
                }
                for i in body..n {
                    *out.add(i) = Op::scalar(as_, *b.add(i));
                }
            }
            _ => {
                for i in 0..n {
                    let i_ = i as isize;
                    *out.add(i) = Op::scalar(*a.offset(i_ * sa), *b.offset(i_ * sb));
                }
            }
        }
    }
}
