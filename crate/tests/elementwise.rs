//! Broadcast binary kernels against a naive n-d loop: every path (contiguous, splatted, strided,
//! negative strides), sizes around the lane width, zero-size and 0-d shapes.

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use common::{broadcast_shapes, broadcast_strides, size};
use vectorized_core::array::shape::contiguous_strides;
use vectorized_core::array::{Output, Strided};
use vectorized_core::kernels::elementwise::{binary, BinaryOpCode};

/// Element at multi-index `idx` of a layout.
fn at<T: Copy>(data: &[T], strides: &[isize], offset: usize, idx: &[usize]) -> T {
    let pos =
        offset as isize + idx.iter().zip(strides).map(|(&i, &s)| i as isize * s).sum::<isize>();
    data[pos as usize]
}

fn indices(shape: &[usize]) -> Vec<Vec<usize>> {
    let mut all = vec![vec![]];
    for &d in shape {
        all = all
            .into_iter()
            .flat_map(|p| (0..d).map(move |i| [p.clone(), vec![i]].concat()))
            .collect();
    }
    all
}

/// Checks `a + b` for two operand shapes, each stored either row-major or reversed-axis
/// (a transposed, Fortran-order buffer), with NaN sentinels around the output.
fn check(a_shape: &[usize], b_shape: &[usize], transpose_a: bool) {
    let shape = broadcast_shapes(a_shape, b_shape).unwrap();
    let a_len = size(a_shape);
    let a_data: Vec<f64> = (0..a_len).map(|i| i as f64 * 1.5 - 7.0).collect();
    let b_data: Vec<f64> = (0..size(b_shape)).map(|i| 1000.0 + i as f64).collect();
    // A transposed layout: strides of the reversed shape, reversed.
    let a_strides = if transpose_a {
        let rev: Vec<usize> = a_shape.iter().rev().copied().collect();
        contiguous_strides(&rev).into_iter().rev().collect()
    } else {
        contiguous_strides(a_shape)
    };
    let b_strides = contiguous_strides(b_shape);
    let (sa, sb) = (
        broadcast_strides(a_shape, &a_strides, &shape),
        broadcast_strides(b_shape, &b_strides, &shape),
    );

    let n = size(&shape);
    let mut buf = vec![f64::NAN; n + 8];
    let out = &mut buf[4..4 + n];
    binary(
        BinaryOpCode::Add,
        &shape,
        Strided::new(&a_data, &sa, 0),
        Strided::new(&b_data, &sb, 0),
        Output::new(out),
    )
    .unwrap();
    for (k, idx) in indices(&shape).iter().enumerate() {
        let want = at(&a_data, &sa, 0, idx) + at(&b_data, &sb, 0, idx);
        assert_eq!(
            out[k], want,
            "{a_shape:?}+{b_shape:?} (transposed a: {transpose_a}) at {idx:?}"
        );
    }
    assert!(buf[..4].iter().chain(&buf[4 + n..]).all(|x| x.is_nan()), "wrote outside the output");
}

/// The rule the layouts above are built with, against numpy's documented examples.
#[test]
fn broadcast_rule_table() {
    let ok: &[(&[usize], &[usize], &[usize])] = &[
        (&[], &[], &[]),
        (&[3, 4], &[], &[3, 4]),
        (&[3, 4], &[4], &[3, 4]),
        (&[3, 1], &[1, 4], &[3, 4]),
        (&[5, 1, 4], &[3, 1], &[5, 3, 4]),
        (&[0], &[1], &[0]),
        (&[2, 0], &[2, 1], &[2, 0]),
        (&[1], &[0], &[0]),
    ];
    for (a, b, want) in ok {
        assert_eq!(broadcast_shapes(a, b).unwrap(), want.to_vec(), "{a:?} {b:?}");
        assert_eq!(broadcast_shapes(b, a).unwrap(), want.to_vec(), "{b:?} {a:?}");
    }
    assert_eq!(broadcast_shapes(&[3, 4], &[5]), None);
    assert_eq!(broadcast_shapes(&[0], &[2]), None);
    assert_eq!(broadcast_strides(&[3, 1], &[1, 1], &[2, 3, 4]), vec![0, 1, 0]);
}

#[test]
fn broadcast_shapes_sweep() {
    let cases: &[(&[usize], &[usize])] = &[
        (&[], &[]),
        (&[7], &[]),
        (&[], &[9]),
        (&[3, 4], &[4]),
        (&[3, 4], &[3, 1]),
        (&[5, 1, 3], &[4, 1]),
        (&[2, 3, 4], &[2, 3, 4]),
        (&[0, 3], &[3]),
        (&[2, 0], &[1]),
        (&[1, 17], &[13, 1]),
        (&[64, 3], &[64, 3]),
    ];
    for (a, b) in cases {
        for transpose in [false, true] {
            check(a, b, transpose);
            check(b, a, transpose);
        }
    }
}

#[test]
fn lane_tails() {
    for n in 0..=12 {
        check(&[n], &[n], false);
        check(&[2, n], &[1], false);
        check(&[2, n], &[2, 1], false);
        check(&[n, 3], &[n, 3], true);
    }
    check(&[257], &[257], false);
}

#[test]
fn float32_and_negative_strides() {
    // Reverse a: offset at the last element, stride -1.
    let a: Vec<f32> = (0..10).map(|i| i as f32).collect();
    let b = [0.5f32];
    let mut out = [0f32; 10];
    binary(
        BinaryOpCode::Add,
        &[10],
        Strided::new(&a, &[-1], 9),
        Strided::new(&b, &[0], 0),
        Output::new(&mut out),
    )
    .unwrap();
    let want: Vec<f32> = (0..10).rev().map(|i| i as f32 + 0.5).collect();
    assert_eq!(out.to_vec(), want);
}

#[test]
fn layouts_outside_the_buffer_are_errors() {
    let a = [1.0f32; 4];
    let mut out = [0f32; 5];
    let err = binary(
        BinaryOpCode::Add,
        &[5],
        Strided::new(&a, &[1], 0),
        Strided::new(&a, &[0], 0),
        Output::new(&mut out),
    );
    assert!(err.unwrap_err().to_string().contains("buffer of 4"));
    let mut short = [0f32; 3];
    assert!(binary(
        BinaryOpCode::Add,
        &[4],
        Strided::new(&a, &[1], 0),
        Strided::new(&a, &[1], 0),
        Output::new(&mut short)
    )
    .is_err());
}
