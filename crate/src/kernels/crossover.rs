//! The sizes from which each kernel family splits its work among the pool's threads: below
//! them, waking the workers and waiting for them costs more than the second thread saves.
//!
//! Each is the smallest size at which two threads measured faster than one (the threaded
//! SIMD128 build in Node; see the closing note of issue 16 for the runs and the command). Sizes
//! are in bytes of the input a kernel streams, so one figure serves f32 and f64 where the
//! measured crossovers agreed in bytes.

use core::mem::size_of;

/// Matrix-vector products: bytes of A (m·k elements).
const GEMV_BYTES: usize = 1 << 20;

/// Element-wise ops whose lanes are a few instructions (arithmetic, comparisons, neg, abs,
/// sqrt, clip, where, copies): bytes of the output.
const CHEAP_BYTES: usize = 1 << 20;

/// Element-wise ops whose lanes are a polynomial (exp, log, log1p, sigmoid, tanh) or a libm
/// call (pow): bytes of the output.
const COSTLY_BYTES: usize = 1 << 18;

/// Reductions (sum, prod, max, min, argmax, argmin): bytes of the input.
const REDUCE_BYTES: usize = 1 << 20;

/// Fewest multiply-adds (m·k) for which a matrix-vector product is split.
pub fn gemv<T>() -> usize {
    GEMV_BYTES / size_of::<T>()
}

/// Fewest elements for which an element-wise op is split: `costly` for the transcendental ops.
pub fn elementwise<T>(costly: bool) -> usize {
    (if costly { COSTLY_BYTES } else { CHEAP_BYTES }) / size_of::<T>()
}

/// Fewest input elements for which a reduction is split.
pub fn reduce<T>() -> usize {
    REDUCE_BYTES / size_of::<T>()
}
