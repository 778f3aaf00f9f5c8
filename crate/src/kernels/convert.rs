//! Copies and dtype conversions: a strided view of one float type into a contiguous buffer of
//! another (or the same). Materialises views (`copy`, `ravel` of a transposed array, `concat`)
//! and promotes float32 to float64.

use crate::array::shape::contiguous_dims;
use crate::array::split::for_each_row_split;
use crate::array::strided::coalesce;
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::parallel::{self, SharedPtr};

/// Conversion of one element, as numpy's `astype`: f32→f64 exact, f64→f32 rounds to nearest even.
pub trait CastTo<D>: Copy {
    fn cast(self) -> D;
}

impl CastTo<f32> for f32 {
    #[inline(always)]
    fn cast(self) -> f32 {
        self
    }
}
impl CastTo<f64> for f64 {
    #[inline(always)]
    fn cast(self) -> f64 {
        self
    }
}
impl CastTo<f64> for f32 {
    #[inline(always)]
    fn cast(self) -> f64 {
        self as f64
    }
}
impl CastTo<f32> for f64 {
    #[inline(always)]
    fn cast(self) -> f32 {
        self as f32
    }
}

/// `out = src` in row-major order, converted to `D`.
///
/// + src: any layout over `shape` (transposed, sliced, broadcast)
/// + out: `size(shape)` elements, contiguous, written only
pub fn copy<S: CastTo<D>, D>(
    shape: &[usize],
    src: Strided<S>,
    mut out: Output<D>,
) -> Result<(), KernelError> {
    src.check(shape)?;
    out.check(shape)?;
    let out_strides = contiguous_dims(shape);
    let axes = coalesce(shape, [src.strides, &out_strides]);
    // A strided source is gathered element by element: the costlier family.
    let gather = axes.last().is_some_and(|axis| axis.strides[0] != 1);
    let parts = parallel::parts(out.len(), crossover::elementwise::<D>(gather));
    let (ps, po) = (SharedPtr(src.ptr() as *mut S), SharedPtr(out.ptr()));
    for_each_row_split(&axes, [src.offset as isize, 0], parts, |[s, o], n, [rs, _]| {
        // Safety: src's layout was bounds-checked over `shape`, and out rows are contiguous.
        unsafe {
            let (s, o) = (ps.get().offset(s), po.get().offset(o));
            if rs == 1 {
                for i in 0..n {
                    *o.add(i) = (*s.add(i)).cast();
                }
            } else {
                for i in 0..n as isize {
                    *o.offset(i) = (*s.offset(i * rs)).cast();
                }
            }
        }
    });
    Ok(())
}
