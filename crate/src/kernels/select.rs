//! numpy's `where(cond, a, b)`: `out = cond != 0 ? a : b` over three broadcast operands.

use crate::array::shape::contiguous_dims;
use crate::array::split::for_each_row_split;
use crate::array::strided::coalesce;
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::parallel::{self, SharedPtr};
use crate::simd::Lanes;

/// `out[i] = cond[i] != 0 ? a[i] : b[i]` (NaN counts as true), operands broadcast to `shape`.
///
/// + cond, a, b: operands laid out over `shape` (stride 0 on broadcast axes)
/// + out: `size(shape)` elements, contiguous, written only
pub fn where_select<T: Lanes>(
    shape: &[usize],
    cond: Strided<T>,
    a: Strided<T>,
    b: Strided<T>,
    mut out: Output<T>,
) -> Result<(), KernelError> {
    cond.check(shape)?;
    a.check(shape)?;
    b.check(shape)?;
    out.check(shape)?;
    let out_strides = contiguous_dims(shape);
    let axes = coalesce(shape, [cond.strides, a.strides, b.strides, &out_strides]);
    let starts = [cond.offset as isize, a.offset as isize, b.offset as isize, 0];
    let parts = parallel::parts(out.len(), crossover::elementwise::<T>(false));
    let shared = |p: *const T| SharedPtr(p as *mut T);
    let (pc, pa, pb, po) =
        (shared(cond.ptr()), shared(a.ptr()), shared(b.ptr()), SharedPtr(out.ptr()));
    for_each_row_split(&axes, starts, parts, |[sc, sa, sb, so], n, [rc, ra, rb, _]| {
        // Safety: every operand's layout was bounds-checked over `shape`; out rows are contiguous.
        unsafe {
            let (c, a, b) = (pc.get().offset(sc), pa.get().offset(sa), pb.get().offset(sb));
            let o = po.get().offset(so);
            let body = if (rc, ra, rb) == (1, 1, 1) { n - n % T::LANES } else { 0 };
            for i in (0..body).step_by(T::LANES) {
                T::store(
                    o.add(i),
                    T::vselect(T::load(c.add(i)), T::load(a.add(i)), T::load(b.add(i))),
                );
            }
            for i in body as isize..n as isize {
                let pick =
                    if (*c.offset(i * rc)).is_zero() { b.offset(i * rb) } else { a.offset(i * ra) };
                *o.offset(i) = *pick;
            }
        }
    });
    Ok(())
}
