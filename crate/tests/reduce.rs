//! Reductions against a naive n-d loop: every op × dtype over shapes 0-d to 4-d (zero-size and
//! size-1 axes, lane tails, block, tile and cascade boundaries), every subset of axes, and
//! contiguous, transposed, reversed, sliced and broadcast layouts; NaN sentinels around the
//! output. Sums are also checked against the stated error bound on 10⁶ and 10⁷ float32 values,
//! with exact integer references.

use std::fmt::Debug;

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{hash, size, Elem};
use vectorized_core::array::shape::contiguous_strides;
use vectorized_core::array::{Output, Strided};
use vectorized_core::error::ErrorKind;
use vectorized_core::kernels::arg_reduce::{arg_reduce, ArgOpCode};
use vectorized_core::kernels::reduce::{reduce, ReduceOpCode};

/// The stated bound: `|computed − exact| ≤ γ_h Σ|xᵢ|` with `h = 16 + 5 + ⌈log2 n⌉`.
fn gamma<T: Elem>(n: usize) -> f64 {
    let h = 21.0 + (n.max(1) as f64).log2().ceil();
    h * T::U / (1.0 - h * T::U)
}

/// Buffer contents by position.
#[derive(Clone, Copy, Debug)]
enum Data {
    /// Quarters in [−2.75, 2.75]: every partial sum is exact in float32.
    Quarters,
    /// Uniform in [−1, 1): sums are checked against the error bound.
    Uniform,
    /// ±2⁻¹, ±1, ±2 and the odd 0: products are exact while the exponent stays in range.
    PowersOfTwo,
    /// Integers in −3..=3: many ties, for first-occurrence semantics.
    Ties,
    /// Ties with a NaN every ~13 elements.
    Nans,
    /// −0, +0 and −1: the signed-zero rules.
    Zeros,
}

fn value(data: Data, p: usize) -> f64 {
    let h = hash(p as u64);
    match data {
        Data::Quarters => ((h % 23) as f64 - 11.0) * 0.25,
        Data::Uniform => (h >> 11) as f64 / (1u64 << 52) as f64 - 1.0,
        Data::PowersOfTwo => {
            [0.5, -0.5, 1.0, -1.0, 2.0, -2.0, 1.0, 0.5, 2.0][(h % 9) as usize]
                * if h.is_multiple_of(97) { 0.0 } else { 1.0 }
        }
        Data::Ties => (h % 7) as f64 - 3.0,
        Data::Nans => {
            if h.is_multiple_of(13) {
                f64::NAN
            } else {
                (h % 7) as f64 - 3.0
            }
        }
        Data::Zeros => [-0.0, 0.0, -1.0, 0.0, -0.0][(h % 5) as usize],
    }
}

/// A layout over `shape`: strides, offset and the buffer length it needs.
#[derive(Clone, Debug)]
struct Layout {
    name: &'static str,
    strides: Vec<isize>,
    offset: usize,
    buffer: usize,
}

fn layouts(shape: &[usize]) -> Vec<Layout> {
    let n = size(shape);
    let contiguous = contiguous_strides(shape);
    let mut all =
        vec![Layout { name: "contiguous", strides: contiguous.clone(), offset: 0, buffer: n }];

    // Transposed: a Fortran-order buffer (the strides of the reversed shape, reversed).
    let rev: Vec<usize> = shape.iter().rev().copied().collect();
    let transposed = contiguous_strides(&rev).into_iter().rev().collect();
    all.push(Layout { name: "transposed", strides: transposed, offset: 0, buffer: n });

    // Every axis reversed: negative strides, starting at the last element.
    if n > 0 {
        let reversed: Vec<isize> = contiguous.iter().map(|&s| -s).collect();
        all.push(Layout { name: "reversed", strides: reversed, offset: n - 1, buffer: n });
    }

    // Every other element along each axis, from element 1 of a buffer twice as long per axis.
    let doubled: Vec<usize> = shape.iter().map(|&d| 2 * d).collect();
    let sliced = contiguous_strides(&doubled).into_iter().map(|s| 2 * s).collect();
    all.push(Layout { name: "sliced", strides: sliced, offset: 1, buffer: size(&doubled) + 1 });

    // The first axis of length > 1 broadcast (stride 0), and a scalar broadcast to everything.
    if let Some(k) = shape.iter().position(|&d| d > 1) {
        let mut base = shape.to_vec();
        base[k] = 1;
        let mut strides = contiguous_strides(&base);
        strides[k] = 0;
        all.push(Layout { name: "broadcast axis", strides, offset: 0, buffer: size(&base) });
        all.push(Layout {
            name: "broadcast scalar",
            strides: vec![0; shape.len()],
            offset: 0,
            buffer: 1,
        });
    }
    all
}

/// Each output's buffer positions in row-major order within the reduced axes, by plain index
/// arithmetic over `layout` (an odometer over every multi-index in row-major order).
fn groups(shape: &[usize], layout: &Layout, reduced: &[bool]) -> Vec<Vec<usize>> {
    let kept_shape: Vec<usize> =
        (0..shape.len()).filter(|&d| !reduced[d]).map(|d| shape[d]).collect();
    let mut out = vec![Vec::new(); size(&kept_shape)];
    if size(shape) == 0 {
        return out;
    }
    let mut idx = vec![0usize; shape.len()];
    loop {
        let pos = layout.offset as isize
            + idx.iter().zip(&layout.strides).map(|(&i, &s)| i as isize * s).sum::<isize>();
        let mut k = 0;
        for d in 0..shape.len() {
            if !reduced[d] {
                k = k * shape[d] + idx[d];
            }
        }
        out[k].push(pos as usize);
        let Some(d) = (0..shape.len()).rev().find(|&d| idx[d] + 1 < shape[d]) else { return out };
        idx[d] += 1;
        idx[d + 1..].fill(0);
    }
}

/// Neumaier's compensated sum: error ≤ 2u|S| + O(n u²) Σ|x|, far inside the kernel's bound.
fn compensated_sum(xs: &[f64]) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for &x in xs {
        let t = sum + x;
        c += if sum.abs() >= x.abs() { (sum - t) + x } else { (x - t) + sum };
        sum = t;
    }
    sum + c
}

fn same_bits(got: f64, want: f64) -> bool {
    (got.is_nan() && want.is_nan())
        || (got == want && got.is_sign_negative() == want.is_sign_negative())
}

/// numpy's (and the reference backend's) maximum: NaN if any NaN, and +0 over −0.
fn ieee_max(xs: &[f64], sign: f64) -> f64 {
    let mut best = f64::NEG_INFINITY * sign;
    for &x in xs {
        if x.is_nan() {
            return f64::NAN;
        }
        let (a, b) = (x * sign, best * sign);
        if a > b || (a == b && a == 0.0 && (x.is_sign_positive() == (sign > 0.0))) {
            best = x;
        }
    }
    best
}

/// Index of the first NaN, else of the first element `> best` kept (`<` for argmin).
fn first_extreme(xs: &[f64], sign: f64) -> usize {
    let mut best = (0, xs[0]);
    for (i, &x) in xs.iter().enumerate().skip(1) {
        if !best.1.is_nan() && (x.is_nan() || x * sign > best.1 * sign) {
            best = (i, x);
        }
    }
    best.0
}

const REDUCE: [ReduceOpCode; 4] =
    [ReduceOpCode::Sum, ReduceOpCode::Prod, ReduceOpCode::Max, ReduceOpCode::Min];

/// Checks every op on one (shape, layout, mask, dtype) with the data sets that suit it.
fn check<T: Elem>(shape: &[usize], layout: &Layout, reduced: &[bool]) {
    check_ops::<T>(shape, layout, reduced, true);
}

/// [`check`], or only the arg-reductions when `values` is false.
fn check_ops<T: Elem>(shape: &[usize], layout: &Layout, reduced: &[bool], values: bool) {
    let kept_shape: Vec<usize> =
        (0..shape.len()).filter(|&d| !reduced[d]).map(|d| shape[d]).collect();
    let n_out = size(&kept_shape);
    let count: usize = (0..shape.len()).filter(|&d| reduced[d]).map(|d| shape[d]).product();
    let positions = groups(shape, layout, reduced);
    let ctx = |op: &dyn Debug, data: Data| {
        format!(
            "{op:?} {data:?} {} of {shape:?} {} over {reduced:?} ({})",
            std::any::type_name::<T>(),
            layout.name,
            layout.strides.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(",")
        )
    };

    for (op, datas) in [
        (ReduceOpCode::Sum, &[Data::Quarters, Data::Uniform, Data::Zeros][..]),
        (ReduceOpCode::Prod, &[Data::PowersOfTwo][..]),
        (ReduceOpCode::Max, &[Data::Ties, Data::Nans, Data::Zeros][..]),
        (ReduceOpCode::Min, &[Data::Ties, Data::Nans, Data::Zeros][..]),
    ]
    .into_iter()
    .filter(|_| values)
    {
        for &data in datas {
            let src: Vec<f64> = (0..layout.buffer).map(|p| T::of(value(data, p)).into()).collect();
            let buf: Vec<T> = src.iter().map(|&x| T::of(x)).collect();
            let mut out = vec![T::of(f64::NAN); n_out + 8];
            for x in &mut out[4..4 + n_out] {
                *x = T::of(-12345.5); // unwritten outputs show up
            }
            let result = reduce(
                op,
                shape,
                Strided::new(&buf, &layout.strides, layout.offset),
                reduced,
                Output::new(&mut out[4..4 + n_out]),
            );
            let what = ctx(&op, data);
            if count == 0 && n_out > 0 && matches!(op, ReduceOpCode::Max | ReduceOpCode::Min) {
                let err = result.expect_err(&what);
                assert_eq!(err.kind, ErrorKind::Layout);
                assert!(
                    err.message.starts_with("zero-size array to reduction operation"),
                    "{what}: {err}"
                );
                continue;
            }
            result.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(
                out[..4].iter().chain(&out[4 + n_out..]).all(|x| is_nan(*x)),
                "{what}: wrote outside the output"
            );
            for (j, pos) in positions.iter().enumerate() {
                let xs: Vec<f64> = pos.iter().map(|&p| src[p]).collect();
                let xs = &xs[..];
                let got: f64 = out[4 + j].into();
                match (op, data) {
                    (ReduceOpCode::Sum, Data::Uniform) => {
                        let exact = compensated_sum(xs);
                        let abs: f64 = xs.iter().map(|x| x.abs()).sum();
                        // The bound, plus the reference's own error (2u|S|, in f64).
                        let tol = gamma::<T>(xs.len()) * abs + 4.0 * f64::EPSILON * abs;
                        assert!(
                            (got - exact).abs() <= tol,
                            "{what} at {j}: {got} vs {exact} (tol {tol})"
                        );
                    }
                    (ReduceOpCode::Sum, _) => {
                        let want = xs.iter().fold(0.0, |acc, &x| acc + x);
                        assert!(
                            same_bits(got, want),
                            "{what} at {j}: {got:?} vs {want:?} of {xs:?}"
                        );
                    }
                    (ReduceOpCode::Prod, _) => {
                        let want: f64 = T::of(xs.iter().product()).into();
                        assert!(same_bits(got, want), "{what} at {j}: {got:?} vs {want:?}");
                    }
                    (ReduceOpCode::Max | ReduceOpCode::Min, _) => {
                        let want = ieee_max(xs, if op == ReduceOpCode::Max { 1.0 } else { -1.0 });
                        assert!(
                            same_bits(got, want),
                            "{what} at {j}: {got:?} vs {want:?} of {xs:?}"
                        );
                    }
                }
            }
        }
    }

    for op in [ArgOpCode::ArgMax, ArgOpCode::ArgMin] {
        for data in [Data::Ties, Data::Nans, Data::Zeros, Data::Uniform] {
            let src: Vec<f64> = (0..layout.buffer).map(|p| T::of(value(data, p)).into()).collect();
            let buf: Vec<T> = src.iter().map(|&x| T::of(x)).collect();
            let mut out = vec![f64::NAN; n_out + 8];
            out[4..4 + n_out].fill(-12345.5);
            let result = arg_reduce(
                op,
                shape,
                Strided::new(&buf, &layout.strides, layout.offset),
                reduced,
                Output::new(&mut out[4..4 + n_out]),
            );
            let what = ctx(&op, data);
            if count == 0 && n_out > 0 {
                let err = result.expect_err(&what);
                assert_eq!(err.kind, ErrorKind::Layout);
                assert!(err.message.starts_with("attempt to get arg"), "{what}: {err}");
                continue;
            }
            result.unwrap_or_else(|e| panic!("{what}: {e}"));
            assert!(
                out[..4].iter().chain(&out[4 + n_out..]).all(|x| x.is_nan()),
                "{what}: wrote outside the output"
            );
            for (j, pos) in positions.iter().enumerate() {
                let xs: Vec<f64> = pos.iter().map(|&p| src[p]).collect();
                let want = first_extreme(&xs, if op == ArgOpCode::ArgMax { 1.0 } else { -1.0 });
                assert_eq!(out[4 + j], want as f64, "{what} at {j} of {xs:?}");
            }
        }
    }
}

fn is_nan<T: Elem>(x: T) -> bool {
    let x: f64 = x.into();
    x.is_nan()
}

fn check_all_subsets(shape: &[usize]) {
    for layout in layouts(shape) {
        for mask in 0..1u32 << shape.len() {
            let reduced: Vec<bool> = (0..shape.len()).map(|d| mask >> d & 1 == 1).collect();
            check::<f32>(shape, &layout, &reduced);
            check::<f64>(shape, &layout, &reduced);
        }
    }
}

#[test]
fn small_shapes_every_layout_and_subset() {
    let shapes: &[&[usize]] = &[
        &[],
        &[0],
        &[1],
        &[5],
        &[17],
        &[3, 4],
        &[4, 1],
        &[1, 7],
        &[0, 3],
        &[3, 0],
        &[2, 3, 4],
        &[3, 1, 5],
        &[2, 0, 3],
        &[1, 1, 1, 1],
        &[2, 3, 2, 5],
        &[3, 2, 1, 4],
        &[2, 2, 0, 2],
    ];
    for shape in shapes {
        check_all_subsets(shape);
    }
}

#[test]
fn lane_tails() {
    for n in 0..=20 {
        check_all_subsets(&[n]);
        check_all_subsets(&[3, n]);
        check_all_subsets(&[n, 3]);
    }
}

#[test]
fn block_tile_and_cascade_boundaries() {
    // 300- and 2100-element rows cross the float32 block (4 vectors × 4 lanes × 16 steps = 256)
    // and the argmax chunk (256); 2100 outputs cross the rows loop's tile (2048); 20, 70 and 600
    // rows push 1, 4 and 37 blocks of 16 rows into the cascade.
    for shape in [&[5, 300][..], &[3, 2100], &[70, 9], &[600, 3], &[2, 3, 20, 7], &[20, 3, 37]] {
        check_all_subsets(shape);
    }
}

#[test]
fn arg_blocks_of_rows() {
    // The vectorised argmax loop tracks row numbers in lanes for 2^16 rows at a time: cross that.
    let shape = [70_000, 5];
    let layout = &layouts(&shape)[0];
    for reduced in [[true, false], [true, true]] {
        check_ops::<f32>(&shape, layout, &reduced, false);
        check_ops::<f64>(&shape, layout, &reduced, false);
    }
    // The best value in a later block, and a tie with an earlier one, at known places.
    let mut data = vec![0.0f32; 70_000 * 5];
    data[69_999 * 5] = 3.0; // column 0: the last row
    data[5 + 1] = 2.0; // column 1: row 1 ...
    data[68_000 * 5 + 1] = 2.0; // ... ties with row 68000: the first wins
    data[66_000 * 5 + 2] = f32::NAN; // column 2: a NaN after 2^16 rows
    data[67_000 * 5 + 2] = f32::NAN;
    data[3] = -1.0; // column 3: all zero after a −1: argmax 1, argmin 0
    let mut out = [f64::NAN; 5];
    arg_reduce(
        ArgOpCode::ArgMax,
        &shape,
        Strided::new(&data, &[5, 1], 0),
        &[true, false],
        Output::new(&mut out),
    )
    .unwrap();
    assert_eq!(out, [69_999.0, 1.0, 66_000.0, 1.0, 0.0]);
    arg_reduce(
        ArgOpCode::ArgMin,
        &shape,
        Strided::new(&data, &[5, 1], 0),
        &[true, false],
        Output::new(&mut out),
    )
    .unwrap();
    assert_eq!(out, [0.0, 0.0, 66_000.0, 0.0, 0.0]);
}

#[test]
fn signed_zeros_and_nans() {
    let data = [-0.0f32, 0.0, -0.0];
    let mut out = [f32::NAN];
    let mut idx = [f64::NAN];
    let a = Strided::new(&data, &[1], 0);
    reduce(ReduceOpCode::Max, &[3], a, &[true], Output::new(&mut out)).unwrap();
    assert_eq!(out[0].to_bits(), 0.0f32.to_bits(), "max(-0, +0) = +0");
    reduce(ReduceOpCode::Min, &[3], a, &[true], Output::new(&mut out)).unwrap();
    assert_eq!(out[0].to_bits(), (-0.0f32).to_bits(), "min(-0, +0) = -0");
    reduce(ReduceOpCode::Sum, &[3], a, &[true], Output::new(&mut out)).unwrap();
    assert_eq!(out[0].to_bits(), 0.0f32.to_bits(), "0 + -0 + +0 + -0 = +0");
    arg_reduce(ArgOpCode::ArgMax, &[3], a, &[true], Output::new(&mut idx)).unwrap();
    assert_eq!(idx[0], 0.0, "zeros tie: the first");

    let data = [1.0f64, f64::NAN, 5.0, f64::NAN, 7.0];
    let a = Strided::new(&data, &[1], 0);
    let mut out = [0.0f64];
    for op in [ReduceOpCode::Max, ReduceOpCode::Min, ReduceOpCode::Sum, ReduceOpCode::Prod] {
        reduce(op, &[5], a, &[true], Output::new(&mut out)).unwrap();
        assert!(out[0].is_nan(), "{op:?}");
    }
    for op in [ArgOpCode::ArgMax, ArgOpCode::ArgMin] {
        arg_reduce(op, &[5], a, &[true], Output::new(&mut idx)).unwrap();
        assert_eq!(idx[0], 1.0, "{op:?}: the first NaN");
    }
}

#[test]
fn empty_reductions_and_errors() {
    let data = [1.0f32; 12];
    let mut out = [f32::NAN; 3];
    reduce(
        ReduceOpCode::Sum,
        &[3, 0],
        Strided::new(&data[..0], &[0, 1], 0),
        &[false, true],
        Output::new(&mut out),
    )
    .unwrap();
    assert_eq!(out, [0.0; 3]);
    reduce(
        ReduceOpCode::Prod,
        &[3, 0],
        Strided::new(&data[..0], &[0, 1], 0),
        &[false, true],
        Output::new(&mut out),
    )
    .unwrap();
    assert_eq!(out, [1.0; 3]);
    let err = reduce(
        ReduceOpCode::Max,
        &[3, 0],
        Strided::new(&data[..0], &[0, 1], 0),
        &[false, true],
        Output::new(&mut out),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "zero-size array to reduction operation maximum which has no identity"
    );
    let mut idx = [f64::NAN; 3];
    let err = arg_reduce(
        ArgOpCode::ArgMin,
        &[3, 0],
        Strided::new(&data[..0], &[0, 1], 0),
        &[false, true],
        Output::new(&mut idx),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "attempt to get argmin of an empty sequence");
    // An empty output is fine even without an identity.
    reduce(
        ReduceOpCode::Max,
        &[0, 0],
        Strided::new(&data[..0], &[0, 1], 0),
        &[false, true],
        Output::new(&mut out[..0]),
    )
    .unwrap();
    arg_reduce(
        ArgOpCode::ArgMax,
        &[0, 3],
        Strided::new(&data[..0], &[3, 1], 0),
        &[false, true],
        Output::new(&mut idx[..0]),
    )
    .unwrap();

    // Layout errors: a mask of the wrong rank, a buffer too short, an output of the wrong size.
    let a = Strided::new(&data, &[4, 1], 0);
    assert!(reduce(ReduceOpCode::Sum, &[3, 4], a, &[true], Output::new(&mut out)).is_err());
    assert!(reduce(
        ReduceOpCode::Sum,
        &[3, 5],
        Strided::new(&data, &[5, 1], 0),
        &[false, true],
        Output::new(&mut out)
    )
    .is_err());
    assert!(reduce(ReduceOpCode::Sum, &[3, 4], a, &[true, false], Output::new(&mut out)).is_err());
    assert!(
        arg_reduce(ArgOpCode::ArgMax, &[3, 4], a, &[true, false], Output::new(&mut idx)).is_err()
    );
}

#[test]
fn op_codes() {
    assert_eq!(ReduceOpCode::from_u32(0), Some(ReduceOpCode::Sum));
    assert_eq!(ReduceOpCode::from_u32(3), Some(ReduceOpCode::Min));
    assert_eq!(ReduceOpCode::from_u32(4), None);
    assert_eq!(ArgOpCode::from_u32(1), Some(ArgOpCode::ArgMin));
    assert_eq!(ArgOpCode::from_u32(2), None);
    for (i, op) in REDUCE.iter().enumerate() {
        assert_eq!(*op as u32, i as u32);
    }
}

// ---------------------------------------------------------------------------------------------
// Accuracy of long sums, against exact integer arithmetic.

/// Values `k / 2^bits` with k uniform in `lo..hi` (all exact in the float type).
fn scaled_ints(n: usize, seed: u64, bits: u32, signed: bool) -> Vec<i64> {
    let full = 1i64 << bits;
    (0..n)
        .map(|i| {
            let k = (hash(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)) % (full as u64))
                as i64;
            if signed {
                2 * k - full
            } else {
                k
            }
        })
        .collect()
}

/// Sums `ks / 2^bits` with the kernel over `layout`, returning (|error| / Σ|x|, bound / Σ|x|)
/// for every output, computed exactly.
fn sum_error<T: Elem>(
    shape: &[usize],
    strides: &[isize],
    reduced: &[bool],
    ks: &[i64],
    bits: u32,
    scale_layout: impl Fn(usize) -> usize,
) -> Vec<(f64, f64)> {
    let scale = (1u64 << bits) as f64;
    let buf: Vec<T> = ks.iter().map(|&k| T::of(k as f64 / scale)).collect();
    let kept: Vec<usize> = (0..shape.len()).filter(|&d| !reduced[d]).map(|d| shape[d]).collect();
    let mut out = vec![T::of(f64::NAN); size(&kept)];
    reduce(
        ReduceOpCode::Sum,
        shape,
        Strided::new(&buf, strides, 0),
        reduced,
        Output::new(&mut out),
    )
    .unwrap();
    // Exact sums per output, by element → output (`scale_layout` maps a buffer position to its
    // output, or usize::MAX when the layout skips it).
    let mut exact = vec![(0i128, 0i128, 0usize); out.len()];
    for (p, &k) in ks.iter().enumerate() {
        let j = scale_layout(p);
        if j != usize::MAX {
            exact[j].0 += k as i128;
            exact[j].1 += (k as i128).abs();
            exact[j].2 += 1;
        }
    }
    out.iter()
        .zip(&exact)
        .map(|(&got, &(sum, abs, n))| {
            let got: f64 = got.into();
            let got_scaled = got * scale; // exact: a multiple of 2^-bits no finer than its ulp
            assert_eq!(got_scaled, got_scaled.round());
            let err = (got_scaled as i128 - sum).abs() as f64;
            (err / abs as f64, gamma::<T>(n))
        })
        .collect()
}

fn assert_within(label: &str, errors: &[(f64, f64)]) {
    let worst = errors.iter().fold((0.0f64, 0.0f64), |w, &(e, b)| if e > w.0 { (e, b) } else { w });
    eprintln!("{label}: worst |error| / Σ|x| = {:.3e}, bound γ_h = {:.3e}", worst.0, worst.1);
    for &(e, b) in errors {
        assert!(e <= b, "{label}: relative error {e:e} above the bound {b:e}");
    }
}

/// The float32 sum of `n` values through the lanes loop (and with `every_loop`, the rows and
/// strided loops too), against the bound. Three data sets: uniform
/// in [0, 1) and in [−1, 1) (rounding errors mostly cancel), and n copies of 0.1f32 (every
/// rounding has the same sign: the hard case for a long accumulator).
fn f32_sum_accuracy(n: usize, every_loop: bool) {
    for (name, ks) in [
        ("[0, 1)", scaled_ints(n, 7, 24, false)),
        ("[-1, 1)", scaled_ints(n, 8, 24, true)),
        ("0.1 each", vec![(0.1f64 * (1u64 << 24) as f64).round() as i64; n]),
    ] {
        let label = format!("float32 sum of {n} values {name}");
        // Lanes: one contiguous row.
        assert_within(
            &format!("{label}, one row"),
            &sum_error::<f32>(&[n], &[1], &[true], &ks, 24, |_| 0),
        );
        if every_loop {
            // Rows: (n/4, 4) over axis 0, four outputs of n/4 each, vectorised over the outputs.
            let errors =
                sum_error::<f32>(&[n / 4, 4], &[4, 1], &[true, false], &ks[..n / 4 * 4], 24, |p| {
                    p % 4
                });
            assert_within(&format!("{label}, axis 0 of (n/4, 4)"), &errors);
            // Strided: every third element, through the scalar accumulator.
            let errors = sum_error::<f32>(&[n / 3], &[3], &[true], &ks[..n / 3 * 3], 24, |p| {
                if p % 3 == 0 {
                    0
                } else {
                    usize::MAX
                }
            });
            assert_within(&format!("{label}, stride 3"), &errors);
        }

        // The naive float32 loop, for scale. Where it breaks the bound, the bound is a real test.
        let naive = ks.iter().fold(0.0f32, |acc, &k| acc + k as f32 / (1u64 << 24) as f32);
        let (sum, abs) =
            ks.iter().fold((0i128, 0i128), |(s, a), &k| (s + k as i128, a + (k as i128).abs()));
        let naive_error = (naive as f64 * (1u64 << 24) as f64 - sum as f64).abs() / abs as f64;
        eprintln!("{label}: a naive float32 loop is off by {naive_error:.3e} of Σ|x|");
        if name != "[-1, 1)" {
            assert!(naive_error > gamma::<f32>(n), "{label}: the naive loop meets the bound too");
        }
    }
}

#[test]
fn f32_sum_of_a_million_is_within_the_bound() {
    f32_sum_accuracy(1_000_000, true);
}

#[test]
fn f32_sum_of_ten_million_is_within_the_bound() {
    // One contiguous row (a few seconds in a debug build); the other loops at 10⁶ above.
    f32_sum_accuracy(10_000_000, false);
}

#[test]
fn f64_sum_accuracy() {
    let n = 1_000_000;
    for signed in [false, true] {
        let ks = scaled_ints(n, 11 + signed as u64, 52, signed);
        assert_within(
            "float64 sum, one row",
            &sum_error::<f64>(&[n], &[1], &[true], &ks, 52, |_| 0),
        );
        let errors = sum_error::<f64>(&[n / 4, 4], &[4, 1], &[true, false], &ks, 52, |p| p % 4);
        assert_within("float64 sum, axis 0 of (n/4, 4)", &errors);
    }
}
