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
    #[inline(always)]
    fn vsub(a: v128, b: v128) -> v128 {
        f32x4_sub(a, b)
    }
    #[inline(always)]
    fn vmul(a: v128, b: v128) -> v128 {
        f32x4_mul(a, b)
    }
    #[inline(always)]
    fn vdiv(a: v128, b: v128) -> v128 {
        f32x4_div(a, b)
    }
    #[inline(always)]
    fn vmax(a: v128, b: v128) -> v128 {
        f32x4_max(a, b)
    }
    #[inline(always)]
    fn vmin(a: v128, b: v128) -> v128 {
        f32x4_min(a, b)
    }
    // Comparisons give all-ones lanes where true: AND with 1.0 turns them into 1.0 / 0.0.
    #[inline(always)]
    fn veq(a: v128, b: v128) -> v128 {
        v128_and(f32x4_eq(a, b), f32x4_splat(1.0f32))
    }
    #[inline(always)]
    fn vne(a: v128, b: v128) -> v128 {
        v128_and(f32x4_ne(a, b), f32x4_splat(1.0f32))
    }
    #[inline(always)]
    fn vlt(a: v128, b: v128) -> v128 {
        v128_and(f32x4_lt(a, b), f32x4_splat(1.0f32))
    }
    #[inline(always)]
    fn vle(a: v128, b: v128) -> v128 {
        v128_and(f32x4_le(a, b), f32x4_splat(1.0f32))
    }
    #[inline(always)]
    fn vselect(cond: v128, a: v128, b: v128) -> v128 {
        v128_bitselect(a, b, f32x4_ne(cond, f32x4_splat(0.0)))
    }
    super::scalar_semantics!(f32);

    #[inline(always)]
    fn vsqrt(a: v128) -> v128 {
        f32x4_sqrt(a)
    }
    #[inline(always)]
    fn vabs(a: v128) -> v128 {
        f32x4_abs(a)
    }
    #[inline(always)]
    fn vneg(a: v128) -> v128 {
        f32x4_neg(a)
    }
    #[inline(always)]
    fn vnearest(a: v128) -> v128 {
        f32x4_nearest(a)
    }
    #[inline(always)]
    fn vpmin(a: v128, b: v128) -> v128 {
        f32x4_pmin(a, b)
    }
    #[inline(always)]
    fn vpmax(a: v128, b: v128) -> v128 {
        f32x4_pmax(a, b)
    }
    #[inline(always)]
    fn splat_bits(bits: u64) -> v128 {
        u32x4_splat(bits as u32)
    }
    #[inline(always)]
    fn vand(a: v128, b: v128) -> v128 {
        v128_and(a, b)
    }
    #[inline(always)]
    fn vor(a: v128, b: v128) -> v128 {
        v128_or(a, b)
    }
    #[inline(always)]
    fn vxor(a: v128, b: v128) -> v128 {
        v128_xor(a, b)
    }
    #[inline(always)]
    fn viadd(a: v128, b: v128) -> v128 {
        i32x4_add(a, b)
    }
    #[inline(always)]
    fn visub(a: v128, b: v128) -> v128 {
        i32x4_sub(a, b)
    }
    #[inline(always)]
    fn vshl(a: v128, k: u32) -> v128 {
        i32x4_shl(a, k)
    }
    #[inline(always)]
    fn vshr(a: v128, k: u32) -> v128 {
        u32x4_shr(a, k)
    }
    #[inline(always)]
    fn veq_mask(a: v128, b: v128) -> v128 {
        f32x4_eq(a, b)
    }
    #[inline(always)]
    fn vlt_mask(a: v128, b: v128) -> v128 {
        f32x4_lt(a, b)
    }
    #[inline(always)]
    fn vle_mask(a: v128, b: v128) -> v128 {
        f32x4_le(a, b)
    }
    #[inline(always)]
    fn vblend(mask: v128, a: v128, b: v128) -> v128 {
        v128_bitselect(a, b, mask)
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
    #[inline(always)]
    fn vsub(a: v128, b: v128) -> v128 {
        f64x2_sub(a, b)
    }
    #[inline(always)]
    fn vmul(a: v128, b: v128) -> v128 {
        f64x2_mul(a, b)
    }
    #[inline(always)]
    fn vdiv(a: v128, b: v128) -> v128 {
        f64x2_div(a, b)
    }
    #[inline(always)]
    fn vmax(a: v128, b: v128) -> v128 {
        f64x2_max(a, b)
    }
    #[inline(always)]
    fn vmin(a: v128, b: v128) -> v128 {
        f64x2_min(a, b)
    }
    // Comparisons give all-ones lanes where true: AND with 1.0 turns them into 1.0 / 0.0.
    #[inline(always)]
    fn veq(a: v128, b: v128) -> v128 {
        v128_and(f64x2_eq(a, b), f64x2_splat(1.0f64))
    }
    #[inline(always)]
    fn vne(a: v128, b: v128) -> v128 {
        v128_and(f64x2_ne(a, b), f64x2_splat(1.0f64))
    }
    #[inline(always)]
    fn vlt(a: v128, b: v128) -> v128 {
        v128_and(f64x2_lt(a, b), f64x2_splat(1.0f64))
    }
    #[inline(always)]
    fn vle(a: v128, b: v128) -> v128 {
        v128_and(f64x2_le(a, b), f64x2_splat(1.0f64))
    }
    #[inline(always)]
    fn vselect(cond: v128, a: v128, b: v128) -> v128 {
        v128_bitselect(a, b, f64x2_ne(cond, f64x2_splat(0.0)))
    }
    super::scalar_semantics!(f64);

    #[inline(always)]
    fn vsqrt(a: v128) -> v128 {
        f64x2_sqrt(a)
    }
    #[inline(always)]
    fn vabs(a: v128) -> v128 {
        f64x2_abs(a)
    }
    #[inline(always)]
    fn vneg(a: v128) -> v128 {
        f64x2_neg(a)
    }
    #[inline(always)]
    fn vnearest(a: v128) -> v128 {
        f64x2_nearest(a)
    }
    #[inline(always)]
    fn vpmin(a: v128, b: v128) -> v128 {
        f64x2_pmin(a, b)
    }
    #[inline(always)]
    fn vpmax(a: v128, b: v128) -> v128 {
        f64x2_pmax(a, b)
    }
    #[inline(always)]
    fn splat_bits(bits: u64) -> v128 {
        u64x2_splat(bits as u64)
    }
    #[inline(always)]
    fn vand(a: v128, b: v128) -> v128 {
        v128_and(a, b)
    }
    #[inline(always)]
    fn vor(a: v128, b: v128) -> v128 {
        v128_or(a, b)
    }
    #[inline(always)]
    fn vxor(a: v128, b: v128) -> v128 {
        v128_xor(a, b)
    }
    #[inline(always)]
    fn viadd(a: v128, b: v128) -> v128 {
        i64x2_add(a, b)
    }
    #[inline(always)]
    fn visub(a: v128, b: v128) -> v128 {
        i64x2_sub(a, b)
    }
    #[inline(always)]
    fn vshl(a: v128, k: u32) -> v128 {
        i64x2_shl(a, k)
    }
    #[inline(always)]
    fn vshr(a: v128, k: u32) -> v128 {
        u64x2_shr(a, k)
    }
    #[inline(always)]
    fn veq_mask(a: v128, b: v128) -> v128 {
        f64x2_eq(a, b)
    }
    #[inline(always)]
    fn vlt_mask(a: v128, b: v128) -> v128 {
        f64x2_lt(a, b)
    }
    #[inline(always)]
    fn vle_mask(a: v128, b: v128) -> v128 {
        f64x2_le(a, b)
    }
    #[inline(always)]
    fn vblend(mask: v128, a: v128, b: v128) -> v128 {
        v128_bitselect(a, b, mask)
    }
}
