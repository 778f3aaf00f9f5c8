//! The portable lane layer: fixed-size arrays that LLVM may or may not vectorise. Used natively
//! (tests) and by the baseline wasm build for engines without SIMD128.

use super::Lanes;

macro_rules! scalar_lanes {
    ($t:ty, $u:ty, $n:literal) => {
        impl Lanes for $t {
            type V = [$t; $n];
            const LANES: usize = $n;
            const ZERO: $t = 0.0;
            const ONE: $t = 1.0;

            #[inline(always)]
            fn splat(x: $t) -> Self::V {
                [x; $n]
            }
            #[inline(always)]
            unsafe fn load_splat(p: *const $t) -> Self::V {
                // Safety: the caller guarantees `p` is readable.
                [unsafe { *p }; $n]
            }
            #[inline(always)]
            fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V {
                // Two roundings, as the SIMD128 layer (`f32::mul_add` would be a libm call in
                // wasm). `--cfg vz_fused_madd` (native tests only) makes it fused, as a relaxed
                // build on an FMA machine computes it, to check the error bounds both ways.
                #[cfg(not(vz_fused_madd))]
                return core::array::from_fn(|i| c[i] + a[i] * b[i]);
                #[cfg(vz_fused_madd)]
                return core::array::from_fn(|i| a[i].mul_add(b[i], c[i]));
            }
            #[inline(always)]
            fn hsum(v: Self::V) -> $t {
                let mut v = v;
                let mut width = $n;
                while width > 1 {
                    width /= 2;
                    for i in 0..width {
                        v[i] = v[2 * i] + v[2 * i + 1];
                    }
                }
                v[0]
            }
            #[inline(always)]
            unsafe fn transpose_tile(src: *const $t, ss: usize, dst: *mut $t, ds: usize) {
                for r in 0..$n {
                    for c in 0..$n {
                        // Safety: r, c < LANES: inside the tiles the caller guarantees.
                        unsafe { *dst.add(c * ds + r) = *src.add(r * ss + c) };
                    }
                }
            }
            #[inline(always)]
            unsafe fn load(p: *const $t) -> Self::V {
                // Safety: the caller guarantees `p..p+LANES` is readable.
                unsafe { core::ptr::read_unaligned(p as *const [$t; $n]) }
            }
            #[inline(always)]
            unsafe fn load_partial(p: *const $t, k: usize) -> Self::V {
                let mut v = [0.0; $n];
                // Safety: the caller guarantees `p..p+k` is readable; k ≤ LANES.
                unsafe { core::ptr::copy_nonoverlapping(p, v.as_mut_ptr(), k.min($n)) };
                v
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

            #[inline(always)]
            fn vsqrt(a: Self::V) -> Self::V {
                a.map(<$t>::sqrt)
            }
            #[inline(always)]
            fn vabs(a: Self::V) -> Self::V {
                a.map(<$t>::abs)
            }
            #[inline(always)]
            fn vneg(a: Self::V) -> Self::V {
                a.map(|x| -x)
            }
            #[inline(always)]
            fn vnearest(a: Self::V) -> Self::V {
                a.map(<$t>::round_ties_even)
            }
            #[inline(always)]
            fn vpmin(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| if b[i] < a[i] { b[i] } else { a[i] })
            }
            #[inline(always)]
            fn vpmax(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| if a[i] < b[i] { b[i] } else { a[i] })
            }
            #[inline(always)]
            fn splat_bits(bits: u64) -> Self::V {
                [<$t>::from_bits(bits as $u); $n]
            }
            #[inline(always)]
            fn vand(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(a[i].to_bits() & b[i].to_bits()))
            }
            #[inline(always)]
            fn vor(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(a[i].to_bits() | b[i].to_bits()))
            }
            #[inline(always)]
            fn vxor(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(a[i].to_bits() ^ b[i].to_bits()))
            }
            #[inline(always)]
            fn viadd(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| {
                    <$t>::from_bits(a[i].to_bits().wrapping_add(b[i].to_bits()))
                })
            }
            #[inline(always)]
            fn visub(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| {
                    <$t>::from_bits(a[i].to_bits().wrapping_sub(b[i].to_bits()))
                })
            }
            #[inline(always)]
            fn vshl(a: Self::V, k: u32) -> Self::V {
                a.map(|x| <$t>::from_bits(x.to_bits() << k))
            }
            #[inline(always)]
            fn vshr(a: Self::V, k: u32) -> Self::V {
                a.map(|x| <$t>::from_bits(x.to_bits() >> k))
            }
            #[inline(always)]
            fn veq_mask(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(if a[i] == b[i] { !0 } else { 0 }))
            }
            #[inline(always)]
            fn vlt_mask(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(if a[i] < b[i] { !0 } else { 0 }))
            }
            #[inline(always)]
            fn vle_mask(a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| <$t>::from_bits(if a[i] <= b[i] { !0 } else { 0 }))
            }
            #[inline(always)]
            fn vblend(mask: Self::V, a: Self::V, b: Self::V) -> Self::V {
                core::array::from_fn(|i| {
                    let m = mask[i].to_bits();
                    <$t>::from_bits((a[i].to_bits() & m) | (b[i].to_bits() & !m))
                })
            }
        }
    };
}

scalar_lanes!(f32, u32, 4);
scalar_lanes!(f64, u64, 2);
