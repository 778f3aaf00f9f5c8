//! Unary element-wise ops: `out = op(a)` over a strided operand, numpy's semantics.
//!
//! Every op is one function on lanes (`T::V → T::V`): the exact ones (neg, abs, sign, square,
//! sqrt, relu, clip) are single IEEE lane operations, the transcendental ones come from
//! [`crate::simd::math`]. Rows after coalescing take the fastest applicable path: contiguous
//! → SIMD loads and stores; constant along the row (a broadcast axis) → computed once and
//! splatted; any other stride → `LANES` elements gathered into a vector. Row tails are padded
//! into a vector as well, so every element, whatever its path, goes through the very same lane
//! code and gets the same bits.

use crate::array::shape::contiguous_dims;
use crate::array::split::for_each_row_split;
use crate::array::strided::coalesce;
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::parallel::{self, SharedPtr};
use crate::simd::math::{vexp, vlog, vlog1p, vsigmoid, vtanh, UnaryMath};
use crate::simd::{Lanes, MAX_LANES};

/// The unary ops by the numeric code the bindings receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOpCode {
    Neg = 0,
    Abs = 1,
    Sign = 2,
    Square = 3,
    Sqrt = 4,
    Exp = 5,
    Log = 6,
    Log1p = 7,
    Sigmoid = 8,
    Tanh = 9,
    Relu = 10,
    Clip = 11,
}

impl UnaryOpCode {
    pub fn from_u32(code: u32) -> Option<Self> {
        use UnaryOpCode::*;
        Some(match code {
            0 => Neg,
            1 => Abs,
            2 => Sign,
            3 => Square,
            4 => Sqrt,
            5 => Exp,
            6 => Log,
            7 => Log1p,
            8 => Sigmoid,
            9 => Tanh,
            10 => Relu,
            11 => Clip,
            _ => return None,
        })
    }
}

/// `buf ← op(buf)` in place over one contiguous buffer: [`unary`] with the output's own
/// layout, so the same lane code and the same bits as the op (clip's bounds are 0).
pub fn unary_in_place<T: Lanes + UnaryMath>(code: UnaryOpCode, buf: &mut [T]) {
    let n = buf.len();
    let ptr = buf.as_mut_ptr();
    // Safety: one contiguous buffer read and written in place, which `unary` allows for an
    // input with the output's layout.
    let (src, out) =
        unsafe { (Strided::from_raw(ptr as *const T, n, &[1], 0), Output::from_raw(ptr, n)) };
    unary(code, &[n], src, out, T::ZERO, T::ZERO).expect("a contiguous layout of its own length");
}

/// `out = op(a)` element-wise, where `a` is laid out over `shape` and `out` is contiguous in
/// row-major order.
///
/// + shape: the array's shape
/// + a: the operand (stride 0 on broadcast axes)
/// + out: `size(shape)` elements, written only; may be a's buffer when a has the output's
///   layout (in-place ops)
/// + lo, hi: clip's bounds, `min(max(x, lo), hi)` with NaN propagating; ignored by the others
///
/// Exact ops match IEEE/JS semantics bit for bit: `sign(±0) = +0`, `sign(NaN) = NaN`,
/// `relu(x) = max(x, 0)` (so `relu(−0) = +0`, `relu(NaN) = NaN`). Error bounds of the
/// transcendental ops are in [`crate::simd::math`].
pub fn unary<T: Lanes + UnaryMath>(
    code: UnaryOpCode,
    shape: &[usize],
    a: Strided<T>,
    out: Output<T>,
    lo: T,
    hi: T,
) -> Result<(), KernelError> {
    use UnaryOpCode::*;
    // The polynomial ops cost several times the others per element: they split from smaller
    // sizes. (The size saturates: a shape too large for its buffer is refused by the check.)
    let costly = matches!(code, Exp | Log | Log1p | Sigmoid | Tanh);
    let size = shape.iter().fold(1usize, |n, &d| n.saturating_mul(d));
    let parts = parallel::parts(size, crossover::elementwise::<T>(costly));
    match code {
        Neg => unary_with(shape, a, out, parts, T::vneg),
        Abs => unary_with(shape, a, out, parts, T::vabs),
        Sign => unary_with(shape, a, out, parts, vsign::<T>),
        Square => unary_with(shape, a, out, parts, |x| T::vmul(x, x)),
        Sqrt => unary_with(shape, a, out, parts, T::vsqrt),
        Exp => unary_with(shape, a, out, parts, vexp::<T>),
        Log => unary_with(shape, a, out, parts, vlog::<T>),
        Log1p => unary_with(shape, a, out, parts, vlog1p::<T>),
        Sigmoid => unary_with(shape, a, out, parts, vsigmoid::<T>),
        Tanh => unary_with(shape, a, out, parts, vtanh::<T>),
        Relu => unary_with(shape, a, out, parts, |x| T::vmax(x, T::splat(T::ZERO))),
        // The bounds are splatted inside (a hoisted constant): a closure the threads share
        // holds scalars.
        Clip => unary_with(shape, a, out, parts, move |x| {
            T::vmin(T::vmax(x, T::splat(lo)), T::splat(hi))
        }),
    }
}

/// `−1`, `0` or `+1` by the sign of x (`+0` for both zeros); NaN stays NaN.
#[inline(always)]
fn vsign<T: UnaryMath>(x: T::V) -> T::V {
    let zero = T::splat(T::ZERO);
    let one = T::splat(T::ONE);
    let s = T::vor(T::vand(T::vlt_mask(zero, x), one), T::vand(T::vlt_mask(x, zero), T::vneg(one)));
    T::vblend(T::veq_mask(x, x), s, x)
}

/// `out = f(a)`, its rows split into `parts` for the pool's threads (each writes its own run of
/// `out`).
fn unary_with<T: Lanes>(
    shape: &[usize],
    a: Strided<T>,
    mut out: Output<T>,
    parts: usize,
    f: impl Fn(T::V) -> T::V + Copy + Sync,
) -> Result<(), KernelError> {
    a.check(shape)?;
    out.check(shape)?;
    let out_strides = contiguous_dims(shape);
    let axes = coalesce(shape, [a.strides, &out_strides]);
    let (pa, po) = (SharedPtr(a.ptr() as *mut T), SharedPtr(out.ptr()));
    for_each_row_split(&axes, [a.offset as isize, 0], parts, |[sa, so], len, [ra, _]| {
        // Safety: `check` proved every element reachable through a's layout is in bounds, and
        // out is contiguous with exactly size(shape) elements, so its rows are too.
        unsafe { row(pa.get().offset(sa), ra, po.get().offset(so), len, f) }
    });
    Ok(())
}

/// One row: `out[i] = f(a[i·sa])` for `i < n`; `out` is contiguous.
///
/// # Safety
/// Every `a + i·sa` must be readable and `out..out+n` writable; `a`'s elements may be `out`'s
/// only at the same index (in-place), since each vector is read before it is stored.
#[inline(always)]
unsafe fn row<T: Lanes, F: Fn(T::V) -> T::V>(a: *const T, sa: isize, out: *mut T, n: usize, f: F) {
    if n == 0 {
        return;
    }
    let w = T::LANES;
    // Safety: (all loops) indices stay below n, which the caller guarantees is in bounds.
    unsafe {
        let mut start = 0;
        match sa {
            // LOOP 1: contiguous, straight SIMD; the tail goes through the buffer below.
            1 => {
                start = n - n % w;
                for i in (0..start).step_by(w) {
                    T::store(out.add(i), f(T::load(a.add(i))));
                }
            }
            // LOOP 2: one value along the whole row, computed once.
            0 => {
                let mut buf = [*a; MAX_LANES];
                apply(&f, &mut buf);
                for i in 0..n {
                    *out.add(i) = buf[0];
                }
                return;
            }
            _ => {}
        }
        // LOOP 3: strided elements and the contiguous tail, `LANES` at a time through a buffer
        // (a short last chunk padded with copies of its first element).
        let mut i = start;
        while i < n {
            let m = w.min(n - i);
            let mut buf = [*a.offset(i as isize * sa); MAX_LANES];
            for (j, slot) in buf[..m].iter_mut().enumerate() {
                *slot = *a.offset((i + j) as isize * sa);
            }
            apply(&f, &mut buf);
            for (j, &y) in buf[..m].iter().enumerate() {
                *out.add(i + j) = y;
            }
            i += m;
        }
    }
}

/// `buf[..LANES] = f(buf[..LANES])`: the one out-of-line copy of `f` that every non-contiguous
/// element goes through (the contiguous loop has the other), which keeps the wasm small.
#[inline(never)]
fn apply<T: Lanes, F: Fn(T::V) -> T::V>(f: &F, buf: &mut [T; MAX_LANES]) {
    // Safety: the buffer holds MAX_LANES ≥ LANES elements.
    unsafe { T::store(buf.as_mut_ptr(), f(T::load(buf.as_ptr()))) }
}
