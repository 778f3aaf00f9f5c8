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
use crate::kernels::{
    arg_reduce, convert, elementwise, finite, labels, logistic, matmul, multinomial, network,
    reduce, select, unary,
};

/// Alignment of every buffer: one v128, so SIMD loads of f32/f64 rows start aligned.
const ALIGN: usize = 16;

fn to_js(err: KernelError) -> JsError {
    JsError::new(&format!("{}: {}", err.kind.code(), err.message))
}

// The per-op exports (element-wise, reductions, copies, matmul, the data checks) return a
// status, not `Result<(), JsError>`: wasm-bindgen returns a Result as two values, which JS
// receives as an array allocated on every call (and V8 calls such an export through its
// generic wrapper). On failure the message waits here for `take_error`.
std::thread_local! {
    static LAST_ERROR: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Status of a per-op export that failed: its `"<code>: <message>"` is kept for [`take_error`].
const FAILED: i32 = -2;

/// 0 for Ok; [`FAILED`] for an error, which is kept for [`take_error`].
fn status(result: Result<(), KernelError>) -> i32 {
    result.map_or_else(fail, |()| 0)
}

/// Keeps `err` for [`take_error`] and returns [`FAILED`].
fn fail(err: KernelError) -> i32 {
    LAST_ERROR.with(|e| *e.borrow_mut() = format!("{}: {}", err.kind.code(), err.message));
    FAILED
}

/// The `"<code>: <message>"` of the last per-op export that returned a failure status
/// (−2), which the TypeScript backend rethrows as its typed error; "" if none.
#[wasm_bindgen]
pub fn take_error() -> String {
    LAST_ERROR.with(|e| std::mem::take(&mut *e.borrow_mut()))
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
#[cfg(all(target_feature = "simd128", target_feature = "relaxed-simd"))]
#[link_section = "vectorized_isa"]
#[used]
static ISA_SECTION: [u8; 7] = *b"relaxed";
#[cfg(all(target_feature = "simd128", not(target_feature = "relaxed-simd")))]
#[link_section = "vectorized_isa"]
#[used]
static ISA_SECTION: [u8; 7] = *b"wasm128";
#[cfg(not(target_feature = "simd128"))]
#[link_section = "vectorized_isa"]
#[used]
static ISA_SECTION: [u8; 6] = *b"scalar";

/// Present only in the threaded build (shared memory, atomics), so the loader can tell it from
/// the single-thread build of the same lane layer.
#[cfg(target_feature = "atomics")]
#[link_section = "vectorized_threads"]
#[used]
static THREADS_SECTION: [u8; 7] = *b"atomics";

/// Threads that run a parallel kernel's parts: the pool's workers plus the caller (1 in every
/// build but the threaded one, and after a worker has failed).
#[wasm_bindgen]
pub fn pool_threads() -> u32 {
    crate::parallel::threads() as u32
}

/// Lets at most `n` threads (the caller and n − 1 workers) run parallel kernels from now on.
#[wasm_bindgen]
pub fn pool_set_threads(n: u32) {
    crate::parallel::set_threads(n as usize)
}

/// Jobs that have run on more than one thread so far (tests check that a kernel split).
#[wasm_bindgen]
pub fn pool_jobs() -> u32 {
    crate::parallel::jobs()
}

/// Splits every parallel kernel from `units` units of its work on (0: from its measured
/// crossover); for the crossover measurement (`bench/crossover.ts`).
#[wasm_bindgen]
pub fn pool_split_from(units: usize) {
    crate::parallel::split_from(units)
}

/// A worker thread's entry in the threaded build: joins the pool, then runs each job's parts.
/// Never returns; if it traps, the worker's JS calls [`pool_worker_failed`].
#[cfg(target_feature = "atomics")]
#[wasm_bindgen]
pub fn pool_worker() {
    crate::parallel::worker_loop()
}

/// A worker's `pool_worker` trapped: the job it was in fails, and the pool stops using workers.
#[cfg(target_feature = "atomics")]
#[wasm_bindgen]
pub fn pool_worker_failed() {
    crate::parallel::worker_failed()
}

/// Workers that have joined the pool (the loader waits for all it started).
#[cfg(target_feature = "atomics")]
#[wasm_bindgen]
pub fn pool_workers() -> u32 {
    crate::parallel::workers()
}

/// The lane layer this binary was built with: "relaxed", "wasm128" or "scalar".
#[wasm_bindgen]
pub fn simd_isa() -> String {
    crate::simd::ISA.to_string()
}

// The layout descriptor. An op's shape and its operands' strides do not travel as arrays (which
// wasm-bindgen would copy into fresh allocations on every call): TypeScript writes them as 32-bit
// words into a buffer it allocated once (`alloc_bytes`, grown when an op has more axes) and
// passes its address. Slot 0 holds the shape, slot k the strides of operand k, each slot `ndim`
// words. wasm32's usize and isize are 32-bit, so the words are read in place as `&[usize]` and
// `&[isize]`, with no conversion and no allocation.
const _: () = assert!(std::mem::size_of::<usize>() == 4 && std::mem::size_of::<isize>() == 4);

/// Slot `k` of the descriptor at `desc` (`ndim` words each), read as `T` (usize or isize).
///
/// # Safety
/// `desc` must hold at least `(k + 1)·ndim` words written by the caller and left unchanged for
/// `'a`; `T` must be a 32-bit integer type (any bit pattern is valid).
unsafe fn slot<'a, T>(desc: usize, ndim: usize, k: usize) -> &'a [T] {
    if ndim == 0 {
        return &[];
    }
    // Safety: as the caller guarantees; `desc` comes from `alloc_bytes`, 16-byte aligned.
    unsafe { std::slice::from_raw_parts((desc as *const T).add(k * ndim), ndim) }
}

fn unknown(what: &str, code: u32) -> KernelError {
    KernelError::layout(format!("unknown {what} {code}"))
}

macro_rules! binary_export {
    ($name:ident, $t:ty) => {
        /// `out = op(a, b)` over broadcast layouts; see `kernels::elementwise::binary`. The
        /// descriptor holds the shape, a's strides and b's strides (`ndim` words each).
        /// `a_len`/`b_len`/`out_len` are buffer lengths in elements; layouts are bounds-checked.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            ndim: usize,
            desc: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            let Some(code) = elementwise::BinaryOpCode::from_u32(op) else {
                return fail(unknown("binary op", op));
            };
            // Safety: the TypeScript backend wrote 3 slots of `ndim` words at `desc`, and passes
            // live buffers with their element lengths; an input shares the output's buffer only
            // with the output's layout.
            let (shape, a, b, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, slot(desc, ndim, 2), b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            status(elementwise::binary(code, shape, a, b, out))
        }
    };
}

binary_export!(binary_f32, f32);
binary_export!(binary_f64, f64);

macro_rules! copy_export {
    ($name:ident, $src:ty, $dst:ty) => {
        /// `out = src` (a strided view over the shape) in row-major order, converted to the
        /// output type. The descriptor holds the shape and src's strides.
        #[wasm_bindgen]
        pub fn $name(
            ndim: usize,
            desc: usize,
            src_ptr: usize,
            src_len: usize,
            src_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            // Safety: 2 slots at `desc`; live buffers with their element lengths; out never
            // overlaps src (TS allocates it).
            let (shape, src, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(
                        src_ptr as *const $src,
                        src_len,
                        slot(desc, ndim, 1),
                        src_offset,
                    ),
                    Output::from_raw(out_ptr as *mut $dst, out_len),
                )
            };
            status(convert::copy(shape, src, out))
        }
    };
}

copy_export!(copy_f32_f32, f32, f32);
copy_export!(copy_f32_f64, f32, f64);
copy_export!(copy_f64_f32, f64, f32);
copy_export!(copy_f64_f64, f64, f64);

macro_rules! where_export {
    ($name:ident, $t:ty) => {
        /// `out = cond != 0 ? a : b` over layouts broadcast to the shape. The descriptor holds
        /// the shape and the strides of cond, a and b.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            ndim: usize,
            desc: usize,
            c_ptr: usize,
            c_len: usize,
            c_offset: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            // Safety: 4 slots at `desc`; live buffers with their element lengths; inputs share
            // the output's buffer only with its layout.
            let (shape, c, a, b, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(c_ptr as *const $t, c_len, slot(desc, ndim, 1), c_offset),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 2), a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, slot(desc, ndim, 3), b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            status(select::where_select(shape, c, a, b, out))
        }
    };
}

where_export!(where_f32, f32);
where_export!(where_f64, f64);

macro_rules! unary_export {
    ($name:ident, $t:ty) => {
        /// `out = op(a)` over a strided layout; `lo`/`hi` are clip's bounds. The descriptor
        /// holds the shape and a's strides.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            ndim: usize,
            desc: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            out_ptr: usize,
            out_len: usize,
            lo: $t,
            hi: $t,
        ) -> i32 {
            let Some(code) = unary::UnaryOpCode::from_u32(op) else {
                return fail(unknown("unary op", op));
            };
            // Safety: 2 slots at `desc`; live buffers with their element lengths; the input
            // shares the output's buffer only with the output's layout.
            let (shape, a, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            status(unary::unary(code, shape, a, out, lo, hi))
        }
    };
}

unary_export!(unary_f32, f32);
unary_export!(unary_f64, f64);

/// `f` of the reduced axes, from a descriptor slot of 0/1 words: on the stack up to 8 axes, so a
/// reduction call allocates no mask.
fn with_flags<R>(words: &[usize], f: impl FnOnce(&[bool]) -> R) -> R {
    let mut small = [false; 8];
    if words.len() > small.len() {
        return f(&words.iter().map(|&w| w != 0).collect::<Vec<_>>());
    }
    for (flag, &w) in small.iter_mut().zip(words) {
        *flag = w != 0;
    }
    f(&small[..words.len()])
}

macro_rules! reduce_export {
    ($name:ident, $arg_name:ident, $t:ty) => {
        /// `out` = op over the axes where the mask is non-zero; `out` is laid out over the kept
        /// axes. The descriptor holds the shape, a's strides and the mask (one word per axis).
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            op: u32,
            ndim: usize,
            desc: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            let Some(code) = reduce::ReduceOpCode::from_u32(op) else {
                return fail(unknown("reduction", op));
            };
            // Safety: 3 slots at `desc`; live buffers with their element lengths; out never
            // overlaps a (TS allocates it).
            let (shape, a, mask, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                    slot::<usize>(desc, ndim, 2),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            status(with_flags(mask, |mask| reduce::reduce(code, shape, a, mask, out)))
        }

        /// Index of the first max/min over the reduced axes (row-major within them); `out`
        /// holds f64. The descriptor is as for the reductions.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $arg_name(
            op: u32,
            ndim: usize,
            desc: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            let Some(code) = arg_reduce::ArgOpCode::from_u32(op) else {
                return fail(unknown("arg reduction", op));
            };
            // Safety: as above; out is a separate float64 buffer.
            let (shape, a, mask, out) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                    slot::<usize>(desc, ndim, 2),
                    Output::from_raw(out_ptr as *mut f64, out_len),
                )
            };
            status(with_flags(mask, |mask| arg_reduce::arg_reduce(code, shape, a, mask, out)))
        }
    };
}

reduce_export!(reduce_f32, arg_reduce_f32, f32);
reduce_export!(reduce_f64, arg_reduce_f64, f64);

macro_rules! finite_export {
    ($name:ident, $labels:ident, $t:ty) => {
        /// The row-major index of the first NaN or ±∞ of a strided array, −1 when every
        /// element is finite, or the failure status (`kernels::finite`): the models' one-pass
        /// finiteness check. The descriptor holds the shape and a's strides.
        #[wasm_bindgen]
        pub fn $name(ndim: usize, desc: usize, a_ptr: usize, a_len: usize, a_offset: usize) -> i32 {
            // Safety: 2 slots at `desc`; a live buffer with its element length; only read.
            let (shape, a) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                )
            };
            // An index fits: no layout reaches past isize::MAX elements (`Strided::check`).
            finite::first_non_finite(shape, a)
                .map_or_else(fail, |found| found.map_or(-1, |i| i as i32))
        }

        /// The row-major index of the first element of a strided array that is not a label
        /// (`binary`: not 0 or 1; else outside [0, 1]), −1 when all are, or the failure
        /// status (`kernels::labels`). The descriptor holds the shape and y's strides.
        #[wasm_bindgen]
        pub fn $labels(
            ndim: usize,
            desc: usize,
            y_ptr: usize,
            y_len: usize,
            y_offset: usize,
            binary: bool,
        ) -> i32 {
            // Safety: 2 slots at `desc`; a live buffer with its element length; only read.
            let (shape, y) = unsafe {
                (
                    slot::<usize>(desc, ndim, 0),
                    Strided::from_raw(y_ptr as *const $t, y_len, slot(desc, ndim, 1), y_offset),
                )
            };
            labels::first_bad_label(shape, y, binary)
                .map_or_else(fail, |found| found.map_or(-1, |i| i as i32))
        }
    };
}

finite_export!(first_non_finite_f32, first_bad_label_f32, f32);
finite_export!(first_non_finite_f64, first_bad_label_f64, f64);

macro_rules! matmul_export {
    ($name:ident, $t:ty) => {
        /// `out[β] = a[β]·b[β]` over the broadcast batch shape; a is `batch ++ [m,k]`, b
        /// `batch ++ [k,n]`. The descriptor's slots are `ndim` = batch rank + 2 words: the batch
        /// shape (its first ndim − 2 words), a's strides and b's strides.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            ndim: usize,
            desc: usize,
            m: usize,
            k: usize,
            n: usize,
            a_ptr: usize,
            a_len: usize,
            a_offset: usize,
            b_ptr: usize,
            b_len: usize,
            b_offset: usize,
            out_ptr: usize,
            out_len: usize,
        ) -> i32 {
            if ndim < 2 {
                return fail(KernelError::layout("matmul operands need at least 2 axes"));
            }
            // Safety: 3 slots at `desc`; live buffers with their element lengths; out is a
            // fresh buffer (TS allocates it).
            let (batch, a, b, out) = unsafe {
                (
                    &slot::<usize>(desc, ndim, 0)[..ndim - 2],
                    Strided::from_raw(a_ptr as *const $t, a_len, slot(desc, ndim, 1), a_offset),
                    Strided::from_raw(b_ptr as *const $t, b_len, slot(desc, ndim, 2), b_offset),
                    Output::from_raw(out_ptr as *mut $t, out_len),
                )
            };
            status(matmul::matmul(batch, m, k, n, a, b, out))
        }
    };
}

matmul_export!(matmul_f32, f32);
matmul_export!(matmul_f64, f64);

/// Every numeric code the bindings take, as JSON (`{"BinaryOp": {"Add": 0, …}, …}`), named as
/// the crate names them, so a test can check TypeScript's tables against the crate's.
#[wasm_bindgen]
pub fn op_codes() -> String {
    fn table<C: std::fmt::Debug>(name: &str, from: impl Fn(u32) -> Option<C>) -> String {
        let entries: Vec<String> =
            (0..).map_while(|code| from(code).map(|c| format!("\"{c:?}\": {code}"))).collect();
        format!("\"{name}\": {{{}}}", entries.join(", "))
    }
    let tables = [
        table("BinaryOp", elementwise::BinaryOpCode::from_u32),
        table("UnaryOp", unary::UnaryOpCode::from_u32),
        table("ReduceOp", reduce::ReduceOpCode::from_u32),
        table("ArgOp", arg_reduce::ArgOpCode::from_u32),
        table("LogisticLayout", logistic::Layout::from_u32),
        table("NetworkHidden", network::Hidden::from_u32),
        table("NetworkOutput", network::OutputKind::from_u32),
    ];
    format!("{{{}}}", tables.join(", "))
}

/// # Safety
/// `ptr..ptr+len` elements must be a live buffer that nothing else writes for `'a`.
unsafe fn slice<'a, T>(ptr: usize, len: usize) -> &'a [T] {
    if len == 0 {
        return &[];
    }
    // Safety: as the caller guarantees.
    unsafe { std::slice::from_raw_parts(ptr as *const T, len) }
}

/// # Safety
/// As [`slice`], and nothing else may read or write the range for `'a`.
unsafe fn slice_mut<'a, T>(ptr: usize, len: usize) -> &'a mut [T] {
    if len == 0 {
        return &mut [];
    }
    // Safety: as the caller guarantees.
    unsafe { std::slice::from_raw_parts_mut(ptr as *mut T, len) }
}

/// Elements of an n_x × m matrix, refused rather than wrapped when they exceed `isize::MAX`.
fn area(n_x: usize, m: usize) -> Result<usize, JsError> {
    crate::array::shape::checked_size(&[n_x, m]).map_err(to_js)
}

fn layout_of(code: u32) -> Result<logistic::Layout, JsError> {
    logistic::Layout::from_u32(code)
        .ok_or_else(|| JsError::new(&format!("LayoutError: unknown logistic layout {code}")))
}

/// What one training call did, read by TypeScript through named getters (a wasm-bindgen
/// class: the caller reads it, then frees it with `free()`). One type for every trainer:
/// gradient descent (logistic, softmax, network) and L-BFGS (logistic, softmax).
#[wasm_bindgen]
pub struct TrainReport {
    iterations: usize,
    stop: &'static str,
    cost: Option<f64>,
    bias: Option<f64>,
    gradient_max: Option<f64>,
    costs: Vec<f64>,
}

#[wasm_bindgen]
impl TrainReport {
    /// Iterations this call completed (updates applied; L-BFGS: accepted steps).
    #[wasm_bindgen(getter)]
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Why the call returned: "completed", "converged" or "diverged" (gradient descent);
    /// "running", "converged", "noProgress", "lineSearch" or "diverged" (L-BFGS).
    #[wasm_bindgen(getter)]
    pub fn stop(&self) -> String {
        self.stop.to_string()
    }

    /// The last cost computed (gradient descent: the previous chunk's when none was;
    /// L-BFGS: f at the current point), or undefined.
    #[wasm_bindgen(getter)]
    pub fn cost(&self) -> Option<f64> {
        self.cost
    }

    /// The bias after the call (binary logistic gradient descent, whose w is updated in place).
    #[wasm_bindgen(getter)]
    pub fn bias(&self) -> Option<f64> {
        self.bias
    }

    /// L-BFGS: max |∂f| at the current point.
    #[wasm_bindgen(getter, js_name = gradientMax)]
    pub fn gradient_max(&self) -> Option<f64> {
        self.gradient_max
    }

    /// The recorded costs, oldest first.
    #[wasm_bindgen(getter)]
    pub fn costs(&self) -> Vec<f64> {
        self.costs.clone()
    }
}

impl TrainReport {
    /// A gradient-descent call's report.
    fn descent<T: Copy + Into<f64>>(
        outcome: &logistic::TrainOutcome<T>,
        bias: Option<f64>,
        costs: &[T],
    ) -> Self {
        TrainReport {
            iterations: outcome.iterations,
            stop: match outcome.stop {
                logistic::StopReason::Completed => "completed",
                logistic::StopReason::Converged => "converged",
                logistic::StopReason::Diverged => "diverged",
            },
            cost: outcome.last_cost.map(Into::into),
            bias,
            gradient_max: None,
            costs: costs.iter().map(|&c| c.into()).collect(),
        }
    }

    /// An L-BFGS call's report.
    fn lbfgs(out: &crate::kernels::lbfgs::Outcome, costs: Vec<f64>) -> Self {
        use crate::kernels::lbfgs::Stop;
        TrainReport {
            iterations: out.iterations,
            stop: match out.stop {
                Stop::Running => "running",
                Stop::Converged => "converged",
                Stop::NoProgress => "noProgress",
                Stop::LineSearch => "lineSearch",
                Stop::Diverged => "diverged",
            },
            cost: Some(out.f),
            bias: None,
            gradient_max: Some(out.grad_max),
            costs,
        }
    }
}

macro_rules! logistic_export {
    ($grad:ident, $forward:ident, $train:ident, $pack:ident, $t:ty) => {
        /// One fused step: writes dw, and `[cost, db]` as two f64 at `result_ptr`; over the
        /// `indices_len` examples listed (u32) at `indices_ptr`, or all when that is 0.
        /// Returns a status (0, or −2 with the error for `take_error`), as the per-op exports.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $grad(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            w_ptr: usize,
            b: $t,
            l2: $t,
            dw_ptr: usize,
            indices_ptr: usize,
            indices_len: usize,
            result_ptr: usize,
        ) -> i32 {
            let Some(layout) = logistic::Layout::from_u32(layout) else {
                return fail(unknown("logistic layout", layout));
            };
            let size = match crate::array::shape::checked_size(&[n_x, m]) {
                Ok(size) => size,
                Err(err) => return fail(err),
            };
            // Safety: TS passes live, separate buffers of these lengths (dw is its own buffer).
            let (x, y, w, dw, indices) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(y_ptr, m),
                    slice::<$t>(w_ptr, n_x),
                    slice_mut::<$t>(dw_ptr, n_x),
                    slice::<u32>(indices_ptr, indices_len),
                )
            };
            let step = if indices.is_empty() {
                logistic::logistic_grad(layout, x, n_x, m, y, w, b, l2, dw)
            } else {
                logistic::logistic_grad_subset(layout, x, n_x, m, y, w, b, l2, indices, dw)
            };
            match step {
                Ok((cost, db)) => {
                    // Safety: TS passes 16 writable bytes of its own at `result_ptr`, 8-byte aligned.
                    unsafe { (result_ptr as *mut [f64; 2]).write([cost as f64, db as f64]) };
                    0
                }
                Err(err) => fail(err),
            }
        }

        /// Probabilities σ(wᵀx + b) of the m examples into `out`.
        #[wasm_bindgen]
        pub fn $forward(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            w_ptr: usize,
            b: $t,
            out_ptr: usize,
        ) -> Result<(), JsError> {
            let (layout, size) = (layout_of(layout)?, area(n_x, m)?);
            // Safety: live, separate buffers of these lengths.
            let (x, w, out) = unsafe {
                (slice::<$t>(x_ptr, size), slice::<$t>(w_ptr, n_x), slice_mut::<$t>(out_ptr, m))
            };
            logistic::logistic_forward(layout, x, n_x, m, w, b, out).map_err(to_js)
        }

        /// Gradient descent updating w in place; the report carries b. `prev_cost` NaN means
        /// none; an empty `order` means full-batch steps.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $train(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            w_ptr: usize,
            b: $t,
            learning_rate: $t,
            l2: $t,
            iterations: usize,
            first_iteration: usize,
            record_every: usize,
            tolerance: $t,
            prev_cost: $t,
            order: &[u32],
            batch_size: usize,
        ) -> Result<TrainReport, JsError> {
            let (layout, size) = (layout_of(layout)?, area(n_x, m)?);
            // Safety: live, separate buffers of these lengths; w is the model's own buffer.
            let (x, y, w) = unsafe {
                (slice::<$t>(x_ptr, size), slice::<$t>(y_ptr, m), slice_mut::<$t>(w_ptr, n_x))
            };
            let options = logistic::TrainOptions {
                learning_rate,
                l2,
                iterations,
                first_iteration,
                record_every,
                tolerance,
                prev_cost: if prev_cost.is_nan() { None } else { Some(prev_cost) },
            };
            let mut bias = b;
            let mut costs = Vec::new();
            let outcome = if order.is_empty() {
                logistic::logistic_train(layout, x, n_x, m, y, w, &mut bias, &options, &mut costs)
            } else {
                logistic::logistic_train_subset(
                    layout, x, n_x, m, y, w, &mut bias, order, batch_size, &options, &mut costs,
                )
            }
            .map_err(to_js)?;
            Ok(TrainReport::descent(&outcome, Some(bias as f64), &costs))
        }

        /// X (n_x, m) re-laid as (m, n_x).
        #[wasm_bindgen]
        pub fn $pack(x_ptr: usize, n_x: usize, m: usize, out_ptr: usize) -> Result<(), JsError> {
            let size = area(n_x, m)?;
            // Safety: live, separate buffers of n_x·m elements.
            let (x, out) = unsafe { (slice::<$t>(x_ptr, size), slice_mut::<$t>(out_ptr, size)) };
            logistic::pack_cols_to_rows(x, n_x, m, out).map_err(to_js)
        }
    };
}

logistic_export!(
    logistic_grad_f32,
    logistic_forward_f32,
    logistic_train_f32,
    pack_cols_to_rows_f32,
    f32
);
logistic_export!(
    logistic_grad_f64,
    logistic_forward_f64,
    logistic_train_f64,
    pack_cols_to_rows_f64,
    f64
);

macro_rules! network_export {
    ($name:ident, $t:ty) => {
        /// Gradient descent on a dense network, updating the parameters in place; see
        /// `kernels::network`. `params` holds the byte addresses of W1, b1, …, WL, bL, whose
        /// lengths follow from `sizes`. `prev_cost` NaN means none. `batch` 0: full-batch
        /// steps on the m columns; else mini-batches of `batch` consecutive columns, one per
        /// iteration (the epoch's shuffled copy).
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            sizes: &[u32],
            hidden: u32,
            output: u32,
            x_ptr: usize,
            x_len: usize,
            t_ptr: usize,
            t_len: usize,
            m: usize,
            ld: usize,
            batch: usize,
            params: &[u32],
            learning_rate: $t,
            l2: $t,
            iterations: usize,
            first_iteration: usize,
            record_every: usize,
            tolerance: $t,
            prev_cost: $t,
        ) -> Result<TrainReport, JsError> {
            let unknown =
                |what: &str| JsError::new(&format!("LayoutError: unknown network {what}"));
            let hidden = network::Hidden::from_u32(hidden).ok_or_else(|| unknown("activation"))?;
            let output = network::OutputKind::from_u32(output).ok_or_else(|| unknown("output"))?;
            let sizes: Vec<usize> = sizes.iter().map(|&n| n as usize).collect();
            if sizes.len() < 2 || params.len() != 2 * (sizes.len() - 1) {
                return Err(JsError::new("LayoutError: network_train: params do not match sizes"));
            }
            let lengths: Vec<usize> = (1..sizes.len())
                .flat_map(|l| [sizes[l].saturating_mul(sizes[l - 1]), sizes[l]])
                .collect();
            // Safety: TS passes live buffers of these lengths (checked there against the
            // arrays), the parameters each their own buffer and separate from X and T.
            let (x, t, mut params) = unsafe {
                (
                    slice::<$t>(x_ptr, x_len),
                    slice::<$t>(t_ptr, t_len),
                    params
                        .iter()
                        .zip(&lengths)
                        .map(|(&ptr, &len)| slice_mut::<$t>(ptr as usize, len))
                        .collect::<Vec<_>>(),
                )
            };
            let problem = network::Problem { sizes: &sizes, hidden, output, x, t, m, ld, batch };
            let options = logistic::TrainOptions {
                learning_rate,
                l2,
                iterations,
                first_iteration,
                record_every,
                tolerance,
                prev_cost: if prev_cost.is_nan() { None } else { Some(prev_cost) },
            };
            let mut costs = Vec::new();
            let outcome = network::network_train(&problem, &mut params, &options, &mut costs)
                .map_err(to_js)?;
            Ok(TrainReport::descent(&outcome, None, &costs))
        }
    };
}

network_export!(network_train_f32, f32);
network_export!(network_train_f64, f64);

macro_rules! gather_export {
    ($name:ident, $t:ty) => {
        /// `out[r][j] = x[r][order[j]]` for the (rows, m) matrix x: a shuffle's columns.
        #[wasm_bindgen]
        pub fn $name(
            x_ptr: usize,
            rows: usize,
            m: usize,
            order: &[u32],
            out_ptr: usize,
        ) -> Result<(), JsError> {
            let size = area(rows, m)?;
            // Safety: live, separate buffers of rows·m elements (checked in TS).
            let (x, out) = unsafe { (slice::<$t>(x_ptr, size), slice_mut::<$t>(out_ptr, size)) };
            network::gather_columns(x, rows, m, order, out).map_err(to_js)
        }
    };
}

gather_export!(gather_columns_f32, f32);
gather_export!(gather_columns_f64, f64);

macro_rules! lbfgs_export {
    ($name:ident, $t:ty) => {
        /// L-BFGS iterations on the logistic objective (`kernels::logistic_lbfgs`), continuing
        /// from the float64 `state` (θ = (w, b) after its header).
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $name(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            standardized: bool,
            mean_ptr: usize,
            scale_ptr: usize,
            l2: f64,
            state_ptr: usize,
            state_len: usize,
            memory: usize,
            iterations: usize,
            first_iteration: usize,
            record_every: usize,
            gtol: f64,
            ftol: f64,
        ) -> Result<TrainReport, JsError> {
            use crate::kernels::logistic_lbfgs::{self, Standardization};
            let (layout, size) = (layout_of(layout)?, area(n_x, m)?);
            // Safety: live, separate buffers of these lengths; the state is its own float64
            // buffer, μ and σ float64 buffers of n_x when `standardized`.
            let (x, y, state, standardization) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(y_ptr, m),
                    slice_mut::<f64>(state_ptr, state_len),
                    standardized.then(|| Standardization {
                        mean: slice::<f64>(mean_ptr, n_x),
                        scale: slice::<f64>(scale_ptr, n_x),
                    }),
                )
            };
            let options = logistic_lbfgs::LbfgsOptions {
                l2,
                memory,
                iterations,
                first_iteration,
                record_every,
                gtol,
                ftol,
            };
            let mut costs = Vec::new();
            let out = logistic_lbfgs::logistic_lbfgs(
                layout,
                x,
                n_x,
                m,
                y,
                standardization,
                state,
                &options,
                &mut costs,
            )
            .map_err(to_js)?;
            Ok(TrainReport::lbfgs(&out, costs))
        }
    };
}

lbfgs_export!(logistic_lbfgs_f32, f32);
lbfgs_export!(logistic_lbfgs_f64, f64);

macro_rules! multinomial_export {
    ($grad:ident, $forward:ident, $train:ident, $lbfgs:ident, $t:ty) => {
        /// One softmax-regression step (`kernels::multinomial`): writes dW (k·n_x) and db (k),
        /// returns the cost. `y` holds m class indices.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $grad(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            k: usize,
            w_ptr: usize,
            b_ptr: usize,
            l2: $t,
            dw_ptr: usize,
            db_ptr: usize,
        ) -> Result<f64, JsError> {
            let (layout, size, weights) = (layout_of(layout)?, area(n_x, m)?, area(k, n_x)?);
            // Safety: TS passes live, separate buffers of these lengths (dW, db their own).
            let (x, labels, w, b, dw, db) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(y_ptr, m),
                    slice::<$t>(w_ptr, weights),
                    slice::<$t>(b_ptr, k),
                    slice_mut::<$t>(dw_ptr, weights),
                    slice_mut::<$t>(db_ptr, k),
                )
            };
            let data = multinomial::Data { layout, x, n_x, m, labels, k };
            multinomial::multinomial_grad(&data, w, b, l2, dw, db).map(|c| c as f64).map_err(to_js)
        }

        /// Class probabilities into `out`: (k, m) in the cols layout, (m, k) in rows.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $forward(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            k: usize,
            w_ptr: usize,
            b_ptr: usize,
            out_ptr: usize,
        ) -> Result<(), JsError> {
            let (layout, size, weights, probs) =
                (layout_of(layout)?, area(n_x, m)?, area(k, n_x)?, area(k, m)?);
            // Safety: live, separate buffers of these lengths.
            let (x, w, b, out) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(w_ptr, weights),
                    slice::<$t>(b_ptr, k),
                    slice_mut::<$t>(out_ptr, probs),
                )
            };
            multinomial::multinomial_forward(layout, x, n_x, m, k, w, b, out).map_err(to_js)
        }

        /// Gradient descent on (W, b) in place. `prev_cost` NaN means none; an empty `order`
        /// means full-batch steps.
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $train(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            k: usize,
            w_ptr: usize,
            b_ptr: usize,
            learning_rate: $t,
            l2: $t,
            iterations: usize,
            first_iteration: usize,
            record_every: usize,
            tolerance: $t,
            prev_cost: $t,
            order: &[u32],
            batch_size: usize,
        ) -> Result<TrainReport, JsError> {
            let (layout, size, weights) = (layout_of(layout)?, area(n_x, m)?, area(k, n_x)?);
            // Safety: live, separate buffers of these lengths; W and b are the model's own.
            let (x, labels, w, b) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(y_ptr, m),
                    slice_mut::<$t>(w_ptr, weights),
                    slice_mut::<$t>(b_ptr, k),
                )
            };
            let data = multinomial::Data { layout, x, n_x, m, labels, k };
            let options = logistic::TrainOptions {
                learning_rate,
                l2,
                iterations,
                first_iteration,
                record_every,
                tolerance,
                prev_cost: if prev_cost.is_nan() { None } else { Some(prev_cost) },
            };
            let mut costs = Vec::new();
            let outcome = multinomial::multinomial_train(
                &data, w, b, order, batch_size, &options, &mut costs,
            )
            .map_err(to_js)?;
            Ok(TrainReport::descent(&outcome, None, &costs))
        }

        /// L-BFGS iterations on the softmax-regression objective (`kernels::multinomial_lbfgs`),
        /// continuing from the float64 `state` (θ = (W, b) after its header).
        #[wasm_bindgen]
        #[allow(clippy::too_many_arguments)]
        pub fn $lbfgs(
            layout: u32,
            x_ptr: usize,
            n_x: usize,
            m: usize,
            y_ptr: usize,
            k: usize,
            l2: f64,
            state_ptr: usize,
            state_len: usize,
            memory: usize,
            iterations: usize,
            first_iteration: usize,
            record_every: usize,
            gtol: f64,
            ftol: f64,
        ) -> Result<TrainReport, JsError> {
            use crate::kernels::{logistic_lbfgs::LbfgsOptions, multinomial_lbfgs};
            let (layout, size) = (layout_of(layout)?, area(n_x, m)?);
            // Safety: live, separate buffers of these lengths; the state is its own float64 buffer.
            let (x, labels, state) = unsafe {
                (
                    slice::<$t>(x_ptr, size),
                    slice::<$t>(y_ptr, m),
                    slice_mut::<f64>(state_ptr, state_len),
                )
            };
            let data = multinomial::Data { layout, x, n_x, m, labels, k };
            let options =
                LbfgsOptions { l2, memory, iterations, first_iteration, record_every, gtol, ftol };
            let mut costs = Vec::new();
            let out = multinomial_lbfgs::multinomial_lbfgs(&data, state, &options, &mut costs)
                .map_err(to_js)?;
            Ok(TrainReport::lbfgs(&out, costs))
        }
    };
}

multinomial_export!(
    multinomial_grad_f32,
    multinomial_forward_f32,
    multinomial_train_f32,
    multinomial_lbfgs_f32,
    f32
);
multinomial_export!(
    multinomial_grad_f64,
    multinomial_forward_f64,
    multinomial_train_f64,
    multinomial_lbfgs_f64,
    f64
);

macro_rules! moments_export {
    ($name:ident, $t:ty) => {
        /// Each feature's mean and variance (ddof 0) in one pass (`kernels::moments`): the n_x
        /// means, then the n_x variances, in float64.
        #[wasm_bindgen]
        pub fn $name(layout: u32, x_ptr: usize, n_x: usize, m: usize) -> Result<Vec<f64>, JsError> {
            let (layout, size) = (layout_of(layout)?, area(n_x, m)?);
            // Safety: a live buffer of n_x·m elements.
            let x = unsafe { slice::<$t>(x_ptr, size) };
            let mut out = vec![0.0; 2 * n_x];
            let (mean, var) = out.split_at_mut(n_x);
            crate::kernels::moments::feature_moments(layout, x, n_x, m, mean, var)
                .map_err(to_js)?;
            Ok(out)
        }
    };
}

moments_export!(feature_moments_f32, f32);
moments_export!(feature_moments_f64, f64);
