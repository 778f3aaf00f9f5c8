//! Transcendental functions on lanes: `exp`, `log`, `log1p`, `sigmoid` and `tanh` for f32x4 and
//! f64x2, written once against [`Lanes`] with per-type constants in [`UnaryMath`].
//!
//! No tables (wasm SIMD has no gather), no libm: range reduction plus polynomials. The
//! polynomials are relative-error minimax fits derived for this crate with a Remez exchange in
//! 50- or 60-digit arithmetic (mpmath), then rounded to the lane type; the fit interval, degree and
//! the fit's error are given at each table. Every lane op is an IEEE-rounded add/sub/mul/div,
//! except the polynomials' multiply-adds ([`Lanes::mul_add`]): a mul then an add in the scalar
//! layer and `wasm128` (which give bit-identical results), `relaxed_madd` in the relaxed build,
//! which the engine may fuse (one rounding) or not. The bounds below hold for both: the table
//! gives both measurements (fused: the same sweep with `--cfg vz_fused_madd`, which makes the
//! scalar layer's `mul_add` an IEEE fused multiply-add). The range reductions never fuse, so
//! `k` and `r` are the same in every build.
//!
//! `exp`, `sigmoid` and `tanh` share one reduction, `eʸ = 2ᵏ·(1 + t)`:
//! `k = nearest(y·log₂e)` by the magic-number addition (its low mantissa bits then hold `k`
//! plus a bias, and one shift turns them into the power of two `S`); `r = y − k·ln2` in two
//! parts (Cody–Waite: `k·LN2_HI` and the first subtraction are exact); and
//! `t = eʳ − 1 ≈ r + r²·Q(r)` on `|r| ≤ ln2/2`, evaluated already multiplied by `S` (exact, as
//! `S` is a power of two) and by Estrin's scheme, because these kernels are limited by their
//! dependency chains as much as by their operation count. No compensated (double-word) terms:
//! the arrangements below let only one or two roundings reach the result, which is enough
//! for 2 ulp in f32 (and far inside 4 in f64).
//!
//! - `exp(x) = S + S·t`.
//! - `sigmoid(x) = 1/(1 + e⁻ˣ) = C/D`, `D = (C + S) + S·t`, with `e⁻ˣ = 2ᵏ(1 + t)` scaled by
//!   `C = 2^−SIG_K` so that `S = 2ᵏ·C` is normal for the whole clamped range (no branch on the
//!   sign of `x`, one division). `C + S` is exact for `|k| ≤` the mantissa width, so `D` is
//!   rounded once; for larger `k` (`x ≲ −16` in f32, `−36` in f64) `C` is added to `S·r`
//!   instead, which is exact where it matters.
//! - `tanh(x) = x + x³·P(x²)` for `|x| < 9/16`, else `±(1 − 2/D)` with `D = (1 + S) + S·t` for
//!   `e^(2|x|)` as in sigmoid (`2/D < ½`, so the subtraction loses nothing); both are
//!   computed and blended.
//!
//! Subnormal results (`exp` and `sigmoid` below about −87 or −708) are rounded, not flushed,
//! and without any floating-point operation that has a subnormal operand or result: x86
//! cores take a microcode assist of ~150 cycles for each of those, which made arrays with a
//! sixth of their elements below −87 run ten times slower. The lanes that can have such a
//! result compute `v = y·2^(J−1)` in the normal range instead (`J` = 120 or 1000), then
//! `Z = v + max(2^(J−bias), v)`: that is `2v` for a normal `y`, and for a subnormal one it
//! rounds `v` on the subnormal grid (scaled by `2^J`) as the hardware would; subtracting `J`
//! from `Z`'s exponent field as an integer gives `y`'s bits in both cases. The other lanes
//! compute `v = y/2` and `Z = 2v`, which overflows exactly when `y` does.
//!
//! - `log(x) = k·ln2 + log(1+f)` with `1+f ∈ (√½, √2]` from the exponent and mantissa bits
//!   (subnormals pre-scaled by 2²⁵ or 2⁵⁴); `s = f/(2+f)`, `log(1+f) = 2·atanh(s)
//!   = f − ½f² + s·(½f² + R(s²))` (the fdlibm arrangement, whose last rounding is on `f`).
//! - `log1p(x)`: `u = 1 + x` rounded, its exact rounding error `c` (Fast2Sum), then
//!   `log(u) + c/u`.
//!
//! Measured maximum error against the exact result, in ulps of the result's type (the ulp of
//! the exact value's binade; 0.5 is correct rounding). f32: every one of the 2³² inputs, against
//! std's f64 functions. f64: about 13 million inputs per op (dense over the interesting ranges,
//! log-uniform across binades, random bit patterns) against double-double references, which are
//! themselves checked against std. The largest errors of sigmoid are where `D` is just above a
//! power of two and the result just below another (σ just under ¼ at x ≈ −1.1), so that `D`'s
//! rounding counts double.
//!
//! | op      | f32 (bound 2) | f64 (bound 4) | fused madd: f32, f64 (sparse sweep) |
//! |---------|---------------|---------------|-------------------------------------|
//! | exp     | 1.00          | 1.06          | 0.98, 1.03                          |
//! | log     | 0.84          | 0.84          | 0.81, 0.80                          |
//! | log1p   | 0.86          | 0.84          | 0.83, 0.81                          |
//! | sigmoid | 1.75          | 1.68          | 1.72, 1.49                          |
//! | tanh    | 1.32          | 1.29          | 1.28, 1.26                          |
//!
//! Reproduce with `VZ_FULL_SWEEP=1 cargo test --release --test unary -- --nocapture ulp` (f32
//! exhaustive and f64 64× denser, about ten minutes on two cores); without the variable the
//! same tests run sparser sweeps (seconds) and assert the same bounds. The fused column:
//! `RUSTFLAGS="--cfg vz_fused_madd" cargo test --release --target-dir target/fused --test unary
//! -- --nocapture ulp` (the sparse sweeps, which assert the same bounds).
//!
//! Special values: `exp(±0) = 1`, `exp(x > ln MAX) = +inf`, `exp(x < ln(MIN_SUBNORMAL/2)) = 0`,
//! subnormal results of `exp` and `sigmoid` within the bounds above (not flushed); `log(±0) = −inf`,
//! `log(x < 0) = NaN`, `log(+inf) = +inf`; `log1p(−1) = −inf`, `log1p(±0) = ±0`;
//! `sigmoid(±inf) = 1 / 0`; `tanh(±inf) = ±1`, `tanh(±0) = ±0`; NaN in, NaN out everywhere
//! (whatever its payload: no integer operation touches a NaN's bits).

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
    /// `ln 2 = LN2_HI + LN2_LO`, where `LN2_HI` has few enough bits that `k·LN2_HI` is exact
    /// for every `k` that occurs.
    const LN2_HI: Self;
    const LN2_LO: Self;
    /// `1.5·2^MANT_BITS + bias` for a small integer bias: adding it to `y` (`|y| <
    /// 2^(MANT_BITS−2)`) rounds `y` to the nearest integer `k` and leaves `k + bias` in the low
    /// mantissa bits, so the sum shifted left by `MANT_BITS` is `2^(k + bias − BIAS)`. The
    /// biases make that `2^(k−1)` for exp, `2^(k − SIG_K)` for sigmoid and `2ᵏ` for tanh.
    const EXP_MAGIC: Self;
    const SIG_MAGIC: Self;
    const TANH_MAGIC: Self;
    /// `MANT_BITS + ½`: `C + 2ᵏ·C` is exact for the integers `|k|` below it.
    const EXACT_K: Self;
    /// Exponent bias: 127 or 1023.
    const BIAS: i32;
    /// `J` of the subnormal-capable output (module doc), and `J_C = 2^(J − bias)`, the bottom
    /// of `2^J` times the normal range.
    const J: i32;
    const J_C: Self;
    /// `exp` clamps its argument to `[EXP_LO, EXP_HI]`: `exp(EXP_LO)` rounds to 0,
    /// `exp(EXP_HI)` to +inf.
    const EXP_LO: Self;
    const EXP_HI: Self;
    /// `Q(r) ≈ (eʳ − 1 − r)/r²` on `|r| ≤ ln2/2`, lowest degree first.
    const EXP_Q: &'static [Self];
    /// `sigmoid` clamps its argument to `[SIG_LO, SIG_HI]` (results 0 and 1), and divides by
    /// `D` scaled by `2^SIG_K`: `2^(k − SIG_K)` is normal for every `k` of the clamped range.
    const SIG_LO: Self;
    const SIG_HI: Self;
    const SIG_K: i32;
    /// `P(z) ≈ (2·atanh(√z)/√z − 2)/z` on `[0, 0.02947]`, so `R(z) = z·P(z)`.
    const LOG_P: &'static [Self];
    /// `P(z) ≈ (tanh(√z)/√z − 1)/z` on `[0, (9/16)²]`.
    const TANH_P: &'static [Self];
    /// Below this `|x|` tanh uses its polynomial.
    const TANH_SMALL: Self;
    /// tanh clamps `|x|` to this, where `1 − 2/(1 + e²ˣ)` rounds to 1.
    const TANH_HI: Self;
    /// `EXP_Q` for `h = r/2`: `(eʳ − 1)/2 = h + h²·Q_h(h)` with `Q_h(h) = 2·Q(2h)`, the
    /// coefficients scaled by powers of 2 (exactly).
    const TANH_EXP_Q: &'static [Self];
    const HALF: Self;
    const TWO: Self;
    /// [`vexp`]'s and [`vtanh`]'s constants, read from memory (see [`opaque`]).
    const EXP: &'static ExpConsts<Self>;
    const TANH: &'static TanhConsts<Self>;
    /// [`vsigmoid`]'s and the logarithms' constants, read from memory (see [`opaque`]).
    const SIG: &'static SigConsts<Self>;
    const LOG: &'static LogConsts<Self>;
}

/// [`vtanh`]'s constants, which it loads from memory (see [`opaque`]).
#[repr(C)]
pub struct TanhConsts<T: 'static> {
    hi: Splat<T>,
    two_log2e: Splat<T>,
    magic: Splat<T>,
    ln2_hi_half: Splat<T>,
    ln2_lo_half: Splat<T>,
    /// The bits `1 << MANT_BITS` (one step of the exponent field), as a float.
    exp_step: Splat<T>,
    one: Splat<T>,
    two: Splat<T>,
    small: Splat<T>,
    /// The sign bit alone (−0).
    sign: Splat<T>,
    /// `TANH_P` and `TANH_EXP_Q`, padded with zeros: arrays, so that their lengths stay known
    /// to the compiler when their values are not.
    p: [Splat<T>; 10],
    q: [Splat<T>; 10],
}

/// [`vexp`]'s constants, which it loads from memory (see [`opaque`]).
#[repr(C)]
pub struct ExpConsts<T: 'static> {
    lo: Splat<T>,
    hi: Splat<T>,
    log2e: Splat<T>,
    magic: Splat<T>,
    ln2_hi: Splat<T>,
    ln2_lo: Splat<T>,
    /// The bits `J << MANT_BITS` (J added to an exponent field), as a float.
    j_bits: Splat<T>,
    j_c: Splat<T>,
    /// `EXP_Q`, padded with zeros (as `TanhConsts::q`).
    q: [Splat<T>; 10],
}

/// [`vsigmoid`]'s constants, which it loads from memory (see [`opaque`]).
#[repr(C)]
pub struct SigConsts<T: 'static> {
    lo: Splat<T>,
    hi: Splat<T>,
    neg_log2e: Splat<T>,
    magic: Splat<T>,
    neg_ln2_hi: Splat<T>,
    ln2_lo: Splat<T>,
    /// `C = 2^−SIG_K` and the numerator `C/2`.
    c: Splat<T>,
    half_c: Splat<T>,
    exact_k: Splat<T>,
    /// As [`ExpConsts`]'s.
    j_bits: Splat<T>,
    j_c: Splat<T>,
    q: [Splat<T>; 10],
}

/// The constants of [`vlog`], [`vlog1p`] and [`vlog1p_unit`], which they load from memory (see
/// [`opaque`]). The bit patterns (`two_mant_bits`, `mant_mask`) are stored as floats of those bits.
#[repr(C)]
pub struct LogConsts<T: 'static> {
    one: Splat<T>,
    half: Splat<T>,
    two: Splat<T>,
    min_positive: Splat<T>,
    sub_scale: Splat<T>,
    sub_shift: Splat<T>,
    two_mant_bits: Splat<T>,
    pow2_magic: Splat<T>,
    mant_mask: Splat<T>,
    sqrt2: Splat<T>,
    sqrt2_minus_one: Splat<T>,
    ln2_hi: Splat<T>,
    ln2_lo: Splat<T>,
    inf: Splat<T>,
    nan: Splat<T>,
    /// `LOG_P`, padded with zeros (as `TanhConsts::q`).
    p: [Splat<T>; 10],
}

/// `EXP`, `TANH`, `SIG` and `LOG` of one float type `$t` whose bits are `$u` (one definition
/// for f32 and f64).
macro_rules! const_tables {
    ($t:ident, $u:ident) => {
        const EXP: &'static ExpConsts<$t> = &ExpConsts {
            lo: sp(Self::EXP_LO),
            hi: sp(Self::EXP_HI),
            log2e: sp(Self::LOG2E),
            magic: sp(Self::EXP_MAGIC),
            ln2_hi: sp(Self::LN2_HI),
            ln2_lo: sp(Self::LN2_LO),
            j_bits: sp($t::from_bits((Self::J as $u) << Self::MANT_BITS)),
            j_c: sp(Self::J_C),
            q: padded(Self::EXP_Q, 0.0),
        };
        const TANH: &'static TanhConsts<$t> = &TanhConsts {
            hi: sp(Self::TANH_HI),
            two_log2e: sp(Self::LOG2E * 2.0),
            magic: sp(Self::TANH_MAGIC),
            ln2_hi_half: sp(Self::LN2_HI * 0.5),
            ln2_lo_half: sp(Self::LN2_LO * 0.5),
            exp_step: sp($t::from_bits(1 << Self::MANT_BITS)),
            one: sp(1.0),
            two: sp(2.0),
            small: sp(Self::TANH_SMALL),
            sign: sp(-0.0),
            p: padded(Self::TANH_P, 0.0),
            q: padded(Self::TANH_EXP_Q, 0.0),
        };
        const SIG: &'static SigConsts<$t> = &SigConsts {
            lo: sp(Self::SIG_LO),
            hi: sp(Self::SIG_HI),
            neg_log2e: sp(-Self::LOG2E),
            magic: sp(Self::SIG_MAGIC),
            neg_ln2_hi: sp(-Self::LN2_HI),
            ln2_lo: sp(Self::LN2_LO),
            c: sp($t::from_bits(((Self::BIAS - Self::SIG_K) as $u) << Self::MANT_BITS)),
            half_c: sp($t::from_bits(((Self::BIAS - Self::SIG_K - 1) as $u) << Self::MANT_BITS)),
            exact_k: sp(Self::EXACT_K),
            j_bits: sp($t::from_bits((Self::J as $u) << Self::MANT_BITS)),
            j_c: sp(Self::J_C),
            q: padded(Self::EXP_Q, 0.0),
        };
        const LOG: &'static LogConsts<$t> = &LogConsts {
            one: sp(1.0),
            half: sp(0.5),
            two: sp(2.0),
            min_positive: sp(Self::MIN_POSITIVE),
            sub_scale: sp(Self::SUB_SCALE),
            sub_shift: sp(Self::SUB_SHIFT),
            two_mant_bits: sp($t::from_bits(Self::TWO_MANT_BITS as $u)),
            pow2_magic: sp(Self::POW2_MAGIC),
            mant_mask: sp($t::from_bits(Self::MANT_MASK as $u)),
            sqrt2: sp(Self::SQRT2),
            sqrt2_minus_one: sp(Self::SQRT2 - 1.0),
            ln2_hi: sp(Self::LN2_HI),
            ln2_lo: sp(Self::LN2_LO),
            inf: sp($t::INFINITY),
            nan: sp($t::NAN),
            p: padded(Self::LOG_P, 0.0),
        };
    };
}

/// `c` followed by zeros, each splatted.
const fn padded<T: Copy>(c: &[T], zero: T) -> [Splat<T>; 10] {
    let mut out = [Splat([zero; 4]); 10];
    let mut i = 0;
    while i < c.len() {
        out[i] = Splat([c[i]; 4]);
        i += 1;
    }
    out
}

/// One constant in every lane of a vector, 16-byte aligned, read with one `v128.load` (see
/// [`opaque`]); f64 uses the first two of the four.
#[repr(C, align(16))]
#[derive(Clone, Copy)]
pub struct Splat<T>([T; 4]);

/// [`Splat`] of `x`.
const fn sp<T: Copy>(x: T) -> Splat<T> {
    Splat([x; 4])
}

/// `2^e` for an exponent `e` of the normal range, as a constant.
const fn pow2_f32(e: i32) -> f32 {
    f32::from_bits(((e + 127) as u32) << 23)
}
const fn pow2_f64(e: i32) -> f64 {
    f64::from_bits(((e + 1023) as u64) << 52)
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
    const LN2_HI: f32 = 0.69314575; // 0x3f317200: 15 significant bits, |k| < 512
    const LN2_LO: f32 = 1.4286068e-6; // 0x35bfbe8e
    const EXP_MAGIC: f32 = 12582912.0 + 126.0; // 1.5·2^23 + 127 − 1
    const SIG_MAGIC: f32 = 12582912.0 + 104.0; // 1.5·2^23 + 127 − SIG_K
    const TANH_MAGIC: f32 = 12582912.0 + 127.0;
    const EXACT_K: f32 = 23.5;
    const BIAS: i32 = 127;
    // v = y·2^119 is normal for every y ≥ 2^-150·0.7, and 2v ≤ 2^120 for y ≤ 1; the
    // intermediate S·r²… of exp stay normal unless |r| < 2^-16.
    const J: i32 = 120;
    const J_C: f32 = pow2_f32(120 - 127);
    const EXP_LO: f32 = -104.0;
    const EXP_HI: f32 = 89.0;
    // Degree 4 (eʳ to degree 6); fit error 3.1e-9 (3.8e-9 rounded) relative to eʳ.
    const EXP_Q: &'static [f32] = &[
        0.49999994,   // 0x3efffffe
        0.16666521,   // 0x3e2aaa49
        0.04166839,   // 0x3d2aac79
        0.00836871,   // 0x3c091cea
        0.0013814613, // 0x3ab51226
    ];
    // σ(−104) rounds to 0 and σ(20) to 1; k ∈ [−29, 150].
    const SIG_LO: f32 = -104.0;
    const SIG_HI: f32 = 20.0;
    const SIG_K: i32 = 23;
    // Degree 3; fit error 1.7e-9 (3.3e-8 rounded), below 1e-9 relative to log(1+f).
    const LOG_P: &'static [f32] = &[
        0.6666667,  // 0x3f2aaaab
        0.40000123, // 0x3eccccf6
        0.28550756, // 0x3e922e0c
        0.23332141, // 0x3e6eebcf
    ];
    // Degree 4; fit error 1.3e-9 (2.4e-9 rounded) relative to tanh.
    const TANH_P: &'static [f32] = &[
        -0.33333313,   // 0xbeaaaaa4
        0.13332452,    // 0x3e088639
        -0.05383743,   // 0xbd5c84a3
        0.021007463,   // 0x3cac17d8
        -0.0061798156, // 0xbbca800d
    ];
    const TANH_SMALL: f32 = 0.5625;
    const TANH_HI: f32 = 10.0;
    const TANH_EXP_Q: &'static [f32] = &[
        0.9999999,  // 0x3f7ffffe
        0.66666085, // 0x3f2aaa49
        0.3333471,  // 0x3eaaac79
        0.13389936, // 0x3e091cea
        0.04420676, // 0x3d351226
    ];
    const HALF: f32 = 0.5;
    const TWO: f32 = 2.0;
    const_tables!(f32, u32);
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
    const LN2_HI: f64 = 0.6931471805598903; // 0x3fe62e42fefa3800: 42 significant bits, |k| < 2048
    const LN2_LO: f64 = 5.497923018708371e-14; // 0x3d2ef35793c76730
    const EXP_MAGIC: f64 = 6755399441055744.0 + 1022.0; // 1.5·2^52 + 1023 − 1
    const SIG_MAGIC: f64 = 6755399441055744.0 + 970.0; // 1.5·2^52 + 1023 − SIG_K
    const TANH_MAGIC: f64 = 6755399441055744.0 + 1023.0;
    const EXACT_K: f64 = 52.5;
    const BIAS: i32 = 1023;
    // v = y·2^999 is normal for every y ≥ 2^-1076, and 2v ≤ 2^1000 for y ≤ 1.
    const J: i32 = 1000;
    const J_C: f64 = pow2_f64(1000 - 1023);
    const EXP_LO: f64 = -746.0;
    const EXP_HI: f64 = 710.0;
    // Degree 9 (eʳ to degree 11); fit error 3.6e-18 (1.1e-17 rounded) relative to eʳ.
    const EXP_Q: &'static [f64] = &[
        0.5000000000000011,     // 0x3fe000000000000a
        0.16666666666666413,    // 0x3fc55555555554fa
        0.041666666666530267,   // 0x3fa555555555088c
        0.008333333333494335,   // 0x3f81111111127b9c
        0.0013888888943597796,  // 0x3f56c16c184266e5
        0.00019841269506775294, // 0x3f2a01a012a696a8
        2.4801493136077077e-05, // 0x3efa0199a16dde5f
        2.755758627083444e-06,  // 0x3ec71df253b072bf
        2.7630233959803143e-07, // 0x3e928ad68a69f048
        2.500007074097872e-08,  // 0x3e5ad7f79517de00
    ];
    // σ(−746) rounds to 0 and σ(40) to 1; k ∈ [−58, 1076].
    const SIG_LO: f64 = -746.0;
    const SIG_HI: f64 = 40.0;
    const SIG_K: i32 = 53;
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
    // Degree 9; fit error 3.2e-17 (4.1e-17 rounded) relative to tanh.
    const TANH_P: &'static [f64] = &[
        -0.33333333333331777,    // 0xbfd555555555543d
        0.13333333333093528,     // 0x3fc11111110fbf92
        -0.05396825383985352,    // 0xbfaba1ba1a875f15
        0.021869485123674422,    // 0x3f9664f44d8bd12f
        -0.008863183245225895,   // 0xbf8226dc5169e1e2
        0.003591630121372598,    // 0x3f6d6c31bd23d490
        -0.0014527793352753012,  // 0xbf57cd65eeee959d
        0.0005778541877670234,   // 0x3f42ef646b4df061
        -0.00020822965918805835, // 0xbf2b4b07270cda66
        4.960377419403046e-05,   // 0x3f0a01b4b41033f1
    ];
    const TANH_SMALL: f64 = 0.5625;
    const TANH_HI: f64 = 20.0;
    const TANH_EXP_Q: &'static [f64] = &[
        1.0000000000000022,    // 0x3ff000000000000a
        0.6666666666666565,    // 0x3fe55555555554fa
        0.33333333333224213,   // 0x3fd555555555088c
        0.13333333333590935,   // 0x3fc1111111127b9c
        0.04444444461951295,   // 0x3fa6c16c184266e5
        0.012698412484336188,  // 0x3f8a01a012a696a8
        0.003174591121417866,  // 0x3f6a0199a16dde5f
        0.0007054742085333617, // 0x3f471df253b072bf
        0.0001414667978741921, // 0x3f228ad68a69f048
        2.560007243876221e-05, // 0x3efad7f79517de00
    ];
    const HALF: f64 = 0.5;
    const TWO: f64 = 2.0;
    const_tables!(f64, u64);
}

/// `*c` in every lane: one `v128.load` (a constant when LLVM can see `c`'s value; see [`opaque`]).
#[inline(always)]
fn ld<T: Lanes>(c: &Splat<T>) -> T::V {
    // Safety: a Splat holds 16 bytes of T, at least LANES elements.
    unsafe { T::load(c.0.as_ptr()) }
}

/// `c`, with its contents hidden from LLVM in the relaxed build, so that the constants the
/// transcendental functions read from their tables ([`ExpConsts`], [`TanhConsts`],
/// [`SigConsts`], [`LogConsts`]) with [`ld`] stay loads instead of being folded into `v128.const`.
///
/// Why only there: V8 13 (Node 24, which runs the relaxed build by default) materializes a
/// `v128.const` inside a loop at every use, as three instructions with a move from a general
/// register (`movq r10, imm64; vmovq xmm, r10; vpunpcklqdq`); with tanh's ~20 constants that
/// was ~60 of its ~110 instructions per vector. A load of a pre-splatted [`Splat`] is one
/// instruction (`vmovdqu xmm, [base + index + offset]`). Against the constants folded in, over
/// 10⁶ elements in Node 24: sigmoid 1.2–1.4×, log 1.4×, log1p 1.4–1.6× faster (f32 and f64);
/// exp and tanh, which read scalars with `load32_splat` before (an `lea` and a
/// `vbroadcastss` each: V8 does not fold a splat-load's offset into its address), 1.3–1.4× and
/// a further 1.02–1.09×. Node 20's V8 hoists the constants out of the loop and spills them, and
/// there loads made exp 1.2× slower; Node 20 has no relaxed SIMD, so it runs the SIMD128 build,
/// which keeps its constants (LLVM folds the loads of these statics back into `v128.const`).
/// `black_box` is a hint: at worst the code is what it was, and the bits are the same either
/// way. Measured with `bench/small_parts.ts` and interleaved A/B runs (closing notes of issue 12).
#[inline(always)]
fn opaque<C>(c: &'static C) -> &'static C {
    if cfg!(target_feature = "relaxed-simd") {
        core::hint::black_box(c)
    } else {
        c
    }
}

/// `c[0] + x·(c[1] + x·(c[2] + …))`.
#[inline(always)]
fn horner<T: Lanes>(x: T::V, c: &[Splat<T>]) -> T::V {
    let (last, rest) = c.split_last().expect("a polynomial has coefficients");
    let mut acc = ld::<T>(last);
    for k in rest.iter().rev() {
        acc = T::mul_add(acc, x, ld::<T>(k));
    }
    acc
}

/// `c[0] + c[1]·x + c[2]·x² + …` by Estrin's scheme (pairs `c[2i] + c[2i+1]·x`, then pairs of
/// those with `x²`, then with `x⁴`, …), given `x2 = x²`; written out for the lengths the
/// tables have, Horner's for others. Its dependency chains are about half as long as
/// Horner's, for one or two more multiplications: these kernels are long enough that the
/// out-of-order window, not the ALUs, limits them.
#[inline(always)]
fn estrin<T: Lanes>(x: T::V, x2: T::V, c: &[Splat<T>]) -> T::V {
    let pair = |i: usize| T::mul_add(ld::<T>(&c[i + 1]), x, ld::<T>(&c[i]));
    match c.len() {
        5 => {
            let x4 = T::vmul(x2, x2);
            T::mul_add(x4, ld::<T>(&c[4]), T::mul_add(x2, pair(2), pair(0)))
        }
        10 => {
            let x4 = T::vmul(x2, x2);
            let x8 = T::vmul(x4, x4);
            let lo = T::mul_add(x2, pair(2), pair(0));
            let mid = T::mul_add(x2, pair(6), pair(4));
            T::mul_add(x8, pair(8), T::mul_add(x4, mid, lo))
        }
        _ => horner::<T>(x, c),
    }
}

/// `S·(eʳ − 1) ≈ S·r + S·r²·Q(r)` on `|r| ≤ ln2/2`, for a power of two `S` and `rs = S·r`
/// (plus a term the caller adds to it exactly): the scale goes in first so that the
/// dependency chains stay short (see [`estrin`]), and the small terms are summed before `rs`,
/// so the sum is rounded about once. Scaling by `S` is exact, so this is `S` times the
/// unscaled sum, bit for bit.
#[inline(always)]
fn expm1_scaled<T: Lanes>(r: T::V, rs: T::V, s: T::V, q: &[Splat<T>]) -> T::V {
    let pair = |i: usize| T::mul_add(ld::<T>(&q[i + 1]), r, ld::<T>(&q[i]));
    let r2 = T::vmul(r, r);
    let r2s = T::vmul(r2, s);
    let small = match q.len() {
        // S·r²·(q0 + q1·r) + S·r⁴·((q2 + q3·r) + q4·r²)
        5 => {
            let hi = T::mul_add(ld::<T>(&q[4]), r2, pair(2));
            T::mul_add(T::vmul(r2s, r2), hi, T::vmul(r2s, pair(0)))
        }
        // S·r²·((q0 + q1·r) + r²·(q2 + q3·r)) + S·r⁶·((q4 + q5·r) + r²·(q6 + q7·r))
        //   + S·r¹⁰·(q8 + q9·r)
        10 => {
            let r4 = T::vmul(r2, r2);
            let r6s = T::vmul(r2s, r4);
            let r10s = T::vmul(r6s, r4);
            let lo = T::mul_add(r2, pair(2), pair(0));
            let mid = T::mul_add(r2, pair(6), pair(4));
            T::mul_add(r10s, pair(8), T::mul_add(r6s, mid, T::vmul(r2s, lo)))
        }
        _ => T::vmul(r2s, horner::<T>(r, q)),
    };
    T::vadd(rs, small)
}

/// The result whose `v = y·2^(J−1)` was computed (in lanes of `m`; `v = y/2` in the others),
/// without a floating-point operation on a subnormal (module doc): `Z = v + max(c, v)` is
/// `2v`, or `v + c` on the subnormal grid when `v < c = 2^(J − bias)`, and `J` comes off the
/// exponent as an integer. A NaN `v` gives NaN (`m` is false for NaN inputs, so `off` is 0).
#[inline(always)]
fn unscale<T: UnaryMath>(v: T::V, m: T::V, off: T::V, j_c: T::V) -> T::V {
    let c = T::vand(m, j_c);
    T::visub(T::vadd(v, T::vpmax(c, v)), off)
}

/// `r` where `x` is a number, `x` where it is NaN: what the clamps by pseudo-min/max give in
/// the SIMD128 build by themselves. In the relaxed build LLVM lowers those pseudo-min/max
/// patterns to `relaxed_min` / `relaxed_max`, whose result for a NaN operand is the engine's
/// choice (V8 on x64 returned the bound: exp(NaN) was 0 and tanh(NaN) 1 until this), so there
/// the NaN lanes are put back, two more lane operations per clamp.
#[inline(always)]
fn nan_through<T: UnaryMath>(x: T::V, r: T::V) -> T::V {
    if cfg!(target_feature = "relaxed-simd") {
        T::vblend(T::veq_mask(x, x), r, x)
    } else {
        r
    }
}

/// `eˣ` per lane.
///
/// + x: any value; NaN gives NaN, results past the range give +inf or 0, subnormal results
///   are rounded once from the normal-range `v = eˣ·2^(J−1)`
#[inline(always)]
pub fn vexp<T: UnaryMath>(x: T::V) -> T::V {
    let c: &ExpConsts<T> = opaque(T::EXP);
    // Clamping keeps k small, and the clamped ends give +inf / 0 by themselves. The pseudo
    // max/min (single instructions, where IEEE max/min are a sequence) keep a NaN x as x.
    let x = nan_through::<T>(x, T::vpmin(T::vpmax(x, ld::<T>(&c.lo)), ld::<T>(&c.hi)));
    // vn << MANT_BITS = 2^(k−1).
    let magic = ld::<T>(&c.magic);
    let vn = T::vadd(T::vmul(x, ld::<T>(&c.log2e)), magic);
    let k = T::vsub(vn, magic);
    // x − k·LN2_HI is exact: the product has at most 11 + 42 or 9 + 15 bits, and the
    // difference is a multiple of ulp(x) below 0.35 (k ≠ 0 needs |x| > 0.34).
    let r = T::vsub(T::vsub(x, T::vmul(k, ld::<T>(&c.ln2_hi))), T::vmul(k, ld::<T>(&c.ln2_lo)));
    // x < 0: v = eˣ·2^(J−1) (normal down to the smallest subnormal result); x ≥ 0: v = eˣ/2,
    // which overflows in 2v exactly when eˣ does. v = S + S·t with S = 2^(k − 1 + J·[x<0]).
    let m = T::vlt_mask(x, T::splat(T::ZERO));
    let off = T::vand(m, ld::<T>(&c.j_bits));
    let s = T::viadd(T::vshl(vn, T::MANT_BITS), off);
    let v = T::vadd(s, expm1_scaled::<T>(r, T::vmul(r, s), s, &c.q[..T::EXP_Q.len()]));
    unscale::<T>(v, m, off, ld::<T>(&c.j_c))
}

/// `1/(1 + e⁻ˣ)` per lane, as `C/D` with `e⁻ˣ = 2ᵏ(1 + t)`, `S = 2ᵏ·C`, `D = (C + S) + S·t`
/// (module doc); no branch on the sign of x, nothing overflows.
///
/// + x: `+inf → 1`, `−inf → 0`; subnormal results for very negative x, rounded once from the
///   normal-range quotient
#[inline(always)]
pub fn vsigmoid<T: UnaryMath>(x: T::V) -> T::V {
    let c: &SigConsts<T> = opaque(T::SIG);
    let x = nan_through::<T>(x, T::vpmin(T::vpmax(x, ld::<T>(&c.lo)), ld::<T>(&c.hi)));
    // k = nearest(−x·log₂e); vn << MANT_BITS = S = 2^(k − SIG_K).
    let magic = ld::<T>(&c.magic);
    let vn = T::vadd(T::vmul(x, ld::<T>(&c.neg_log2e)), magic);
    let k = T::vsub(vn, magic);
    // r = −x − k·ln2, as in vexp.
    let r = T::vsub(T::vsub(T::vmul(k, ld::<T>(&c.neg_ln2_hi)), x), T::vmul(k, ld::<T>(&c.ln2_lo)));
    let s = T::vshl(vn, T::MANT_BITS);
    let cc = ld::<T>(&c.c);
    // C + S is exact for |k| ≤ MANT_BITS. Above, it rounds to S, and C goes into the small
    // term S·t instead, with S·r (exactly enough: C is a multiple of ulp(S·r) where it
    // matters); the same lanes (x ≲ −16 or −36) take the subnormal-capable scaling J.
    let m = T::vlt_mask(ld::<T>(&c.exact_k), k);
    let rs = T::vadd(T::vmul(r, s), T::vand(m, cc));
    let d = T::vadd(T::vadd(cc, s), expm1_scaled::<T>(r, rs, s, &c.q[..T::EXP_Q.len()]));
    // v = σ·2^(J−1) where m, σ/2 elsewhere: the numerator C·2^(J−1) or C/2.
    let off = T::vand(m, ld::<T>(&c.j_bits));
    let v = T::vdiv(T::viadd(ld::<T>(&c.half_c), off), d);
    unscale::<T>(v, m, off, ld::<T>(&c.j_c))
}

/// `tanh x` per lane: `x + x³·P(x²)` below `|x| = 9/16`, else `1 − 2/(1 + e²ˡˣˡ)` with the
/// denominator `(1 + S) + 2S·(t/2)` as in sigmoid, both on `|x|` with x's sign put back.
///
/// + x: `±inf → ±1`, `±0 → ±0`
#[inline(always)]
pub fn vtanh<T: UnaryMath>(x: T::V) -> T::V {
    let c: &TanhConsts<T> = opaque(T::TANH);
    let (p, q) = (&c.p[..T::TANH_P.len()], &c.q[..T::TANH_EXP_Q.len()]);
    let one = ld::<T>(&c.one);
    let ax = T::vabs(x);
    let z = T::vmul(ax, ax);
    let small = T::vadd(ax, T::vmul(T::vmul(ax, z), estrin::<T>(z, T::vmul(z, z), p)));
    // e^(2|x|) = 2ᵏ(1 + t): k = nearest(2|x|·log₂e), h = r/2 = |x| − k·ln2/2 (halving is
    // exact), t/2 = h + h²·Q_h(h); vn << MANT_BITS = S = 2ᵏ, 2S one exponent step up.
    // A NaN |x| may come out of the clamp as the bound (the relaxed build's min): the blend
    // below takes the polynomial, which keeps it NaN, for every lane that fails `small ≤ |x|`.
    let xb = T::vpmin(ax, ld::<T>(&c.hi));
    let magic = ld::<T>(&c.magic);
    let vn = T::vadd(T::vmul(xb, ld::<T>(&c.two_log2e)), magic);
    let k = T::vsub(vn, magic);
    let h = T::vsub(
        T::vsub(xb, T::vmul(k, ld::<T>(&c.ln2_hi_half))),
        T::vmul(k, ld::<T>(&c.ln2_lo_half)),
    );
    let s = T::vshl(vn, T::MANT_BITS);
    let s2 = T::viadd(s, ld::<T>(&c.exp_step));
    // |x| ≥ 9/16: 2/(1 + e^2|x|) < ½, so the subtraction from 1 loses nothing.
    let d = T::vadd(T::vadd(one, s), expm1_scaled::<T>(h, T::vmul(h, s2), s2, q));
    let big = T::vsub(one, T::vdiv(ld::<T>(&c.two), d));
    let t = T::vblend(T::vle_mask(ld::<T>(&c.small), ax), big, small);
    T::vor(t, T::vand(x, ld::<T>(&c.sign)))
}

/// `log(u) + corr` for finite `u > 0` (other lanes give garbage, which callers replace).
/// `corr` is a small correction added before the last roundings (`log1p`'s `c/u`).
#[inline(always)]
fn log_core<T: UnaryMath>(c: &LogConsts<T>, u: T::V, corr: T::V) -> T::V {
    let (one, half) = (ld::<T>(&c.one), ld::<T>(&c.half));
    let sub = T::vlt_mask(u, ld::<T>(&c.min_positive));
    let u = T::vblend(sub, T::vmul(u, ld::<T>(&c.sub_scale)), u);
    // Exponent field to float: or it into the mantissa of 2^MANT_BITS, subtract 2^MANT_BITS + bias.
    let field = T::vor(T::vshr(u, T::MANT_BITS), ld::<T>(&c.two_mant_bits));
    let e = T::vsub(T::vsub(field, ld::<T>(&c.pow2_magic)), T::vand(sub, ld::<T>(&c.sub_shift)));
    // Mantissa in [1, 2), then halved above √2 so that m ∈ (√½, √2].
    let m = T::vor(T::vand(u, ld::<T>(&c.mant_mask)), one);
    let big = T::vlt_mask(ld::<T>(&c.sqrt2), m);
    let m = T::vblend(big, T::vmul(m, half), m);
    let k = T::vadd(e, T::vand(big, one));
    log_reduced::<T>(c, T::vsub(m, one), k, corr) // m − 1 is exact
}

/// `k·ln2 + log(1 + f) + corr`, for an integer `k`, `1 + f ∈ (√½, √2]` with `f` exact, and a
/// small correction `corr`: the part of [`log_core`] after the range reduction.
#[inline(always)]
fn log_reduced<T: UnaryMath>(c: &LogConsts<T>, f: T::V, k: T::V, corr: T::V) -> T::V {
    let half = ld::<T>(&c.half);
    let hfsq = T::vmul(T::vmul(half, f), f);
    let s = T::vdiv(f, T::vadd(ld::<T>(&c.two), f));
    let z = T::vmul(s, s);
    let r = T::vmul(z, horner::<T>(z, &c.p[..T::LOG_P.len()]));
    // k·ln2_hi − ((hfsq − (s·(hfsq + R) + (k·ln2_lo + corr))) − f)
    let tail = T::vadd(T::vmul(s, T::vadd(hfsq, r)), T::vadd(T::vmul(k, ld::<T>(&c.ln2_lo)), corr));
    T::vsub(T::vmul(k, ld::<T>(&c.ln2_hi)), T::vsub(T::vsub(hfsq, tail), f))
}

/// `ln x` per lane.
///
/// + x: `±0 → −inf`, `x < 0 → NaN`, `+inf → +inf`; subnormal x are scaled into the normal
///   range first
#[inline(always)]
pub fn vlog<T: UnaryMath>(x: T::V) -> T::V {
    let c: &LogConsts<T> = opaque(T::LOG);
    let zero = T::splat(T::ZERO);
    let inf = ld::<T>(&c.inf);
    let r = log_core::<T>(c, x, zero);
    let r = T::vblend(T::veq_mask(x, zero), T::vneg(inf), r);
    let r = T::vblend(T::veq_mask(x, inf), inf, r);
    // Negative and NaN lanes fail `0 ≤ x`.
    T::vblend(T::vle_mask(zero, x), r, ld::<T>(&c.nan))
}

/// `ln(1 + e)` per lane for `e ∈ [0, 1]` (the logistic loss's `log1p(e^−|z|)`): [`vlog1p`]
/// without what that range never needs (the exponent and mantissa bits, subnormal scaling,
/// special cases, and the division `c/u`), since `1 + e` splits exactly: `k = 0` and `f = e` up
/// to `√2 − 1`; above, `k = 1` and `f = e/2 − ½`, rounded, with its exact error `c` (Fast2Sum:
/// zero from `e = ½` on, below `ulp(f)/2` before). `c/(1 + f)` is taken as `c·(1 − f)`, off by
/// `c·f²/(1 + f) < 0.07` ulp of the result (`|f| < 0.3` where `c ≠ 0`).
///
/// Measured: 0.84 ulp in f32 (every input of `[0, 1]`) and f64 (a dense sweep), as `vlog1p`:
/// `VZ_FULL_SWEEP=1 cargo test --release --test unary -- --nocapture log1p_on`.
///
/// + e: NaN gives NaN; `0 → 0`, `1 → ln 2`; outside `[0, 1]` the result is not meaningful
#[inline(always)]
pub fn vlog1p_unit<T: UnaryMath>(e: T::V) -> T::V {
    let c: &LogConsts<T> = opaque(T::LOG);
    let (one, half) = (ld::<T>(&c.one), ld::<T>(&c.half));
    let big = T::vlt_mask(ld::<T>(&c.sqrt2_minus_one), e);
    let h = T::vmul(e, half); // exact
    let fb = T::vsub(h, half);
    let cr = T::vsub(h, T::vadd(fb, half)); // |−½| ≥ |h|: both steps exact
    let f = T::vblend(big, fb, e);
    let corr = T::vand(big, T::vmul(cr, T::vsub(one, fb)));
    log_reduced::<T>(c, f, T::vand(big, one), corr)
}

/// `ln(1 + x)` per lane, accurate for tiny `x`.
///
/// + x: `−1 → −inf`, `x < −1 → NaN`, `+inf → +inf`, `±0 → ±0`
#[inline(always)]
pub fn vlog1p<T: UnaryMath>(x: T::V) -> T::V {
    let cs: &LogConsts<T> = opaque(T::LOG);
    let (zero, one) = (T::splat(T::ZERO), ld::<T>(&cs.one));
    let inf = ld::<T>(&cs.inf);
    let u = T::vadd(one, x);
    // Fast2Sum: the exact error of u = fl(1 + x), ordering the operands by magnitude.
    let small = T::vle_mask(T::vabs(x), one);
    let c = T::vblend(small, T::vsub(x, T::vsub(u, one)), T::vsub(one, T::vsub(u, x)));
    let r = log_core::<T>(cs, u, T::vdiv(c, u));
    let r = T::vblend(T::veq_mask(x, zero), x, r);
    let r = T::vblend(T::veq_mask(x, T::vneg(one)), T::vneg(inf), r);
    let r = T::vblend(T::veq_mask(x, inf), inf, r);
    T::vblend(T::vle_mask(T::vneg(one), x), r, ld::<T>(&cs.nan))
}
