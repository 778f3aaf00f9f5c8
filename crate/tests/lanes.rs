//! The lane layer's partial load (a row's tail as a whole vector), in every layer the build
//! has: the scalar layer natively, SIMD128 and relaxed SIMD in wasm32 (scripts/test-wasm.sh).

mod common;
#[cfg(target_arch = "wasm32")]
use common::test;
use vectorized_core::simd::{spill, Lanes, MAX_LANES};

/// `load_partial(p, k)` holds p[0..k] in its first lanes, bit for bit (−0, NaN payloads,
/// subnormals), and +0 in the others, for every k from 0 to LANES and every start in a buffer.
fn check<T: Lanes + Into<f64>>(values: &[T]) {
    for start in 0..values.len() {
        for k in 0..=T::LANES.min(values.len() - start) {
            // Safety: k elements from `start` are inside `values`.
            let v = spill::<T>(unsafe { T::load_partial(values.as_ptr().add(start), k) });
            for lane in 0..MAX_LANES.min(T::LANES) {
                let want: f64 = if lane < k { values[start + lane].into() } else { 0.0 };
                let got: f64 = v[lane].into();
                assert_eq!(got.to_bits(), want.to_bits(), "start {start}, k {k}, lane {lane}");
            }
        }
    }
}

#[test]
fn load_partial_fills_the_first_lanes_and_zeros_the_rest() {
    check::<f32>(&[1.5, -0.0, f32::from_bits(0x7fc0_1234), 1e-40, -3.25, f32::INFINITY, 7.0]);
    check::<f64>(&[1.5, -0.0, f64::from_bits(0x7ff8_0000_0000_1234), 5e-324, -3.25]);
}
