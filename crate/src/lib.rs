//! Core of `vectorized`: kernels over strided n-d arrays of `f32`/`f64`, compiled to
//! WebAssembly (with and without SIMD128) and driven from the TypeScript package.
//!
//! The crate is plain Rust over slices plus `(shape, strides, offset)` layouts, so every kernel
//! is tested natively with `cargo test`; `bindings.rs` is the only wasm-bindgen surface.
//!
//! Every `unsafe` operation sits in an `unsafe` block with a `// Safety:` comment saying why it
//! holds, also inside `unsafe fn`s; the compiler enforces both (clippy runs in `npm test`).

#![deny(unsafe_op_in_unsafe_fn, clippy::undocumented_unsafe_blocks)]
// The threaded build's workers sleep in `memory.atomic.wait32`, whose intrinsic is unstable; that
// build is compiled with RUSTC_BOOTSTRAP=1 already (for -Zbuild-std), which allows it.
#![cfg_attr(
    all(target_arch = "wasm32", target_feature = "atomics"),
    feature(stdarch_wasm_atomic_wait)
)]

pub mod array;
pub mod error;
pub mod kernels;
pub mod parallel;
pub mod simd;

#[cfg(target_arch = "wasm32")]
mod bindings;
