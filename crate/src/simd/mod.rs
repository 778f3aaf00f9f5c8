//! One lane layer, three instruction sets: kernels are written once against [`Lanes`], and the
//! ISA is chosen at compile time (wasm has no runtime feature detection inside a module; the
//! TypeScript loader picks the relaxed, the SIMD or the baseline binary instead).
//!
//! - `wasm128`: `f32x4` / `f64x2` from `core::arch::wasm32`, when built with `+simd128`.
//! - relaxed: the same module built with `+simd128,+relaxed-simd`, where [`Lanes::mul_add`] is
//!   `f32x4.relaxed_madd` / `f64x2.relaxed_madd`. The engine computes that fused (one rounding,
//!   on CPUs with FMA) or as a mul then an add: results may differ in the last bits between
//!   machines, never between runs on one machine, and every error bound stated over `mul_add`
//!   holds for both (a fused multiply-add rounds once where the pair rounds twice).
//! - `scalar`: plain arrays of the same lane counts, so native tests and the baseline wasm build
//!   exercise the same chunking and tail handling as the SIMD build.

use core::ops::{Add, Div, Mul, Sub};

pub mod math;
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm128;

/// Name of the lane layer compiled in, for diagnostics.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128", target_feature = "relaxed-simd"))]
pub const ISA: &str = "relaxed";
#[cfg(all(
    target_arch = "wasm32",
    target_feature = "simd128",
    not(target_feature = "relaxed-simd")
))]
pub const ISA: &str = "wasm128";
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub const ISA: &str = "scalar";

/// The widest lane count of any layer (f32x4): scratch arrays that hold one vector's lanes
/// ([`spill`], row tails) have this length.
pub const MAX_LANES: usize = 4;
const _: () = assert!(<f32 as Lanes>::LANES <= MAX_LANES && <f64 as Lanes>::LANES <= MAX_LANES);

/// The lanes of `v` in an array, lane 0 first; entries from `LANES` on are zero.
#[inline(always)]
pub fn spill<T: Lanes>(v: T::V) -> [T; MAX_LANES] {
    let mut lanes = [T::ZERO; MAX_LANES];
    // Safety: `lanes` holds MAX_LANES ≥ LANES elements (asserted above for every lane type).
    unsafe { T::store(lanes.as_mut_ptr(), v) };
    lanes
}

/// A float element type with a SIMD vector of `LANES` elements.
pub trait Lanes:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Send
    + Sync
    + 'static
{
    /// The vector type: `v128` in wasm, `[Self; LANES]` in the scalar layer.
    type V: Copy;
    /// Elements per vector (4 for f32, 2 for f64: one 128-bit register).
    const LANES: usize;
    const ZERO: Self;
    const ONE: Self;

    fn splat(x: Self) -> Self::V;
    /// All lanes = `*p`, loaded straight into the vector (wasm: `v128.load32_splat` /
    /// `load64_splat`, 1.7× the speed of a scalar load then a splat in GEMM's kernel).
    ///
    /// # Safety
    /// `p` must be readable.
    unsafe fn load_splat(p: *const Self) -> Self::V;
    /// Loads `LANES` elements from `p` (no alignment required).
    ///
    /// # Safety
    /// `p..p+LANES` must be readable.
    unsafe fn load(p: *const Self) -> Self::V;
    /// Loads `k ≤ LANES` elements from `p` into the first lanes, zeros in the rest: a row's
    /// tail as a whole vector. In wasm, lane loads (`v128.load32_zero`, `load64_zero`,
    /// `load32_lane`) rather than a copy to the stack and a vector load, whose store-to-load
    /// forwarding fails on x86 (a stall per tail).
    ///
    /// # Safety
    /// `p..p+k` must be readable.
    unsafe fn load_partial(p: *const Self, k: usize) -> Self::V;
    /// Stores `LANES` elements to `p` (no alignment required).
    ///
    /// # Safety
    /// `p..p+LANES` must be writable.
    unsafe fn store(p: *mut Self, v: Self::V);
    fn vadd(a: Self::V, b: Self::V) -> Self::V;
    fn vsub(a: Self::V, b: Self::V) -> Self::V;
    fn vmul(a: Self::V, b: Self::V) -> Self::V;
    fn vdiv(a: Self::V, b: Self::V) -> Self::V;
    /// `c + a·b` per lane: a mul then an add (two roundings) in the scalar and SIMD128 layers;
    /// `relaxed_madd` in the relaxed build, which the engine may compute fused (one rounding) or
    /// not (see the module doc). Error analyses over it count two roundings, which covers both.
    fn mul_add(a: Self::V, b: Self::V, c: Self::V) -> Self::V;
    /// The lanes summed pairwise, lane 0 first: `(v₀ + v₁) + (v₂ + v₃)`, or `v₀ + v₁`.
    fn hsum(v: Self::V) -> Self;
    /// `dst[c·dst_stride + r] = src[r·src_stride + c]` for `r, c < LANES`: a LANES×LANES tile
    /// transposed (in registers by shuffles in the SIMD layers).
    ///
    /// # Safety
    /// The LANES rows of LANES elements at `src + r·src_stride` readable, those at
    /// `dst + c·dst_stride` writable, the two disjoint.
    unsafe fn transpose_tile(
        src: *const Self,
        src_stride: usize,
        dst: *mut Self,
        dst_stride: usize,
    );
    /// IEEE 754-2019 `maximum`, as wasm's `f32x4.max` and JS `Math.max`: NaN if either is NaN,
    /// and +0 is larger than −0.
    fn vmax(a: Self::V, b: Self::V) -> Self::V;
    /// IEEE 754-2019 `minimum` (see [`Lanes::vmax`]).
    fn vmin(a: Self::V, b: Self::V) -> Self::V;
    /// Comparisons give 1.0 where true and 0.0 where false (NaN compares false, but unequal).
    fn veq(a: Self::V, b: Self::V) -> Self::V;
    fn vne(a: Self::V, b: Self::V) -> Self::V;
    fn vlt(a: Self::V, b: Self::V) -> Self::V;
    fn vle(a: Self::V, b: Self::V) -> Self::V;
    /// `cond != 0 ? a : b` per lane (NaN counts as true, as in numpy's `where`).
    fn vselect(cond: Self::V, a: Self::V, b: Self::V) -> Self::V;

    /// Scalar versions with exactly the lanes' semantics, for row tails and strided loops.
    fn max_ieee(a: Self, b: Self) -> Self;
    fn min_ieee(a: Self, b: Self) -> Self;
    fn from_bool(b: bool) -> Self;
    fn is_zero(self) -> bool;
    fn is_nan(self) -> bool;
    /// `n` rounded to the type (exact below 2²⁴ in f32, 2⁵³ in f64).
    fn from_usize(n: usize) -> Self;
    /// A non-negative integer value back as `usize` (truncating; for counts made by
    /// [`Lanes::from_usize`]).
    fn to_usize(self) -> usize;
    /// `a^b` as numpy's `power` (C `pow`: `pow(1, NaN) = 1`, `pow(-1, ±inf) = 1`), computed in
    /// f64 and rounded once, as JS `Math.pow` would for float32 data.
    fn pow(a: Self, b: Self) -> Self;

    // Lane operations for the unary kernels and `simd::math`. Bit-level methods act on each
    // lane's IEEE bit pattern (32 bits for f32, 64 for f64) and give a vector of those bits.
    /// Correctly rounded square root (IEEE, as wasm's `f32x4.sqrt` and JS `Math.sqrt`).
    fn vsqrt(a: Self::V) -> Self::V;
    /// `|a|` by clearing the sign bit (so `|−0| = +0`, and NaN stays NaN).
    fn vabs(a: Self::V) -> Self::V;
    /// `−a` by flipping the sign bit.
    fn vneg(a: Self::V) -> Self::V;
    /// Round to the nearest integer, ties to even (wasm's `nearest`).
    fn vnearest(a: Self::V) -> Self::V;
    /// wasm's pseudo-minimum `b < a ? b : a`: one instruction (unlike the IEEE [`Lanes::vmin`]),
    /// and a NaN in `a` passes through, which is what clamping needs.
    fn vpmin(a: Self::V, b: Self::V) -> Self::V;
    /// wasm's pseudo-maximum `a < b ? b : a` (see [`Lanes::vpmin`]).
    fn vpmax(a: Self::V, b: Self::V) -> Self::V;
    /// Every lane holds the bit pattern `bits` (its low 32 bits for f32).
    fn splat_bits(bits: u64) -> Self::V;
    fn vand(a: Self::V, b: Self::V) -> Self::V;
    fn vor(a: Self::V, b: Self::V) -> Self::V;
    fn vxor(a: Self::V, b: Self::V) -> Self::V;
    /// Adds the lanes' bit patterns as integers (wrapping), e.g. to add to a float's exponent.
    fn viadd(a: Self::V, b: Self::V) -> Self::V;
    /// Subtracts the lanes' bit patterns as integers (wrapping).
    fn visub(a: Self::V, b: Self::V) -> Self::V;
    /// Shifts each lane's bits left by `k` (< lane width), filling with zeros.
    fn vshl(a: Self::V, k: u32) -> Self::V;
    /// Shifts each lane's bits right by `k` (< lane width), filling with zeros (logical).
    fn vshr(a: Self::V, k: u32) -> Self::V;
    /// Comparisons as masks: all ones where true, all zeros where false (NaN compares false).
    fn veq_mask(a: Self::V, b: Self::V) -> Self::V;
    fn vlt_mask(a: Self::V, b: Self::V) -> Self::V;
    fn vle_mask(a: Self::V, b: Self::V) -> Self::V;
    /// `mask ? a : b` bit by bit, for a mask from the `*_mask` comparisons.
    fn vblend(mask: Self::V, a: Self::V, b: Self::V) -> Self::V;
}

/// Scalar maximum with [`Lanes::vmax`]'s semantics.
#[inline(always)]
fn max_ieee_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        // Equal: only the sign of zero can differ, and +0 wins.
        if a.is_sign_negative() {
            b
        } else {
            a
        }
    } else if a > b {
        a
    } else {
        b
    }
}

/// Scalar minimum with [`Lanes::vmin`]'s semantics.
#[inline(always)]
fn min_ieee_f64(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a == b {
        if a.is_sign_negative() {
            a
        } else {
            b
        }
    } else if a < b {
        a
    } else {
        b
    }
}

/// numpy's `power` on f64 (Rust's `powf` is C's `pow`, which numpy uses).
#[inline(always)]
fn pow_f64(a: f64, b: f64) -> f64 {
    a.powf(b)
}

macro_rules! scalar_semantics {
    ($t:ty) => {
        #[inline(always)]
        fn max_ieee(a: $t, b: $t) -> $t {
            crate::simd::max_ieee_f64(a as f64, b as f64) as $t
        }
        #[inline(always)]
        fn min_ieee(a: $t, b: $t) -> $t {
            crate::simd::min_ieee_f64(a as f64, b as f64) as $t
        }
        #[inline(always)]
        fn from_bool(b: bool) -> $t {
            if b {
                1.0
            } else {
                0.0
            }
        }
        #[inline(always)]
        fn is_zero(self) -> bool {
            self == 0.0
        }
        #[inline(always)]
        fn is_nan(self) -> bool {
            <$t>::is_nan(self)
        }
        #[inline(always)]
        fn from_usize(n: usize) -> $t {
            n as $t
        }
        #[inline(always)]
        fn to_usize(self) -> usize {
            self as usize
        }
        #[inline(always)]
        fn pow(a: $t, b: $t) -> $t {
            crate::simd::pow_f64(a as f64, b as f64) as $t
        }
    };
}
pub(crate) use scalar_semantics;
