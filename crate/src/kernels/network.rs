//! Gradient descent for a dense network, inside wasm: many iterations per call, the scratch
//! allocated once per call, in the course's notation (X is (n_x, m), examples in columns;
//! W_l (n_l, n_{l−1}), b_l (n_l, 1)):
//!
//! ```text
//! forward:   Z_l = W_l·A_{l−1} + b_l,  A_l = g(Z_l)  (σ or softmax for the output layer)
//! cost:      σ: (1/m)·Σ [log(1 + e^z) − t·z];  softmax: (1/m)·Σ_columns [log Σ_k e^{z_k} − Σ_k t_k·z_k]
//!            plus (λ/2m)·Σ_l ‖W_l‖²
//! backward:  dZ_L = A_L − T;  dW_l = (1/m)·dZ_l·A_{l−1}ᵀ + (λ/m)·W_l;  db_l = (1/m)·Σ_columns dZ_l;
//!            dZ_{l−1} = (W_lᵀ·dZ_l) ⊙ g′(Z_{l−1})   (the first layer's dA is never formed)
//! update:    W_l ← W_l − α·dW_l,  b_l ← b_l − α·db_l   (once nothing reads the old W_l)
//! ```
//!
//! The products go through [`crate::kernels::gemm`] (transposed operands by strides, no
//! copies), each with the elementwise step that follows it as its epilogue
//! ([`crate::kernels::gemm::layer_epilogues`]): Z_l's bias and A_l = g(Z_l) in the forward
//! product's store; dZ_{l−1} = dA ⊙ g′ and db's row sums in the store of dA's product (dA is
//! never stored); dW's scaling, decay and the update of W_l in the store of dW's product (dW is
//! never stored, and W_l is updated once dA_{l−1}, which reads it, is computed). Each
//! iteration follows `logistic::train`'s order (cost, divergence test, record, update,
//! tolerance test), and X may be a column range of a wider matrix (`ld`), so mini-batches
//! are views. The TypeScript `DenseNetwork` runs the same math with the library's ops on the
//! reference backend: the two are tested against each other and an independent implementation.

use crate::error::KernelError;
use crate::kernels::gemm::fused::{gemm_fused, gemm_prepacked_fused};
use crate::kernels::gemm::layer_epilogues::{Activation, Backprop, BiasActivation, GradientStep};
use crate::kernels::gemm::{auto_path, Gemm, PackedB, Path};
use crate::kernels::logistic::{LogisticFloat, StopReason, TrainOptions, TrainOutcome};
use crate::kernels::operand::{MatMut, MatRef};
use crate::kernels::softmax::softmax_columns;
use crate::kernels::unary::{unary_in_place as map, UnaryOpCode};

/// Hidden layers' activation, by the numeric code the bindings receive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hidden {
    Relu = 0,
    Tanh = 1,
    Sigmoid = 2,
    LeakyRelu = 3,
}

/// The output layer: σ with cross-entropy, or softmax with categorical cross-entropy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputKind {
    Sigmoid = 0,
    Softmax = 1,
}

impl Hidden {
    pub fn from_u32(code: u32) -> Option<Self> {
        [Hidden::Relu, Hidden::Tanh, Hidden::Sigmoid, Hidden::LeakyRelu].get(code as usize).copied()
    }

    /// The lane activation the epilogues apply.
    fn activation<T: NetworkFloat>(self) -> Activation<T> {
        match self {
            Hidden::Relu => Activation::Relu,
            Hidden::Tanh => Activation::Tanh,
            Hidden::Sigmoid => Activation::Sigmoid,
            Hidden::LeakyRelu => Activation::LeakyRelu(T::from_f64(LEAKY_SLOPE)),
        }
    }
}

impl OutputKind {
    pub fn from_u32(code: u32) -> Option<Self> {
        [OutputKind::Sigmoid, OutputKind::Softmax].get(code as usize).copied()
    }
}

/// 0 and 1 of T (several of T's traits name them: GEMM's and the lane math's).
#[inline(always)]
fn zero<T: NetworkFloat>() -> T {
    T::from_f64(0.0)
}
#[inline(always)]
fn one<T: NetworkFloat>() -> T {
    T::from_f64(1.0)
}

/// Leaky ReLU's slope below 0 (the TypeScript `LEAKY_SLOPE`).
const LEAKY_SLOPE: f64 = 0.01;

/// The element types: GEMM, the lane math and a count.
pub trait NetworkFloat: Gemm + LogisticFloat + Into<f64> {
    fn from_f64(x: f64) -> Self;
}

impl NetworkFloat for f32 {
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
}

impl NetworkFloat for f64 {
    fn from_f64(x: f64) -> f64 {
        x
    }
}

/// A network's shape and the data one call trains on.
///
/// + sizes: [n_x, n_1, …, n_L], every size ≥ 1, at least one layer
/// + x: X, n_x rows of m examples, row `j` at `x[j·ld..j·ld + m]` (ld ≥ m)
/// + t: the targets, n_L rows of m (Y for σ, one-hot for softmax), rows `ld` apart too
/// + batch: 0 for full-batch steps (each on all m columns); else mini-batches: the call's
///   iteration `i` steps on columns `i·batch .. min((i + 1)·batch, m)` (an epoch's shuffled
///   copy, laid out by the caller), so one call runs several steps of an epoch
pub struct Problem<'a, T> {
    pub sizes: &'a [usize],
    pub hidden: Hidden,
    pub output: OutputKind,
    pub x: &'a [T],
    pub t: &'a [T],
    pub m: usize,
    pub ld: usize,
    pub batch: usize,
}

impl<'a, T> Problem<'a, T> {
    /// The columns iteration `i` of the call steps on: all of them, or its mini-batch (a full-
    /// batch problem over a column range, rows still `ld` apart).
    fn step(&self, i: usize) -> Problem<'a, T> {
        let (start, m) = match self.batch {
            0 => (0, self.m),
            b => (i * b, b.min(self.m - i * b)),
        };
        Problem { x: &self.x[start..], t: &self.t[start..], m, batch: 0, ..*self }
    }
}

/// The scratch of a call's steps on m columns: every layer's Z and A, two dZ buffers (this
/// layer's and the one below, which its dA product writes), the products dZ·A_prevᵀ and db's
/// sums. Steps reuse it as they find it: every buffer is written before it is read.
struct Workspace<T: NetworkFloat> {
    z: Vec<Vec<T>>,
    a: Vec<Vec<T>>,
    dz: Vec<T>,
    dz_below: Vec<T>,
    dw: Vec<Vec<T>>,
    db: Vec<Vec<T>>,
    /// Per example (column) scratch for the softmax and the cost.
    column: Vec<T>,
    scratch: Vec<T>,
    /// X packed for layer 1's two products, when the call runs several iterations (see
    /// [`pack_input`]).
    input: Option<PackedInput<T>>,
}

impl<T: NetworkFloat> Workspace<T> {
    /// Zeroed scratch for steps on `p`'s m columns, with X packed when `iterations` reuse it.
    fn new(p: &Problem<T>, iterations: usize) -> Self {
        let (layers, m) = (p.sizes.len() - 1, p.m);
        let widest = p.sizes[1..].iter().max().unwrap() * m;
        Workspace {
            z: (1..=layers).map(|l| vec![zero::<T>(); p.sizes[l] * m]).collect(),
            a: (1..=layers).map(|l| vec![zero::<T>(); p.sizes[l] * m]).collect(),
            dz: vec![zero::<T>(); widest],
            dz_below: vec![zero::<T>(); widest],
            dw: (1..=layers).map(|l| vec![zero::<T>(); p.sizes[l] * p.sizes[l - 1]]).collect(),
            db: (1..=layers).map(|l| vec![zero::<T>(); p.sizes[l]]).collect(),
            column: vec![zero::<T>(); m],
            scratch: vec![zero::<T>(); p.sizes[layers] * m],
            input: pack_input(p, iterations),
        }
    }
}

/// X packed once for the products every iteration makes with it: Z_1 = W_1·X (X as B) and
/// dW_1 = dZ_1·Xᵀ (Xᵀ as B). Packing X is O(n_x·m) per product, against the product's
/// O(n_1·n_x·m): small, but X is the largest array of a step and the products of the course's
/// network have only n_1 = 20 rows.
struct PackedInput<T: NetworkFloat> {
    x: PackedB<T>,
    xt: PackedB<T>,
}

/// Most elements of X packed once per call (each of its two packed copies): 2²⁴, 64 MiB in
/// f32 and 128 MiB in f64; a larger X is packed at every product, as the GEMM does.
const PACK_INPUT_MAX: usize = 1 << 24;

/// [`PackedInput`] when it pays: several iterations, X small enough to copy twice, and both
/// layer-1 products on the GEMM's blocked path (the one packing is for).
fn pack_input<T: NetworkFloat>(p: &Problem<T>, iterations: usize) -> Option<PackedInput<T>> {
    let (n1, nx, m) = (p.sizes[1], p.sizes[0], p.m);
    let blocked = |path| matches!(path, Path::Blocked { .. });
    if iterations < 2
        || nx.saturating_mul(m) > PACK_INPUT_MAX
        || !blocked(auto_path::<T>(n1, nx, m))
        || !blocked(auto_path::<T>(n1, m, nx))
    {
        return None;
    }
    let x = MatRef::new(p.x.as_ptr(), p.ld as isize, 1);
    // Safety: X is n_x rows of m elements, ld apart, as `check` verified.
    unsafe { Some(PackedInput { x: PackedB::new(nx, m, x), xt: PackedB::new(m, nx, x.t()) }) }
}

/// `iterations` steps of gradient descent, updating `params` (W1, b1, …, WL, bL, each row-major)
/// in place and pushing recorded costs; the order of an iteration is `logistic::train`'s.
///
/// Errors (`Layout`) when the sizes, lengths or ld disagree, or m = 0; params are then untouched.
pub fn network_train<T: NetworkFloat>(
    p: &Problem<T>,
    params: &mut [&mut [T]],
    options: &TrainOptions<T>,
    costs: &mut Vec<T>,
) -> Result<TrainOutcome<T>, KernelError> {
    check(p, params, options.iterations)?;
    let layers = p.sizes.len() - 1;
    // Mini-batches share one workspace (the last batch of an epoch, if narrower, makes its own).
    let mut ws = Workspace::new(&p.step(0), if p.batch == 0 { options.iterations } else { 1 });
    let mut last_cost = options.prev_cost;
    for i in 0..options.iterations {
        let g = options.first_iteration + i;
        let record = options.record_every > 0 && g.is_multiple_of(options.record_every);
        let tolerance = options.tolerance > zero::<T>();
        let p = &p.step(i);
        if ws.column.len() != p.m {
            ws = Workspace::new(p, 1);
        }
        forward(p, params, &mut ws);
        // The cost costs an exp and a log per output: computed when recorded or tested only,
        // and every iteration checks the parameters' finiteness through the output instead.
        let cost =
            if record || tolerance { Some(cost(p, params, &mut ws, options.l2)) } else { None };
        let finite = match cost {
            Some(c) => c.into().is_finite(),
            // Z_L, not A_L: σ(+∞) = 1 would hide a parameter that overflowed.
            None => ws.z[layers - 1].iter().all(|v| (*v).into().is_finite()),
        };
        if !finite {
            return Ok(TrainOutcome {
                iterations: i,
                stop: StopReason::Diverged,
                last_cost: cost.or(Some(T::from_f64(f64::NAN))),
            });
        }
        if record {
            costs.push(cost.unwrap());
        }
        backward_step(p, params, &mut ws, options.l2, options.learning_rate);
        let previous = last_cost;
        if cost.is_some() {
            last_cost = cost;
        }
        if let (true, Some(c), Some(prev)) = (tolerance, cost, previous) {
            if (c - prev).into().abs() < options.tolerance.into() {
                return Ok(TrainOutcome {
                    iterations: i + 1,
                    stop: StopReason::Converged,
                    last_cost,
                });
            }
        }
    }
    Ok(TrainOutcome { iterations: options.iterations, stop: StopReason::Completed, last_cost })
}

fn check<T>(p: &Problem<T>, params: &[&mut [T]], iterations: usize) -> Result<(), KernelError> {
    let layers = p.sizes.len().saturating_sub(1);
    let fail = |what: String| Err(KernelError::layout(format!("network_train: {what}")));
    if layers == 0 || p.sizes.contains(&0) {
        return fail(format!("sizes {:?} need at least two positive sizes", p.sizes));
    }
    if p.m == 0 || p.ld < p.m {
        return fail(format!("m = {} with ld = {}", p.m, p.ld));
    }
    if p.batch > 0 && iterations.saturating_sub(1).saturating_mul(p.batch) >= p.m {
        return fail(format!("{iterations} mini-batches of {} in m = {}", p.batch, p.m));
    }
    let span = |rows: usize| (rows - 1).checked_mul(p.ld).and_then(|n| n.checked_add(p.m));
    if span(p.sizes[0]).is_none_or(|n| n > p.x.len())
        || span(p.sizes[layers]).is_none_or(|n| n > p.t.len())
    {
        return fail(format!(
            "X ({} elements) or T ({}) too short for m = {}, ld = {}",
            p.x.len(),
            p.t.len(),
            p.m,
            p.ld
        ));
    }
    if params.len() != 2 * layers {
        return fail(format!("{} parameter arrays for {layers} layers", params.len()));
    }
    for l in 0..layers {
        if params[2 * l].len() != p.sizes[l + 1] * p.sizes[l]
            || params[2 * l + 1].len() != p.sizes[l + 1]
        {
            return fail(format!("W{} or b{} has the wrong length", l + 1, l + 1));
        }
    }
    Ok(())
}

/// Every layer's Z and A: each layer one product whose epilogue adds the bias and applies the
/// activation (σ's for a σ output; a softmax output's A is Z, normalised by column after).
fn forward<T: NetworkFloat>(p: &Problem<T>, params: &[&mut [T]], ws: &mut Workspace<T>) {
    let layers = p.sizes.len() - 1;
    let m = p.m;
    for l in 0..layers {
        let (rows, inner) = (p.sizes[l + 1], p.sizes[l]);
        let (w, b) = (&*params[2 * l], &*params[2 * l + 1]);
        let (input, ld) = if l == 0 { (p.x.as_ptr(), p.ld) } else { (ws.a[l - 1].as_ptr(), m) };
        let activation = match (l + 1 < layers, p.output) {
            (true, _) => p.hidden.activation(),
            (false, OutputKind::Sigmoid) => Activation::Sigmoid,
            (false, OutputKind::Softmax) => Activation::Identity,
        };
        let a_mut = MatMut::new(ws.a[l].as_mut_ptr(), m as isize, 1);
        let epilogue = BiasActivation { bias: b.as_ptr(), activation, a: a_mut };
        let (w_ref, a_ref) =
            (MatRef::new(w.as_ptr(), inner as isize, 1), MatRef::new(input, ld as isize, 1));
        let z_mut = MatMut::new(ws.z[l].as_mut_ptr(), m as isize, 1);
        // Safety: W is rows×inner, the input inner rows of m (ld apart), Z and A rows×m, b rows
        // long, all checked or allocated to those sizes; Z and A are their own buffers. A packed
        // X is this X.
        unsafe {
            match (&ws.input, l) {
                (Some(input), 0) => {
                    gemm_prepacked_fused(rows, one(), w_ref, &input.x, zero(), z_mut, &epilogue)
                }
                _ => gemm_fused((rows, inner, m), one(), w_ref, a_ref, zero(), z_mut, &epilogue),
            }
        }
        if l + 1 == layers && p.output == OutputKind::Softmax {
            softmax_columns(&mut ws.a[l], m, &mut ws.column, &mut ws.scratch[..m]);
        }
    }
}

/// The cost of the last forward pass, summed in f64.
fn cost<T: NetworkFloat>(p: &Problem<T>, params: &[&mut [T]], ws: &mut Workspace<T>, l2: T) -> T {
    let layers = p.sizes.len() - 1;
    let (k, m) = (p.sizes[layers], p.m);
    let z = &ws.z[layers - 1];
    let mut total = 0.0f64;
    let target = |r: usize, i: usize| -> f64 { p.t[r * p.ld + i].into() };
    match p.output {
        OutputKind::Sigmoid => {
            // log(1 + e^z) = max(z, 0) + log1p(e^−|z|): no overflow, no log(0).
            let s = &mut ws.scratch[..m];
            s.iter_mut()
                .zip(z.iter())
                .for_each(|(s, &v)| *s = if v > zero::<T>() { zero::<T>() - v } else { v });
            map(UnaryOpCode::Exp, s);
            map(UnaryOpCode::Log1p, s);
            for i in 0..m {
                let zi: f64 = z[i].into();
                total += zi.max(0.0) + s[i].into() - target(0, i) * zi;
            }
        }
        OutputKind::Softmax => {
            // log Σ_k e^{z_k} = max z + log Σ_k e^{z_k − max z}.
            let top = &mut ws.column;
            top.copy_from_slice(&z[..m]);
            for row in z.chunks_exact(m).skip(1) {
                top.iter_mut().zip(row).for_each(|(t, &v)| *t = if v > *t { v } else { *t });
            }
            let s = &mut ws.scratch[..k * m];
            for (r, row) in z.chunks_exact(m).enumerate() {
                s[r * m..(r + 1) * m]
                    .iter_mut()
                    .zip(row.iter().zip(top.iter()))
                    .for_each(|(s, (&v, &t))| *s = v - t);
            }
            map(UnaryOpCode::Exp, s);
            for i in 0..m {
                let sum: f64 = (0..k).map(|r| s[r * m + i].into()).sum();
                let dot: f64 = (0..k).map(|r| target(r, i) * z[r * m + i].into()).sum();
                total += sum.ln() + top[i].into() - dot;
            }
        }
    }
    let mut penalty = 0.0f64;
    if l2 > zero::<T>() {
        for l in 0..layers {
            penalty += params[2 * l].iter().map(|&w| w.into() * w.into()).sum::<f64>();
        }
    }
    let (mf, l2f) = (m as f64, l2.into());
    T::from_f64(total / mf + l2f / (2.0 * mf) * penalty)
}

/// Every layer's gradient and its descent step, from the last forward pass: per layer (last
/// first) the product dA_{l−1} = W_lᵀ·dZ_l, whose epilogue makes it dZ_{l−1} and db_{l−1}'s sums,
/// then dZ_l·A_{l−1}ᵀ, whose epilogue updates W_l (no longer read), then b_l.
fn backward_step<T: NetworkFloat>(
    p: &Problem<T>,
    params: &mut [&mut [T]],
    ws: &mut Workspace<T>,
    l2: T,
    rate: T,
) {
    let layers = p.sizes.len() - 1;
    let m = p.m;
    let inv_m = one::<T>() / T::from_usize(m);
    let decay = (l2 > zero::<T>()).then(|| l2 / T::from_usize(m));
    // dZ_L = A_L − T, and its row sums.
    let k = p.sizes[layers];
    for r in 0..k {
        let (dz, a, t) = (
            &mut ws.dz[r * m..(r + 1) * m],
            &ws.a[layers - 1][r * m..(r + 1) * m],
            &p.t[r * p.ld..r * p.ld + m],
        );
        let mut sum = zero::<T>();
        dz.iter_mut().zip(a.iter().zip(t)).for_each(|(d, (&a, &t))| {
            *d = a - t;
            sum = sum + *d;
        });
        ws.db[layers - 1][r] = sum;
    }
    for l in (0..layers).rev() {
        let (rows, inner) = (p.sizes[l + 1], p.sizes[l]);
        let dz_ref = MatRef::new(ws.dz.as_ptr(), m as isize, 1);
        if l > 0 {
            // dZ_{l−1} = (W_lᵀ·dZ_l) ⊙ g′ (Wᵀ through strides), its row sums into db_{l−1}.
            // The first layer's dA (dX) is not needed.
            let activation: Activation<T> = p.hidden.activation();
            let y = if activation.derivative_from_output() { &ws.a[l - 1] } else { &ws.z[l - 1] };
            ws.db[l - 1].fill(zero());
            let epilogue = Backprop {
                activation,
                y: MatRef::new(y.as_ptr(), m as isize, 1),
                row_sums: ws.db[l - 1].as_mut_ptr(),
            };
            let wt_ref = MatRef::new(params[2 * l].as_ptr(), 1, inner as isize);
            let below = MatMut::new(ws.dz_below.as_mut_ptr(), m as isize, 1);
            // Safety: W is rows×inner, dZ rows×m, dZ below inner×m, Y inner×m, db_{l−1} inner
            // long: separate buffers.
            unsafe {
                gemm_fused((inner, rows, m), one(), wt_ref, dz_ref, zero(), below, &epilogue)
            };
        }
        // W_l ← W_l − rate·((1/m)·dZ·Aᵀ + decay·W_l): Aᵀ through strides (element (i, j) of Aᵀ
        // is A[j][i]).
        let (input, ld) = if l == 0 { (p.x.as_ptr(), p.ld) } else { (ws.a[l - 1].as_ptr(), m) };
        let at_ref = MatRef::new(input, 1, ld as isize);
        let w_mut = MatMut::new(params[2 * l].as_mut_ptr(), inner as isize, 1);
        let epilogue = GradientStep { scale: inv_m, decay, rate, w: w_mut };
        let dw_mut = MatMut::new(ws.dw[l].as_mut_ptr(), inner as isize, 1);
        // Safety: dZ is rows×m, the input inner rows of m (ld apart), the product and W
        // rows×inner, all separate. A packed Xᵀ is this Xᵀ.
        unsafe {
            match (&ws.input, l) {
                (Some(input), 0) => {
                    gemm_prepacked_fused(rows, one(), dz_ref, &input.xt, zero(), dw_mut, &epilogue)
                }
                _ => gemm_fused((rows, m, inner), one(), dz_ref, at_ref, zero(), dw_mut, &epilogue),
            }
        }
        let b = &mut params[2 * l + 1];
        b.iter_mut().zip(&ws.db[l]).for_each(|(b, &sum)| *b = *b - sum * inv_m * rate);
        core::mem::swap(&mut ws.dz, &mut ws.dz_below);
    }
}

/// `out[r][j] = x[r][order[j]]`: the columns of the (rows, m) matrix x in a new order (a
/// mini-batch epoch's shuffle), row by row. The reads are random within a row: each row is first
/// copied in order into a scratch row (a stream the prefetcher follows), so that the random reads
/// hit the cache rather than memory, and the gather itself goes through [`GATHER_ROWS`] rows per
/// index loaded.
///
/// Errors (`Layout`) when x or out is not rows·m long, order is not m long, or an index ≥ m.
pub fn gather_columns<T: Copy + Default>(
    x: &[T],
    rows: usize,
    m: usize,
    order: &[u32],
    out: &mut [T],
) -> Result<(), KernelError> {
    let size = rows.checked_mul(m);
    if size != Some(x.len())
        || size != Some(out.len())
        || order.len() != m
        || order.iter().any(|&i| i as usize >= m)
    {
        return Err(KernelError::layout(format!(
            "gather_columns: {} and {} elements for ({rows}, {m}) with {} indices",
            x.len(),
            out.len(),
            order.len()
        )));
    }
    if m == 0 {
        return Ok(());
    }
    let mut staged = vec![T::default(); GATHER_ROWS * m];
    for (src, dst) in x.chunks(GATHER_ROWS * m).zip(out.chunks_mut(GATHER_ROWS * m)) {
        let staged = &mut staged[..src.len()];
        staged.copy_from_slice(src);
        gather_rows(staged, m, order, dst);
    }
    Ok(())
}

/// Rows gathered per index loaded (and staged together: 4 rows of 12000 f64 are 384 KB, within
/// a 512 KB L2).
const GATHER_ROWS: usize = 4;

/// [`gather_columns`] of a block of up to [`GATHER_ROWS`] rows, indices already checked < m.
fn gather_rows<T: Copy>(src: &[T], m: usize, order: &[u32], dst: &mut [T]) {
    if src.len() != GATHER_ROWS * m {
        for (s, d) in src.chunks_exact(m).zip(dst.chunks_exact_mut(m)) {
            d.iter_mut().zip(order).for_each(|(d, &i)| *d = s[i as usize]);
        }
        return;
    }
    let (d01, d23) = dst.split_at_mut(2 * m);
    let ((d0, d1), (d2, d3)) = (d01.split_at_mut(m), d23.split_at_mut(m));
    for (j, &i) in order.iter().enumerate() {
        let i = i as usize;
        // Safety: i < m (checked by gather_columns) and src is 4 rows of m.
        unsafe {
            d0[j] = *src.get_unchecked(i);
            d1[j] = *src.get_unchecked(m + i);
            d2[j] = *src.get_unchecked(2 * m + i);
            d3[j] = *src.get_unchecked(3 * m + i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A [2, 3, 1] network's first cost equals the formula evaluated by hand-written loops.
    #[test]
    fn first_cost_and_update() {
        let sizes = [2usize, 3, 1];
        let x = [0.5f64, -1.0, 2.0, 1.5, 0.25, -0.5]; // 2 rows × 3 examples
        let t = [1.0f64, 0.0, 1.0];
        let mut w1 = vec![0.1, -0.2, 0.3, 0.4, -0.5, 0.6];
        let mut b1 = vec![0.01, 0.02, -0.03];
        let mut w2 = vec![0.7, -0.8, 0.9];
        let mut b2 = vec![0.05];
        let expected = {
            let mut total = 0.0;
            for i in 0..3 {
                let h: Vec<f64> = (0..3)
                    .map(|r| (w1[2 * r] * x[i] + w1[2 * r + 1] * x[3 + i] + b1[r]).tanh())
                    .collect();
                let z = w2[0] * h[0] + w2[1] * h[1] + w2[2] * h[2] + b2[0];
                let a = 1.0 / (1.0 + (-z).exp());
                total += -(t[i] * a.ln() + (1.0 - t[i]) * (1.0 - a).ln());
            }
            total / 3.0
        };
        let problem = Problem {
            sizes: &sizes,
            hidden: Hidden::Tanh,
            output: OutputKind::Sigmoid,
            x: &x,
            t: &t,
            m: 3,
            ld: 3,
            batch: 0,
        };
        let options = TrainOptions {
            learning_rate: 0.1,
            l2: 0.0,
            iterations: 2,
            first_iteration: 0,
            record_every: 1,
            tolerance: 0.0,
            prev_cost: None,
        };
        let mut costs = Vec::new();
        let before = w2.clone();
        let mut params: Vec<&mut [f64]> = vec![&mut w1, &mut b1, &mut w2, &mut b2];
        let outcome = network_train(&problem, &mut params, &options, &mut costs).unwrap();
        assert_eq!(outcome.stop, StopReason::Completed);
        assert!((costs[0] - expected).abs() < 1e-12, "{} vs {expected}", costs[0]);
        assert!(costs[1] < costs[0]);
        assert_ne!(w2, before);
    }

    #[test]
    fn gathers_columns() {
        let x = [1, 2, 3, 4, 5, 6];
        let mut out = [0; 6];
        gather_columns(&x, 2, 3, &[2, 0, 1], &mut out).unwrap();
        assert_eq!(out, [3, 1, 2, 6, 4, 5]);
        assert!(gather_columns(&x, 2, 3, &[3, 0, 1], &mut out).is_err());
        assert!(gather_columns(&x, 3, 3, &[0, 1, 2], &mut out).is_err());
    }

    /// A seeded stream in [−1, 1).
    fn stream(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 52) as f64 - 1.0
        }
    }

    /// One call of mini-batch steps (`batch` > 0: the workspace reused, the last batch narrower,
    /// the previous cost carried in the call) equals one call per batch, bit for bit: the
    /// parameters, the recorded costs and the last cost.
    fn batched_call_equals_single_steps<T: NetworkFloat>(sizes: &[usize], output: OutputKind) {
        let (m, batch, steps) = (150usize, 64usize, 3usize); // batches of 64, 64 and 22
        let mut next = stream(sizes.iter().sum::<usize>() as u64);
        let x: Vec<T> = (0..sizes[0] * m).map(|_| T::from_f64(next())).collect();
        let k = sizes[sizes.len() - 1];
        let t: Vec<T> = (0..k * m)
            .map(|e| match output {
                OutputKind::Sigmoid => T::from_f64(if next() > 0.0 { 1.0 } else { 0.0 }),
                OutputKind::Softmax => T::from_f64(if (e % m) % k == e / m { 1.0 } else { 0.0 }),
            })
            .collect();
        let start: Vec<Vec<T>> = (1..sizes.len())
            .flat_map(|l| [sizes[l] * sizes[l - 1], sizes[l]])
            .map(|n| (0..n).map(|_| T::from_f64(0.3 * next())).collect())
            .collect();
        let options = |first_iteration, iterations, prev_cost| TrainOptions {
            learning_rate: T::from_f64(0.2),
            l2: T::from_f64(0.01),
            iterations,
            first_iteration,
            record_every: 2,
            tolerance: T::from_f64(0.0),
            prev_cost,
        };
        let problem = |from: usize, width: usize, batch: usize| Problem {
            sizes,
            hidden: Hidden::Tanh,
            output,
            x: &x[from..],
            t: &t[from..],
            m: width,
            ld: m,
            batch,
        };
        let (mut whole, mut parts) = (start.clone(), start);
        let (mut whole_costs, mut part_costs) = (Vec::new(), Vec::new());
        let mut params: Vec<&mut [T]> = whole.iter_mut().map(|p| &mut p[..]).collect();
        let outcome = network_train(
            &problem(0, m, batch),
            &mut params,
            &options(2, steps, None),
            &mut whole_costs,
        )
        .unwrap();
        assert_eq!((outcome.iterations, outcome.stop), (steps, StopReason::Completed));
        let mut params: Vec<&mut [T]> = parts.iter_mut().map(|p| &mut p[..]).collect();
        let mut last = None;
        for i in 0..steps {
            let width = batch.min(m - i * batch);
            let step = network_train(
                &problem(i * batch, width, 0),
                &mut params,
                &options(2 + i, 1, last),
                &mut part_costs,
            )
            .unwrap();
            last = step.last_cost;
        }
        let bits = |v: &[T]| v.iter().map(|&e| e.into().to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&whole_costs), bits(&part_costs));
        assert_eq!(whole_costs.len(), 2);
        assert_eq!(outcome.last_cost.map(|c| c.into().to_bits()), last.map(|c| c.into().to_bits()));
        for (a, b) in whole.iter().zip(&parts) {
            assert_eq!(bits(a), bits(b));
        }
        // More batches than m holds is refused, the parameters untouched.
        let mut params: Vec<&mut [T]> = whole.iter_mut().map(|p| &mut p[..]).collect();
        let refused = network_train(
            &problem(0, m, batch),
            &mut params,
            &options(0, 4, None),
            &mut Vec::new(),
        );
        assert!(refused.is_err());
        for (a, b) in whole.iter().zip(&parts) {
            assert_eq!(bits(a), bits(b));
        }
    }

    #[test]
    fn batched_calls_equal_single_steps() {
        batched_call_equals_single_steps::<f64>(&[300, 20, 10], OutputKind::Softmax);
        batched_call_equals_single_steps::<f32>(&[300, 20, 10], OutputKind::Softmax);
        batched_call_equals_single_steps::<f64>(&[40, 7, 5, 1], OutputKind::Sigmoid);
        batched_call_equals_single_steps::<f32>(&[40, 7, 5, 1], OutputKind::Sigmoid);
    }

    /// The staged, several-rows-per-index gather equals the plain loop, for row counts around
    /// GATHER_ROWS' multiples and orders with repeats.
    #[test]
    fn gather_equals_plain_loop() {
        let mut next = stream(5);
        for rows in 0..=2 * GATHER_ROWS + 1 {
            for m in [1usize, 2, 7, 33] {
                let x: Vec<f32> = (0..rows * m).map(|_| next() as f32).collect();
                let order: Vec<u32> =
                    (0..m).map(|_| ((next() + 1.0) / 2.0 * m as f64) as u32 % m as u32).collect();
                let mut out = vec![f32::NAN; rows * m];
                gather_columns(&x, rows, m, &order, &mut out).unwrap();
                let mut expected = vec![0.0f32; rows * m];
                for r in 0..rows {
                    for j in 0..m {
                        expected[r * m + j] = x[r * m + order[j] as usize];
                    }
                }
                assert_eq!(out, expected, "rows {rows}, m {m}");
            }
        }
    }

    #[test]
    fn refuses_bad_lengths() {
        let sizes = [2usize, 1];
        let (x, t) = ([0.0f32; 5], [0.0f32; 3]);
        let (mut w, mut b) = (vec![0.0f32; 2], vec![0.0f32; 1]);
        let options = TrainOptions {
            learning_rate: 0.1,
            l2: 0.0,
            iterations: 1,
            first_iteration: 0,
            record_every: 1,
            tolerance: 0.0,
            prev_cost: None,
        };
        let problem = Problem {
            sizes: &sizes,
            hidden: Hidden::Relu,
            output: OutputKind::Sigmoid,
            x: &x,
            t: &t,
            m: 3,
            ld: 3,
            batch: 0,
        };
        let mut params: Vec<&mut [f32]> = vec![&mut w, &mut b];
        assert!(network_train(&problem, &mut params, &options, &mut Vec::new()).is_err());
    }
}
