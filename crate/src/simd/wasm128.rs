//! The SIMD128 lane layer: `f32x4` and `f64x2` over one `v128`.

use super::Lanes;
use core::arch::wasm32::*;

impl Lanes for f32 {
    type V = v128;
    const LANES: usize = 4;

    #[inline(always)]
    fn splat(x: f32) -> v128 {
        f32x4_splat(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> v128 {
        // Safety: the caller guarantees 16 readable bytes; v128.load has no alignment requirement.
        unsafe { v128_load(p as *const v128) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f32, v: v128) {
        // Safety: the caller guarantees 16 writable bytes.
        unsafe { v128_store(p as *mut v128, v) }
    }
    #[inline(always)]
    fn vadd(a: v128, b: v128) -> v128 {
        f32x4_add(a, b)
    }
}

impl Lanes for f64 {
    type V = v128;
    const LANES: usize = 2;

    #[inline(always)]
    fn splat(x: f64) -> v128 {
        f64x2_splat(x)
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> v128 {
        // Safety: the caller guarantees 16 readable bytes.
        unsafe { v128_load(p as *const v128) }
    }
    #[inline(always)]
    unsafe fn store(p: *mut f64, v: v128) {
        // Safety: the caller guarantees 16 writable bytes.
        unsafe { v128_store(p as *mut v128, v) }
    }
    #[inline(always)]
    fn vadd(a: v128, b: v128) -> v128 {
        f64x2_add(a, b)
    }
}
