//! Element type conversion between float32 and float64 (dtype promotion).

/// `dst[i] = src[i] as f64` (exact).
pub fn f32_to_f64(src: &[f32], dst: &mut [f64]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = s as f64;
    }
}

/// `dst[i] = src[i] as f32`, rounding to nearest even as numpy's `astype(float32)` does.
pub fn f64_to_f32(src: &[f64], dst: &mut [f32]) {
    for (d, &s) in dst.iter_mut().zip(src) {
        *d = s as f32;
    }
}
