//! The wasm-bindgen surface, and the only one: a flat ABI of pointers, lengths and small
//! shape/stride arrays. One call per op; the TypeScript side owns every allocation.
//!
//! Pointers are byte addresses in this module's memory, passed as `usize` (a JS number).
//! Errors are `JsError`s whose message starts with `"<code>: "` so the TypeScript backend can
//! rethrow them as its own error classes.

use std::alloc::{alloc, dealloc, Layout};

use wasm_bindgen::prelude::*;

use crate::array::{Output, Strided};
use crate::error::KernelError;
use crate::kernels::{convert, elementwise, matmul, reduce, select, unary};

/// Alignment of every buffer: one v128, so SIMD loads of f32/f64 rows start aligned.
const ALIGN: usize = 16;

fn to_js(err: KernelError) -> JsError {
    JsError::new(&format!("{}: {}", err.kind.code(), err.message))
}

/// Allocates `bytes` bytes (16-byte aligned). Returns 0 when memory cannot grow any further,
/// which the caller reports as an out-of-memory error instead of trapping.
#[wasm_bindgen]
pub fn alloc_bytes(bytes: usize) -> usize {
    if bytes == 0 {
        return ALIGN; // a dangling, aligned address: zero-size buffers are never read or written
    }
    match Layout::from_size_align(bytes, ALIGN) {
        // Safety: the layout has a non-zero size.
        Ok(layout) => unsafe { alloc(layout) as usize },
        Err(_) => 0,
    }
}

/// Frees a buffer from [`alloc_bytes`] with the same `bytes`.
#[wasm_bindgen]
pub fn free_bytes(ptr: usize, bytes: usize) {
    if bytes == 0 || ptr == 0 {
        return;
    }
    // Safety: the caller passes back a pointer and size from `alloc_bytes`, freed once (the
    // TypeScript buffer registry guarantees both).
    unsafe { dealloc(ptr as *mut u8, Layout::from_size_align_unchecked(bytes, ALIGN)) }
}

/// The lane layer's name in a custom section, so the loader can tell which build a module it was
/// handed is before instantiating it (and pair it with that build's glue).
#[cfg(target_feature = "simd128")]
#[link_section = "vectorized_isa"]
#[used]
static ISA_SECTION: [u8; 7] = *b"wasm128";
#[cfg(not(target_feature = "simd128"))]
#[link_section = "vectorized_isa"]
#[used]
static ISA_SECTION: [u8; 6] = *b"scalar";

/// The lane layer this binary was built with: "wasm128" or "scalar".
#[wasm_bindgen]
pub fn simd_isa() -> String {
    crate::simd::ISA.to_string()
}

fn dims(shape: &[u32]) -> Vec<usize> {
    shape.iter().map(|&d| d as usize).collect()
}

fn steps(strides: &[i32]) -> Vec<isize> {
    strides.iter().map(|&s| s as isize).collect()
}

macro_rules! binary_export {
    ($name:ident, $t:ty) => {
        /// `out = op(a, b)` over broadcast layouts; see `kernels::elementwise::binary`.
        /// `a_len`/`b_len`/`out_len` are buffer lengths in elements; layouts are bounds-checked.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            shape: &[u32],
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_strides: &[i32],
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let code = elementwise::BinaryOpCode::from_u32(op)
                .ok_or_else(|| JsError::new(&format!("LayoutError: unknown binary op {op}")))?;
            let (shape, sa, sb) = (dims(shape), steps(a_strides), steps(b_strides));
            // Safety: the TypeScript backend passes live buffers with their element lengths;
            // an input shares the output's buffer only with the output's layout.
            let (a, b, out) = unsafe {
                (
                    Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, &sb, b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            elementwise::binary(code, &shape, a, b, out).map_err(to_js)
        }
    };
}

binary_export!(binary_f32, f32);
binary_export!(binary_f64, f64);

macro_rules! copy_export {
    ($name:ident, $src:ty, $dst:ty) => {
        /// `out = src` (a strided view over `shape`) in row-major order, converted to the output type.
        #[wasm_bindgen]
        pub fn $name(
            shape: &[u32],
            src_ptr: usize,
            src_len: usize,
            src_strides: &[i32],
            src_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let (shape, ss) = (dims(shape), steps(src_strides));
            // Safety: live buffers with their element lengths; out never overlaps src (TS allocates it).
            let (src, out) = unsafe {
                (Strided::from_raw(src_ptr as *const $src, src_len, &ss, src_offset), Output::from_raw(out_ptr as *mut $dst, out_len))
            };
            convert::copy(&shape, src, out).map_err(to_js)
        }
    };
}

copy_export!(copy_f32_f32, f32, f32);
copy_export!(copy_f32_f64, f32, f64);
copy_export!(copy_f64_f32, f64, f32);
copy_export!(copy_f64_f64, f64, f64);

macro_rules! where_export {
    ($name:ident, $t:ty) => {
        /// `out = cond != 0 ? a : b` over layouts broadcast to `shape`.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            shape: &[u32],
            c_ptr: usize,
            c_len: usize,
            c_strides: &[i32],
            c_offset: usize,
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_strides: &[i32],
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let (shape, sc, sa, sb) = (dims(shape), steps(c_strides), steps(a_strides), steps(b_strides));
            // Safety: live buffers with their element lengths; inputs share the output's buffer
            // only with its layout.
            let (c, a, b, out) = unsafe {
                (
                    Strided::from_raw(c_ptr as *const $t, c_len, &sc, c_offset),
                    Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, &sb, b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            select::where_select(&shape, c, a, b, out).map_err(to_js)
        }
    };
}

where_export!(where_f32, f32);
where_export!(where_f64, f64);

macro_rules! unary_export {
    ($name:ident, $t:ty) => {
        /// `out = op(a)` over a strided layout; `lo`/`hi` are clip's bounds.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            shape: &[u32],
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            out_ptr: usize,
            out_len: usize,
            lo: $t,
            hi: $t,
        ) -> Result<(), JsError> {
            let code = unary::UnaryOpCode::from_u32(op)
                .ok_or_else(|| JsError::new(&format!("LayoutError: unknown unary op {op}")))?;
            let (shape, sa) = (dims(shape), steps(a_strides));
            // Safety: live buffers with their element lengths; the input shares the output's
            // buffer only with the output's layout.
            let (a, out) = unsafe {
                (Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset), Output::from_raw(out_ptr as *mut $t, out_len))
            };
            unary::unary(code, &shape, a, out, lo, hi).map_err(to_js)
        }
    };
}

unary_export!(unary_f32, f32);
unary_export!(unary_f64, f64);

macro_rules! reduce_export {
    ($name:ident, $arg_name:ident, $t:ty) => {
        /// `out` = op over the axes where `reduced[d] != 0`; `out` is laid out over the kept axes.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            shape: &[u32],
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            reduced: &[u8],
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let code = reduce::ReduceOpCode::from_u32(op)
                .ok_or_else(|| JsError::new(&format!("LayoutError: unknown reduction {op}")))?;
            let (shape, sa, mask) = (dims(shape), steps(a_strides), flags(reduced));
            // Safety: live buffers with their element lengths; out never overlaps a (TS allocates it).
            let (a, out) = unsafe {
                (Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset), Output::from_raw(out_ptr as *mut $t, out_len))
            };
            reduce::reduce(code, &shape, a, &mask, out).map_err(to_js)
        }

        /// Index of the first max/min over the reduced axes (row-major within them); `out` holds f64.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $arg_name(
            op: u32,
            shape: &[u32],
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            reduced: &[u8],
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let code = reduce::ArgOpCode::from_u32(op)
                .ok_or_else(|| JsError::new(&format!("LayoutError: unknown arg reduction {op}")))?;
            let (shape, sa, mask) = (dims(shape), steps(a_strides), flags(reduced));
            // Safety: as above; out is a separate float64 buffer.
            let (a, out) = unsafe {
                (Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset), Output::from_raw(out_ptr as *mut f64, out_len))
            };
            reduce::arg_reduce(code, &shape, a, &mask, out).map_err(to_js)
        }
    };
}

reduce_export!(reduce_f32, arg_reduce_f32, f32);
reduce_export!(reduce_f64, arg_reduce_f64, f64);

fn flags(mask: &[u8]) -> Vec<bool> {
    mask.iter().map(|&m| m != 0).collect()
}

macro_rules! matmul_export {
    ($name:ident, $t:ty) => {
        /// `out[β] = a[β]·b[β]` over the broadcast `batch` shape; a is `batch ++ [m,k]`, b `batch ++ [k,n]`.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            batch: &[u32],
            m: usize,
            k: usize,
            n: usize,
            a_ptr: usize,
            a_len: usize,
            a_strides: &[i32],
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_strides: &[i32],
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> Result<(), JsError> {
            let (batch, sa, sb) = (dims(batch), steps(a_strides), steps(b_strides));
            // Safety: live buffers with their element lengths; out is a fresh buffer (TS allocates it).
            let (a, b, out) = unsafe {
                (
                    Strided::from_raw(a_ptr as *const $t, a_len, &sa, a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, &sb, b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            matmul::matmul(&batch, m, k, n, a, b, out).map_err(to_js)
        }
    };
}

matmul_export!(matmul_f32, f32);
matmul_export!(matmul_f64, f64);
