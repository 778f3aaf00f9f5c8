//! GEMM and GEMV against a naive triple loop in f64, through every dispatch path.
//!
//! Each case stores A and B plain or transposed (swapped strides over a transposed buffer)
//! and C as a sub-block of a larger buffer (row-major, column-major, or both strides
//! non-unit) with sentinels around it that must stay untouched. β == 0 cases pre-fill C with
//! NaN, which must not leak into the result. The tolerance is the standard bound for a
//! length-k dot product in any summation order (Higham, *Accuracy and Stability*, §3.1):
//! `|ĉ − c| ≤ γ_{k+4}·(|α|·Σ|a||b| + |β||c|)`, with `γ_n ≈ n·ε` taken at twice its size.
//!
//! `FAST_TEST=1` shortens the sweeps.

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{fast, Elem, Rng};
use vectorized_core::kernels::gemm::params::DIRECT_MAX;
use vectorized_core::kernels::gemm::slices::gemm_prepacked_in_slices;
use vectorized_core::kernels::gemm::{
    auto_path, dgemm, gemm_prepacked, gemm_via, sgemm, Gemm, PackedB, Path,
};
use vectorized_core::kernels::gemv::{dgemv, sgemv};
use vectorized_core::kernels::operand::{MatMut, MatRef};

/// How C sits in its buffer.
#[derive(Clone, Copy, Debug)]
enum CLayout {
    /// Row-major with 3 spare columns per row.
    Rows,
    /// Column-major with 2 spare rows per column.
    Cols,
    /// Every other row and every other column of a row-major buffer (no unit stride).
    Strided,
}

/// An operand: a buffer and the strides and offset that view it as rows×cols.
struct Operand<T> {
    data: Vec<T>,
    rs: isize,
    cs: isize,
    offset: usize,
}

impl<T: Elem> Operand<T> {
    /// rows×cols values from `rng`, stored row-major, or transposed (a cols×rows row-major
    /// buffer read with swapped strides), or with rows reversed (negative row stride).
    fn new(rows: usize, cols: usize, storage: u8, rng: &mut Rng) -> Self {
        let vals: Vec<T> = (0..rows * cols).map(|_| T::of(rng.uniform())).collect();
        Self::from_values(rows, cols, storage, &vals)
    }

    /// `vals` is row-major rows×cols; storage 0 = row-major, 1 = transposed, 2 = rows reversed.
    fn from_values(rows: usize, cols: usize, storage: u8, vals: &[T]) -> Self {
        let mut data = vec![T::ZERO; rows * cols];
        let (rs, cs, offset) = match storage {
            0 => (cols as isize, 1, 0),
            1 => (1, rows as isize, 0),
            _ => (-(cols as isize), 1, rows.saturating_sub(1) * cols),
        };
        for i in 0..rows {
            for j in 0..cols {
                data[(offset as isize + i as isize * rs + j as isize * cs) as usize] =
                    vals[i * cols + j];
            }
        }
        Operand { data, rs, cs, offset }
    }

    fn at(&self, i: usize, j: usize) -> T {
        self.data[(self.offset as isize + i as isize * self.rs + j as isize * self.cs) as usize]
    }

    fn ptr(&self) -> *const T {
        self.data.as_ptr().wrapping_add(self.offset)
    }
}

const SENTINEL: f64 = -4242.0;

/// C's buffer, its strides and offset, and which buffer positions belong to C.
struct COperand<T> {
    data: Vec<T>,
    rs: isize,
    cs: isize,
    offset: usize,
    inside: Vec<bool>,
}

impl<T: Elem> COperand<T> {
    fn new(m: usize, n: usize, layout: CLayout, init: impl Fn(usize, usize) -> T) -> Self {
        let (len, rs, cs, offset) = match layout {
            CLayout::Rows => ((m + 2) * (n + 3), (n + 3) as isize, 1, n + 3 + 1),
            CLayout::Cols => ((m + 2) * (n + 2), 1, (m + 2) as isize, 1),
            CLayout::Strided => ((2 * m + 1) * (2 * n + 1), 2 * (2 * n + 1) as isize, 2, 1),
        };
        let mut c =
            COperand { data: vec![T::of(SENTINEL); len], rs, cs, offset, inside: vec![false; len] };
        for i in 0..m {
            for j in 0..n {
                let pos = c.pos(i, j);
                c.data[pos] = init(i, j);
                c.inside[pos] = true;
            }
        }
        c
    }

    fn pos(&self, i: usize, j: usize) -> usize {
        (self.offset as isize + i as isize * self.rs + j as isize * self.cs) as usize
    }

    fn ptr(&mut self) -> *mut T {
        self.data.as_mut_ptr().wrapping_add(self.offset)
    }

    fn check_outside(&self, what: &str) {
        for (p, (&x, &inside)) in self.data.iter().zip(&self.inside).enumerate() {
            assert!(
                inside || x.f() == SENTINEL,
                "{what}: wrote outside C at buffer position {p}: {x:?}"
            );
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Case {
    m: usize,
    k: usize,
    n: usize,
    /// Storage of A and B: 0 row-major, 1 transposed, 2 rows reversed.
    sa: u8,
    sb: u8,
    c: CLayout,
    alpha: f64,
    beta: f64,
}

/// Every path that can compute this shape: Auto, and each forced one.
fn paths(m: usize, k: usize, n: usize) -> Vec<Path> {
    let mut p = vec![
        Path::Auto,
        Path::Direct,
        Path::Blocked { kc: 256, mc: 64, nc: 256 },
        Path::Blocked { kc: 3, mc: 1, nc: 1 },
    ];
    if m == 1 || n == 1 {
        p.push(Path::Gemv);
    }
    if k <= 2 {
        p.push(Path::Outer);
    }
    p
}

/// Runs one case along `path` and checks C against the f64 reference.
fn check<T: Elem>(case: Case, path: Path, seed: u64) {
    let Case { m, k, n, sa, sb, c: layout, alpha, beta } = case;
    let mut rng = Rng(seed | 1);
    let a = Operand::<T>::new(m, k, sa, &mut rng);
    let b = Operand::<T>::new(k, n, sb, &mut rng);
    let c0: Vec<T> = (0..m * n).map(|_| T::of(rng.uniform())).collect();
    // β == 0: C holds NaN, which must not reach the result.
    let mut c =
        COperand::new(
            m,
            n,
            layout,
            |i, j| if beta == 0.0 { T::of(f64::NAN) } else { c0[i * n + j] },
        );
    let (alpha_t, beta_t) = (T::of(alpha), T::of(beta));
    // Safety: each operand's strides address only its own buffer, for the given extents.
    unsafe {
        let cp = c.ptr();
        gemm_via(
            path,
            (m, k, n),
            alpha_t,
            MatRef::new(a.ptr(), a.rs, a.cs),
            MatRef::new(b.ptr(), b.rs, b.cs),
            beta_t,
            MatMut::new(cp, c.rs, c.cs),
        );
    }
    let what = format!("{} {case:?} {path:?}", std::any::type_name::<T>());
    c.check_outside(&what);
    for i in 0..m {
        for j in 0..n {
            let (mut s, mut mag) = (0.0, 0.0);
            for p in 0..k {
                let prod = a.at(i, p).f() * b.at(p, j).f();
                s += prod;
                mag += prod.abs();
            }
            let cij = if beta == 0.0 { 0.0 } else { c0[i * n + j].f() };
            let want = alpha_t.f() * s + beta_t.f() * cij;
            let tol = 2.0 * (k + 4) as f64 * T::EPS * (alpha.abs() * mag + beta.abs() * cij.abs());
            let got = c.data[c.pos(i, j)].f();
            assert!(
                (got - want).abs() <= tol,
                "{what}: C[{i},{j}] = {got}, want {want} (tolerance {tol})"
            );
        }
    }
}

fn check_all_paths<T: Elem>(case: Case, seed: u64) {
    for path in paths(case.m, case.k, case.n) {
        check::<T>(case, path, seed);
    }
}

const LAYOUTS: [CLayout; 3] = [CLayout::Rows, CLayout::Cols, CLayout::Strided];
const SCALARS: [(f64, f64); 4] = [(1.0, 0.0), (1.0, 1.0), (-0.75, 0.0), (2.5, -1.5)];

fn sweep<T: Elem>() {
    let dims: Vec<usize> =
        if fast() { vec![0, 1, 2, 3, 4, 5, 7, 8, 9, 12] } else { (0..=12).collect() };
    let mut seed = 1;
    for &m in &dims {
        for &k in &dims {
            for &n in &dims {
                seed += 1;
                for (t, (sa, sb)) in [(0, 0), (1, 0), (0, 1), (1, 1)].into_iter().enumerate() {
                    let c = LAYOUTS[(m + k + n + t) % 3];
                    let (alpha, beta) = SCALARS[(m * 7 + k * 3 + n + t) % 4];
                    check_all_paths::<T>(Case { m, k, n, sa, sb, c, alpha, beta }, seed);
                }
            }
        }
    }
}

#[test]
fn sweep_small_f32() {
    sweep::<f32>();
}

#[test]
fn sweep_small_f64() {
    sweep::<f64>();
}

/// 17, 64 and 257 in each dimension against small and large others, every transpose pair.
fn large<T: Elem>() {
    let others: &[usize] = if fast() { &[1, 9] } else { &[1, 2, 9, 33] };
    let mut seed = 7;
    for big in [17, 64, 257] {
        for &x in others {
            for &y in others {
                for (m, k, n) in [(big, x, y), (x, big, y), (x, y, big)] {
                    seed += 1;
                    let t = seed as usize;
                    let (sa, sb) = [(0, 0), (1, 0), (0, 1), (1, 1)][t % 4];
                    let (alpha, beta) = SCALARS[t % 4];
                    check_all_paths::<T>(
                        Case { m, k, n, sa, sb, c: LAYOUTS[t % 3], alpha, beta },
                        seed,
                    );
                }
            }
        }
    }
    // Cubes through the blocked path, every transpose pair and C layout.
    let cubes: &[usize] = if fast() { &[17, 64] } else { &[17, 64, 100] };
    for &s in cubes {
        for (sa, sb) in [(0, 0), (1, 0), (0, 1), (1, 1), (2, 1)] {
            for c in LAYOUTS {
                seed += 1;
                let case = Case { m: s, k: s, n: s, sa, sb, c, alpha: 1.5, beta: 0.5 };
                check::<T>(case, Path::Auto, seed);
                check::<T>(case, Path::Blocked { kc: 23, mc: 17, nc: 29 }, seed);
            }
        }
    }
    // Every blocking loop runs more than once at the default block sizes.
    if !fast() {
        let case = Case {
            m: T::MC + 5,
            k: T::KC + 3,
            n: T::NC + 7,
            sa: 0,
            sb: 1,
            c: CLayout::Rows,
            alpha: 1.0,
            beta: 0.0,
        };
        check::<T>(case, Path::Auto, 99);
    }
}

#[test]
fn large_f32() {
    large::<f32>();
}

#[test]
fn large_f64() {
    large::<f64>();
}

/// A B packed once computes the very bits of the blocked path that packs it at every step,
/// for every storage of A and B, C layout and β, at shapes that cross the KC and NC blocks
/// and end in partial tiles, and again when the same packed B is used a second time.
fn prepacked_matches_blocked<T: Elem>() {
    let mut rng = Rng(31);
    let shapes = [(20, 300, 209), (7, 5, 1100), (1, 600, 13), (65, 257, 9), (3, 1, 1)];
    for (m, k, n) in shapes {
        for (sa, sb) in [(0, 0), (1, 1), (2, 0), (0, 1)] {
            for (layout, beta) in
                [(CLayout::Rows, 0.0), (CLayout::Cols, 0.5), (CLayout::Strided, -1.0)]
            {
                let (a, b) =
                    (Operand::<T>::new(m, k, sa, &mut rng), Operand::<T>::new(k, n, sb, &mut rng));
                let init = |i: usize, j: usize| T::of(((i * 7 + j) % 5) as f64 - 2.0);
                let (a_ref, b_ref) =
                    (MatRef::new(a.ptr(), a.rs, a.cs), MatRef::new(b.ptr(), b.rs, b.cs));
                let alpha = T::of(1.25);
                let mut expected = COperand::<T>::new(m, n, layout, init);
                let blocks = Path::Blocked { kc: T::KC, mc: T::MC, nc: T::NC };
                let c = MatMut::new(expected.ptr(), expected.rs, expected.cs);
                // Safety: A, B and C are the buffers made above, at these shapes and strides.
                unsafe { gemm_via(blocks, (m, k, n), alpha, a_ref, b_ref, T::of(beta), c) };
                // Safety: B is k×n as above.
                let packed = unsafe { PackedB::new(k, n, b_ref) };
                for round in 0..2 {
                    let mut got = COperand::<T>::new(m, n, layout, init);
                    let c = MatMut::new(got.ptr(), got.rs, got.cs);
                    // Safety: as above.
                    unsafe { gemm_prepacked(m, alpha, a_ref, &packed, T::of(beta), c) };
                    let what = format!(
                        "{} ({m},{k},{n}) sa {sa} sb {sb} {layout:?} round {round}",
                        T::NAME
                    );
                    got.check_outside(&what);
                    let same =
                        got.data.iter().zip(&expected.data).all(|(x, y)| x.bits() == y.bits());
                    assert!(same, "{what}: prepacked B differs from the blocked path");
                }
            }
        }
    }
}

#[test]
fn prepacked_f32() {
    prepacked_matches_blocked::<f32>();
}

#[test]
fn prepacked_f64() {
    prepacked_matches_blocked::<f64>();
}

/// A product cut into column slices, one job over every KC step ([`Path::Slices`], and
/// [`gemm_prepacked_in_slices`] with B packed once), computes the very bits of the blocked path
/// for any number of slices: slices inside one NC block and across several, more slices than
/// panels, several MC blocks, partial tiles; every storage of A and B, C layout and β.
fn slices_match_blocked<T: Elem>() {
    let mut rng = Rng(37);
    let shapes = [(20, 300, 209), (5, 260, 1100), (130, 257, 45), (9, 5, 3)];
    let storages = [
        ((0, 0), CLayout::Rows, 0.0),
        ((1, 1), CLayout::Cols, 0.5),
        ((2, 0), CLayout::Strided, -1.0),
    ];
    for (m, k, n) in shapes {
        for ((sa, sb), layout, beta) in storages {
            let (a, b) =
                (Operand::<T>::new(m, k, sa, &mut rng), Operand::<T>::new(k, n, sb, &mut rng));
            let init = |i: usize, j: usize| T::of(((i * 3 + j) % 7) as f64 - 3.0);
            let (a_ref, b_ref) =
                (MatRef::new(a.ptr(), a.rs, a.cs), MatRef::new(b.ptr(), b.rs, b.cs));
            let alpha = T::of(-0.75);
            let mut expected = COperand::<T>::new(m, n, layout, init);
            let blocks = Path::Blocked { kc: T::KC, mc: T::MC, nc: T::NC };
            let c = MatMut::new(expected.ptr(), expected.rs, expected.cs);
            // Safety: A, B and C are the buffers made above, at these shapes and strides.
            unsafe { gemm_via(blocks, (m, k, n), alpha, a_ref, b_ref, T::of(beta), c) };
            // Safety: B is k×n as above.
            let packed = unsafe { PackedB::new(k, n, b_ref) };
            for slices in [2, 3, 1000] {
                for prepacked in [false, true] {
                    let mut got = COperand::<T>::new(m, n, layout, init);
                    let c = MatMut::new(got.ptr(), got.rs, got.cs);
                    // Safety: as above.
                    unsafe {
                        if prepacked {
                            gemm_prepacked_in_slices(
                                m,
                                alpha,
                                a_ref,
                                &packed,
                                T::of(beta),
                                c,
                                slices,
                            )
                        } else {
                            let path = Path::Slices(slices);
                            gemm_via(path, (m, k, n), alpha, a_ref, b_ref, T::of(beta), c)
                        }
                    };
                    let what = format!(
                        "{} ({m},{k},{n}) sa {sa} sb {sb} {layout:?}, {slices} slices, prepacked {prepacked}",
                        T::NAME
                    );
                    got.check_outside(&what);
                    let same =
                        got.data.iter().zip(&expected.data).all(|(x, y)| x.bits() == y.bits());
                    assert!(same, "{what}: differs from the blocked path");
                }
            }
        }
    }
}

#[test]
fn slices_f32() {
    slices_match_blocked::<f32>();
}

#[test]
fn slices_f64() {
    slices_match_blocked::<f64>();
}

#[test]
fn negative_strides() {
    for path in [Path::Auto, Path::Direct, Path::Blocked { kc: 5, mc: 4, nc: 8 }] {
        for (m, k, n) in [(13, 11, 9), (1, 7, 12), (12, 7, 1), (5, 2, 6)] {
            let case = Case { m, k, n, sa: 2, sb: 2, c: CLayout::Rows, alpha: 1.0, beta: 1.0 };
            check::<f32>(case, path, 3);
            check::<f64>(case, path, 4);
        }
    }
}

/// A·I = A and I·B = B exactly, through every path that applies.
fn identity<T: Elem>() {
    let mut rng = Rng(11);
    for s in [1, 2, 3, 4, 5, 8, 9, 13, 16, 33, 64] {
        for r in [1, 3, 7, 17] {
            let vals: Vec<T> = (0..s * r).map(|_| T::of(rng.uniform())).collect();
            let eye: Vec<T> =
                (0..s * s).map(|i| if i / s == i % s { T::ONE } else { T::ZERO }).collect();
            for (sa, sb) in [(0, 0), (1, 1)] {
                let i_mat = Operand::from_values(s, s, sb, &eye);
                // A (r×s) · I (s×s) = A.
                let a = Operand::from_values(r, s, sa, &vals);
                for path in paths(r, s, s) {
                    let mut c = COperand::new(r, s, CLayout::Rows, |_, _| T::of(f64::NAN));
                    // Safety: each operand addresses only its own buffer.
                    unsafe {
                        let cp = c.ptr();
                        gemm_via(
                            path,
                            (r, s, s),
                            T::ONE,
                            MatRef::new(a.ptr(), a.rs, a.cs),
                            MatRef::new(i_mat.ptr(), i_mat.rs, i_mat.cs),
                            T::ZERO,
                            MatMut::new(cp, c.rs, c.cs),
                        );
                    }
                    for i in 0..r {
                        for j in 0..s {
                            assert_eq!(
                                c.data[c.pos(i, j)].f(),
                                vals[i * s + j].f(),
                                "A·I, {r}×{s}, {path:?}, at ({i},{j})"
                            );
                        }
                    }
                }
                // I (s×s) · B (s×r) = B.
                let b = Operand::from_values(s, r, sa, &vals);
                for path in paths(s, s, r) {
                    let mut c = COperand::new(s, r, CLayout::Cols, |_, _| T::of(f64::NAN));
                    // Safety: each operand addresses only its own buffer.
                    unsafe {
                        let cp = c.ptr();
                        gemm_via(
                            path,
                            (s, s, r),
                            T::ONE,
                            MatRef::new(i_mat.ptr(), i_mat.rs, i_mat.cs),
                            MatRef::new(b.ptr(), b.rs, b.cs),
                            T::ZERO,
                            MatMut::new(cp, c.rs, c.cs),
                        );
                    }
                    for i in 0..s {
                        for j in 0..r {
                            assert_eq!(
                                c.data[c.pos(i, j)].f(),
                                vals[i * r + j].f(),
                                "I·B, {s}×{r}, {path:?}, at ({i},{j})"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn identity_f32() {
    identity::<f32>();
}

#[test]
fn identity_f64() {
    identity::<f64>();
}

#[test]
fn exact_small_integers() {
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]], worked by hand.
    let a = [1.0f32, 2.0, 3.0, 4.0, 5.0, 6.0];
    let b = [7.0f32, 8.0, 9.0, 10.0, 11.0, 12.0];
    let mut c = [f32::NAN; 4];
    // Safety: 2×3, 3×2 and 2×2 row-major buffers.
    unsafe { sgemm(2, 3, 2, 1.0, a.as_ptr(), 3, 1, b.as_ptr(), 2, 1, 0.0, c.as_mut_ptr(), 2, 1) };
    assert_eq!(c, [58.0, 64.0, 139.0, 154.0]);
    // Aᵀ·Bᵀ from the same buffers: A read as 3×2 column-major, B as 2×3 column-major:
    // [[1,4],[2,5],[3,6]] · [[7,9,11],[8,10,12]] = [[39,49,59],[54,68,82],[69,87,105]].
    let mut c = [f64::NAN; 9];
    let (a64, b64) = (a.map(f64::from), b.map(f64::from));
    // Safety: as above, with swapped strides.
    unsafe {
        dgemm(3, 2, 3, 1.0, a64.as_ptr(), 1, 3, b64.as_ptr(), 1, 2, 0.0, c.as_mut_ptr(), 3, 1)
    };
    assert_eq!(c, [39.0, 49.0, 59.0, 54.0, 68.0, 82.0, 69.0, 87.0, 105.0]);
    // 2·A·B + 3·C with C = ones: [[119,131],[281,311]].
    let mut c = [1.0f32; 4];
    // Safety: as the first product.
    unsafe { sgemm(2, 3, 2, 2.0, a.as_ptr(), 3, 1, b.as_ptr(), 2, 1, 3.0, c.as_mut_ptr(), 2, 1) };
    assert_eq!(c, [119.0, 131.0, 281.0, 311.0]);
}

/// Integer matrices whose every partial sum is exact in f32: results must match an i64
/// product bit for bit, whatever the summation order.
#[test]
fn exact_integer_products() {
    for (m, k, n) in
        [(37, 29, 41), (64, 64, 64), (1, 50, 30), (30, 50, 1), (9, 2, 11), (130, 300, 20)]
    {
        let ai: Vec<i64> = (0..m * k).map(|i| (i * 7 % 9) as i64 - 4).collect();
        let bi: Vec<i64> = (0..k * n).map(|i| (i * 5 % 7) as i64 - 3).collect();
        let a: Vec<f32> = ai.iter().map(|&x| x as f32).collect();
        let b: Vec<f32> = bi.iter().map(|&x| x as f32).collect();
        for path in paths(m, k, n) {
            for (rs_b, cs_b, bt) in [(n as isize, 1, false), (1, k as isize, true)] {
                let b_store: Vec<f32> = if bt {
                    (0..k * n).map(|q| b[(q % k) * n + q / k]).collect()
                } else {
                    b.clone()
                };
                let mut c = vec![f32::NAN; m * n];
                // Safety: row-major A, B row-major or column-major, row-major C.
                unsafe {
                    gemm_via(
                        path,
                        (m, k, n),
                        1.0,
                        MatRef::new(a.as_ptr(), k as isize, 1),
                        MatRef::new(b_store.as_ptr(), rs_b, cs_b),
                        0.0,
                        MatMut::new(c.as_mut_ptr(), n as isize, 1),
                    )
                };
                for i in 0..m {
                    for j in 0..n {
                        let want: i64 = (0..k).map(|p| ai[i * k + p] * bi[p * n + j]).sum();
                        assert_eq!(
                            c[i * n + j],
                            want as f32,
                            "{m}×{k}×{n} {path:?} transposed B {bt} at ({i},{j})"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn zero_dimensions() {
    for (m, k, n) in [(0, 0, 0), (0, 5, 3), (4, 5, 0), (3, 0, 4), (1, 0, 1), (9, 0, 13)] {
        for beta in [0.0, 2.0] {
            for layout in LAYOUTS {
                let mut c = COperand::<f32>::new(m, n, layout, |i, j| {
                    if beta == 0.0 {
                        f32::NAN
                    } else {
                        (i * n + j) as f32
                    }
                });
                let (a, b) = ([1.0f32; 64], [1.0f32; 64]);
                // Safety: row-major A (m×k) and B (k×n) fit in 64 elements; C is its buffer.
                unsafe {
                    let cp = c.ptr();
                    sgemm(
                        m,
                        k,
                        n,
                        1.0,
                        a.as_ptr(),
                        k as isize,
                        1,
                        b.as_ptr(),
                        n as isize,
                        1,
                        beta,
                        cp,
                        c.rs,
                        c.cs,
                    );
                }
                c.check_outside("zero dimension");
                for i in 0..m {
                    for j in 0..n {
                        // k == 0 here whenever C is non-empty: C ← β·C.
                        let want = if beta == 0.0 { 0.0 } else { beta * (i * n + j) as f32 };
                        assert_eq!(
                            c.data[c.pos(i, j)],
                            want,
                            "{m}×{k}×{n}, β = {beta}, {layout:?}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn beta_zero_never_reads_c() {
    let mut rng = Rng(5);
    for (m, k, n) in
        [(1, 1, 1), (1, 40, 33), (33, 40, 1), (7, 1, 9), (7, 2, 9), (12, 12, 12), (70, 70, 70)]
    {
        let a: Vec<f64> = (0..m * k).map(|_| rng.uniform()).collect();
        let b: Vec<f64> = (0..k * n).map(|_| rng.uniform()).collect();
        for path in paths(m, k, n) {
            for c_rows in [true, false] {
                let mut c = vec![f64::NAN; m * n];
                let (rs_c, cs_c) = if c_rows { (n as isize, 1) } else { (1, m as isize) };
                // Safety: row-major A and B, C row- or column-major in its buffer.
                unsafe {
                    gemm_via(
                        path,
                        (m, k, n),
                        1.0,
                        MatRef::new(a.as_ptr(), k as isize, 1),
                        MatRef::new(b.as_ptr(), n as isize, 1),
                        0.0,
                        MatMut::new(c.as_mut_ptr(), rs_c, cs_c),
                    )
                };
                assert!(c.iter().all(|x| x.is_finite()), "NaN leaked from C: {m}×{k}×{n} {path:?}");
            }
        }
    }
}

/// GEMV directly: row-major, column-major and strided A; strided and reversed x and y.
type Gemv<T> =
    unsafe fn(usize, usize, T, *const T, isize, isize, *const T, isize, T, *mut T, isize);

fn gemv_layouts<T: Elem>(gemv: Gemv<T>) {
    let mut rng = Rng(21);
    let sizes: &[(usize, usize)] = &[
        (0, 3),
        (3, 0),
        (1, 1),
        (1, 9),
        (9, 1),
        (5, 7),
        (13, 17),
        (64, 33),
        (4, 257),
        (257, 4),
        (100, 100),
    ];
    for &(m, k) in sizes {
        for storage in 0..3u8 {
            let a = Operand::<T>::new(m, k, storage, &mut rng);
            // Strided A (no unit stride): every other element of a 2m×2k row-major buffer.
            let a2_vals: Vec<T> = (0..m * k).map(|q| a.at(q / k, q % k)).collect();
            let mut a2 = vec![T::of(SENTINEL); 4 * m * k];
            for q in 0..m * k {
                a2[2 * (q / k) * 2 * k + 2 * (q % k)] = a2_vals[q];
            }
            let xs: Vec<T> = (0..2 * k).map(|_| T::of(rng.uniform())).collect();
            for (inc_x, x_off) in [(1isize, 0usize), (2, 0), (-1, k.saturating_sub(1))] {
                for (alpha, beta) in SCALARS {
                    for inc_y in [1isize, 3] {
                        let y0: Vec<T> = (0..m).map(|_| T::of(rng.uniform())).collect();
                        let strided = storage == 2;
                        let (ap, rs, cs) = if strided {
                            (a2.as_ptr(), 4 * k as isize, 2)
                        } else {
                            (a.ptr(), a.rs, a.cs)
                        };
                        let mut y = vec![T::of(SENTINEL); 3 * m + 1];
                        for i in 0..m {
                            y[i * inc_y as usize] =
                                if beta == 0.0 { T::of(f64::NAN) } else { y0[i] };
                        }
                        // Safety: A, x and y address only their own buffers.
                        unsafe {
                            gemv(
                                m,
                                k,
                                T::of(alpha),
                                ap,
                                rs,
                                cs,
                                xs.as_ptr().add(x_off),
                                inc_x,
                                T::of(beta),
                                y.as_mut_ptr(),
                                inc_y,
                            )
                        };
                        let x_at =
                            |p: usize| xs[(x_off as isize + p as isize * inc_x) as usize].f();
                        for i in 0..m {
                            let (mut s, mut mag) = (0.0, 0.0);
                            for p in 0..k {
                                s += a.at(i, p).f() * x_at(p);
                                mag += (a.at(i, p).f() * x_at(p)).abs();
                            }
                            let yi = if beta == 0.0 { 0.0 } else { y0[i].f() };
                            let want = T::of(alpha).f() * s + T::of(beta).f() * yi;
                            let tol = 2.0
                                * (k + 4) as f64
                                * T::EPS
                                * (alpha.abs() * mag + beta.abs() * yi.abs());
                            let got = y[i * inc_y as usize].f();
                            assert!(
                                (got - want).abs() <= tol,
                                "gemv {m}×{k} storage {storage} inc_x {inc_x} inc_y {inc_y} α {alpha} β {beta}: y[{i}] = {got}, want {want}"
                            );
                        }
                        for (q, v) in y.iter().enumerate() {
                            assert!(
                                q % inc_y as usize == 0 && q / (inc_y as usize) < m
                                    || v.f() == SENTINEL,
                                "gemv wrote outside y at {q}"
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn gemv_f32() {
    gemv_layouts::<f32>(sgemv);
}

#[test]
fn gemv_f64() {
    gemv_layouts::<f64>(dgemv);
}

/// GEMV through sgemm: m = 1 and n = 1 with row- and column-major A and B.
#[test]
fn gemv_through_gemm() {
    for (m, k, n) in
        [(1, 37, 29), (29, 37, 1), (1, 1, 40), (40, 1, 1), (1, 64, 1), (1, 257, 257), (257, 257, 1)]
    {
        for (sa, sb) in [(0, 0), (1, 0), (0, 1), (1, 1)] {
            for c in [CLayout::Rows, CLayout::Strided] {
                let case = Case { m, k, n, sa, sb, c, alpha: 0.5, beta: 2.0 };
                check::<f32>(case, Path::Auto, 17);
                check::<f32>(case, Path::Gemv, 17);
                check::<f64>(case, Path::Gemv, 18);
            }
        }
    }
}

#[test]
#[should_panic(expected = "cannot compute")]
fn forcing_an_inapplicable_path_panics() {
    let (a, b, mut c) = ([0.0f32; 9], [0.0f32; 9], [0.0f32; 9]);
    // Safety: 3×3 row-major buffers.
    unsafe {
        gemm_via(
            Path::Gemv,
            (3, 3, 3),
            1.0,
            MatRef::new(a.as_ptr(), 3, 1),
            MatRef::new(b.as_ptr(), 3, 1),
            0.0,
            MatMut::new(c.as_mut_ptr(), 3, 1),
        )
    };
}

#[test]
fn dispatch_by_shape() {
    let blocked = Path::Blocked { kc: f32::KC, mc: f32::MC, nc: f32::NC };
    assert_eq!(auto_path::<f32>(1, 500, 500), Path::Gemv);
    assert_eq!(auto_path::<f32>(500, 500, 1), Path::Gemv);
    assert_eq!(auto_path::<f32>(500, 2, 500), Path::Outer);
    assert_eq!(auto_path::<f32>(500, 1, 3), Path::Outer);
    assert_eq!(auto_path::<f32>(4, 4, 4), Path::Direct);
    assert_eq!(auto_path::<f32>(DIRECT_MAX / 9, 3, 3), Path::Direct);
    assert_eq!(auto_path::<f32>(DIRECT_MAX / 9 + 1, 3, 3), blocked);
    assert_eq!(auto_path::<f32>(64, 64, 64), blocked);
    // m·k·n past usize on wasm32 (2³³, 2⁴⁸) and past u64 must not wrap into the direct path.
    assert_eq!(auto_path::<f32>(2048, 2048, 2048), blocked);
    assert_eq!(auto_path::<f32>(1 << 16, 1 << 16, 1 << 16), blocked);
    assert_eq!(auto_path::<f32>(usize::MAX, usize::MAX, 3), blocked);
    assert_eq!(
        auto_path::<f64>(64, 64, 64),
        Path::Blocked { kc: f64::KC, mc: f64::MC, nc: f64::NC }
    );
}

/// The blocked path at this build's register tile (MR×NR differ per lane layer): m and n at 1,
/// MR − 1, MR, MR + 1 and 2·MR + 1 and the same around NR, in both roles (a column-major C swaps
/// them), depths 1, 3 and 9 (with KC = 2: several depth blocks, β on the first only), every C
/// layout, β = 0 (NaN in C) and β ≠ 0, at the default block sizes and at blocks of 2·MR rows
/// and 2·NR columns, where each block ends in an edge tile.
fn tile_edges<T: Elem>() {
    let around = |t: usize| [1, t.saturating_sub(1).max(1), t, t + 1, 2 * t + 1];
    let mut dims: Vec<usize> = around(T::MR).into_iter().chain(around(T::NR)).collect();
    dims.sort_unstable();
    dims.dedup();
    let blocks = [
        Path::Blocked { kc: T::KC, mc: T::MC, nc: T::NC },
        Path::Blocked { kc: 2, mc: T::MR + 1, nc: T::NR + 1 },
    ];
    let mut seed = 500;
    for &m in &dims {
        for &n in &dims {
            for k in [1, 3, 9] {
                for (t, c) in LAYOUTS.into_iter().enumerate() {
                    for (alpha, beta) in [(1.0, 0.0), (-0.75, 1.5)] {
                        seed += 1;
                        let (sa, sb) = [(0, 0), (1, 0), (0, 1)][t];
                        let case = Case { m, k, n, sa, sb, c, alpha, beta };
                        blocks.iter().for_each(|&path| check::<T>(case, path, seed));
                    }
                }
            }
        }
    }
}

#[test]
fn tile_edges_f32() {
    tile_edges::<f32>();
}

#[test]
fn tile_edges_f64() {
    tile_edges::<f64>();
}

/// A microkernel at one register tile, as a function pointer (the full and the masked entry).
type Kernel<T> = unsafe fn(usize, T, *const T, *const T, T, MatMut<T>);
type Masked<T> = unsafe fn(usize, T, *const T, *const T, T, MatMut<T>, (usize, usize));

/// One register tile's microkernel on packed panels (`a[p·MR + i]`, `b[p·NR + j]`): every edge
/// `rows × cols` of the masked path and the full tile, depths 0 (C ← β·C), 1, 2, 5 and 40,
/// β = 0 (NaN in C) and β ≠ 0, each with C's rows contiguous and with no unit stride. Each
/// element must be within the dot-product bound of the f64 product and have exactly the bits of
/// its depth sum taken in order with the lane layer's `mul_add` (so the tile does not change any
/// result: every tile computes these bits); nothing outside the edge may be written.
fn microkernel_tile<T: Elem>(mr: usize, nv: usize, kernel: Kernel<T>, masked: Masked<T>) {
    let nr = nv * T::LANES;
    let mut rng = Rng((mr * 16 + nv) as u64 | 1);
    let lane0 = |v: T::V| vectorized_core::simd::spill::<T>(v)[0];
    let alpha = T::of(1.25);
    for k in [0, 1, 2, 5, 40] {
        let a: Vec<T> = (0..k * mr).map(|_| T::of(rng.uniform() - 0.5)).collect();
        let b: Vec<T> = (0..k * nr).map(|_| T::of(rng.uniform() - 0.5)).collect();
        let c0: Vec<T> = (0..mr * nr).map(|_| T::of(rng.uniform())).collect();
        let edges = (1..=mr).flat_map(|rows| (1..=nr).map(move |cols| (rows, cols)));
        for ((rows, cols), full) in edges.map(|e| (e, false)).chain([((mr, nr), true)]) {
            for (layout, beta) in
                [CLayout::Rows, CLayout::Strided].into_iter().flat_map(|l| [(l, 0.0), (l, -1.5)])
            {
                let init =
                    |i: usize, j: usize| if beta == 0.0 { T::of(f64::NAN) } else { c0[i * nr + j] };
                let mut c = COperand::<T>::new(rows, cols, layout, init);
                let tile = MatMut::new(c.ptr(), c.rs, c.cs);
                // Safety: the panels hold k·MR and k·NR elements; C's rows×cols are in its buffer.
                unsafe {
                    if full {
                        kernel(k, alpha, a.as_ptr(), b.as_ptr(), T::of(beta), tile)
                    } else {
                        masked(k, alpha, a.as_ptr(), b.as_ptr(), T::of(beta), tile, (rows, cols))
                    }
                };
                let what =
                    format!("{} {mr}×{nr} tile, k {k}, edge {rows}×{cols}, {layout:?}", T::NAME);
                c.check_outside(&what);
                for i in 0..rows {
                    for j in 0..cols {
                        let (mut acc, mut s, mut mag) = (T::splat(T::ZERO), 0.0, 0.0);
                        for p in 0..k {
                            let (x, y) = (a[p * mr + i], b[p * nr + j]);
                            acc = T::mul_add(T::splat(x), T::splat(y), acc);
                            s += x.f() * y.f();
                            mag += (x.f() * y.f()).abs();
                        }
                        let cij = if beta == 0.0 { T::ZERO } else { c0[i * nr + j] };
                        let in_order = alpha * lane0(acc);
                        let in_order =
                            if beta == 0.0 { in_order } else { in_order + T::of(beta) * cij };
                        let want = alpha.f() * s + beta * cij.f();
                        let tol = 2.0
                            * (k + 4) as f64
                            * T::EPS
                            * (alpha.f() * mag + beta.abs() * cij.f().abs());
                        let got = c.data[c.pos(i, j)];
                        assert!(
                            (got.f() - want).abs() <= tol,
                            "{what}: C[{i},{j}] = {got:?}, want {want}"
                        );
                        assert_eq!(
                            got.bits(),
                            in_order.bits(),
                            "{what}: C[{i},{j}] = {got:?}, in order {in_order:?}"
                        );
                    }
                }
            }
        }
    }
}

/// [`microkernel_tile`] at this build's tile and at every tile a lane layer might choose.
fn microkernel_tiles<T: Elem>() {
    use vectorized_core::kernels::gemm::microkernel::{kernel, masked_kernel};
    let lanes = T::LANES;
    microkernel_tile::<T>(T::MR, T::NR / lanes, T::kernel, T::masked_kernel);
    macro_rules! tiles {
        ($(($mr:literal, $nv:literal)),*) => {
            $(microkernel_tile::<T>($mr, $nv, kernel::<T, $mr, $nv>, masked_kernel::<T, $mr, $nv>);)*
        };
    }
    tiles!((1, 1), (2, 1), (2, 2), (3, 3), (4, 2), (5, 2), (6, 2), (8, 1));
}

#[test]
fn microkernel_tiles_f32() {
    microkernel_tiles::<f32>();
}

#[test]
fn microkernel_tiles_f64() {
    microkernel_tiles::<f64>();
}
