//! numpy's `matmul` over a stack of matrices: `out[β] = a[β] · b[β]` for every index β of the
//! broadcast batch shape (stride 0 on broadcast batch axes), one GEMM per matrix.

use crate::array::dims::Dims;
use crate::array::shape::contiguous_dims;
use crate::array::strided::{coalesce, for_each_row};
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::gemm::{gemm, Gemm};

/// `out[β] = a[β]·b[β]` for each β in `batch`.
///
/// + batch: the broadcast batch shape (empty for a single product)
/// + m, k, n: each a[β] is m×k, each b[β] is k×n
/// + a: strides over `batch ++ [m, k]`; b: over `batch ++ [k, n]` (any signs, 0 on broadcast axes)
/// + out: contiguous `batch ++ [m, n]`, written only; must not overlap a or b
pub fn matmul<T: Gemm>(
    batch: &[usize],
    m: usize,
    k: usize,
    n: usize,
    a: Strided<T>,
    b: Strided<T>,
    mut out: Output<T>,
) -> Result<(), KernelError> {
    let nb = batch.len();
    let stack = |rows, cols| {
        let mut shape = Dims::new(0);
        batch.iter().chain(&[rows, cols]).for_each(|&d| shape.push(d));
        shape
    };
    a.check(&stack(m, k))?;
    b.check(&stack(k, n))?;
    let out_shape = stack(m, n);
    out.check(&out_shape)?;
    if out.is_empty() {
        return Ok(());
    }
    let out_strides = contiguous_dims(&out_shape);
    let (rs_a, cs_a) = (a.strides[nb], a.strides[nb + 1]);
    let (rs_b, cs_b) = (b.strides[nb], b.strides[nb + 1]);
    let axes = coalesce(batch, [&a.strides[..nb], &b.strides[..nb], &out_strides[..nb]]);
    let (pa, pb, po) = (a.ptr(), b.ptr(), out.ptr());
    let starts = [a.offset as isize, b.offset as isize, 0];
    for_each_row(&axes, starts, |[sa, sb, so], len, [ra, rb, ro]| {
        for i in 0..len as isize {
            // Safety: `check` proved every element of each a[β], b[β] is inside its buffer and
            // out has exactly the batch's matrices; out is a separate buffer (the caller's promise).
            unsafe {
                gemm(
                    m,
                    k,
                    n,
                    T::ONE,
                    pa.offset(sa + i * ra),
                    rs_a,
                    cs_a,
                    pb.offset(sb + i * rb),
                    rs_b,
                    cs_b,
                    T::ZERO,
                    po.offset(so + i * ro),
                    n as isize,
                    1,
                );
            }
        }
    });
    Ok(())
}
