//! One lane layer, two instruction sets: kernels are written once against [`Lanes`], and the
//! ISA is chosen at compile time (wasm has no runtime feature detection inside a module; the
//! TypeScript loader picks the SIMD or the baseline binary instead).
//!
//! - `wasm128`: `f32x4` / `f64x2` from `core::arch::wasm32`, when built with `+simd128`.
//! - `scalar`: plain arrays of the same lane counts, so native tests and the baseline wasm build
//!   exercise the same chunking and tail handling as the SIMD build.

use core::ops::{Add, Div, Mul, Sub};

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod scalar;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm128;

/// Name of the lane layer compiled in, for diagnostics.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub const ISA: &str = "wasm128";
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub const ISA: &str = "scalar";

/// A float element type with a SIMD vector of `LANES` elements.
pub trait Lanes:
    Copy
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + 'static
{
    /// The vector type: `v128` in wasm, `[Self; LANES]` in the scalar layer.
    type V: Copy;
    /// Elements per vector (4 for f32, 2 for f64: one 128-bit register).
    const LANES: usize;

    fn splat(x: Self) -> Self::V;
    /// Loads `LANES` elements from `p` (no alignment required).
    ///
    /// # Safety
    /// `p..p+LANES` must be readable.
    unsafe fn load(p: *const Self) -> Self::V;
    /// Stores `LANES` elements to `p` (no alignment required).
    ///
    /// # Safety
    /// `p..p+LANES` must be writable.
    unsafe fn store(p: *mut Self, v: Self::V);
    fn vadd(a: Self::V, b: Self::V) -> Self::V;
}
