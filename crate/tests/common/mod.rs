//! What every test file shares: the element trait the tests are generic over, a seeded random
//! stream, numpy's broadcasting rule (written here independently of the crate, to lay out
//! operands), and the switch that makes the tests run as `wasm_bindgen_test`s in wasm32.
//!
//! Each test file starts with `mod common;` and, for wasm32, `use common::test;`: natively
//! `#[test]` is the built-in harness; in wasm32 it is `wasm_bindgen_test` (run by
//! `wasm-bindgen-test-runner` under Node, see scripts/test-wasm.sh), so the same tests exercise
//! the SIMD128 and relaxed lane layers.

#![allow(dead_code)] // each test file uses part of this

use std::fmt::Debug;
use vectorized_core::kernels::gemm::Gemm;
use vectorized_core::kernels::logistic::LogisticFloat;

#[cfg(target_arch = "wasm32")]
pub use wasm_bindgen_test::wasm_bindgen_test as test;

/// The element types (f32, f64), with what the tests need to know about them.
pub trait Elem: Gemm + LogisticFloat + Debug + Into<f64> {
    const NAME: &'static str;
    /// Unit roundoff u: 2⁻²⁴ or 2⁻⁵³.
    const U: f64;
    /// Machine epsilon, 2u.
    const EPS: f64;
    /// Explicit mantissa bits and the smallest normal exponent.
    const MANT: i32;
    const MIN_EXP: i32;
    const BIG: Self;
    /// `x` rounded to the type.
    fn of(x: f64) -> Self;
    fn f(self) -> f64;
    fn bits(self) -> u64;
    fn from_bits64(b: u64) -> Self;
}

impl Elem for f32 {
    const NAME: &'static str = "f32";
    const U: f64 = 1.0 / (1u64 << 24) as f64;
    const EPS: f64 = f32::EPSILON as f64;
    const MANT: i32 = 23;
    const MIN_EXP: i32 = -126;
    const BIG: f32 = f32::MAX;
    fn of(x: f64) -> f32 {
        x as f32
    }
    fn f(self) -> f64 {
        self as f64
    }
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn from_bits64(b: u64) -> f32 {
        f32::from_bits(b as u32)
    }
}

impl Elem for f64 {
    const NAME: &'static str = "f64";
    const U: f64 = 1.0 / (1u64 << 53) as f64;
    const EPS: f64 = f64::EPSILON;
    const MANT: i32 = 52;
    const MIN_EXP: i32 = -1022;
    const BIG: f64 = f64::MAX;
    fn of(x: f64) -> f64 {
        x
    }
    fn f(self) -> f64 {
        self
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn from_bits64(b: u64) -> f64 {
        f64::from_bits(b)
    }
}

/// `FAST_TEST=1` (and every wasm32 run, where the tests run ~10× slower under Node) shortens
/// the longest sweeps.
pub fn fast() -> bool {
    cfg!(target_arch = "wasm32") || std::env::var_os("FAST_TEST").is_some_and(|v| v != "0")
}

/// splitmix64's output function of `x`: deterministic pseudo-random bits of a position.
pub fn hash(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// splitmix64: a seeded stream of pseudo-random values, the same on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        let bits = hash(self.0);
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        bits
    }
    /// Uniform in [−1, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
}

/// Number of elements of `shape`.
pub fn size(shape: &[usize]) -> usize {
    shape.iter().product()
}

/// numpy's broadcasting rule: align shapes on the right; two axes agree when equal or when one
/// is 1, and the result takes the larger (a 0 against a 1 gives 0). `None` if they disagree.
pub fn broadcast_shapes(lhs: &[usize], rhs: &[usize]) -> Option<Vec<usize>> {
    let ndim = lhs.len().max(rhs.len());
    let axis = |shape: &[usize], i: usize| {
        // Axis i of the result; missing leading axes act as 1.
        let lead = ndim - shape.len();
        if i < lead {
            1
        } else {
            shape[i - lead]
        }
    };
    (0..ndim)
        .map(|i| match (axis(lhs, i), axis(rhs, i)) {
            (a, b) if a == b => Some(a),
            (1, b) => Some(b),
            (a, 1) => Some(a),
            _ => None,
        })
        .collect()
}

/// Strides that read an array of `shape`/`strides` as if it had the (broadcast) shape `target`:
/// stretched and missing axes get stride 0.
pub fn broadcast_strides(shape: &[usize], strides: &[isize], target: &[usize]) -> Vec<isize> {
    let lead = target.len() - shape.len();
    (0..target.len())
        .map(|i| if i < lead || shape[i - lead] == 1 { 0 } else { strides[i - lead] })
        .collect()
}
