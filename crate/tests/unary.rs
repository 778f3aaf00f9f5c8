//! Unary kernels: every op on every layout path (contiguous, strided, reversed, transposed,
//! broadcast, tails around the lane width, in place) against a naive loop; special values; and
//! the measured error of the transcendental ops against an exact reference.
//!
//! References: float32 results are compared with std's f64 functions (error ≲ 1e-16, far
//! below an f32 ulp); float64 results with double-double implementations in this file (error
//! ≲ 1e-30), themselves checked against std. `cargo test --test unary -- --nocapture ulp`
//! prints the measured maxima; `VZ_FULL_SWEEP=1 cargo test --release --test unary --
//! --nocapture ulp` makes the same tests run every f32 input and a 64× denser f64 sweep (the
//! numbers in `simd::math`'s docs; a few minutes).

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{Elem, Rng};

use vectorized_core::array::{Output, Strided};
use vectorized_core::kernels::unary::{unary, UnaryOpCode};
use vectorized_core::simd::math::vlog1p_unit;
use vectorized_core::simd::spill;

use UnaryOpCode::*;

const ALL: [UnaryOpCode; 12] =
    [Neg, Abs, Sign, Square, Sqrt, Exp, Log, Log1p, Sigmoid, Tanh, Relu, Clip];

/// Same bits, or both NaN.
fn same<T: Elem>(a: T, b: T) -> bool {
    a.bits() == b.bits() || (a.f().is_nan() && b.f().is_nan())
}

/// Runs the kernel over a contiguous 1-d array.
fn run<T: Elem>(code: UnaryOpCode, xs: &[T], lo: T, hi: T) -> Vec<T> {
    let mut out = vec![T::of(0.0); xs.len()];
    unary(code, &[xs.len()], Strided::new(xs, &[1], 0), Output::new(&mut out), lo, hi).unwrap();
    out
}

/// The kernel on one element alone (a 0-d array): always the padded-tail path.
fn run_one<T: Elem>(code: UnaryOpCode, x: T, lo: T, hi: T) -> T {
    let mut out = [T::of(f64::NAN)];
    unary(code, &[], Strided::new(&[x], &[], 0), Output::new(&mut out), lo, hi).unwrap();
    out[0]
}

/// The TypeScript reference's formulas for the exact ops, in f64 and rounded once.
fn exact_op<T: Elem>(code: UnaryOpCode, x: T, lo: T, hi: T) -> Option<T> {
    let (x, lo, hi) = (x.f(), lo.f(), hi.f());
    // IEEE 754-2019 maximum, as JS Math.max: NaN wins, and +0 beats −0.
    let max = |a: f64, b: f64| {
        if a.is_nan() || b.is_nan() {
            f64::NAN
        } else if a == b {
            if a.is_sign_negative() {
                b
            } else {
                a
            }
        } else {
            a.max(b)
        }
    };
    let min = |a: f64, b: f64| -max(-a, -b);
    let y = match code {
        Neg => -x,
        Abs => x.abs(),
        Sign => {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else if x == 0.0 {
                0.0
            } else {
                f64::NAN
            }
        }
        Square => x * x,
        Sqrt => x.sqrt(),
        Relu => max(x, 0.0),
        Clip => min(max(x, lo), hi),
        _ => return None,
    };
    Some(T::of(y))
}

/// std's f64 functions (sigmoid in the TypeScript reference's form).
fn std_op(code: UnaryOpCode, x: f64) -> f64 {
    match code {
        Exp => x.exp(),
        Log => x.ln(),
        Log1p => x.ln_1p(),
        Sigmoid => {
            if x >= 0.0 {
                1.0 / (1.0 + (-x).exp())
            } else {
                let e = x.exp();
                e / (1.0 + e)
            }
        }
        Tanh => x.tanh(),
        _ => unreachable!(),
    }
}

// ---------------------------------------------------------------------------------------------
// Layouts

/// Test data: special values interleaved with an irregular smooth spread.
fn sample(i: usize) -> f64 {
    const SPECIAL: [f64; 22] = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        0.5,
        -2.5,
        3.75,
        1e-30,
        -1e-30,
        20.0,
        -20.0,
        100.0,
        -100.0,
        1000.0,
        -1000.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        0.3,
        -0.7,
        1e-40,
        0.5625,
    ];
    if i.is_multiple_of(3) {
        SPECIAL[(i / 3) % SPECIAL.len()]
    } else {
        ((i as f64) * 0.7).sin() * (1 + i % 7) as f64 * 1.3
    }
}

/// The expected value of one element: the exact formula, or for the transcendental ops the
/// kernel on that element alone, after checking it is close to std.
fn expected<T: Elem>(code: UnaryOpCode, x: T, lo: T, hi: T) -> T {
    if let Some(y) = exact_op(code, x, lo, hi) {
        return y;
    }
    let y = run_one(code, x, lo, hi);
    let want = std_op(code, x.f());
    let tol = if T::MANT == 23 { 1e-6 } else { 1e-14 };
    let close =
        same(T::of(want), y) || ((y.f() - want).abs() <= tol * want.abs().max(T::MIN_POSITIVE.f()));
    assert!(close, "{code:?}({x:?}) = {y:?}, std gives {want:?} ({})", T::NAME);
    y
}

/// Runs `code` over `shape` read through `(strides, offset)` of `data`, into an output with NaN
/// sentinels on both sides, and checks every element against [`expected`].
fn check_layout<T: Elem>(
    code: UnaryOpCode,
    shape: &[usize],
    data: &[T],
    strides: &[isize],
    offset: usize,
    what: &str,
) {
    let (lo, hi) = (T::of(-1.0), T::of(2.5));
    let n: usize = shape.iter().product();
    let mut buf = vec![T::of(f64::NAN); n + 8];
    unary(
        code,
        shape,
        Strided::new(data, strides, offset),
        Output::new(&mut buf[4..4 + n]),
        lo,
        hi,
    )
    .unwrap();
    // The row-major multi-index of element k, and where the layout reads it.
    for k in 0..n {
        let (mut rest, mut pos) = (k, offset as isize);
        for d in (0..shape.len()).rev() {
            pos += (rest % shape[d]) as isize * strides[d];
            rest /= shape[d];
        }
        let want = expected(code, data[pos as usize], lo, hi);
        let got = buf[4 + k];
        assert!(
            same(got, want),
            "{code:?} {} {what} shape {shape:?} element {k}: got {got:?}, want {want:?}",
            T::NAME
        );
    }
    let outside = buf[..4].iter().chain(&buf[4 + n..]);
    assert!(
        outside.clone().all(|x| x.f().is_nan()),
        "{code:?} {} {what}: wrote outside the output",
        T::NAME
    );
}

fn layouts<T: Elem>() {
    for code in ALL {
        let data: Vec<T> = (0..1100).map(|i| T::of(sample(i))).collect();
        for n in (0..=12).chain([17, 257]) {
            let ni = n as isize;
            check_layout(code, &[n], &data, &[1], 0, "contiguous");
            check_layout(code, &[n], &data, &[1], 5, "contiguous, offset");
            check_layout(code, &[n], &data, &[2], 1, "stride 2");
            check_layout(code, &[n], &data, &[-1], n.saturating_sub(1) + 3, "reversed");
            // A (n, 3) buffer read as its transpose (3, n).
            check_layout(code, &[3, n], &data, &[1, 3], 0, "transposed");
            // Broadcast: a row repeated, and a column stretched along the rows (stride 0 inner).
            check_layout(code, &[3, n], &data, &[0, 1], 2, "broadcast rows");
            check_layout(code, &[n, 3], &data, &[1, 0], 0, "broadcast columns");
            check_layout(code, &[2, n, 2], &data, &[2 * ni, 2, 1], 0, "3-d contiguous");
        }
        check_layout(code, &[], &data, &[], 7, "0-d");
        check_layout(code, &[4, 0, 3], &data, &[0, 3, 1], 0, "zero-size");
    }
}

#[test]
fn layouts_f32() {
    layouts::<f32>();
}

#[test]
fn layouts_f64() {
    layouts::<f64>();
}

fn in_place<T: Elem>() {
    for code in ALL {
        let data: Vec<T> = (0..37).map(|i| T::of(sample(i))).collect();
        let want = run(code, &data, T::of(-1.0), T::of(2.5));
        let mut buf = data.clone();
        let ptr = buf.as_mut_ptr();
        // Safety: the output is the input's buffer with the same contiguous layout, which the
        // kernel contract allows; `buf` is not otherwise touched until the call returns.
        let (a, out) =
            unsafe { (Strided::from_raw(ptr as *const T, 37, &[1], 0), Output::from_raw(ptr, 37)) };
        unary(code, &[37], a, out, T::of(-1.0), T::of(2.5)).unwrap();
        assert!(buf.iter().zip(&want).all(|(&a, &b)| same(a, b)), "{code:?} {} in place", T::NAME);
    }
}

#[test]
fn in_place_f32_and_f64() {
    in_place::<f32>();
    in_place::<f64>();
}

#[test]
fn op_codes_and_layout_errors() {
    for c in 0..12 {
        assert_eq!(UnaryOpCode::from_u32(c).map(|op| op as u32), Some(c));
    }
    assert_eq!(UnaryOpCode::from_u32(12), None);
    let a = [1.0f32; 4];
    let mut out = [0f32; 5];
    let err =
        unary(Exp, &[5], Strided::new(&a, &[1], 0), Output::new(&mut out), 0.0, 0.0).unwrap_err();
    assert!(err.to_string().contains("buffer of 4"), "{err}");
    let mut short = [0f32; 3];
    assert!(unary(Exp, &[4], Strided::new(&a, &[1], 0), Output::new(&mut short), 0.0, 0.0).is_err());
}

// ---------------------------------------------------------------------------------------------
// Special values

fn specials<T: Elem>() {
    let (inf, nan) = (f64::INFINITY, f64::NAN);
    let max = if T::MANT == 23 { f32::MAX as f64 } else { f64::MAX };
    let tiny = T::from_bits64(1).f(); // the smallest subnormal
    #[rustfmt::skip]
    let table: Vec<(UnaryOpCode, f64, f64)> = vec![
        (Exp, 0.0, 1.0), (Exp, -0.0, 1.0), (Exp, 1000.0, inf), (Exp, -1000.0, 0.0),
        (Exp, inf, inf), (Exp, -inf, 0.0), (Exp, nan, nan),
        (Log, 0.0, -inf), (Log, -0.0, -inf), (Log, -1.0, nan), (Log, -tiny, nan), (Log, -inf, nan),
        (Log, inf, inf), (Log, nan, nan), (Log, 1.0, 0.0),
        (Log1p, -1.0, -inf), (Log1p, -1.5, nan), (Log1p, -inf, nan), (Log1p, inf, inf),
        (Log1p, nan, nan), (Log1p, 0.0, 0.0), (Log1p, -0.0, -0.0), (Log1p, tiny, tiny), (Log1p, -tiny, -tiny),
        (Log1p, 1e-30, 1e-30),
        (Sigmoid, 1000.0, 1.0), (Sigmoid, -1000.0, 0.0), (Sigmoid, inf, 1.0), (Sigmoid, -inf, 0.0),
        (Sigmoid, 0.0, 0.5), (Sigmoid, -0.0, 0.5), (Sigmoid, nan, nan), (Sigmoid, max, 1.0), (Sigmoid, -max, 0.0),
        (Tanh, 1000.0, 1.0), (Tanh, -1000.0, -1.0), (Tanh, inf, 1.0), (Tanh, -inf, -1.0), (Tanh, 30.0, 1.0),
        (Tanh, 0.0, 0.0), (Tanh, -0.0, -0.0), (Tanh, nan, nan), (Tanh, tiny, tiny), (Tanh, -1e-30, -1e-30),
        (Sqrt, -1.0, nan), (Sqrt, -0.0, -0.0), (Sqrt, inf, inf), (Sqrt, 4.0, 2.0),
        (Sign, -0.0, 0.0), (Sign, 0.0, 0.0), (Sign, nan, nan), (Sign, -inf, -1.0), (Sign, tiny, 1.0),
        (Sign, -3.0, -1.0),
        (Relu, nan, nan), (Relu, -0.0, 0.0), (Relu, -inf, 0.0), (Relu, 3.0, 3.0),
        (Abs, -0.0, 0.0), (Abs, -inf, inf), (Neg, 0.0, -0.0), (Neg, nan, nan), (Square, max, inf),
        (Clip, nan, nan), (Clip, -5.0, -1.0), (Clip, 5.0, 2.5), (Clip, 0.5, 0.5), (Clip, -inf, -1.0),
    ];
    // Each value alone (the tail path) and all of them in one array (the SIMD path, in wasm).
    let xs: Vec<T> = table.iter().map(|&(_, x, _)| T::of(x)).collect();
    for code in ALL {
        let ys = run(code, &xs, T::of(-1.0), T::of(2.5));
        for (k, &(c, x, want)) in table.iter().enumerate() {
            if c != code {
                continue;
            }
            let (x, want) = (T::of(x), T::of(want));
            let one = run_one(code, x, T::of(-1.0), T::of(2.5));
            assert!(same(one, want), "{code:?}({x:?}) = {one:?}, want {want:?} ({})", T::NAME);
            assert!(
                same(ys[k], want),
                "{code:?}({x:?}) = {:?} in an array, want {want:?} ({})",
                ys[k],
                T::NAME
            );
        }
    }
    // clip with NaN bounds propagates, and lo > hi gives hi (numpy's min(max(x, lo), hi)).
    assert!(run_one(Clip, T::of(1.0), T::of(nan), T::of(2.0)).f().is_nan());
    assert!(run_one(Clip, T::of(1.0), T::of(0.0), T::of(nan)).f().is_nan());
    assert!(same(run_one(Clip, T::of(0.0), T::of(2.0), T::of(1.0)), T::of(1.0)));
    // exp near its thresholds: overflow, the smallest subnormal and the underflow to 0.
    let (over, under_min, under_zero) =
        if T::MANT == 23 { (88.8, -103.9, -104.0) } else { (709.79, -745.0, -745.2) };
    assert_eq!(run_one(Exp, T::of(over), T::ZERO, T::ZERO).f(), inf);
    assert_eq!(
        run_one(Exp, T::of(under_min), T::ZERO, T::ZERO).bits(),
        1,
        "{} exp({under_min})",
        T::NAME
    );
    assert_eq!(
        run_one(Exp, T::of(under_zero), T::ZERO, T::ZERO).bits(),
        0,
        "{} exp({under_zero})",
        T::NAME
    );
    let largest = if T::MANT == 23 { 88.72283 } else { 709.782712893384 };
    assert!(run_one(Exp, T::of(largest), T::ZERO, T::ZERO).f() < inf);
}

#[test]
fn special_values_f32() {
    specials::<f32>();
}

#[test]
fn special_values_f64() {
    specials::<f64>();
}

/// NaN in, NaN out, whatever the payload and sign: the kernels' integer steps (exponent
/// arithmetic on the result) must never turn a NaN into a number.
fn nan_payloads<T: Elem>() {
    let f32_ = T::MANT == 23;
    let exp_ones: u64 = if f32_ { 0x7F80_0000 } else { 0x7FF0_0000_0000_0000 };
    let quiet: u64 = if f32_ { 0x0040_0000 } else { 0x0008_0000_0000_0000 };
    let sign: u64 = if f32_ { 0x8000_0000 } else { 0x8000_0000_0000_0000 };
    let mut xs = Vec::new();
    for p in [0, 1, 0x1FF, 0x155, quiet - 1, (quiet >> 1) ^ 0x2A5] {
        for s in [0, sign] {
            xs.push(T::from_bits64(exp_ones | quiet | p | s));
            if p != 0 {
                xs.push(T::from_bits64(exp_ones | p | s)); // signalling
            }
        }
    }
    assert!(xs.iter().all(|x| x.f().is_nan()));
    for code in TRANSCENDENTAL {
        let ys = run(code, &xs, T::ZERO, T::ZERO);
        for (x, y) in xs.iter().zip(&ys) {
            assert!(y.f().is_nan(), "{code:?}({:#x}) = {y:?}, want NaN ({})", x.bits(), T::NAME);
            assert!(
                run_one(code, *x, T::ZERO, T::ZERO).f().is_nan(),
                "{code:?}({:#x}) alone ({})",
                x.bits(),
                T::NAME
            );
        }
    }
}

#[test]
fn nan_payloads_f32_and_f64() {
    nan_payloads::<f32>();
    nan_payloads::<f64>();
}

// ---------------------------------------------------------------------------------------------
// Double-double reference (f64 results)

/// `hi + lo` with `|lo| ≤ ulp(hi)/2`: about 106 bits.
#[derive(Clone, Copy, Debug)]
struct Dd {
    hi: f64,
    lo: f64,
}

fn dd(x: f64) -> Dd {
    Dd { hi: x, lo: 0.0 }
}

fn fast_two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    Dd { hi: s, lo: b - (s - a) }
}

fn two_sum(a: f64, b: f64) -> Dd {
    let s = a + b;
    let bb = s - a;
    Dd { hi: s, lo: (a - (s - bb)) + (b - bb) }
}

fn two_prod(a: f64, b: f64) -> Dd {
    let p = a * b;
    Dd { hi: p, lo: a.mul_add(b, -p) }
}

impl std::ops::Add for Dd {
    type Output = Dd;
    fn add(self, y: Dd) -> Dd {
        let s = two_sum(self.hi, y.hi);
        let t = two_sum(self.lo, y.lo);
        let s = fast_two_sum(s.hi, s.lo + t.hi);
        fast_two_sum(s.hi, s.lo + t.lo)
    }
}

impl std::ops::Neg for Dd {
    type Output = Dd;
    fn neg(self) -> Dd {
        Dd { hi: -self.hi, lo: -self.lo }
    }
}

impl std::ops::Sub for Dd {
    type Output = Dd;
    fn sub(self, y: Dd) -> Dd {
        self + -y
    }
}

impl std::ops::Mul for Dd {
    type Output = Dd;
    fn mul(self, y: Dd) -> Dd {
        let p = two_prod(self.hi, y.hi);
        fast_two_sum(p.hi, p.lo + (self.hi * y.lo + self.lo * y.hi))
    }
}

impl std::ops::Div for Dd {
    type Output = Dd;
    fn div(self, y: Dd) -> Dd {
        let q1 = self.hi / y.hi;
        let r = self - y * dd(q1);
        let q2 = r.hi / y.hi;
        let r = r - y * dd(q2);
        let q3 = r.hi / y.hi;
        fast_two_sum(q1, q2) + dd(q3)
    }
}

impl Dd {
    /// `self · 2^k`, exact while nothing under- or overflows.
    fn ldexp(self, k: i32) -> Dd {
        Dd { hi: ldexp(self.hi, k), lo: ldexp(self.lo, k) }
    }
}

fn ldexp(x: f64, k: i32) -> f64 {
    // In steps that stay normal, so only the final one can round.
    let mut x = x;
    let mut k = k;
    while k > 1000 {
        x *= 2f64.powi(1000);
        k -= 1000;
    }
    while k < -1000 {
        x *= 2f64.powi(-1000);
        k += 1000;
    }
    x * 2f64.powi(k)
}

/// `ln 2` in three parts.
const LN2: [f64; 3] = [std::f64::consts::LN_2, 2.3190468138462996e-17, 5.707708438416212e-34];

/// `eʸ − 1` for `|y| ≤ 1` by Taylor on `y/2¹⁰` and ten doublings `E(2t) = E(t)·(E(t) + 2)`.
fn expm1_small(y: Dd) -> Dd {
    let k = if y.hi.abs() < 1e-30 { 0 } else { 10 };
    let t = y.ldexp(-k);
    let (mut term, mut sum) = (t, t);
    for j in 2..=14 {
        term = term * t / dd(j as f64);
        sum = sum + term;
    }
    for _ in 0..k {
        sum = sum * (sum + dd(2.0));
    }
    sum
}

/// `eˣ = m·2ⁿ` with `m` near 1.
fn exp_dd(x: f64) -> (Dd, i32) {
    if x.abs() > 1100.0 {
        return (dd(if x > 0.0 { f64::INFINITY } else { 0.0 }), 0);
    }
    let n = (x / LN2[0]).round();
    let r = dd(x) - two_prod(n, LN2[0]) - two_prod(n, LN2[1]) - dd(n * LN2[2]);
    (dd(1.0) + expm1_small(r), n as i32)
}

fn expm1_dd(y: f64) -> Dd {
    if y.abs() <= 1.0 {
        expm1_small(dd(y))
    } else {
        let (m, n) = exp_dd(y);
        m.ldexp(n) - dd(1.0)
    }
}

/// `ln x` for finite `x > 0`: one Newton step on std's value, `y + ln(x·e⁻ʸ)`.
fn log_dd(x: f64) -> Dd {
    if x == 0.0 {
        return dd(f64::NEG_INFINITY);
    }
    let y = x.ln();
    let (m, n) = exp_dd(y);
    let d = (dd(ldexp(x, -n)) - m) / m;
    dd(y) + d - d * d * dd(0.5)
}

fn log1p_dd(x: f64) -> Dd {
    if x <= -0.5 {
        return log_dd(1.0 + x); // exact sum
    }
    if x > 1e10 {
        let inv = dd(1.0) / dd(x);
        return log_dd(x) + inv - inv * inv * dd(0.5);
    }
    let y = x.ln_1p();
    let e = expm1_dd(y);
    let d = (dd(x) - e) / (dd(1.0) + e);
    dd(y) + d - d * d * dd(0.5)
}

/// An exact value `m·2ᵉ`, kept apart so subnormal results keep their precision.
#[derive(Clone, Copy, Debug)]
struct Exact {
    m: Dd,
    e: i32,
}

fn exact(m: Dd) -> Exact {
    Exact { m, e: 0 }
}

fn exact_dd(code: UnaryOpCode, x: f64) -> Exact {
    match code {
        Exp => {
            let (m, n) = exp_dd(x);
            Exact { m, e: n }
        }
        Log => exact(log_dd(x)),
        Log1p => exact(log1p_dd(x)),
        Sigmoid => {
            let (m, n) = exp_dd(-x.abs());
            let one_plus = dd(1.0) + m.ldexp(n);
            if x >= 0.0 {
                exact(dd(1.0) / one_plus)
            } else {
                Exact { m: m / one_plus, e: n }
            }
        }
        Tanh => {
            let ax = x.abs();
            let t = if ax < 0.5 {
                let s = expm1_dd(2.0 * ax);
                s / (s + dd(2.0))
            } else {
                let (m, n) = exp_dd(-2.0 * ax);
                let e = m.ldexp(n);
                (dd(1.0) - e) / (dd(1.0) + e)
            };
            exact(if x < 0.0 { -t } else { t })
        }
        _ => unreachable!(),
    }
}

/// `|got − exact|` in ulps of the exact value in `T` (the ulp of its binade, or the subnormal
/// ulp); 0 when both are the same infinity, +inf when only one overflows.
fn ulp_error<T: Elem>(got: T, want: Exact) -> f64 {
    let got = got.f();
    let rounded = T::of(ldexp(want.m.hi, want.e)).f();
    if got.is_infinite() || rounded.is_infinite() {
        return if got == rounded { 0.0 } else { f64::INFINITY };
    }
    if want.m.hi == 0.0 {
        return if got == 0.0 { 0.0 } else { f64::INFINITY };
    }
    // The binade of the exact value (one lower when m.hi is a power of 2 and m.lo < 0).
    let mut binade = want.m.hi.abs().log2().floor() as i32;
    if want.m.hi.abs() == 2f64.powi(binade) && want.m.lo * want.m.hi < 0.0 {
        binade -= 1;
    }
    let ulp_exp = (binade + want.e).max(T::MIN_EXP) - T::MANT;
    let diff = dd(ldexp(got, -want.e)) - want.m;
    ldexp(diff.hi.abs(), -(ulp_exp - want.e))
}

// ---------------------------------------------------------------------------------------------
// Error sweeps

/// `count` evenly spaced points of `[lo, hi]`.
fn grid(lo: f64, hi: f64, count: usize) -> impl Iterator<Item = f64> {
    (0..count).map(move |i| lo + (hi - lo) * i as f64 / (count - 1) as f64)
}

/// Every bit pattern between those of `lo` and `hi` (same sign), in `count` even steps: a
/// log-uniform sweep across binades.
fn bit_sweep<T: Elem>(lo: f64, hi: f64, count: usize) -> Vec<T> {
    let (a, b) = (T::of(lo).bits() as i128, T::of(hi).bits() as i128);
    (0..count)
        .map(|i| T::from_bits64((a + (b - a) * i as i128 / (count - 1) as i128) as u64))
        .collect()
}

/// Inputs for one op: dense over the interesting ranges, log-uniform across binades, and
/// random bit patterns over the whole format.
fn inputs<T: Elem>(code: UnaryOpCode, dense: usize) -> Vec<T> {
    let f32_ = T::MANT == 23;
    let mut xs: Vec<T> = Vec::new();
    let add = |v: &mut Vec<T>, it: &mut dyn Iterator<Item = f64>| v.extend(it.map(T::of));
    let (exp_lo, exp_hi) = if f32_ { (-104.0, 89.0) } else { (-746.0, 710.0) };
    match code {
        Exp => {
            add(&mut xs, &mut grid(exp_lo, exp_hi, dense));
            add(&mut xs, &mut grid(-1.0, 1.0, dense / 4));
            xs.extend(bit_sweep::<T>(1e-30, -exp_lo, dense / 4));
            xs.extend(bit_sweep::<T>(-1e-30, exp_lo, dense / 4));
        }
        Log => {
            xs.extend(bit_sweep::<T>(T::from_bits64(1).f(), T::BIG.f(), dense));
            add(&mut xs, &mut grid(0.5, 2.0, dense / 2));
            add(&mut xs, &mut grid(0.99, 1.01, dense / 4));
        }
        Log1p => {
            add(&mut xs, &mut grid(-1.0, 2.0, dense));
            add(&mut xs, &mut grid(-0.5, 0.5, dense / 2));
            xs.extend(bit_sweep::<T>(1e-30, T::BIG.f(), dense / 2));
            xs.extend(bit_sweep::<T>(-1e-30, -1.0, dense / 2));
        }
        Sigmoid => {
            add(&mut xs, &mut grid(exp_lo - 2.0, 40.0, dense));
            add(&mut xs, &mut grid(-8.0, 8.0, dense / 2));
            xs.extend(bit_sweep::<T>(1e-30, 50.0, dense / 4));
            xs.extend(bit_sweep::<T>(-1e-30, exp_lo - 2.0, dense / 4));
        }
        Tanh => {
            add(&mut xs, &mut grid(-10.0, 10.0, dense));
            add(&mut xs, &mut grid(0.5, 0.625, dense / 4));
            xs.extend(bit_sweep::<T>(1e-30, 25.0, dense / 2));
            xs.extend(bit_sweep::<T>(-1e-30, -25.0, dense / 4));
        }
        _ => unreachable!(),
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ code as u64);
    for _ in 0..dense / 2 {
        xs.push(T::from_bits64(rng.next_u64()));
        xs.push(T::of(rng.range(-20.0, 20.0)));
    }
    xs
}

/// Largest error of `code` over its sweep, and where; checks the results have the IEEE
/// meaning past the finite range too (no NaN from a number, infinities where they belong).
fn max_error<T: Elem>(
    code: UnaryOpCode,
    dense: usize,
    reference: impl Fn(f64) -> Exact,
) -> (f64, f64, usize) {
    let xs: Vec<T> = inputs::<T>(code, dense).into_iter().filter(|x| x.f().is_finite()).collect();
    let ys = run(code, &xs, T::ZERO, T::ZERO);
    let (mut worst, mut at, mut counted) = (0.0f64, f64::NAN, 0);
    for (&x, &y) in xs.iter().zip(&ys) {
        let domain_error = match code {
            Log => x.f() < 0.0,
            Log1p => x.f() < -1.0,
            _ => false,
        };
        if domain_error {
            assert!(y.f().is_nan(), "{code:?}({x:?}) = {y:?}, want NaN");
            continue;
        }
        let err = ulp_error(y, reference(x.f()));
        counted += 1;
        if err > worst || err.is_nan() {
            worst = if err.is_nan() { f64::INFINITY } else { err };
            at = x.f();
        }
    }
    (worst, at, counted)
}

const TRANSCENDENTAL: [UnaryOpCode; 5] = [Exp, Log, Log1p, Sigmoid, Tanh];

/// The transcendental ops the error sweeps run: all, or those `VZ_ULP_OPS` names (`Tanh`,
/// `Exp,Log`, …), to re-measure one op without the others' minutes.
fn swept() -> Vec<UnaryOpCode> {
    let only = std::env::var("VZ_ULP_OPS").unwrap_or_default();
    TRANSCENDENTAL
        .into_iter()
        .filter(|c| only.is_empty() || only.split(',').any(|o| o == format!("{c:?}")))
        .collect()
}

/// `VZ_FULL_SWEEP=1` (or any value but `0`) enlarges the error sweeps below: every f32 input,
/// and a 64× denser f64 sweep. Minutes in release; the default sweeps take seconds.
fn full_sweep() -> bool {
    std::env::var_os("VZ_FULL_SWEEP").is_some_and(|v| v != "0")
}

/// `|y − want|` in f32 ulps of `want` (0 for equal infinities and for NaN against NaN).
fn err32(y: f32, want: f64) -> f64 {
    let rounded = want as f32;
    if y.is_nan() || want.is_nan() {
        return if y.is_nan() && want.is_nan() { 0.0 } else { f64::INFINITY };
    }
    if y.is_infinite() || rounded.is_infinite() {
        return if y == rounded { 0.0 } else { f64::INFINITY };
    }
    let binade = ((want.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    let ulp = 2f64.powi(binade.max(-126) - 23);
    (y as f64 - want).abs() / ulp
}

/// Every `step`-th f32 bit pattern (every one for `step` 1, NaNs and infinities included)
/// through the kernel, against std's f64 functions: the largest error, where, and how many.
fn f32_bit_sweep(code: UnaryOpCode, step: u64) -> (f64, u32, u64) {
    const CHUNK: u64 = 1 << 16;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let total = (1u64 << 32).div_ceil(step);
    let per = total.div_ceil(threads);
    let sweep = move |t: u64| {
        let (mut worst, mut at) = (0.0f64, 0u32);
        let mut xs = Vec::with_capacity(CHUNK as usize);
        let (mut i, end) = (t * per, ((t + 1) * per).min(total));
        while i < end {
            xs.clear();
            xs.extend((i..end.min(i + CHUNK)).map(|j| f32::from_bits((j * step) as u32)));
            let ys = run(code, &xs, 0.0, 0.0);
            for (&x, &y) in xs.iter().zip(&ys) {
                let e = err32(y, std_op(code, x as f64));
                if e > worst {
                    (worst, at) = (e, x.to_bits());
                }
            }
            i += xs.len() as u64;
        }
        (worst, at)
    };
    let results: Vec<(f64, u32)> = if cfg!(target_arch = "wasm32") {
        // wasm32-unknown-unknown has no threads: the same chunks, one after another.
        (0..threads).map(sweep).collect()
    } else {
        let handles: Vec<_> = (0..threads).map(|t| std::thread::spawn(move || sweep(t))).collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    };
    let (worst, at) = results.into_iter().fold((0.0, 0), |a, b| if b.0 > a.0 { b } else { a });
    (worst, at, total)
}

#[test]
fn ulp_error_f32() {
    // Every bit pattern with VZ_FULL_SWEEP; by default one in 4099 (about a million), plus the
    // targeted inputs, which are dense where the kernels change regime.
    let step = if full_sweep() { 1 } else { 4099 };
    for code in swept() {
        let (worst, at, n) = max_error::<f32>(code, 1 << 19, |x| exact(dd(std_op(code, x))));
        println!("f32 {code:?}: max error {worst:.3} ulp at x = {at:e} ({n} targeted inputs)");
        assert!(worst <= 2.0, "f32 {code:?}: {worst} ulp at {at:e}");
        let (worst, at, n) = f32_bit_sweep(code, step);
        let at = f32::from_bits(at);
        println!("f32 {code:?}: max error {worst:.3} ulp at x = {at:e} ({n} bit patterns, one in {step})");
        assert!(worst <= 2.0, "f32 {code:?}: {worst} ulp at {at:e}");
    }
}

#[test]
fn ulp_error_f64() {
    // About 13 million inputs per op with VZ_FULL_SWEEP, 200 thousand by default.
    let dense = if full_sweep() { 1 << 22 } else { 1 << 16 };
    for code in swept() {
        let (worst, at, n) = max_error::<f64>(code, dense, |x| exact_dd(code, x));
        println!("f64 {code:?}: max error {worst:.3} ulp at x = {at:e} ({n} inputs)");
        assert!(worst <= 4.0, "f64 {code:?}: {worst} ulp at {at:e}");
    }
}

/// `vlog1p_unit` (the logistic loss's `log1p(e)`, `e ∈ [0, 1]`) on one element.
fn log1p_unit<T: Elem>(e: T) -> T {
    spill::<T>(vlog1p_unit::<T>(T::splat(e)))[0]
}

/// The largest error of `vlog1p_unit` over `es` against `reference`, and where.
fn log1p_unit_error<T: Elem>(
    es: impl Iterator<Item = T>,
    error: impl Fn(T, f64) -> f64,
) -> (f64, f64) {
    let (mut worst, mut at) = (0.0f64, f64::NAN);
    for e in es {
        let err = error(log1p_unit(e), e.f());
        if err > worst || err.is_nan() {
            (worst, at) = (if err.is_nan() { f64::INFINITY } else { err }, e.f());
        }
    }
    (worst, at)
}

#[test]
fn log1p_on_the_unit_interval() {
    // f32: every input of [0, 1] with VZ_FULL_SWEEP (against std's f64 ln_1p), else one bit
    // pattern in 1031, plus every one around the split at √2 − 1 and at ½ (where the Fast2Sum
    // error term stops being zero).
    let step = if full_sweep() { 1 } else { 1031 };
    let near = |x: f32| (x.to_bits() - 4096..x.to_bits() + 4096).map(f32::from_bits);
    let f32s = (0..=1f32.to_bits())
        .step_by(step)
        .map(f32::from_bits)
        .chain(near(0.41421357))
        .chain(near(0.5))
        .chain([1.0]);
    let (worst, at) = log1p_unit_error::<f32>(f32s, |y, e| err32(y, e.ln_1p()));
    println!("f32 log1p on [0, 1]: max error {worst:.3} ulp at e = {at:e}");
    assert!(worst <= 0.9, "f32 log1p on [0, 1]: {worst} ulp at {at:e}");
    // f64: against the double-double reference, 64× denser with VZ_FULL_SWEEP.
    let dense = if full_sweep() { 1 << 22 } else { 1 << 16 };
    let f64s = grid(0.0, 1.0, dense).chain(grid(0.41, 0.51, dense / 4)).chain(bit_sweep::<f64>(
        1e-300,
        1.0,
        dense / 4,
    ));
    let (worst, at) = log1p_unit_error::<f64>(f64s, |y, e| ulp_error(y, exact(log1p_dd(e))));
    println!("f64 log1p on [0, 1]: max error {worst:.3} ulp at e = {at:e}");
    assert!(worst <= 0.9, "f64 log1p on [0, 1]: {worst} ulp at {at:e}");
    assert_eq!(log1p_unit(0f32).to_bits(), 0);
    assert!(log1p_unit(f32::NAN).is_nan() && log1p_unit(f64::NAN).is_nan());
}

/// The double-double reference agrees with std (within std's own error), so the f64 bounds
/// above measure the kernels, not a broken reference.
#[test]
fn double_double_reference_agrees_with_std() {
    for code in TRANSCENDENTAL {
        let mut worst = 0.0f64;
        for x in inputs::<f64>(code, 1 << 12) {
            let want = std_op(code, x);
            if !x.is_finite() || want.is_nan() {
                continue;
            }
            worst = worst.max(ulp_error(want, exact_dd(code, x)));
        }
        println!("std f64 {code:?} against the double-double reference: max {worst:.3} ulp");
        assert!(worst <= 3.0, "{code:?}: std is {worst} ulp from the double-double reference");
    }
}
