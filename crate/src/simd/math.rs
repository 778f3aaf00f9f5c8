//! Transcendental functions on lanes: `exp`, `log`, `log1p`, `sigmoid` and `tanh` for f32x4 and
//! f64x2, written once against [`Lanes`] with per-type constants in [`UnaryMath`].
//!
//! No tables (wasm SIMD has no gather), no libm: range reduction plus polynomials. The
//! polynomials are relative-error minimax fits derived for this crate with a Remez exchange in
//! 60-digit arithmetic (mpmath), then rounded to the lane type; the fit interval, degree and
//! the fit's error are given at each table. Every lane op is an IEEE-rounded add/sub/mul/div
//! (wasm SIMD has no fused multiply-add), so the scalar lane layer and `wasm128` give
//! bit-identical results.
//!
//! - `exp(x) = 2ⁿ·eʳ`: `n = nearest(x·log₂e)`, `r = x − n·ln2` in two parts (Cody–Waite,
//!   `n·LN2_HI` exact), `eʳ ≈ 1 + (r + r²·q(r))` on `|r| ≤ 0.35`, with the rounding errors of
//!   `r` and of both sums carried in a low part `p_lo` (Fast2Sum), so only the last operations
//!   round. `2ⁿ` is built from bits in two normal halves `2^n₁·2^n₂`, so subnormal results are
//!   rounded, not flushed, and `x` is clamped to a range whose ends overflow to +inf and
//!   underflow to 0 by themselves.
//! - `log(x) = k·ln2 + log(1+f)` with `1+f ∈ (√½, √2]` from the exponent and mantissa bits
//!   (subnormals pre-scaled by 2²⁵ or 2⁵⁴); `s = f/(2+f)`, `log(1+f) = 2·atanh(s)
//!   = f − ½f² + s·(½f² + R(s²))` (the fdlibm arrangement, whose last rounding is on `f`).
//! - `log1p(x)`: `u = 1 + x` rounded, its exact rounding error `c` (Fast2Sum), then
//!   `log(u) + c/u`.
//! - `sigmoid(x) = 1/(1+e)` for `x ≥ 0` and `e/(1+e)` for `x < 0`, with `e = exp(−|x|) ≤ 1`
//!   kept as `e + e_lo` and the denominator's rounding error corrected to first order.
//! - `tanh(x) = x + x³·P(x²)` for `|x| < 9/16`, else `±(1 − 2e/(1+e))` with `e = exp(−2|x|)`,
//!   the quotient as in sigmoid.
//!
//! Measured maximum error against the exact result, in ulps of the result's type (the ulp of
//! the exact value's binade; 0.5 is correct rounding). f32: every one of the 2³² inputs, against
//! std's f64 functions. f64: about 13 million inputs per op (dense over the interesting ranges,
//! log-uniform across binades, random bit patterns) against double-double references, which are
//! themselves checked against std. The largest errors of `exp` (and so of `sigmoid`'s tail) are
//! in its subnormal range, where `(p + p_lo)·2^n₁` is rounded twice.
//!
//! | op      | f32 (bound 2) | f64 (bound 4) |
//! |---------|---------------|---------------|
//! | exp     | 0.78          | 0.76          |
//! | log     | 0.84          | 0.84          |
//! | log1p   | 0.87          | 0.85          |
//! | sigmoid | 1.08          | 1.06          |
//! | tanh    | 1.02          | 1.01          |
//!
//! Reproduce with `cargo test --release --test unary -- --ignored --nocapture` (f32 exhaustive,
//! ~15 min on 2 cores; f64 dense, ~2 min); `cargo test --test unary -- --nocapture ulp` runs
//! the default, sparser sweeps that assert the same bounds.
//!
//! Special values: `exp(±0) = 1`, `exp(x > ln MAX) = +inf`, `exp(x < ln(MIN_SUBNORMAL/2)) = 0`,
//! subnormal results of `exp` and `sigmoid` within the bounds above (not flushed); `log(±0) = −inf`,
//! `log(x < 0) = NaN`, `log(+inf) = +inf`; `log1p(−1) = −inf`, `log1p(±0) = ±0`;
//! `sigmoid(±inf) = 1 / 0`; `tanh(±inf) = ±1`, `tanh(±0) = ±0`; NaN in, NaN out everywhere.

use super::Lanes;

/// Per-type constants of the transcendental functions (the code is shared, see the module doc).
pub trait UnaryMath: Lanes {
    /// Explicit mantissa bits: 23 or 52.
    const MANT_BITS: u32;
    /// `2^MANT_BITS + bias`: added to a small integer `n` in float, its low bits are `n + bias`.
    const POW2_MAGIC: Self;
    /// Bit pattern of `2^MANT_BITS`, whose mantissa field takes a small integer by `or`.
    const TWO_MANT_BITS: u64;
    const MANT_MASK: u64;
    const SIGN_MASK: u64;
    const INFINITY: Self;
    const NAN: Self;
    const MIN_POSITIVE: Self;
    /// `2^SUB_SHIFT` lifts every subnormal into the normal range.
    const SUB_SCALE: Self;
    const SUB_SHIFT: Self;
    const SQRT2: Self;
    const LOG2E: Self;
    /// `ln 2 = LN2_HI + LN2_LO`, where `LN2_HI` has few enough bits that `n·LN2_HI` is exact
    /// for every exponent `n` that occurs.
    const LN2_HI: Self;
    const LN2_LO: Self;
    /// The range `exp` clamps its argument to: `exp(EXP_LO)` rounds to 0, `exp(EXP_HI)` to +inf.
    const EXP_LO: Self;
    const EXP_HI: Self;
    /// `q(r) ≈ (eʳ − 1 − r)/r²` on `[−0.35, 0.35]`, lowest degree first.
    const EXP_Q: &'static [Self];
    /// `P(z) ≈ (2·atanh(√z)/√z − 2)/z` on `[0, 0.02947]`, so `R(z) = z·P(z)`.
    const LOG_P: &'static [Self];
    /// `P(z) ≈ (tanh(√z)/√z − 1)/z` on `[0, (9/16)²]`.
    const TANH_P: &'static [Self];
    /// Below this `|x|` tanh uses its polynomial.
    const TANH_SMALL: Self;
    const ZERO: Self;
    const HALF: Self;
    const ONE: Self;
    const TWO: Self;
}

impl UnaryMath for f32 {
    const MANT_BITS: u32 = 23;
    const POW2_MAGIC: f32 = 8388735.0; // 2^23 + 127
    const TWO_MANT_BITS: u64 = 0x4B00_0000;
    const MANT_MASK: u64 = 0x007F_FFFF;
    const SIGN_MASK: u64 = 0x8000_0000;
    const INFINITY: f32 = f32::INFINITY;
    const NAN: f32 = f32::NAN;
    const MIN_POSITIVE: f32 = f32::MIN_POSITIVE;
    const SUB_SCALE: f32 = 33554432.0; // 2^25
    const SUB_SHIFT: f32 = 25.0;
    const SQRT2: f32 = core::f32::consts::SQRT_2;
    const LOG2E: f32 = core::f32::consts::LOG2_E;
    const LN2_HI: f32 = 0.69314575; // 0x3f317200: 15 significant bits, |n| < 512
    const LN2_LO: f32 = 1.4286068e-6; // 0x35bfbe8e
    const EXP_LO: f32 = -104.0;
    const EXP_HI: f32 = 89.0;
    // Degree 5; fit error 2.8e-9 relative to q (1.1e-8 after rounding to f32), at most ~1e-9
    // relative to eʳ.
    const EXP_Q: &'static [f32] = &[
        0.5,           // 0x3f000000
        0.16666667,    // 0x3e2aaaab
        0.04166646,    // 0x3d2aaa73
        0.008333362,   // 0x3c0888a7
        0.0013934487,  // 0x3ab6a461
        0.00019858129, // 0x39503a42
    ];
    // Degree 3; fit error 1.7e-9 (3.3e-8 rounded), below 1e-9 relative to log(1+f).
    const LOG_P: &'static [f32] = &[
        0.6666667,  // 0x3f2aaaab
        0.40000123, // 0x3eccccf6
        0.28550756, // 0x3e922e0c
        0.23332141, // 0x3e6eebcf
    ];
    // Degree 5; fit error 1.5e-9 (3.6e-8 rounded), below 4e-9 relative to tanh.
    const TANH_P: &'static [f32] = &[
        -0.33333334,   // 0xbeaaaaab
        0.13333322,    // 0x3e088881
        -0.053964064,  // 0xbd5d096c
        0.0218119,     // 0x3cb2aedf
        -0.008499235,  // 0xbc0b4060
        0.0024875891,  // 0x3b2306d2
    ];
    const TANH_SMALL: f32 = 0.5625;
    const ZERO: f32 = 0.0;
    const HALF: f32 = 0.5;
    const ONE: f32 = 1.0;
    const TWO: f32 = 2.0;
}

impl UnaryMath for f64 {
    const MANT_BITS: u32 = 52;
    const POW2_MAGIC: f64 = 4503599627371519.0; // 2^52 + 1023
    const TWO_MANT_BITS: u64 = 0x4330_0000_0000_0000;
    const MANT_MASK: u64 = 0x000F_FFFF_FFFF_FFFF;
    const SIGN_MASK: u64 = 0x8000_0000_0000_0000;
    const INFINITY: f64 = f64::INFINITY;
    const NAN: f64 = f64::NAN;
    const MIN_POSITIVE: f64 = f64::MIN_POSITIVE;
    const SUB_SCALE: f64 = 18014398509481984.0; // 2^54
    const SUB_SHIFT: f64 = 54.0;
    const SQRT2: f64 = core::f64::consts::SQRT_2;
    const LOG2E: f64 = core::f64::consts::LOG2_E;
    const LN2_HI: f64 = 0.6931471805598903; // 0x3fe62e42fefa3800: 42 significant bits, |n| < 2048
    const LN2_LO: f64 = 5.497923018708371e-14; // 0x3d2ef35793c76730
    const EXP_LO: f64 = -746.0;
    const EXP_HI: f64 = 710.0;
    // Degree 10; fit error 3.0e-18 relative to q (4.3e-18 rounded), below 1e-18 relative to eʳ.
    const EXP_Q: &'static [f64] = &[
        0.5,                     // 0x3fe0000000000000
        0.1666666666666667,      // 0x3fc5555555555557
        0.041666666666666616,    // 0x3fa555555555554e
        0.00833333333332558,     // 0x3f8111111110ff9c
        0.0013888888888920336,   // 0x3f56c16c16c1a4bd
        0.00019841269876754122,  // 0x3f2a01a01ac96257
        2.480158724235054e-05,   // 0x3efa01a018f6d8c4
        2.7557252957261415e-06,  // 0x3ec71de000b7bdda
        2.755735083649109e-07,   // 0x3e927e511b657714
        2.5106228475944223e-08,  // 0x3e5af525c4d5f49d
        2.0889625632295576e-09,  // 0x3e21f1ad60aee973
    ];
    // Degree 6; fit error 4.6e-16 (4.7e-16 rounded), below 5e-18 relative to log(1+f).
    const LOG_P: &'static [f64] = &[
        0.666666666666667,   // 0x3fe5555555555558
        0.3999999999989856,  // 0x3fd9999999995238
        0.2857142862638531,  // 0x3fd2492492e034f0
        0.22222211070316766, // 0x3fcc71c62cf58778
        0.18182893681484144, // 0x3fc7462bac8b086b
        0.153315740150182,   // 0x3fc39fd9a4f41abc
        0.14618233993979118, // 0x3fc2b61a58a5a6f6
    ];
    // Degree 10; fit error 3.7e-17 (5.6e-17 rounded), below 6e-18 relative to tanh.
    const TANH_P: &'static [f64] = &[
        -0.3333333333333333,     // 0xbfd5555555555555
        0.1333333333333239,      // 0x3fc1111111110fbd
        -0.05396825396705904,    // 0xbfaba1ba1b9f196c
        0.021869488476944813,    // 0x3f9664f48727a801
        -0.00886323402109764,    // 0xbf8226e3220f2c6b
        0.00359210552624577,     // 0x3f6d6d30f849c7e6
        -0.0014556239294637983,  // 0xbf57d9544b0752f5
        0.0005887534728454667,   // 0x3f434ad274a4bf6f
        -0.00023410486164867605, // 0xbf2eaf417300d32b
        8.426406930729014e-05,   // 0x3f1616ddb0074225
        -2.0025948225470906e-05, // 0xbef4ffacaee5f8bc
    ];
    const TANH_SMALL: f64 = 0.5625;
    const ZERO: f64 = 0.0;
    const HALF: f64 = 0.5;
    const ONE: f64 = 1.0;
    const TWO: f64 = 2.0;
}

/// `c[0] + x·(c[1] + x·(c[2] + …))`.
#[inline(always)]
fn horner<T: Lanes>(x: T::V, c: &[T]) -> T::V {
    let (last, rest) = c.split_last().expect("a polynomial has coefficients");
    let mut acc = T::splat(*last);
    for &k in rest.iter().rev() {
        acc = T::vadd(T::vmul(acc, x), T::splat(k));
    }
    acc
}

/// `2ⁿ` for integral `n` with `n + bias` inside the normal exponent range, from bits: the
/// float sum `n + 2^MANT_BITS + bias` (exact) holds `n + bias` in its low bits, and shifting
/// those into the exponent field drops the rest.
#[inline(always)]
fn pow2i<T: UnaryMath>(n: T::V) -> T::V {
    T::vshl(T::vadd(n, T::splat(T::POW2_MAGIC)), T::MANT_BITS)
}

/// `eˣ = (p + p_lo)·s₁·s₂` before the last roundings: `p + p_lo` carries `eʳ` to about twice
/// the lane precision (the rounding errors of `r`, of `r + r²q` and of `1 + …` are kept in
/// `p_lo`), and `s₁ = 2^n₁`, `s₂ = 2^n₂` are both normal for every `n = n₁ + n₂` the clamp
/// allows, so `p·s₁` is exact and only the product with `s₂` can round (into a subnormal).
#[inline(always)]
fn exp_parts<T: UnaryMath>(x: T::V) -> (T::V, T::V, T::V, T::V) {
    let one = T::splat(T::ONE);
    // Clamping keeps n small, and the clamped ends give +inf / 0 by themselves. The pseudo
    // max/min (single instructions, where IEEE max/min are a sequence) keep a NaN x as x.
    let x = T::vpmin(T::vpmax(x, T::splat(T::EXP_LO)), T::splat(T::EXP_HI));
    let n = T::vnearest(T::vmul(x, T::splat(T::LOG2E)));
    // a = x − n·LN2_HI is exact: the product is (≤ 11 + 42 or 8 + 15 bits) and a multiple of
    // ulp(x) for every clamped x, so the difference is a multiple of ulp(x) below 0.35, which
    // fits the mantissa (n ≠ 0 needs |x| > 0.34, so ulp(x) ≥ 2⁻⁵⁴ or 2⁻²⁵). r = a − b rounds;
    // r_lo is its exact error (Fast2Sum, |a| ≥ |b|).
    let a = T::vsub(x, T::vmul(n, T::splat(T::LN2_HI)));
    let b = T::vmul(n, T::splat(T::LN2_LO));
    let r = T::vsub(a, b);
    let r_lo = T::vsub(T::vsub(a, r), b);
    // eʳ ≈ 1 + t, t = r + w, w = r²·q(r); each sum's error kept by Fast2Sum (|r| ≥ |w|, 1 > |t|).
    let w = T::vmul(T::vmul(r, r), horner::<T>(r, T::EXP_Q));
    let t = T::vadd(r, w);
    let t_lo = T::vadd(T::vsub(r, t), w);
    let p = T::vadd(one, t);
    // e^(r + r_lo) ≈ eʳ·(1 + r_lo).
    let p_lo = T::vadd(T::vadd(T::vsub(one, p), t), T::vadd(t_lo, T::vmul(r_lo, p)));
    let n1 = T::vnearest(T::vmul(n, T::splat(T::HALF)));
    let n2 = T::vsub(n, n1);
    (p, p_lo, pow2i::<T>(n1), pow2i::<T>(n2))
}

/// `eˣ` per lane.
///
/// + x: any value; NaN gives NaN, results past the range give +inf or 0, subnormal results
///   are rounded from the normal-range `(p + p_lo)·2^n₁` by the one multiplication by `2^n₂`
#[inline(always)]
pub fn vexp<T: UnaryMath>(x: T::V) -> T::V {
    let (p, p_lo, s1, s2) = exp_parts::<T>(x);
    T::vmul(T::vmul(T::vadd(p, p_lo), s1), s2)
}

/// `eˣ` as an unevaluated sum `e + e_lo` (for `x ≤ 0`, where `eˣ ≤ 1`).
#[inline(always)]
fn exp_split<T: UnaryMath>(x: T::V) -> (T::V, T::V) {
    let (p, p_lo, s1, s2) = exp_parts::<T>(x);
    (T::vmul(T::vmul(p, s1), s2), T::vmul(T::vmul(p_lo, s1), s2))
}

/// `(num + num_lo) / (1 + e + e_lo)` for `0 ≤ e ≤ 1`, rounding the denominator's sum and the
/// quotient with a first-order correction, so the result is off by little more than the
/// quotient's own rounding.
#[inline(always)]
fn over_one_plus<T: UnaryMath>(num: T::V, num_lo: T::V, e: T::V, e_lo: T::V) -> T::V {
    let one = T::splat(T::ONE);
    let d = T::vadd(one, e);
    let d_lo = T::vadd(T::vadd(T::vsub(one, d), e), e_lo); // Fast2Sum: 1 ≥ e
    let q = T::vdiv(num, d);
    // (num + num_lo)/(d + d_lo) ≈ q + (num_lo − q·d_lo)/d
    T::vadd(q, T::vdiv(T::vsub(num_lo, T::vmul(q, d_lo)), d))
}

/// `log(u) + corr` for finite `u > 0` (other lanes give garbage, which callers replace).
/// `corr` is a small correction added before the last roundings (`log1p`'s `c/u`).
#[inline(always)]
fn log_core<T: UnaryMath>(u: T::V, corr: T::V) -> T::V {
    let (one, half) = (T::splat(T::ONE), T::splat(T::HALF));
    let sub = T::vlt_mask(u, T::splat(T::MIN_POSITIVE));
    let u = T::vblend(sub, T::vmul(u, T::splat(T::SUB_SCALE)), u);
    // Exponent field to float: or it into the mantissa of 2^MANT_BITS, subtract 2^MANT_BITS + bias.
    let field = T::vor(T::vshr(u, T::MANT_BITS), T::splat_bits(T::TWO_MANT_BITS));
    let e = T::vsub(T::vsub(field, T::splat(T::POW2_MAGIC)), T::vand(sub, T::splat(T::SUB_SHIFT)));
    // Mantissa in [1, 2), then halved above √2 so that m ∈ (√½, √2].
    let m = T::vor(T::vand(u, T::splat_bits(T::MANT_MASK)), one);
    let big = T::vlt_mask(T::splat(T::SQRT2), m);
    let m = T::vblend(big, T::vmul(m, half), m);
    let k = T::vadd(e, T::vand(big, one));
    let f = T::vsub(m, one); // exact
    let hfsq = T::vmul(T::vmul(half, f), f);
    let s = T::vdiv(f, T::vadd(T::splat(T::TWO), f));
    let z = T::vmul(s, s);
    let r = T::vmul(z, horner::<T>(z, T::LOG_P));
    // k·ln2_hi − ((hfsq − (s·(hfsq + R) + (k·ln2_lo + corr))) − f)
    let tail = T::vadd(T::vmul(s, T::vadd(hfsq, r)), T::vadd(T::vmul(k, T::splat(T::LN2_LO)), corr));
    T::vsub(T::vmul(k, T::splat(T::LN2_HI)), T::vsub(T::vsub(hfsq, tail), f))
}

/// `ln x` per lane.
///
/// + x: `±0 → −inf`, `x < 0 → NaN`, `+inf → +inf`; subnormal x are scaled into the normal
///   range first
#[inline(always)]
pub fn vlog<T: UnaryMath>(x: T::V) -> T::V {
    let zero = T::splat(T::ZERO);
    let inf = T::splat(T::INFINITY);
    let r = log_core::<T>(x, zero);
    let r = T::vblend(T::veq_mask(x, zero), T::vneg(inf), r);
    let r = T::vblend(T::veq_mask(x, inf), inf, r);
    // Negative and NaN lanes fail `0 ≤ x`.
    T::vblend(T::vle_mask(zero, x), r, T::splat(T::NAN))
}

/// `ln(1 + x)` per lane, accurate for tiny `x`.
///
/// + x: `−1 → −inf`, `x < −1 → NaN`, `+inf → +inf`, `±0 → ±0`
#[inline(always)]
pub fn vlog1p<T: UnaryMath>(x: T::V) -> T::V {
    let (zero, one) = (T::splat(T::ZERO), T::splat(T::ONE));
    let inf = T::splat(T::INFINITY);
    let u = T::vadd(one, x);
    // Fast2Sum: the exact error of u = fl(1 + x), ordering the operands by magnitude.
    let small = T::vle_mask(T::vabs(x), one);
    let c = T::vblend(small, T::vsub(x, T::vsub(u, one)), T::vsub(one, T::vsub(u, x)));
    let r = log_core::<T>(u, T::vdiv(c, u));
    let r = T::vblend(T::veq_mask(x, zero), x, r);
    let r = T::vblend(T::veq_mask(x, T::vneg(one)), T::vneg(inf), r);
    let r = T::vblend(T::veq_mask(x, inf), inf, r);
    T::vblend(T::vle_mask(T::vneg(one), x), r, T::splat(T::NAN))
}

/// `1/(1 + e⁻ˣ)` per lane, through `e = e^−|x| ≤ 1` so nothing overflows: `1/(1+e)` for
/// `x ≥ 0`, `e/(1+e)` for `x < 0`.
///
/// + x: `+inf → 1`, `−inf → 0`; subnormal results for very negative x
#[inline(always)]
pub fn vsigmoid<T: UnaryMath>(x: T::V) -> T::V {
    let (e, e_lo) = exp_split::<T>(T::vneg(T::vabs(x)));
    let neg = T::vlt_mask(x, T::splat(T::ZERO));
    over_one_plus::<T>(T::vblend(neg, e, T::splat(T::ONE)), T::vand(neg, e_lo), e, e_lo)
}

/// `tanh x` per lane: `x + x³·P(x²)` below `|x| = 9/16`, else `1 − 2·e/(1+e)` with
/// `e = e^−2|x|`, both on `|x|` with x's sign put back.
///
/// + x: `±inf → ±1`, `±0 → ±0`
#[inline(always)]
pub fn vtanh<T: UnaryMath>(x: T::V) -> T::V {
    let one = T::splat(T::ONE);
    let ax = T::vabs(x);
    let z = T::vmul(ax, ax);
    let small = T::vadd(ax, T::vmul(ax, T::vmul(z, horner::<T>(z, T::TANH_P))));
    // |x| ≥ 9/16: e ≤ 0.33, so 2e/(1+e) < ½ and the subtraction from 1 loses nothing.
    let (e, e_lo) = exp_split::<T>(T::vneg(T::vadd(ax, ax)));
    let ratio = over_one_plus::<T>(e, e_lo, e, e_lo);
    let big = T::vsub(one, T::vadd(ratio, ratio));
    let t = T::vblend(T::vlt_mask(ax, T::splat(T::TANH_SMALL)), small, big);
    T::vor(t, T::vand(x, T::splat_bits(T::SIGN_MASK)))
}
