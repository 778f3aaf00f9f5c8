//! The SIMD128 lane layer: `f32x4` and `f64x2` over one `v128`; built with `+relaxed-simd`, the
//! relaxed layer, which differs in [`Lanes::mul_add`] (`relaxed_madd`) and in [`Lanes::vblend`]
//! (`relaxed_laneselect`, the same bits for the comparison masks it is given).

use super::Lanes;
use core::arch::wasm32::*;

impl Lanes for f32 {
    type V = v128;
    const LANES: usize = 4;
    const ZERO: f32 = 0.0;
    const ONE: f32 = 1.0;

    #[inline(always)]
    fn splat(x: f32) -> v128 {
        f32x4_splat(x)
    }
    #[inline(always)]
    unsafe fn load_splat(p: *const f32) -> v128 {
        // Safety: the caller guarantees `p` is readable (4 bytes, no alignment needed).
        unsafe { v128_load32_splat(p as *const u32) }
    }
    #[inline(always)]
    fn mul_add(a: v128, b: v128, c: v128) -> v128 {
        #[cfg(target_feature = "relaxed-simd")]
        return f32x4_relaxed_madd(a, b, c);
        #[cfg(not(target_feature = "relaxed-simd"))]
        return f32x4_add(c, f32x4_mul(a, b));
    }
    #[inline(always)]
    fn hsum(v: v128) -> f32 {
        (f32x4_extract_lane::<0>(v) + f32x4_extract_lane::<1>(v))
            + (f32x4_extract_lane::<2>(v) + f32x4_extract_lane::<3>(v))
    }
    #[inline(always)]
    unsafe fn transpose_tile(src: *const f32, ss: usize, dst: *mut f32, ds: usize) {
        // Safety: as the caller guarantees (4 rows of 4 at src and at dst); v128 loads and
        // stores need no alignment.
        unsafe {
            let r0 = v128_load(src as *const v128);
            let r1 = v128_load(src.add(ss) as *const v128);
            let r2 = v128_load(src.add(2 * ss) as *const v128);
            let r3 = v128_load(src.add(3 * ss) as *const v128);
            // Interleave pairs of rows, then pairs of pairs.
            let t0 = i32x4_shuffle::<0, 4, 1, 5>(r0, r1);
            let t1 = i32x4_shuffle::<2, 6, 3, 7>(r0, r1);
            let t2 = i32x4_shuffle::<0, 4, 1, 5>(r2, r3);
            let t3 = i32x4_shuffle::<2, 6, 3, 7>(r2, r3);
            v128_store(dst as *mut v128, i32x4_shuffle::<0, 1, 4, 5>(t0, t2));
            v128_store(dst.add(ds) as *mut v128, i32x4_shuffle::<2, 3, 6, 7>(t0, t2));
            v128_store(dst.add(2 * ds) as *mut v128, i32x4_shuffle::<0, 1, 4, 5>(t1, t3));
            v128_store(dst.add(3 * ds) as *mut v128, i32x4_shuffle::<2, 3, 6, 7>(t1, t3));
        }
    }
    #[inline(always)]
    unsafe fn load(p: *const f32) -> v128 {
        // Safety: the caller guarantees 16 readable bytes; v128.load has no alignment requirement.
        unsafe { v128_load(p as *const v128) }
    }
    #[inline(always)]
    unsafe fn load_partial(p: *const f32, k: usize) -> v128 {
        // Safety: the caller guarantees k readable elements from p: each load reads only those.
        unsafe {
            match k {
                0 => f32x4_splat(0.0),
                1 => v128_load32_zero(p as *const u32),
                2 => v128_load64_zero(p as *const u64),
                3 => {
                    v128_load32_lane::<2>(v128_load64_zero(p as *const u64), p.add(2) as *const u32)
                }
                _ => v128_load(p as *const v128),
            }
        }
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
        // A comparison's mask is all ones or all zeros per lane, where the relaxed select is
        // exact (one `vblendvps` in V8 on x64, where the bitselect is three instructions).
        #[cfg(target_feature = "relaxed-simd")]
        return i32x4_relaxed_laneselect(a, b, mask);
        #[cfg(not(target_feature = "relaxed-simd"))]
        return v128_bitselect(a, b, mask);
    }
}

impl Lanes for f64 {
    type V = v128;
    const LANES: usize = 2;
    const ZERO: f64 = 0.0;
    const ONE: f64 = 1.0;

    #[inline(always)]
    fn splat(x: f64) -> v128 {
        f64x2_splat(x)
    }
    #[inline(always)]
    unsafe fn load_splat(p: *const f64) -> v128 {
        // Safety: the caller guarantees `p` is readable (8 bytes, no alignment needed).
        unsafe { v128_load64_splat(p as *const u64) }
    }
    #[inline(always)]
    fn mul_add(a: v128, b: v128, c: v128) -> v128 {
        #[cfg(target_feature = "relaxed-simd")]
        return f64x2_relaxed_madd(a, b, c);
        #[cfg(not(target_feature = "relaxed-simd"))]
        return f64x2_add(c, f64x2_mul(a, b));
    }
    #[inline(always)]
    fn hsum(v: v128) -> f64 {
        f64x2_extract_lane::<0>(v) + f64x2_extract_lane::<1>(v)
    }
    #[inline(always)]
    unsafe fn transpose_tile(src: *const f64, ss: usize, dst: *mut f64, ds: usize) {
        // Safety: as the caller guarantees (2 rows of 2 at src and at dst).
        unsafe {
            let r0 = v128_load(src as *const v128);
            let r1 = v128_load(src.add(ss) as *const v128);
            v128_store(dst as *mut v128, i64x2_shuffle::<0, 2>(r0, r1));
            v128_store(dst.add(ds) as *mut v128, i64x2_shuffle::<1, 3>(r0, r1));
        }
    }
    #[inline(always)]
    unsafe fn load(p: *const f64) -> v128 {
        // Safety: the caller guarantees 16 readable bytes.
        unsafe { v128_load(p as *const v128) }
    }
    #[inline(always)]
    unsafe fn load_partial(p: *const f64, k: usize) -> v128 {
        // Safety: the caller guarantees k readable elements from p: each load reads only those.
        unsafe {
            match k {
                0 => f64x2_splat(0.0),
                1 => v128_load64_zero(p as *const u64),
                _ => v128_load(p as *const v128),
            }
        }
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
        u64x2_splat(bits)
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
        // A comparison's mask is all ones or all zeros per lane, where the relaxed select is
        // exact (one `vblendvpd` in V8 on x64, where the bitselect is three instructions).
        #[cfg(target_feature = "relaxed-simd")]
        return i64x2_relaxed_laneselect(a, b, mask);
        #[cfg(not(target_feature = "relaxed-simd"))]
        return v128_bitselect(a, b, mask);
    }
}
