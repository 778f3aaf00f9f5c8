//! Products with an epilogue (`gemm_fused`, `gemm_prepacked_fused`) against the unfused
//! composition they replace: the product alone (`gemm_via(Path::Auto)` / `gemm_prepacked`), then
//! the elementwise passes written out here as plain loops (the network's former code: the bias
//! added per element, the activation by the `relu`/`tanh`/`sigmoid` ops, the derivative, the row
//! sums, the gradient step). Bit for bit, for every epilogue and activation, on shapes with
//! partial tiles, several KC, MC and NC blocks, and the paths that are not blocked (GEMV, outer
//! product, direct loop, column-major C), where the epilogue runs as a pass after the product.

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{fast, Elem, Rng};
use vectorized_core::kernels::gemm::epilogue::Epilogue;
use vectorized_core::kernels::gemm::fused::{gemm_fused, gemm_prepacked_fused};
use vectorized_core::kernels::gemm::layer_epilogues::{
    Activation, Backprop, BiasActivation, GradientStep,
};
use vectorized_core::kernels::gemm::{gemm_prepacked, gemm_via, PackedB, Path};
use vectorized_core::kernels::operand::{MatMut, MatRef};
use vectorized_core::kernels::unary::{unary_in_place, UnaryOpCode};

const SENTINEL: f64 = -4242.0;

/// A matrix in a buffer with room around it: row-major with `pad` spare columns, or
/// column-major with `pad` spare rows; the spare elements hold a sentinel.
#[derive(Clone)]
struct Buf<T> {
    data: Vec<T>,
    rs: isize,
    cs: isize,
}

impl<T: Elem> Buf<T> {
    fn new(
        rows: usize,
        cols: usize,
        col_major: bool,
        mut f: impl FnMut(usize, usize) -> T,
    ) -> Self {
        let pad = 2;
        let (len, rs, cs) = if col_major {
            ((rows + pad) * cols, 1, (rows + pad) as isize)
        } else {
            (rows * (cols + pad), (cols + pad) as isize, 1)
        };
        let mut b = Buf { data: vec![T::of(SENTINEL); len], rs, cs };
        for i in 0..rows {
            for j in 0..cols {
                let p = b.pos(i, j);
                b.data[p] = f(i, j);
            }
        }
        b
    }
    fn pos(&self, i: usize, j: usize) -> usize {
        (i as isize * self.rs + j as isize * self.cs) as usize
    }
    fn get(&self, i: usize, j: usize) -> T {
        self.data[self.pos(i, j)]
    }
    fn set(&mut self, i: usize, j: usize, v: T) {
        let p = self.pos(i, j);
        self.data[p] = v;
    }
    fn r(&self) -> MatRef<T> {
        MatRef::new(self.data.as_ptr(), self.rs, self.cs)
    }
    fn w(&mut self) -> MatMut<T> {
        MatMut::new(self.data.as_mut_ptr(), self.rs, self.cs)
    }
}

fn same_bits<T: Elem>(x: &[T], y: &[T]) -> bool {
    x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a.bits() == b.bits())
}

/// One product's operands: A (m×k), B (k×n, also packed), C's initial values (NaN when β = 0,
/// which must never be read), α and β.
struct Product<T: Elem> {
    dims: (usize, usize, usize),
    a: Buf<T>,
    b: Buf<T>,
    packed: PackedB<T>,
    c: Buf<T>,
    alpha: T,
    beta: T,
}

impl<T: Elem> Product<T> {
    fn new((m, k, n): (usize, usize, usize), c_col_major: bool, rng: &mut Rng) -> Self {
        let (a_cols, b_cols, with_beta) = (
            rng.next_u64().is_multiple_of(2),
            rng.next_u64().is_multiple_of(2),
            rng.next_u64().is_multiple_of(2),
        );
        let a = Buf::new(m, k, a_cols, |_, _| T::of(rng.uniform()));
        let b = Buf::new(k, n, b_cols, |_, _| T::of(rng.uniform()));
        let c = Buf::new(m, n, c_col_major, |_, _| {
            T::of(if with_beta { rng.uniform() } else { f64::NAN })
        });
        // Safety: B is k×n in its buffer.
        let packed = unsafe { PackedB::new(k, n, b.r()) };
        let (alpha, beta) = if with_beta { (T::of(0.75), T::of(-0.5)) } else { (T::ONE, T::ZERO) };
        Product { dims: (m, k, n), a, b, packed, c, alpha, beta }
    }

    /// The product alone, into a copy of C.
    fn plain(&self, prepacked: bool) -> Buf<T> {
        let mut c = self.c.clone();
        // Safety: A, B and C are the buffers made above, at these shapes and strides.
        unsafe {
            if prepacked {
                gemm_prepacked(self.dims.0, self.alpha, self.a.r(), &self.packed, self.beta, c.w());
            } else {
                gemm_via(
                    Path::Auto,
                    self.dims,
                    self.alpha,
                    self.a.r(),
                    self.b.r(),
                    self.beta,
                    c.w(),
                );
            }
        }
        c
    }

    /// The product with `e` fused, into a copy of C.
    fn fused<E: Epilogue<T>>(&self, prepacked: bool, e: &E) -> Buf<T> {
        let mut c = self.c.clone();
        // Safety: as `plain`; the epilogue's operands are the caller's buffers at C's shape.
        unsafe {
            if prepacked {
                gemm_prepacked_fused(
                    self.dims.0,
                    self.alpha,
                    self.a.r(),
                    &self.packed,
                    self.beta,
                    c.w(),
                    e,
                );
            } else {
                gemm_fused(self.dims, self.alpha, self.a.r(), self.b.r(), self.beta, c.w(), e);
            }
        }
        c
    }
}

const SLOPE: f64 = 0.01;

fn activations<T: Elem>() -> [Activation<T>; 5] {
    [
        Activation::Identity,
        Activation::Relu,
        Activation::LeakyRelu(T::of(SLOPE)),
        Activation::Tanh,
        Activation::Sigmoid,
    ]
}

/// `A ← g(A)` for one contiguous row, as the network did before the epilogues.
fn activate_row<T: Elem>(g: Activation<T>, row: &mut [T]) {
    match g {
        Activation::Identity => {}
        Activation::Relu => unary_in_place(UnaryOpCode::Relu, row),
        Activation::Tanh => unary_in_place(UnaryOpCode::Tanh, row),
        Activation::Sigmoid => unary_in_place(UnaryOpCode::Sigmoid, row),
        Activation::LeakyRelu(s) => {
            row.iter_mut().for_each(|v| *v = if *v > T::ZERO { *v } else { *v * s })
        }
    }
}

/// `dA ⊙ g′` for one element, as the network did: from Z's sign for ReLU and leaky ReLU, from A
/// for tanh and σ.
fn backprop_one<T: Elem>(g: Activation<T>, da: T, y: T) -> T {
    let one = T::ONE;
    match g {
        Activation::Identity => da,
        Activation::Relu => {
            if y > T::ZERO {
                da
            } else {
                T::ZERO
            }
        }
        Activation::LeakyRelu(s) => {
            if y > T::ZERO {
                da
            } else {
                da * s
            }
        }
        Activation::Tanh => da * (one - y * y),
        Activation::Sigmoid => da * (y * (one - y)),
    }
}

fn check_shape<T: Elem>((m, k, n): (usize, usize, usize), c_col_major: bool, seed: u64) {
    let mut rng = Rng(seed | 1);
    let p = Product::<T>::new((m, k, n), c_col_major, &mut rng);
    let bias: Vec<T> = (0..m).map(|_| T::of(rng.uniform())).collect();
    // Y with exact zeros and signed zeros among its values (ReLU's g′(0) = 0).
    let y = Buf::<T>::new(m, n, false, |i, j| match (i * 7 + j * 3) % 11 {
        0 => T::ZERO,
        1 => T::of(-0.0),
        _ => T::of(((i * 31 + j * 17) % 23) as f64 / 11.5 - 1.0),
    });
    let w0 = Buf::<T>::new(m, n, false, |i, j| T::of(((i * 13 + j * 5) % 19) as f64 / 9.5 - 1.0));
    for prepacked in [false, true] {
        let what = |e: &str| {
            format!("{} {e} ({m},{k},{n}) C col-major {c_col_major} prepacked {prepacked}", T::NAME)
        };
        let plain = p.plain(prepacked);
        for g in activations::<T>() {
            // Forward: Z + b, A = g(Z + b).
            let mut want_z = plain.clone();
            let mut want_a = Buf::<T>::new(m, n, false, |_, _| T::of(SENTINEL));
            for (i, &b) in bias.iter().enumerate() {
                for j in 0..n {
                    want_z.set(i, j, want_z.get(i, j) + b);
                    want_a.set(i, j, want_z.get(i, j));
                }
                let start = want_a.pos(i, 0);
                activate_row(g, &mut want_a.data[start..start + n]);
            }
            let mut a = Buf::<T>::new(m, n, false, |_, _| T::of(SENTINEL));
            let e = BiasActivation { bias: bias.as_ptr(), activation: g, a: a.w() };
            let z = p.fused(prepacked, &e);
            assert!(same_bits(&z.data, &want_z.data), "{}: Z", what(&format!("bias {g:?}")));
            assert!(same_bits(&a.data, &want_a.data), "{}: A", what(&format!("bias {g:?}")));

            // Backward: dZ = dA ⊙ g′(Y) and its row sums.
            let mut want_dz = plain.clone();
            let mut want_sums = vec![T::ZERO; m];
            for (i, sum) in want_sums.iter_mut().enumerate() {
                for j in 0..n {
                    let d = backprop_one(g, want_dz.get(i, j), y.get(i, j));
                    want_dz.set(i, j, d);
                    *sum = *sum + d;
                }
            }
            let mut sums = vec![T::ZERO; m];
            let e = Backprop { activation: g, y: y.r(), row_sums: sums.as_mut_ptr() };
            let dz = p.fused(prepacked, &e);
            assert!(same_bits(&dz.data, &want_dz.data), "{}: dZ", what(&format!("backprop {g:?}")));
            assert!(same_bits(&sums, &want_sums), "{}: row sums", what(&format!("backprop {g:?}")));
        }
        // The gradient step, with and without a decay.
        for decay in [None, Some(T::of(0.003))] {
            let (scale, rate) = (T::of(1.0 / 7.0), T::of(0.05));
            let mut want_w = w0.clone();
            for i in 0..m {
                for j in 0..n {
                    let mut g = plain.get(i, j) * scale;
                    if let Some(d) = decay {
                        g = g + want_w.get(i, j) * d;
                    }
                    want_w.set(i, j, want_w.get(i, j) - g * rate);
                }
            }
            let mut w = w0.clone();
            let c = p.fused(prepacked, &GradientStep { scale, decay, rate, w: w.w() });
            let e = what(&format!("gradient step, decay {decay:?}"));
            assert!(same_bits(&c.data, &plain.data), "{e}: C");
            assert!(same_bits(&w.data, &want_w.data), "{e}: W");
        }
    }
}

/// Shapes that end in partial MR×NR tiles, cross KC (256), MC (64) and NC (1024 f32, 512 f64),
/// and the small shapes that take the GEMV, outer-product and direct paths.
fn shapes() -> Vec<(usize, usize, usize)> {
    let mut s = vec![
        (13, 600, 130),
        (67, 257, 9),
        (5, 300, 33),
        (6, 260, 520),
        (3, 20, 1030),
        (10, 128, 128),
        (128, 10, 128),
        (20, 209, 37),
        (1, 40, 9),
        (9, 40, 1),
        (7, 2, 33),
        (4, 5, 8),
        (3, 3, 3),
    ];
    let mut rng = Rng(77);
    let pick = |rng: &mut Rng, xs: &[usize]| xs[(rng.next_u64() % xs.len() as u64) as usize];
    let extra = if fast() { 10 } else { 40 };
    for _ in 0..extra {
        let m = pick(&mut rng, &[1, 2, 3, 4, 5, 7, 8, 9, 12, 17, 33, 65]);
        let k = pick(&mut rng, &[1, 2, 3, 8, 31, 255, 256, 257, 513]);
        let n = pick(&mut rng, &[1, 3, 4, 7, 8, 9, 15, 16, 17, 40]);
        s.push((m, k, n));
    }
    s
}

fn sweep<T: Elem>() {
    for (t, dims) in shapes().into_iter().enumerate() {
        check_shape::<T>(dims, false, 100 + t as u64);
        if t % 3 == 0 {
            check_shape::<T>(dims, true, 500 + t as u64);
        }
    }
}

#[test]
fn epilogues_f32() {
    sweep::<f32>();
}

#[test]
fn epilogues_f64() {
    sweep::<f64>();
}
