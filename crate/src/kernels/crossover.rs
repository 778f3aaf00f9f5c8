//! The sizes from which each kernel family splits its work among the pool's threads: below
//! them, waking the workers and waiting for them costs more than the second thread saves.
//!
//! Each is the smallest size from which two threads ran faster than one at every larger size
//! measured, in bytes of the operand a kernel streams, rounded up to where both dtypes agree:
//! `npx tsx bench/crossover.ts --quick` (the threaded SIMD128 build in Node 20; sizes 2¹⁰–2²²
//! elements, one and two threads interleaved, every kernel forced to split from its first
//! element). Measured on the 2-vCPU AMD EPYC VM while other engineers' builds ran (load average
//! 7–9), our process's scheduling group raised to nice −10 so a second core was there most of
//! the time: a pure-JS loop ran 1.45× faster on two worker_threads than on one (2× would be a
//! whole free core), and one parallel job cost ~26 µs. On a quiet machine the crossovers are
//! lower; these err on the side of one thread. The figures are in the closing note of issue 16.

use core::mem::size_of;

/// Matrix-vector products along A's rows (row-major or strided A): bytes of A. Measured
/// crossover 4 MiB (f32, ×1.11) and 8 MiB (f64, ×1.14); at 2 MiB f64 ran ×0.99.
const GEMV_BYTES: usize = 8 << 20;

/// Element-wise ops whose lanes are a few instructions (arithmetic, comparisons, neg, abs,
/// sqrt, clip, where, contiguous copies): bytes of the output. Measured: `add` 4 MiB (f32
/// ×1.06), 2 MiB (f64, ×1.01); a broadcast row 4 MiB (f32 ×1.14), 8 MiB (f64 ×1.15).
const CHEAP_BYTES: usize = 8 << 20;

/// Element-wise ops whose lanes are a polynomial (exp, log, log1p, sigmoid, tanh) or a libm
/// call (pow), and copies that gather a strided source: bytes of the output. Measured: exp and
/// sigmoid 256 KiB (f32, ×1.11 and ×1.06), 128 KiB (f64, ×1.12 and ×1.14); a transpose's copy
/// 256 KiB (f32, ×1.02) and 512 KiB (f64, ×1.15).
const COSTLY_BYTES: usize = 512 << 10;

/// Value reductions (sum, mean, prod, max, min) split by outputs or into whole cascade
/// subtrees: bytes of the input. Measured: a whole sum 16 MiB (f32 ×1.57; ×0.94 at 4 MiB) and
/// 8 MiB (f64 ×1.14); by rows (axis 1) 16 MiB (f32 ×1.21) and 8 MiB (f64 ×1.41).
const REDUCE_BYTES: usize = 16 << 20;

/// Index reductions (argmax, argmin): bytes of the input. Measured: 1 MiB (f32, ×1.01, ×1.10
/// at 4 MiB) and 2 MiB (f64, ×1.00, ×1.03 at 8 MiB).
const ARG_BYTES: usize = 4 << 20;

/// Fewest elements of A (m·k) for which a matrix-vector product is split.
pub fn gemv<T>() -> usize {
    GEMV_BYTES / size_of::<T>()
}

/// Fewest output elements for which an element-wise op is split: `costly` for the
/// transcendental ops, pow and gathers.
pub fn elementwise<T>(costly: bool) -> usize {
    (if costly { COSTLY_BYTES } else { CHEAP_BYTES }) / size_of::<T>()
}

/// Fewest input elements for which a value reduction is split.
pub fn reduce<T>() -> usize {
    REDUCE_BYTES / size_of::<T>()
}

/// Fewest input elements for which an index reduction is split.
pub fn arg_reduce<T>() -> usize {
    ARG_BYTES / size_of::<T>()
}
