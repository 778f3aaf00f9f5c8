//! Core of `vectorized`: kernels over strided n-d arrays of `f32`/`f64`, compiled to
//! WebAssembly (with and without SIMD128) and driven from the TypeScript package.
//!
//! The crate is plain Rust over slices plus `(shape, strides, offset)` layouts, so every kernel
//! is tested natively with `cargo test`; `bindings.rs` is the only wasm-bindgen surface.

pub mod array;
pub mod error;
pub mod kernels;
pub mod simd;

#[cfg(target_arch = "wasm32")]
mod bindings;
