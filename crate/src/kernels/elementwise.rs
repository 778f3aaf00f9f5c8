//! Binary element-wise ops with numpy broadcasting: `out = op(a, b)` over strided operands.
//!
//! Rows after coalescing take the fastest applicable path:
//! both operands contiguous → one SIMD loop; one operand constant along the row (a broadcast
//! column or a scalar) → SIMD with that operand splatted; anything else → a strided scalar loop.

use crate::array::shape::contiguous_dims;
use crate::array::split::for_each_row_split;
use crate::array::strided::coalesce;
use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::crossover;
use crate::parallel::{self, SharedPtr};
use crate::simd::Lanes;

/// An element-wise binary operation, given once for lanes and once for the scalar tail.
/// The two must agree bit for bit, so results never depend on which path ran.
pub trait BinaryOp<T: Lanes> {
    /// Whether `lanes` is a real SIMD implementation; ops without one run the scalar loop.
    const SIMD: bool = true;
    fn lanes(a: T::V, b: T::V) -> T::V;
    fn scalar(a: T, b: T) -> T;
}

macro_rules! binary_op {
    ($(#[$doc:meta])* $name:ident, |$a:ident, $b:ident| $lanes:expr, $scalar:expr) => {
        $(#[$doc])*
        pub struct $name;
        impl<T: Lanes> BinaryOp<T> for $name {
            #[inline(always)]
            fn lanes($a: T::V, $b: T::V) -> T::V {
                $lanes
            }
            #[inline(always)]
            fn scalar($a: T, $b: T) -> T {
                $scalar
            }
        }
    };
}

binary_op!(Add, |a, b| T::vadd(a, b), a + b);
binary_op!(Sub, |a, b| T::vsub(a, b), a - b);
binary_op!(Mul, |a, b| T::vmul(a, b), a * b);
binary_op!(Div, |a, b| T::vdiv(a, b), a / b);
binary_op!(Maximum, |a, b| T::vmax(a, b), T::max_ieee(a, b));
binary_op!(Minimum, |a, b| T::vmin(a, b), T::min_ieee(a, b));
binary_op!(Equal, |a, b| T::veq(a, b), T::from_bool(a == b));
binary_op!(NotEqual, |a, b| T::vne(a, b), T::from_bool(a != b));
binary_op!(Less, |a, b| T::vlt(a, b), T::from_bool(a < b));
binary_op!(LessEqual, |a, b| T::vle(a, b), T::from_bool(a <= b));
binary_op!(Greater, |a, b| T::vlt(b, a), T::from_bool(a > b));
binary_op!(GreaterEqual, |a, b| T::vle(b, a), T::from_bool(a >= b));

/// `a^b` (C's `pow`, as numpy): no SIMD version, so rows run the scalar loop.
pub struct Pow;
impl<T: Lanes> BinaryOp<T> for Pow {
    const SIMD: bool = false;
    fn lanes(a: T::V, _b: T::V) -> T::V {
        a // never called: SIMD is false
    }
    #[inline(always)]
    fn scalar(a: T, b: T) -> T {
        T::pow(a, b)
    }
}

/// The binary ops by the numeric code the bindings receive (shared with `ts/backend/backend.ts`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOpCode {
    Add = 0,
    Sub = 1,
    Mul = 2,
    Div = 3,
    Pow = 4,
    Maximum = 5,
    Minimum = 6,
    Equal = 7,
    NotEqual = 8,
    Greater = 9,
    GreaterEqual = 10,
    Less = 11,
    LessEqual = 12,
}

impl BinaryOpCode {
    pub const ALL: [BinaryOpCode; 13] = [
        BinaryOpCode::Add,
        BinaryOpCode::Sub,
        BinaryOpCode::Mul,
        BinaryOpCode::Div,
        BinaryOpCode::Pow,
        BinaryOpCode::Maximum,
        BinaryOpCode::Minimum,
        BinaryOpCode::Equal,
        BinaryOpCode::NotEqual,
        BinaryOpCode::Greater,
        BinaryOpCode::GreaterEqual,
        BinaryOpCode::Less,
        BinaryOpCode::LessEqual,
    ];

    pub fn from_u32(code: u32) -> Option<Self> {
        Self::ALL.get(code as usize).copied()
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
    use BinaryOpCode as C;
    match code {
        C::Add => binary_with::<T, Add>(shape, a, b, out),
        C::Sub => binary_with::<T, Sub>(shape, a, b, out),
        C::Mul => binary_with::<T, Mul>(shape, a, b, out),
        C::Div => binary_with::<T, Div>(shape, a, b, out),
        C::Pow => binary_with::<T, Pow>(shape, a, b, out),
        C::Maximum => binary_with::<T, Maximum>(shape, a, b, out),
        C::Minimum => binary_with::<T, Minimum>(shape, a, b, out),
        C::Equal => binary_with::<T, Equal>(shape, a, b, out),
        C::NotEqual => binary_with::<T, NotEqual>(shape, a, b, out),
        C::Greater => binary_with::<T, Greater>(shape, a, b, out),
        C::GreaterEqual => binary_with::<T, GreaterEqual>(shape, a, b, out),
        C::Less => binary_with::<T, Less>(shape, a, b, out),
        C::LessEqual => binary_with::<T, LessEqual>(shape, a, b, out),
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
    let out_strides = contiguous_dims(shape);
    let axes = coalesce(shape, [a.strides, b.strides, &out_strides]);
    let starts = [a.offset as isize, b.offset as isize, 0];
    // pow is a libm call per element, ~10× an add.
    let parts = parallel::parts(out.len(), crossover::elementwise::<T>(!Op::SIMD));
    let (pa, pb, po) =
        (SharedPtr(a.ptr() as *mut T), SharedPtr(b.ptr() as *mut T), SharedPtr(out.ptr()));
    for_each_row_split(&axes, starts, parts, |[sa, sb, so], len, [ra, rb, _]| {
        // Safety: `check` proved every element reachable through a's and b's layouts is in
        // bounds, and out is contiguous with exactly size(shape) elements, so its rows are too.
        unsafe {
            let (a, b, out) = (pa.get().offset(sa), pb.get().offset(sb), po.get().offset(so));
            row::<T, Op>(a, ra, b, rb, out, len)
        }
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
    if !Op::SIMD {
        // Safety: as the caller guarantees.
        return unsafe { scalar_row::<T, Op>(a, sa, b, sb, out, n) };
    }
    let w = T::LANES;
    let body = n - n % w;
    // Safety: (all arms) indices stay below n, as the caller guarantees is in bounds.
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
            _ => scalar_row::<T, Op>(a, sa, b, sb, out, n),
        }
    }
}

/// [`row`] one element at a time, for any strides.
///
/// # Safety
/// As [`row`].
#[inline(always)]
unsafe fn scalar_row<T: Lanes, Op: BinaryOp<T>>(
    a: *const T,
    sa: isize,
    b: *const T,
    sb: isize,
    out: *mut T,
    n: usize,
) {
    for i in 0..n as isize {
        // Safety: i < n, in bounds as the caller guarantees.
        unsafe { *out.offset(i) = Op::scalar(*a.offset(i * sa), *b.offset(i * sb)) };
    }
}
