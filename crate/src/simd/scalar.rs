//! The portable lane layer: fixed-size arrays that LLVM may or may not vectorise. Used natively
//! (tests) and by the baseline wasm build for engines without SIMD128.

use super::Lanes;

macro_rules! scalar_lanes {
    ($t:ty, $n:literal) => {
        impl Lanes for $t {
            type V = [$t; $n];
            const LANES: usize = $n;

            #[inline(always)]
            fn splat(x: $t) -> Self::V {
                [x; $n]
            }
            #[inline(always)]
            unsafe fn load(p: *const $t) -> Self::V {
                // Safety: the caller guarantees `p..p+LANES` is readable.
                unsafe { core::ptr::read_unaligned(p as *const [$t; $n]) }
            }
            #[inline(always)]
            unsafe fn store(p: *mut $t, v: Self::V) {
                // Safety: the caller guarantees `p..p+LANES` is writable.
                unsafe { core::ptr::write_unaligned(p as *mut [$t; $n], v) }
            }
            #[inline(always)]
            fn vadd(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| a[i] + b[i])
            }
            #[inline(always)]
            fn vsub(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| a[i] - b[i])
            }
            #[inline(always)]
            fn vmul(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| a[i] * b[i])
            }
            #[inline(always)]
            fn vdiv(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| a[i] / b[i])
            }
            #[inline(always)]
            fn vmax(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::max_ieee(a[i], b[i]))
            }
            #[inline(always)]
            fn vmin(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::min_ieee(a[i], b[i]))
            }
            #[inline(always)]
            fn veq(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::from_bool(a[i] == b[i]))
            }
            #[inline(always)]
            fn vne(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::from_bool(a[i] != b[i]))
            }
            #[inline(always)]
            fn vlt(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::from_bool(a[i] < b[i]))
            }
            #[inline(always)]
            fn vle(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| Self::from_bool(a[i] <= b[i]))
            }
            #[inline(always)]
            fn vselect(cond: Self::V, a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| if cond[i] != 0.0 { a[i] } else { b[i] })
            }
            super::scalar_semantics!($t);
        }
    };
}

scalar_lanes!(f32, 4);
scalar_lanes!(f64, 2);
