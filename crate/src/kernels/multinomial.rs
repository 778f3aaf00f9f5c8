//! Softmax regression (multinomial logistic regression, scikit-learn's `LogisticRegression` on
//! more than two classes): k classes, weights W (k, n_x) and biases b (k), in the notation of
//! the course's output layer:
//!
//! ```text
//! Z  = W·X + b                                   (k, m): column i holds example i's logits
//! J  = (1/m)·Σᵢ [log Σ_r e^{Z_ri} − Z_{yᵢ,i}] + (λ/2m)·‖W‖²       (the biases not penalised)
//! dZ = softmax(Z) − onehot(y);  dW = (1/m)·dZ·Xᵀ + (λ/m)·W;  db = (1/m)·Σᵢ dZ_·i
//! ```
//!
//! It is a dense network with no hidden layer and a softmax output, and its forward and
//! backward passes are that network's: both products are GEMMs ([`crate::kernels::gemm`],
//! X read through strides in either layout, never copied), the loss and dZ one stable pass
//! ([`super::softmax::cross_entropy_columns`]). Gradient descent (the course's, with
//! mini-batches) runs here; L-BFGS in [`super::multinomial_lbfgs`].
//!
//! Labels are class indices `0..k` stored in X's type (exact in f32 below 2²⁴); mapping a
//! user's labels to indices is the caller's policy.

use crate::error::KernelError;
use crate::kernels::dot;
use crate::kernels::gemm::{auto_path, gemm, gemm_prepacked, PackedB, Path};
use crate::kernels::logistic::{Layout, StopReason, TrainOptions, TrainOutcome};
use crate::kernels::network::NetworkFloat;
use crate::kernels::operand::{MatMut, MatRef};
use crate::kernels::softmax::{cross_entropy_columns, softmax_columns};

/// The operands of one softmax-regression problem.
///
/// + layout: [`Layout::Cols`] (x is (n_x, m)) or [`Layout::Rows`] (x is (m, n_x))
/// + x: n_x·m elements; labels: m class indices (< k) as T
pub struct Data<'a, T> {
    pub layout: Layout,
    pub x: &'a [T],
    pub n_x: usize,
    pub m: usize,
    pub labels: &'a [T],
    pub k: usize,
}

/// The scratch of one call: Z (k, m), three columns of m, and (for
/// mini-batches) a gathered batch of X and its labels.
pub struct Workspace<T: NetworkFloat> {
    z: Vec<T>,
    top: Vec<T>,
    sum: Vec<T>,
    picked: Vec<T>,
    batch_x: Vec<T>,
    batch_labels: Vec<u32>,
    /// X packed for both products, when the workspace serves many evaluations on one X.
    packed: Option<PackedX<T>>,
}

impl<T: NetworkFloat> Workspace<T> {
    fn new(k: usize, m: usize) -> Self {
        Workspace {
            z: vec![T::ZERO; k * m],
            top: vec![T::ZERO; m],
            sum: vec![T::ZERO; m],
            picked: vec![T::ZERO; m],
            batch_x: Vec::new(),
            batch_labels: Vec::new(),
            packed: None,
        }
    }
}

/// Checks every length against n_x, m and k, and each label (an integer in 0..k); returns the
/// labels as indices.
fn check<T: NetworkFloat>(
    name: &str,
    d: &Data<T>,
    w: usize,
    b: usize,
) -> Result<Vec<u32>, KernelError> {
    let fail = |what: String| Err(KernelError::layout(format!("{name}: {what}")));
    let size = crate::array::shape::checked_size(&[d.n_x, d.m])?;
    if d.m == 0 || d.k == 0 {
        return fail(format!("no examples or no classes (m = {}, k = {})", d.m, d.k));
    }
    if d.x.len() != size || d.labels.len() != d.m {
        return fail(format!(
            "x has {} elements and the labels {}, expected n_x·m = {size} and m = {}",
            d.x.len(),
            d.labels.len(),
            d.m
        ));
    }
    if d.k.checked_mul(d.n_x) != Some(w) || b != d.k {
        return fail(format!(
            "W has {w} and b {b} elements, expected k·n_x and k (k = {}, n_x = {})",
            d.k, d.n_x
        ));
    }
    d.labels
        .iter()
        .enumerate()
        .map(|(i, &y)| {
            let v: f64 = y.into();
            if v >= 0.0 && v < d.k as f64 && v.fract() == 0.0 {
                Ok(v as u32)
            } else {
                Err(KernelError::layout(format!(
                    "{name}: label {v} at {i} is not a class index below {}",
                    d.k
                )))
            }
        })
        .collect()
}

/// X's element strides as the k×m product's right operand B = X (n_x, m) in the course's
/// notation, and as the gradient's B = Xᵀ (m, n_x): `(rs, cs)` each.
fn strides(layout: Layout, n_x: usize, m: usize) -> ((isize, isize), (isize, isize)) {
    let (n, m) = (n_x as isize, m as isize);
    match layout {
        Layout::Cols => ((m, 1), (1, m)),
        Layout::Rows => ((1, n), (n, 1)),
    }
}

/// X packed once for the two products every evaluation makes with it (L-BFGS's objective):
/// Z = W·X (X as B) and dW = dZ·Xᵀ (Xᵀ as B), as the network packs its input. Packing X costs
/// O(n_x·m) per product against the product's O(k·n_x·m): with k = 10 classes, a tenth of it.
struct PackedX<T: NetworkFloat> {
    x: PackedB<T>,
    xt: PackedB<T>,
}

/// Most elements of X packed once per objective (each of its two packed copies), as the
/// network's `PACK_INPUT_MAX`: a larger X is packed at every product, as the GEMM does.
const PACK_X_MAX: usize = 1 << 24;

/// [`PackedX`] when both products take the GEMM's blocked path (the one packing is for) and
/// X is small enough to copy twice; the packed products then compute the very bits of `gemm`.
fn pack_x<T: NetworkFloat>(d: &Data<T>) -> Option<PackedX<T>> {
    let (n_x, m, k) = (d.n_x, d.m, d.k);
    let blocked = |path| matches!(path, Path::Blocked { .. });
    if n_x.saturating_mul(m) > PACK_X_MAX
        || !blocked(auto_path::<T>(k, n_x, m))
        || !blocked(auto_path::<T>(k, m, n_x))
    {
        return None;
    }
    let ((rs, cs), (rs_t, cs_t)) = strides(d.layout, n_x, m);
    let (x, xt) = (MatRef::new(d.x.as_ptr(), rs, cs), MatRef::new(d.x.as_ptr(), rs_t, cs_t));
    // Safety: x holds n_x·m elements in its layout, as `check` verified; both views address
    // exactly those.
    unsafe { Some(PackedX { x: PackedB::new(n_x, m, x), xt: PackedB::new(m, n_x, xt) }) }
}

/// Z = W·X + b into `z` (k, m).
///
/// # Safety
/// x holds n_x·m elements in `layout`, w k·n_x, b k, z k·m; z is its own buffer.
#[allow(clippy::too_many_arguments)]
unsafe fn logits<T: NetworkFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    k: usize,
    w: &[T],
    b: &[T],
    z: &mut [T],
    packed: Option<&PackedX<T>>,
) {
    let ((rs, cs), _) = strides(layout, n_x, m);
    // Safety: as the caller guarantees; a packed X is this X.
    unsafe {
        if let Some(p) = packed {
            let (w, z) = (
                MatRef::new(w.as_ptr(), n_x as isize, 1),
                MatMut::new(z.as_mut_ptr(), m as isize, 1),
            );
            gemm_prepacked(k, T::ONE, w, &p.x, T::ZERO, z);
        } else {
            gemm(
                k,
                n_x,
                m,
                T::ONE,
                w.as_ptr(),
                n_x as isize,
                1,
                x.as_ptr(),
                rs,
                cs,
                T::ZERO,
                z.as_mut_ptr(),
                m as isize,
                1,
            )
        }
    };
    for (row, &bias) in z.chunks_exact_mut(m).zip(b) {
        row.iter_mut().for_each(|v| *v = *v + bias);
    }
}

/// J, dW and db at (W, b) over x (checked), labels as indices; returns J.
#[allow(clippy::too_many_arguments)]
fn grad_checked<T: NetworkFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    k: usize,
    labels: &[u32],
    w: &[T],
    b: &[T],
    l2: T,
    dw: &mut [T],
    db: &mut [T],
    ws: &mut Workspace<T>,
) -> T {
    let (z, packed) = (&mut ws.z[..k * m], ws.packed.as_ref());
    // Safety: the lengths were checked against n_x, m and k; z and dw are our own buffers; a
    // packed X is this x (only [`Objective::new`] packs one, for its data).
    unsafe { logits(layout, x, n_x, m, k, w, b, z, packed) };
    let (top, sum, picked) = (&mut ws.top[..m], &mut ws.sum[..m], &mut ws.picked[..m]);
    let total = cross_entropy_columns(z, m, labels, top, sum, picked);
    let inv_m = T::ONE / T::from_usize(m);
    let (_, (rs, cs)) = strides(layout, n_x, m);
    // dW = (1/m)·dZ·Xᵀ. Safety: dZ is k×m, Xᵀ m×n_x through strides (or packed), dW k×n_x,
    // separate.
    unsafe {
        if let Some(p) = packed {
            let (dz, c) = (
                MatRef::new(z.as_ptr(), m as isize, 1),
                MatMut::new(dw.as_mut_ptr(), n_x as isize, 1),
            );
            gemm_prepacked(k, inv_m, dz, &p.xt, T::ZERO, c);
        } else {
            gemm(
                k,
                m,
                n_x,
                inv_m,
                z.as_ptr(),
                m as isize,
                1,
                x.as_ptr(),
                rs,
                cs,
                T::ZERO,
                dw.as_mut_ptr(),
                n_x as isize,
                1,
            )
        }
    };
    let mut penalty = 0.0f64;
    if l2 > T::ZERO {
        let decay = l2 * inv_m;
        dw.iter_mut().zip(w).for_each(|(d, &w)| *d = *d + w * decay);
        penalty = w.iter().map(|&v| v.into() * v.into()).sum();
    }
    for (row, g) in z.chunks_exact(m).zip(db.iter_mut()) {
        *g = dot::sum(row) * inv_m;
    }
    let mf = m as f64;
    T::from_f64(total / mf + l2.into() / (2.0 * mf) * penalty)
}

/// One step's J (returned), dW (k·n_x) and db (k), the formulas in the module doc.
///
/// Errors (`Layout`) when a length disagrees with n_x, m and k, m = 0, or a label is not a
/// class index; dW and db are then untouched.
pub fn multinomial_grad<T: NetworkFloat>(
    d: &Data<T>,
    w: &[T],
    b: &[T],
    l2: T,
    dw: &mut [T],
    db: &mut [T],
) -> Result<T, KernelError> {
    let labels = check("multinomial_grad", d, w.len(), b.len())?;
    if dw.len() != w.len() || db.len() != b.len() {
        return Err(KernelError::layout("multinomial_grad: dW or db has the wrong length"));
    }
    let mut ws = Workspace::new(d.k, d.m);
    Ok(grad_checked(d.layout, d.x, d.n_x, d.m, d.k, &labels, w, b, l2, dw, db, &mut ws))
}

/// A problem checked once, with its labels as indices and its scratch, for many evaluations
/// at different (W, b) (L-BFGS's objective): no check, conversion or allocation per call.
pub struct Objective<'a, T: NetworkFloat> {
    d: &'a Data<'a, T>,
    labels: Vec<u32>,
    ws: Workspace<T>,
}

impl<'a, T: NetworkFloat> Objective<'a, T> {
    /// Errors (`Layout`) as [`multinomial_grad`] for W of k·n_x and b of k elements.
    pub fn new(d: &'a Data<'a, T>) -> Result<Self, KernelError> {
        let labels = check("multinomial objective", d, d.k * d.n_x, d.k)?;
        let mut ws = Workspace::new(d.k, d.m);
        ws.packed = pack_x(d);
        Ok(Objective { d, labels, ws })
    }

    /// J at (W, b), writing dW and db; every slice as long as [`Objective::new`] checked.
    ///
    /// # Panics
    /// If a slice has another length.
    pub fn grad(&mut self, w: &[T], b: &[T], l2: T, dw: &mut [T], db: &mut [T]) -> T {
        let d = self.d;
        let (weights, k) = (d.k * d.n_x, d.k);
        assert!(w.len() == weights && dw.len() == weights && b.len() == k && db.len() == k);
        grad_checked(d.layout, d.x, d.n_x, d.m, k, &self.labels, w, b, l2, dw, db, &mut self.ws)
    }
}

/// The class probabilities softmax(W·x + b) of the m examples: `out` is (k, m) in the cols
/// layout (a column per example, as Z) and (m, k) in rows (a row per example, as sklearn's
/// `predict_proba`).
///
/// Errors (`Layout`) when a length disagrees with n_x, m and k.
#[allow(clippy::too_many_arguments)]
pub fn multinomial_forward<T: NetworkFloat>(
    layout: Layout,
    x: &[T],
    n_x: usize,
    m: usize,
    k: usize,
    w: &[T],
    b: &[T],
    out: &mut [T],
) -> Result<(), KernelError> {
    let size = crate::array::shape::checked_size(&[n_x, m])?;
    if x.len() != size || k.checked_mul(n_x) != Some(w.len()) || b.len() != k || out.len() != k * m
    {
        return Err(KernelError::layout(format!(
            "multinomial_forward: x {}, W {}, b {}, out {} elements for n_x = {n_x}, m = {m}, k = {k}",
            x.len(),
            w.len(),
            b.len(),
            out.len()
        )));
    }
    if m == 0 || k == 0 {
        return Ok(());
    }
    let mut ws = Workspace::new(k, m);
    // Safety: the lengths were checked above; z is the workspace's own buffer.
    unsafe { logits(layout, x, n_x, m, k, w, b, &mut ws.z, None) };
    softmax_columns(&mut ws.z, m, &mut ws.top, &mut ws.sum);
    match layout {
        Layout::Cols => out.copy_from_slice(&ws.z),
        Layout::Rows => {
            for (r, row) in ws.z.chunks_exact(m).enumerate() {
                row.iter().enumerate().for_each(|(i, &p)| out[i * k + r] = p);
            }
        }
    }
    Ok(())
}

/// Gradient descent on (W, b) in place, `logistic::train`'s iteration order exactly (cost,
/// divergence test without the update, record, update, tolerance test); see
/// [`crate::kernels::logistic::logistic_train`]. The cost is computed every iteration (it
/// costs m logs next to two GEMMs).
///
/// + order, batch_size: empty `order` for full-batch steps; else iteration i steps on the
///   examples `order[c·batch_size..]` (at most batch_size of them, c = i mod the number of
///   batches), gathered into a contiguous copy first
///
/// Errors (`Layout`) as [`multinomial_grad`], for an index ≥ m or batch_size = 0 with an
/// order; W and b are then untouched.
pub fn multinomial_train<T: NetworkFloat>(
    d: &Data<T>,
    w: &mut [T],
    b: &mut [T],
    order: &[u32],
    batch_size: usize,
    options: &TrainOptions<T>,
    costs: &mut Vec<T>,
) -> Result<TrainOutcome<T>, KernelError> {
    let labels = check("multinomial_train", d, w.len(), b.len())?;
    if !order.is_empty() && (batch_size == 0 || order.iter().any(|&i| i as usize >= d.m)) {
        return Err(KernelError::layout(format!(
            "multinomial_train: batch size {batch_size} with {} indices for m = {}",
            order.len(),
            d.m
        )));
    }
    let (n_x, k) = (d.n_x, d.k);
    let step_m = if order.is_empty() { d.m } else { batch_size.min(order.len()) };
    let mut ws = Workspace::new(k, step_m);
    let batches = if order.is_empty() { 1 } else { order.len().div_ceil(batch_size) };
    let (mut dw, mut db) = (vec![T::ZERO; w.len()], vec![T::ZERO; k]);
    let mut prev = options.prev_cost;
    let alpha = options.learning_rate;
    let converging = options.tolerance > T::ZERO;
    for i in 0..options.iterations {
        let g = options.first_iteration + i;
        let cost = if order.is_empty() {
            grad_checked(
                d.layout, d.x, n_x, d.m, k, &labels, w, b, options.l2, &mut dw, &mut db, &mut ws,
            )
        } else {
            let start = (i % batches) * batch_size;
            let batch = &order[start..order.len().min(start + batch_size)];
            gather(d, &labels, batch, &mut ws);
            let (bx, bl) = (std::mem::take(&mut ws.batch_x), std::mem::take(&mut ws.batch_labels));
            let cost = grad_checked(
                d.layout,
                &bx,
                n_x,
                batch.len(),
                k,
                &bl,
                w,
                b,
                options.l2,
                &mut dw,
                &mut db,
                &mut ws,
            );
            (ws.batch_x, ws.batch_labels) = (bx, bl);
            cost
        };
        if !cost.into().is_finite() {
            return Ok(TrainOutcome {
                iterations: i,
                stop: StopReason::Diverged,
                last_cost: Some(cost),
            });
        }
        if options.record_every > 0 && g.is_multiple_of(options.record_every) {
            costs.push(cost);
        }
        w.iter_mut().zip(&dw).for_each(|(p, &d)| *p = *p - alpha * d);
        b.iter_mut().zip(&db).for_each(|(p, &d)| *p = *p - alpha * d);
        if converging {
            if let Some(p) = prev {
                let change = if cost > p { cost - p } else { p - cost };
                if change < options.tolerance {
                    return Ok(TrainOutcome {
                        iterations: i + 1,
                        stop: StopReason::Converged,
                        last_cost: Some(cost),
                    });
                }
            }
        }
        prev = Some(cost);
    }
    Ok(TrainOutcome {
        iterations: options.iterations,
        stop: StopReason::Completed,
        last_cost: prev,
    })
}

/// The batch's examples of X (in X's layout) and their labels, into the workspace.
fn gather<T: NetworkFloat>(d: &Data<T>, labels: &[u32], batch: &[u32], ws: &mut Workspace<T>) {
    let (n_x, m, bm) = (d.n_x, d.m, batch.len());
    ws.batch_x.clear();
    ws.batch_labels.clear();
    ws.batch_labels.extend(batch.iter().map(|&i| labels[i as usize]));
    match d.layout {
        Layout::Rows => {
            for &i in batch {
                let i = i as usize;
                ws.batch_x.extend_from_slice(&d.x[i * n_x..(i + 1) * n_x]);
            }
        }
        Layout::Cols => {
            ws.batch_x.resize(n_x * bm, T::ZERO);
            for (row, out) in d.x.chunks_exact(m.max(1)).zip(ws.batch_x.chunks_exact_mut(bm.max(1)))
            {
                out.iter_mut().zip(batch).for_each(|(o, &i)| *o = row[i as usize]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// J, dW and db by per-example loops in f64 (the formulas of the module doc).
    #[allow(clippy::too_many_arguments)]
    fn by_loops(
        layout: Layout,
        x: &[f64],
        n_x: usize,
        m: usize,
        y: &[f64],
        k: usize,
        w: &[f64],
        b: &[f64],
        l2: f64,
    ) -> (f64, Vec<f64>, Vec<f64>) {
        let at =
            |j: usize, i: usize| if layout == Layout::Cols { x[j * m + i] } else { x[i * n_x + j] };
        let (mut cost, mut dw, mut db) = (0.0, vec![0.0; k * n_x], vec![0.0; k]);
        for i in 0..m {
            let z: Vec<f64> = (0..k)
                .map(|r| b[r] + (0..n_x).map(|j| w[r * n_x + j] * at(j, i)).sum::<f64>())
                .collect();
            let top = z.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let s: f64 = z.iter().map(|v| (v - top).exp()).sum();
            cost += s.ln() + top - z[y[i] as usize];
            for r in 0..k {
                let dz = (z[r] - top).exp() / s - (r == y[i] as usize) as u8 as f64;
                db[r] += dz / m as f64;
                for j in 0..n_x {
                    dw[r * n_x + j] += dz * at(j, i) / m as f64;
                }
            }
        }
        let norm: f64 = w.iter().map(|v| v * v).sum();
        dw.iter_mut().zip(w).for_each(|(d, v)| *d += l2 / m as f64 * v);
        (cost / m as f64 + l2 / (2.0 * m as f64) * norm, dw, db)
    }

    #[test]
    fn grad_matches_per_example_loops_in_both_layouts() {
        let (n_x, m, k) = (3, 7, 4);
        let xc: Vec<f64> = (0..n_x * m).map(|v| ((v * 37 % 11) as f64 - 5.0) / 3.0).collect();
        let xr: Vec<f64> = (0..m * n_x).map(|v| xc[(v % n_x) * m + v / n_x]).collect();
        let y: Vec<f64> = (0..m).map(|i| (i * 3 % k) as f64).collect();
        let w: Vec<f64> = (0..k * n_x).map(|v| ((v * 5 % 7) as f64 - 3.0) / 4.0).collect();
        let b = [0.1, -0.2, 0.3, 0.0];
        for (layout, x) in [(Layout::Cols, &xc), (Layout::Rows, &xr)] {
            let d = Data { layout, x, n_x, m, labels: &y, k };
            let (mut dw, mut db) = (vec![f64::NAN; k * n_x], vec![f64::NAN; k]);
            let cost = multinomial_grad(&d, &w, &b, 0.5, &mut dw, &mut db).unwrap();
            let (c, gw, gb) = by_loops(layout, x, n_x, m, &y, k, &w, &b, 0.5);
            assert!((cost - c).abs() < 1e-13, "{cost} vs {c}");
            dw.iter().zip(&gw).for_each(|(a, e)| assert!((a - e).abs() < 1e-13));
            db.iter().zip(&gb).for_each(|(a, e)| assert!((a - e).abs() < 1e-13));
        }
    }

    /// The objective packs X once for both products (a shape on the GEMM's blocked path, with
    /// edge tiles and two depth blocks for dW) and computes the very bits of the unpacked
    /// gradient, in both layouts and dtypes, evaluation after evaluation; both match the
    /// per-example loops.
    fn packed_objective_equals_unpacked<T: NetworkFloat>(tol: f64) {
        let (n_x, m, k) = (70, 300, 10);
        let xc: Vec<f64> = (0..n_x * m).map(|v| ((v * 37 % 101) as f64 - 50.0) / 30.0).collect();
        let xr: Vec<f64> = (0..m * n_x).map(|v| xc[(v % n_x) * m + v / n_x]).collect();
        let y: Vec<f64> = (0..m).map(|i| (i * 7 % k) as f64).collect();
        let yt: Vec<T> = y.iter().map(|&v| T::from_f64(v)).collect();
        for (layout, x) in [(Layout::Cols, &xc), (Layout::Rows, &xr)] {
            let xt: Vec<T> = x.iter().map(|&v| T::from_f64(v)).collect();
            let d = Data { layout, x: &xt, n_x, m, labels: &yt, k };
            let mut f = Objective::new(&d).unwrap();
            assert!(f.ws.packed.is_some(), "{layout:?}: X was not packed");
            for round in 0..3 {
                let w64: Vec<f64> =
                    (0..k * n_x).map(|v| (((v + round) * 5 % 13) as f64 - 6.0) / 40.0).collect();
                let b64: Vec<f64> = (0..k).map(|r| (r as f64 - 4.5) / 10.0).collect();
                let w: Vec<T> = w64.iter().map(|&v| T::from_f64(v)).collect();
                let b: Vec<T> = b64.iter().map(|&v| T::from_f64(v)).collect();
                let (mut dw, mut db) = (vec![T::ZERO; k * n_x], vec![T::ZERO; k]);
                let (mut dw0, mut db0) = (dw.clone(), db.clone());
                let l2 = T::from_f64(0.5);
                let cost = f.grad(&w, &b, l2, &mut dw, &mut db);
                let cost0 = multinomial_grad(&d, &w, &b, l2, &mut dw0, &mut db0).unwrap();
                let bits = |v: &[T]| v.iter().map(|&x| x.into().to_bits()).collect::<Vec<_>>();
                assert_eq!(cost.into().to_bits(), cost0.into().to_bits(), "{layout:?}: J");
                assert_eq!(bits(&dw), bits(&dw0), "{layout:?}: dW");
                assert_eq!(bits(&db), bits(&db0), "{layout:?}: db");
                let wl: Vec<f64> = w.iter().map(|&v| v.into()).collect();
                let bl: Vec<f64> = b.iter().map(|&v| v.into()).collect();
                let xl: Vec<f64> = xt.iter().map(|&v| v.into()).collect();
                let (c, gw, _) = by_loops(layout, &xl, n_x, m, &y, k, &wl, &bl, 0.5);
                assert!((cost.into() - c).abs() < tol * c.abs().max(1.0), "{layout:?}: J");
                dw.iter().zip(&gw).for_each(|(&a, e)| assert!((a.into() - e).abs() < tol));
            }
        }
    }

    #[test]
    fn packed_objective_equals_unpacked_f64() {
        packed_objective_equals_unpacked::<f64>(1e-12);
    }

    #[test]
    fn packed_objective_equals_unpacked_f32() {
        packed_objective_equals_unpacked::<f32>(1e-4);
    }

    #[test]
    fn refuses_bad_labels_and_lengths() {
        let x = [0.0f32; 6];
        let (w, b) = ([0.0f32; 6], [0.0f32; 3]);
        let (mut dw, mut db) = ([0.0f32; 6], [0.0f32; 3]);
        for labels in [[0.0, 3.0], [0.5, 1.0], [-1.0, 0.0]] {
            let d = Data { layout: Layout::Cols, x: &x, n_x: 2, m: 2, labels: &labels, k: 3 };
            assert!(multinomial_grad(&d, &w, &b, 0.0, &mut dw, &mut db).is_err(), "{labels:?}");
        }
        let d = Data { layout: Layout::Cols, x: &x[..5], n_x: 2, m: 2, labels: &[0.0, 1.0], k: 3 };
        assert!(multinomial_grad(&d, &w, &b, 0.0, &mut dw, &mut db).is_err());
    }

    /// Mini-batches of the whole order in one batch equal full-batch steps.
    #[test]
    fn one_batch_of_everything_is_full_batch() {
        let (n_x, m, k) = (2, 5, 3);
        let x: Vec<f64> = (0..n_x * m).map(|v| (v as f64 * 0.7).sin()).collect();
        let y = [0.0, 1.0, 2.0, 1.0, 0.0];
        let d = Data { layout: Layout::Rows, x: &x, n_x, m, labels: &y, k };
        let options = TrainOptions {
            learning_rate: 0.5,
            l2: 0.1,
            iterations: 20,
            first_iteration: 0,
            record_every: 1,
            tolerance: 0.0,
            prev_cost: None,
        };
        let run = |order: &[u32]| {
            let (mut w, mut b, mut costs) = (vec![0.0; k * n_x], vec![0.0; k], Vec::new());
            multinomial_train(&d, &mut w, &mut b, order, m, &options, &mut costs).unwrap();
            (w, b, costs)
        };
        let (full, batched) = (run(&[]), run(&[0, 1, 2, 3, 4]));
        assert_eq!(full.0, batched.0);
        assert_eq!(full.2, batched.2);
        assert!(full.2.windows(2).all(|c| c[1] < c[0]));
        assert!((full.2[0] - (3.0f64).ln()).abs() < 1e-15);
    }
}
