//! The fused logistic-regression kernels against an unfused f64 computation written here
//! (z = wᵀx + b, a = 1/(1 + e⁻ᶻ), the softplus loss, dz = a − y, dw = X·dz/m, db = mean dz,
//! one example at a time), over both layouts and both dtypes:
//!
//! - sizes n_x, m ∈ {1, 2, 3, 5, 17, 64, 257} and the kernels' boundaries: the dot chunk and
//!   z-chunk row counts (63–65, 127–129), the cost block (63–65 examples) and the cols tile
//!   width ± 1 for several n_x;
//! - a central finite-difference check of dw and db against the kernel's own cost (f64);
//! - saturation (z = ±1000: loss terms exactly 0 or 1000, no NaN) and formula (3) where it is
//!   finite; the L2 terms;
//! - training: decreasing costs and 100 % accuracy on separable data, bit-for-bit equality with
//!   repeated `logistic_grad` steps (and with chunked calls), the tolerance stop, divergence;
//! - `pack_cols_to_rows` (element map and round trip), mini-batches (bit-for-bit equal to the
//!   full step on the gathered examples), forward, and the length errors.
//!
//! Tolerances (the kernel's stated bounds, with room for the reference's own naive sums):
//! with `S = mean_i Σ_j |w_j·x_ij|` (the scale of z's rounding error) and `X = max |x_ij|`,
//!
//! ```text
//! |cost − ref| ≤ τ·(1 + S + ref),   |db − ref| ≤ τ·(1 + S),   |dw_j − ref_j| ≤ τ·X·(1 + S)
//! ```
//!
//! with τ = 1e-5 for f32 (z's bound alone is ~2e-6·S) and 1e-12 for f64. Dropping or doubling
//! one example of 257 moves these by ~1e-3, far outside.

// Index loops read like the formulas, and the updates are written `w = w − α·dw` on purpose:
// the same operations the kernel's update performs.
#![allow(clippy::needless_range_loop, clippy::assign_op_pattern)]

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{Elem, Rng};
use vectorized_core::error::ErrorKind;
use vectorized_core::kernels::logistic::{
    logistic_forward, logistic_grad, logistic_grad_subset, logistic_train, logistic_train_subset,
    pack_cols_to_rows, pass_width, tile_width, Layout, StopReason, TrainOptions, MAX_TILE,
    WHOLE_BYTES,
};

/// The comparison tolerance τ (see the module doc).
fn tau<T: Elem>() -> f64 {
    if T::U > 1e-10 {
        1e-5
    } else {
        1e-12
    }
}

const LAYOUTS: [Layout; 2] = [Layout::Cols, Layout::Rows];
const SIZES: [usize; 7] = [1, 2, 3, 5, 17, 64, 257];

/// A problem: X in `layout`, labels, weights and bias, all as T.
struct Problem<T> {
    layout: Layout,
    n_x: usize,
    m: usize,
    x: Vec<T>,
    y: Vec<T>,
    w: Vec<T>,
    b: T,
}

impl<T: Elem> Problem<T> {
    /// Features uniform in [−2, 2), weights scaled so z is O(1..3), 0/1 labels.
    fn random(layout: Layout, n_x: usize, m: usize, seed: u64) -> Self {
        let mut rng = Rng(seed ^ ((n_x as u64) << 32) ^ m as u64);
        let x = (0..n_x * m).map(|_| T::of(2.0 * rng.uniform())).collect();
        let y = (0..m).map(|_| T::of(if rng.next_u64() & 1 == 1 { 1.0 } else { 0.0 })).collect();
        let scale = 1.5 / (n_x.max(1) as f64).sqrt();
        let w = (0..n_x).map(|_| T::of(scale * rng.uniform())).collect();
        Problem { layout, n_x, m, x, y, w, b: T::of(0.3) }
    }

    /// Feature j of example i, in f64.
    fn at(&self, i: usize, j: usize) -> f64 {
        match self.layout {
            Layout::Cols => self.x[j * self.m + i].into(),
            Layout::Rows => self.x[i * self.n_x + j].into(),
        }
    }

    fn grad(&self, l2: T) -> (T, T, Vec<T>) {
        let mut dw = vec![T::of(f64::NAN); self.n_x]; // written only: NaN must not leak
        let (cost, db) = logistic_grad(
            self.layout,
            &self.x,
            self.n_x,
            self.m,
            &self.y,
            &self.w,
            self.b,
            l2,
            &mut dw,
        )
        .unwrap();
        (cost, db, dw)
    }
}

/// The unfused computation in f64, one example at a time.
struct Reference {
    cost: f64,
    db: f64,
    dw: Vec<f64>,
    /// mean_i Σ_j |w_j·x_ij|
    s: f64,
    /// max |x_ij|
    xmax: f64,
}

fn reference<T: Elem>(p: &Problem<T>, l2: f64) -> Reference {
    let w: Vec<f64> = p.w.iter().map(|&v| v.into()).collect();
    let (b, m) = (p.b.into(), p.m as f64);
    let (mut cost, mut db, mut dw, mut s, mut xmax) = (0.0, 0.0, vec![0.0; p.n_x], 0.0, 0.0f64);
    let mut example = vec![0.0; p.n_x];
    for i in 0..p.m {
        for (j, e) in example.iter_mut().enumerate() {
            *e = p.at(i, j);
        }
        let mut z = b;
        for (wj, xj) in w.iter().zip(&example) {
            z += wj * xj;
            s += (wj * xj).abs();
            xmax = xmax.max(xj.abs());
        }
        let y: f64 = p.y[i].into();
        let a = 1.0 / (1.0 + (-z).exp());
        cost += z.max(0.0) - y * z + (-z.abs()).exp().ln_1p();
        let dz = a - y;
        db += dz;
        for (d, xj) in dw.iter_mut().zip(&example) {
            *d += dz * xj;
        }
    }
    let wsq: f64 = w.iter().map(|v| v * v).sum();
    Reference {
        cost: cost / m + l2 / (2.0 * m) * wsq,
        db: db / m,
        dw: dw.iter().zip(&w).map(|(d, wj)| d / m + l2 / m * wj).collect(),
        s: s / m,
        xmax,
    }
}

/// Checks a fused step against the reference with the tolerances of the module doc.
fn check_step<T: Elem>(p: &Problem<T>, l2: f64) {
    let (cost, db, dw) = p.grad(T::of(l2));
    let r = reference(p, l2);
    let (cost, db): (f64, f64) = (cost.into(), db.into());
    let ctx =
        format!("{:?} n_x={} m={} l2={l2} {}", p.layout, p.n_x, p.m, std::any::type_name::<T>());
    assert!(
        (cost - r.cost).abs() <= tau::<T>() * (1.0 + r.s + r.cost),
        "cost {cost} vs {} ({ctx})",
        r.cost
    );
    assert!((db - r.db).abs() <= tau::<T>() * (1.0 + r.s), "db {db} vs {} ({ctx})", r.db);
    for (j, (&d, &e)) in dw.iter().zip(&r.dw).enumerate() {
        let d: f64 = d.into();
        assert!(
            (d - e).abs() <= tau::<T>() * r.xmax.max(1.0) * (1.0 + r.s),
            "dw[{j}] {d} vs {e} ({ctx})"
        );
    }
}

fn check_sizes<T: Elem>() {
    for layout in LAYOUTS {
        for n_x in SIZES {
            for m in SIZES {
                check_step(&Problem::<T>::random(layout, n_x, m, 1), 0.0);
            }
        }
    }
}

#[test]
fn step_matches_unfused_f32() {
    check_sizes::<f32>();
}

#[test]
fn step_matches_unfused_f64() {
    check_sizes::<f64>();
}

/// (n_x, m) pairs on the kernels' boundaries: dot chunks (128 f32 / 64 f64 elements), z chunks
/// (64 rows), microkernel groups (4), cost blocks (64 examples), and cols tiles, which split a
/// pass only past MAX_TILE examples or WHOLE_BYTES of X: one example past MAX_TILE at n_x = 4
/// (tiles of 4096), one past two tiles at n_x = 1000 (2048 wide in f32, 1024 in f64), and at
/// the 64-wide tiles of n_x = 16500 (f32) / 8200 (f64), X just past WHOLE_BYTES (9 tiles and a
/// part of one); and the largest passes that stay one tile.
fn boundary_sizes<T>() -> Vec<(usize, usize)> {
    let mut sizes = Vec::new();
    for n_x in [0, 4, 31, 32, 33, 63, 64, 65, 127, 128, 129] {
        for m in [1, 3, 63, 64, 65, 129] {
            sizes.push((n_x, m));
        }
    }
    assert_eq!(pass_width::<T>(4, MAX_TILE + 1), MAX_TILE);
    sizes.extend([(4, MAX_TILE), (4, MAX_TILE + 1)]);
    sizes.push((1000, 2 * tile_width::<T>(1000) + 1));
    let wide = if core::mem::size_of::<T>() == 4 { 16500 } else { 8200 };
    assert_eq!(tile_width::<T>(wide), 64);
    let whole = WHOLE_BYTES / (wide * core::mem::size_of::<T>()); // the most examples in one tile
    assert_eq!((pass_width::<T>(wide, whole), pass_width::<T>(wide, whole + 1)), (whole, 64));
    sizes.extend([(wide, whole), (wide, whole + 1)]);
    sizes
}

fn check_boundaries<T: Elem>() {
    for layout in LAYOUTS {
        for (n_x, m) in boundary_sizes::<T>() {
            check_step(&Problem::<T>::random(layout, n_x, m, 2), 0.0);
        }
    }
}

#[test]
fn step_matches_unfused_at_boundaries_f32() {
    check_boundaries::<f32>();
}

#[test]
fn step_matches_unfused_at_boundaries_f64() {
    check_boundaries::<f64>();
}

#[test]
fn passes_are_one_tile_while_they_fit() {
    // The course's X, (12288, 209): one tile in both dtypes (10 and 20 MB).
    assert_eq!(pass_width::<f32>(12288, 209), 209);
    assert_eq!(pass_width::<f64>(12288, 209), 209);
    // More examples than MAX_TILE, or more than WHOLE_BYTES of X: tiles of tile_width.
    assert_eq!(pass_width::<f32>(1000, 4097), 2048);
    assert_eq!(pass_width::<f64>(12288, 400), 64);
    assert_eq!(pass_width::<f32>(2, 3), 3);
}

#[test]
fn tile_width_is_sized_for_l3() {
    // 8 MB of X per tile, in multiples of 64 examples within [64, 4096]: (1000, ·) f32 → 2048
    // columns, f64 → 1024.
    assert_eq!(tile_width::<f32>(1000), 2048);
    assert_eq!(tile_width::<f64>(1000), 1024);
    assert_eq!(tile_width::<f32>(12288), 128);
    assert_eq!(tile_width::<f32>(16500), 64);
    assert_eq!(tile_width::<f64>(8200), 64);
    assert_eq!(tile_width::<f32>(1), 4096);
    assert_eq!(tile_width::<f64>(0), 4096);
}

#[test]
fn soft_labels_and_l2() {
    for layout in LAYOUTS {
        let mut p = Problem::<f64>::random(layout, 17, 65, 3);
        let mut rng = Rng(9);
        p.y.iter_mut().for_each(|y| *y = 0.5 + 0.5 * rng.uniform());
        for l2 in [0.0, 0.1, 3.0] {
            check_step(&p, l2);
            let mut q = Problem::<f32>::random(layout, 17, 65, 3);
            q.y = p.y.iter().map(|&v| v as f32).collect();
            check_step(&q, l2);
        }
        // The L2 terms themselves: λ/(2m)·‖w‖² and λ/m·w on top of the unpenalised step.
        let (c0, db0, dw0) = p.grad(0.0);
        let (c1, db1, dw1) = p.grad(2.0);
        let wsq: f64 = p.w.iter().map(|v| v * v).sum();
        assert!((c1 - c0 - wsq / 65.0).abs() < 1e-13);
        assert_eq!(db0, db1);
        for j in 0..17 {
            assert!((dw1[j] - dw0[j] - 2.0 * p.w[j] / 65.0).abs() < 1e-15);
        }
    }
}

fn check_bad_labels<T: Elem>() {
    // Every lane position of full vectors and tails, both layouts: one label outside [0, 1]
    // (or NaN) makes the cost +inf; the step is otherwise computed (dw, db finite).
    for layout in LAYOUTS {
        for m in [1, 3, 4, 5, 8, 9, 17] {
            for at in 0..m {
                for bad in [1.5, -0.25, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1e-30] {
                    let mut p = Problem::<T>::random(layout, 3, m, 5);
                    p.y[at] = T::of(bad);
                    let (cost, _, dw) = p.grad(T::ZERO);
                    let cost: f64 = cost.into();
                    assert_eq!(cost, f64::INFINITY, "{layout:?} m={m} label {bad} at {at}");
                    if bad.is_finite() {
                        assert!(dw.iter().all(|&v| v.into().is_finite()), "{layout:?} m={m} dw");
                    }
                }
            }
            // Labels at the ends of [0, 1], and −0, are labels.
            let mut p = Problem::<T>::random(layout, 3, m, 5);
            p.y.iter_mut().enumerate().for_each(|(i, y)| *y = T::of([0.0, 1.0, -0.0, 0.5][i % 4]));
            let cost: f64 = p.grad(T::ZERO).0.into();
            assert!(cost.is_finite(), "{layout:?} m={m}");
        }
    }
}

#[test]
fn a_label_outside_0_1_makes_the_cost_infinite() {
    check_bad_labels::<f32>();
    check_bad_labels::<f64>();
}

#[test]
fn finite_differences_f64() {
    for layout in LAYOUTS {
        for l2 in [0.0, 0.7] {
            let mut p = Problem::<f64>::random(layout, 5, 17, 4);
            let (_, db, dw) = p.grad(l2);
            let h = 1e-5;
            let cost_at = |p: &Problem<f64>| p.grad(l2).0;
            for j in 0..p.n_x {
                let wj = p.w[j];
                p.w[j] = wj + h;
                let plus = cost_at(&p);
                p.w[j] = wj - h;
                let minus = cost_at(&p);
                p.w[j] = wj;
                let fd = (plus - minus) / (2.0 * h);
                assert!((fd - dw[j]).abs() < 1e-8, "{layout:?} dw[{j}] {} vs {fd}", dw[j]);
            }
            let b = p.b;
            p.b = b + h;
            let plus = cost_at(&p);
            p.b = b - h;
            let minus = cost_at(&p);
            p.b = b;
            let fd = (plus - minus) / (2.0 * h);
            assert!((fd - db).abs() < 1e-8, "{layout:?} db {db} vs {fd}");
        }
    }
}

fn check_saturation<T: Elem>() {
    // n_x = 1, w = 1, b = 0: z = x. Loss terms 0, 1000, 0, 1000; dz = 0, 1, 0, −1.
    for layout in LAYOUTS {
        let x: Vec<T> = [1000.0, 1000.0, -1000.0, -1000.0].map(T::of).to_vec();
        let y: Vec<T> = [1.0, 0.0, 0.0, 1.0].map(T::of).to_vec();
        let mut dw = [T::of(f64::NAN)];
        let (cost, db) =
            logistic_grad(layout, &x, 1, 4, &y, &[T::ONE], T::ZERO, T::ZERO, &mut dw).unwrap();
        assert_eq!((cost.into(), db.into(), dw[0].into()), (500.0, 0.0, 500.0), "{layout:?}");
        // n_x = 0: z = b for every example.
        for (b, yv, loss) in
            [(1000.0, 0.0, 1000.0), (1000.0, 1.0, 0.0), (-1000.0, 1.0, 1000.0), (-1000.0, 0.0, 0.0)]
        {
            let y = vec![T::of(yv); 3];
            let (cost, db) =
                logistic_grad(layout, &[], 0, 3, &y, &[], T::of(b), T::ZERO, &mut []).unwrap();
            let a = if b > 0.0 { 1.0 } else { 0.0 };
            assert_eq!((cost.into(), db.into()), (loss, a - yv), "{layout:?} b={b} y={yv}");
        }
    }
}

#[test]
fn saturation_is_exact_and_finite() {
    check_saturation::<f32>();
    check_saturation::<f64>();
}

#[test]
fn cost_equals_formula_3_where_finite() {
    // One example, z = x: J = −[y·log a + (1 − y)·log(1 − a)], a = σ(z), for |z| ≤ 15 where the
    // f64 evaluation of formula (3) is itself accurate to ~1e-9.
    for k in -40..=40 {
        let z = k as f64 * 0.375;
        for y in [0.0, 0.3, 1.0] {
            let a = 1.0 / (1.0 + (-z).exp());
            let expected = -(y * a.ln() + (1.0 - y) * (1.0 - a).ln());
            let (cost, _) =
                logistic_grad(Layout::Rows, &[z], 1, 1, &[y], &[1.0], 0.0, 0.0, &mut [0.0])
                    .unwrap();
            assert!(
                (cost - expected).abs() <= 1e-9 * expected.max(1e-3),
                "z={z} y={y}: {cost} vs {expected}"
            );
            let (cost32, _) = logistic_grad(
                Layout::Rows,
                &[z as f32],
                1,
                1,
                &[y as f32],
                &[1.0],
                0.0,
                0.0,
                &mut [0.0],
            )
            .unwrap();
            assert!(
                (cost32 as f64 - expected).abs() <= 1e-6 * expected.max(1.0),
                "f32 z={z} y={y}"
            );
        }
    }
}

fn check_forward<T: Elem>() {
    for layout in LAYOUTS {
        for (n_x, m) in [(1, 1), (3, 5), (17, 257), (65, 1025), (129, 3)] {
            let p = Problem::<T>::random(layout, n_x, m, 5);
            let mut out = vec![T::of(f64::NAN); m];
            logistic_forward(layout, &p.x, n_x, m, &p.w, p.b, &mut out).unwrap();
            let r = reference(&p, 0.0);
            for i in 0..m {
                let z: f64 = p.b.into() + (0..n_x).map(|j| p.w[j].into() * p.at(i, j)).sum::<f64>();
                let a = 1.0 / (1.0 + (-z).exp());
                let got: f64 = out[i].into();
                assert!(
                    (got - a).abs() <= tau::<T>() * (1.0 + r.s),
                    "{layout:?} ({n_x},{m}) a[{i}] {got} vs {a}"
                );
            }
        }
        // m = 0 is nothing to do.
        logistic_forward::<T>(layout, &[], 3, 0, &[T::ONE; 3], T::ZERO, &mut []).unwrap();
    }
}

#[test]
fn forward_matches_sigmoid_of_z() {
    check_forward::<f32>();
    check_forward::<f64>();
}

#[test]
fn pack_cols_to_rows_transposes() {
    for (n_x, m) in
        [(0, 3), (3, 0), (1, 1), (1, 7), (7, 1), (63, 65), (64, 64), (65, 130), (200, 3)]
    {
        let x: Vec<f32> = (0..n_x * m).map(|k| k as f32).collect();
        let mut rows = vec![f32::NAN; n_x * m];
        pack_cols_to_rows(&x, n_x, m, &mut rows).unwrap();
        for i in 0..m {
            for j in 0..n_x {
                assert_eq!(rows[i * n_x + j], x[j * m + i], "({n_x},{m}) example {i} feature {j}");
            }
        }
        // (m, n_x) read as n_x' = m features of m' = n_x examples transposes back.
        let mut back = vec![f32::NAN; n_x * m];
        pack_cols_to_rows(&rows, m, n_x, &mut back).unwrap();
        assert_eq!(back, x);
    }
    // The packed rows layout gives the same step as the cols layout (to rounding).
    let p = Problem::<f64>::random(Layout::Cols, 129, 257, 6);
    let mut q = Problem::<f64>::random(Layout::Rows, 129, 257, 6);
    pack_cols_to_rows(&p.x, 129, 257, &mut q.x).unwrap();
    let ((c1, b1, w1), (c2, b2, w2)) = (p.grad(0.0), q.grad(0.0));
    assert!((c1 - c2).abs() < 1e-13 && (b1 - b2).abs() < 1e-13);
    assert!(w1.iter().zip(&w2).all(|(a, b)| (a - b).abs() < 1e-13));
    assert_eq!(
        pack_cols_to_rows(&[1.0f32; 5], 2, 3, &mut [0.0; 6]).unwrap_err().kind,
        ErrorKind::Layout
    );
}

/// The batch's examples copied into their own X (in the same layout).
fn gather<T: Elem>(p: &Problem<T>, idx: &[u32]) -> Problem<T> {
    let (n_x, k) = (p.n_x, idx.len());
    let mut x = vec![T::ZERO; n_x * k];
    for (c, &i) in idx.iter().enumerate() {
        for j in 0..n_x {
            let v = T::of(p.at(i as usize, j));
            match p.layout {
                Layout::Cols => x[j * k + c] = v,
                Layout::Rows => x[c * n_x + j] = v,
            }
        }
    }
    let y = idx.iter().map(|&i| p.y[i as usize]).collect();
    Problem { layout: p.layout, n_x, m: k, x, y, w: p.w.clone(), b: p.b }
}

fn check_subset<T: Elem>() {
    for layout in LAYOUTS {
        // Batches of one or more examples, across cost blocks and (at n_x = 16500, 64-wide
        // tiles) across two tiles into a third.
        for (n_x, m, lens) in [
            (1, 5, &[1, 3, 64][..]),
            (5, 17, &[1, 65]),
            (130, 300, &[3, 64, 65, 200]),
            (16500, 70, &[133]),
        ] {
            let p = Problem::<T>::random(layout, n_x, m, 7);
            let mut rng = Rng(11);
            for &len in lens {
                // Random indices, repeats allowed.
                let idx: Vec<u32> = (0..len).map(|_| (rng.next_u64() % m as u64) as u32).collect();
                let l2 = T::of(0.25);
                let mut dw = vec![T::of(f64::NAN); n_x];
                let got =
                    logistic_grad_subset(layout, &p.x, n_x, m, &p.y, &p.w, p.b, l2, &idx, &mut dw)
                        .unwrap();
                let g = gather(&p, &idx);
                let (cost, db, dw_full) = g.grad(l2);
                let ctx = format!("{layout:?} ({n_x},{m}) batch {len}");
                assert_eq!((got.0.bits(), got.1.bits()), (cost.bits(), db.bits()), "{ctx}");
                assert!(dw.iter().zip(&dw_full).all(|(a, b)| a.bits() == b.bits()), "{ctx}");
            }
        }
    }
}

#[test]
fn subset_equals_step_on_gathered_examples() {
    check_subset::<f32>();
    check_subset::<f64>();
}

/// Each thread keeps the workspace of its last step for the next: a step's bits must not
/// depend on the steps run before it. Each step is checked against the same step on a fresh
/// thread, with f32 and f64 steps interleaved, and again after a mini-batch step.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn kept_workspace_does_not_change_a_step() {
    /// Wide tiles first, then a narrower one over the same n_x (the kept buffers then hold a
    /// longer, stale tail), the rows layout, another n_x.
    fn problem<T: Elem>(i: usize) -> Problem<T> {
        let (layout, n_x, m) = [
            (Layout::Cols, 2, 400),
            (Layout::Cols, 2, 130),
            (Layout::Rows, 2, 67),
            (Layout::Cols, 9, 5),
        ][i];
        Problem::random(layout, n_x, m, 21)
    }
    /// The bits of `(cost, db, dw)` of a step on `p` (λ = 0.5).
    fn bits<T: Elem>(p: &Problem<T>) -> Vec<u64> {
        let (cost, db, dw) = p.grad(T::of(0.5));
        [cost, db].iter().chain(&dw).map(|v| v.bits()).collect()
    }
    let both = |i: usize| [bits(&problem::<f32>(i)), bits(&problem::<f64>(i))].concat();
    let fresh: Vec<Vec<u64>> =
        (0..4).map(|i| std::thread::spawn(move || both(i)).join().unwrap()).collect();
    let in_turn = || (0..4).map(both).collect::<Vec<_>>();
    assert_eq!(in_turn(), fresh);
    let p = problem::<f32>(0);
    let mut dw = vec![0.0f32; 2];
    logistic_grad_subset(Layout::Cols, &p.x, 2, 400, &p.y, &p.w, p.b, 0.0, &[399, 3, 7], &mut dw)
        .unwrap();
    assert_eq!(in_turn(), fresh);
}

fn options<T: Elem>(lr: f64, iterations: usize, record_every: usize) -> TrainOptions<T> {
    TrainOptions {
        learning_rate: T::of(lr),
        l2: T::of(0.01),
        iterations,
        first_iteration: 0,
        record_every,
        tolerance: T::ZERO,
        prev_cost: None,
    }
}

/// Repeated `logistic_grad` steps with the update written out, as a caller would.
fn manual_descent<T: Elem>(p: &Problem<T>, o: &TrainOptions<T>) -> (Vec<T>, T, Vec<T>) {
    let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
    let mut dw = vec![T::ZERO; p.n_x];
    for i in 0..o.iterations {
        let (cost, db) =
            logistic_grad(p.layout, &p.x, p.n_x, p.m, &p.y, &w, b, o.l2, &mut dw).unwrap();
        if i % o.record_every == 0 {
            costs.push(cost);
        }
        for j in 0..p.n_x {
            w[j] = w[j] - o.learning_rate * dw[j];
        }
        b = b - o.learning_rate * db;
    }
    (w, b, costs)
}

fn same_bits<T: Elem>(a: &[T], b: &[T]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.bits() == y.bits())
}

fn check_train_equals_steps<T: Elem>() {
    for layout in LAYOUTS {
        for (n_x, m) in [(1, 1), (3, 17), (65, 130)] {
            let p = Problem::<T>::random(layout, n_x, m, 8);
            let o = options::<T>(0.3, 40, 3);
            let (w_ref, b_ref, costs_ref) = manual_descent(&p, &o);
            let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
            let out =
                logistic_train(layout, &p.x, n_x, m, &p.y, &mut w, &mut b, &o, &mut costs).unwrap();
            let ctx = format!("{layout:?} ({n_x},{m})");
            assert_eq!((out.iterations, out.stop), (40, StopReason::Completed), "{ctx}");
            assert!(same_bits(&w, &w_ref) && b.bits() == b_ref.bits(), "{ctx}: w, b");
            assert!(same_bits(&costs, &costs_ref), "{ctx}: costs");
            assert_eq!(costs.len(), 14);

            // The same 40 iterations in chunks of 7: identical parameters and history.
            let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
            let mut prev = None;
            for start in (0..40).step_by(7) {
                let chunk = TrainOptions {
                    iterations: 7.min(40 - start),
                    first_iteration: start,
                    prev_cost: prev,
                    ..o
                };
                let out =
                    logistic_train(layout, &p.x, n_x, m, &p.y, &mut w, &mut b, &chunk, &mut costs)
                        .unwrap();
                prev = out.last_cost;
            }
            assert!(
                same_bits(&w, &w_ref) && b.bits() == b_ref.bits() && same_bits(&costs, &costs_ref),
                "{ctx}: chunks"
            );
        }
    }
}

#[test]
fn train_equals_repeated_steps() {
    check_train_equals_steps::<f32>();
    check_train_equals_steps::<f64>();
}

#[test]
fn train_separates_separable_data() {
    // Two features, label 1 iff x₀ + x₁ > 0.2, nothing within 0.1 of the boundary.
    let mut rng = Rng(12);
    let (mut cols, mut y) = (Vec::new(), Vec::new());
    while y.len() < 200 {
        let (a, b) = (rng.uniform(), rng.uniform());
        if (a + b - 0.2).abs() > 0.1 {
            cols.push((a, b));
            y.push(if a + b > 0.2 { 1.0 } else { 0.0 });
        }
    }
    let m = y.len();
    let mut x: Vec<f64> = cols.iter().map(|c| c.0).collect();
    x.extend(cols.iter().map(|c| c.1)); // cols layout: row 0 is x₀, row 1 is x₁
    for layout in LAYOUTS {
        let x = if layout == Layout::Cols {
            x.clone()
        } else {
            let mut r = vec![0.0; 2 * m];
            pack_cols_to_rows(&x, 2, m, &mut r).unwrap();
            r
        };
        let (mut w, mut b, mut costs) = (vec![0.0; 2], 0.0, Vec::new());
        let o = TrainOptions { l2: 0.0, ..options::<f64>(4.0, 600, 1) };
        logistic_train(layout, &x, 2, m, &y, &mut w, &mut b, &o, &mut costs).unwrap();
        assert!((costs[0] - std::f64::consts::LN_2).abs() < 1e-15, "J(0, 0) = ln 2");
        assert!(costs.windows(2).all(|c| c[1] < c[0]), "{layout:?}: costs decrease");
        let mut a = vec![0.0; m];
        logistic_forward(layout, &x, 2, m, &w, b, &mut a).unwrap();
        let correct = a.iter().zip(&y).filter(|(a, y)| (**a > 0.5) == (**y == 1.0)).count();
        assert_eq!(correct, m, "{layout:?}: training accuracy");
    }
}

#[test]
fn train_stops_on_tolerance() {
    for layout in LAYOUTS {
        let p = Problem::<f64>::random(layout, 5, 40, 13);
        let full = options::<f64>(0.5, 300, 1);
        let (_, _, history) = manual_descent(&p, &full);
        // Stop where the change first falls below the change at iteration 100.
        let tol = (history[100] - history[99]).abs() * 1.0001;
        let k = (1..300).find(|&k| (history[k] - history[k - 1]).abs() < tol).unwrap();
        let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
        let o = TrainOptions { tolerance: tol, ..full };
        let out =
            logistic_train(layout, &p.x, 5, 40, &p.y, &mut w, &mut b, &o, &mut costs).unwrap();
        assert_eq!((out.iterations, out.stop), (k + 1, StopReason::Converged), "{layout:?}");
        assert_eq!(costs, history[..=k]);
        let (w_ref, b_ref, _) = manual_descent(&p, &TrainOptions { iterations: k + 1, ..full });
        assert!(
            same_bits(&w, &w_ref) && b == b_ref,
            "{layout:?}: the converged iteration's update is applied"
        );
    }
}

#[test]
fn train_reports_divergence_before_the_bad_update() {
    for layout in LAYOUTS {
        let mut p = Problem::<f64>::random(layout, 3, 8, 14);
        p.x.iter_mut().for_each(|v| *v *= 100.0);
        let o = TrainOptions { l2: 0.0, ..options::<f64>(1e305, 20, 1) };
        // The reference: steps until the first non-finite cost.
        let (mut w_ref, mut b_ref, mut seen) = (p.w.clone(), p.b, Vec::new());
        let mut dw = vec![0.0; 3];
        let mut k = usize::MAX;
        for i in 0..20 {
            let (cost, db) =
                logistic_grad(layout, &p.x, 3, 8, &p.y, &w_ref, b_ref, 0.0, &mut dw).unwrap();
            if !cost.is_finite() {
                k = i;
                break;
            }
            seen.push(cost);
            for j in 0..3 {
                w_ref[j] -= 1e305 * dw[j];
            }
            b_ref -= 1e305 * db;
        }
        assert!((1..20).contains(&k), "the reference diverges within the run");
        let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
        let out = logistic_train(layout, &p.x, 3, 8, &p.y, &mut w, &mut b, &o, &mut costs).unwrap();
        assert_eq!((out.iterations, out.stop), (k, StopReason::Diverged), "{layout:?}");
        assert!(!out.last_cost.unwrap().is_finite());
        assert!(w.iter().all(|v| v.is_finite()) && b.is_finite(), "{layout:?}: no NaN weights");
        assert_eq!(
            (&w, &b, costs),
            (&w_ref, &b_ref, seen.clone()),
            "{layout:?}: parameters before the bad step"
        );

        // Recording nothing, the steps compute no cost, only whether every z is finite: the
        // same stop, the same parameters, and the cost that diverged in the report.
        let quiet = TrainOptions { record_every: 0, ..o };
        let (mut w2, mut b2, mut costs2) = (p.w.clone(), p.b, Vec::new());
        let out2 = logistic_train(layout, &p.x, 3, 8, &p.y, &mut w2, &mut b2, &quiet, &mut costs2)
            .unwrap();
        assert_eq!(
            (out2.iterations, out2.stop),
            (k, StopReason::Diverged),
            "{layout:?}: without recording"
        );
        assert_eq!(
            out2.last_cost.map(f64::to_bits),
            out.last_cost.map(f64::to_bits),
            "{layout:?}: the diverged cost is reported"
        );
        assert!(costs2.is_empty());
        assert_eq!((w2, b2), (w_ref, b_ref), "{layout:?}: without recording");

        // NaN in X: the very first cost is NaN, and nothing is touched.
        let mut q = Problem::<f32>::random(layout, 3, 8, 15);
        q.x[5] = f32::NAN;
        let (mut w, mut b, mut costs) = (q.w.clone(), q.b, Vec::new());
        let out = logistic_train(
            layout,
            &q.x,
            3,
            8,
            &q.y,
            &mut w,
            &mut b,
            &options::<f32>(0.1, 5, 1),
            &mut costs,
        )
        .unwrap();
        assert_eq!((out.iterations, out.stop), (0, StopReason::Diverged));
        assert!(same_bits(&w, &q.w) && b == q.b && costs.is_empty());
    }
}

#[test]
fn train_subset_equals_repeated_subset_steps() {
    for layout in LAYOUTS {
        let p = Problem::<f32>::random(layout, 6, 50, 16);
        let mut rng = Rng(17);
        let order: Vec<u32> = (0..50).map(|_| (rng.next_u64() % 50) as u32).collect();
        let o = options::<f32>(0.2, 23, 2);
        let (mut w_ref, mut b_ref, mut costs_ref) = (p.w.clone(), p.b, Vec::new());
        let mut dw = vec![0.0f32; 6];
        for i in 0..23 {
            let start = (i % 4) * 16; // ⌈50/16⌉ = 4 batches: 16, 16, 16, 2
            let batch = &order[start..50.min(start + 16)];
            let (cost, db) = logistic_grad_subset(
                layout, &p.x, 6, 50, &p.y, &w_ref, b_ref, o.l2, batch, &mut dw,
            )
            .unwrap();
            if i % 2 == 0 {
                costs_ref.push(cost);
            }
            for j in 0..6 {
                w_ref[j] = w_ref[j] - o.learning_rate * dw[j];
            }
            b_ref = b_ref - o.learning_rate * db;
        }
        let (mut w, mut b, mut costs) = (p.w.clone(), p.b, Vec::new());
        let out = logistic_train_subset(
            layout, &p.x, 6, 50, &p.y, &mut w, &mut b, &order, 16, &o, &mut costs,
        )
        .unwrap();
        assert_eq!(out.iterations, 23);
        assert!(
            same_bits(&w, &w_ref)
                && b.to_bits() == b_ref.to_bits()
                && same_bits(&costs, &costs_ref),
            "{layout:?}"
        );
    }
}

#[test]
fn bad_lengths_are_errors() {
    let (x, y, w) = (vec![0.0f32; 12], vec![0.0f32; 4], vec![0.0f32; 3]);
    let mut dw = vec![0.0f32; 3];
    let grad = |x: &[f32], n_x, m, y: &[f32], w: &[f32], dw: &mut [f32]| {
        logistic_grad(Layout::Cols, x, n_x, m, y, w, 0.0, 0.0, dw).map_err(|e| e.kind)
    };
    assert!(grad(&x, 3, 4, &y, &w, &mut dw).is_ok());
    assert_eq!(grad(&x[..11], 3, 4, &y, &w, &mut dw), Err(ErrorKind::Layout));
    assert_eq!(grad(&x, 3, 4, &y[..3], &w, &mut dw), Err(ErrorKind::Layout));
    assert_eq!(grad(&x, 3, 4, &y, &w[..2], &mut dw), Err(ErrorKind::Layout));
    assert_eq!(grad(&x, 3, 4, &y, &w, &mut dw[..2]), Err(ErrorKind::Layout));
    assert_eq!(grad(&[], 3, 0, &[], &w, &mut dw), Err(ErrorKind::Layout), "m = 0");
    assert_eq!(grad(&x, usize::MAX, 2, &y, &w, &mut dw), Err(ErrorKind::Layout), "overflow");
    let sub = |idx: &[u32]| {
        logistic_grad_subset(Layout::Rows, &x, 3, 4, &y, &w, 0.0, 0.0, idx, &mut [0.0; 3])
    };
    assert!(sub(&[3, 0]).is_ok());
    assert_eq!(sub(&[4]).unwrap_err().kind, ErrorKind::Layout);
    assert_eq!(sub(&[]).unwrap_err().kind, ErrorKind::Layout);
    let err = logistic_forward(Layout::Rows, &x, 3, 4, &w, 0.0, &mut [0.0; 3]).unwrap_err();
    assert_eq!(err.kind, ErrorKind::Layout);
    let (mut w2, mut b, o) = (w.clone(), 0.0f32, options::<f32>(0.1, 1, 1));
    let err = logistic_train_subset(
        Layout::Rows,
        &x,
        3,
        4,
        &y,
        &mut w2,
        &mut b,
        &[0],
        0,
        &o,
        &mut Vec::new(),
    );
    assert_eq!(err.unwrap_err().kind, ErrorKind::Layout, "batch_size 0");
}
