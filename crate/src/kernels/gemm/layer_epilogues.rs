//! The dense network's epilogues ([`super::epilogue`]): each is the elementwise pass that used
//! to follow one of a layer's products, with the same operations in the same order, so a fused
//! product computes the very bits of the product followed by the pass.
//!
//! ```text
//! forward   Z = W·A_prev (+ b)      BiasActivation:  Z ← Z + b,  A ← g(Z)
//! backward  dA = Wᵀ·dZ_next          Backprop:        dZ ← dA ⊙ g′ (dA never stored),  Σ_rows dZ
//!           G = dZ·A_prevᵀ           GradientStep:    W ← W − rate·(G/m + decay·W)  (dW never stored)
//! ```

use super::epilogue::{at, at_mut, for_each_lanes, load_part, store_part, Epilogue};
use crate::kernels::operand::{MatMut, MatRef};
use crate::simd::math::{vsigmoid, vtanh, UnaryMath};
use crate::simd::{spill, Lanes};

/// An activation g, applied lane by lane, and its derivative.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Activation<T> {
    /// g(z) = z (a softmax output's logits, normalised afterwards by column).
    Identity,
    /// max(z, 0) (IEEE maximum, as the `relu` op: relu(−0) = +0, NaN stays NaN).
    Relu,
    /// z > 0 ? z : slope·z.
    LeakyRelu(T),
    Tanh,
    Sigmoid,
}

impl<T: UnaryMath> Activation<T> {
    /// g per lane: the lane functions the unary ops use, so the bits of `relu`, `tanh`, `sigmoid`.
    #[inline(always)]
    pub fn value(self, z: T::V) -> T::V {
        let zero = T::splat(T::ZERO);
        match self {
            Activation::Identity => z,
            Activation::Relu => T::vmax(z, zero),
            Activation::LeakyRelu(slope) => {
                T::vblend(T::vlt_mask(zero, z), z, T::vmul(z, T::splat(slope)))
            }
            Activation::Tanh => vtanh::<T>(z),
            Activation::Sigmoid => vsigmoid::<T>(z),
        }
    }

    /// Whether [`Activation::backprop`] reads the layer's output A = g(Z) (tanh, σ) rather
    /// than Z (ReLU and leaky ReLU, from the sign of z; the identity reads neither).
    pub fn derivative_from_output(self) -> bool {
        matches!(self, Activation::Tanh | Activation::Sigmoid)
    }

    /// dA ⊙ g′ per lane, with `y` the layer's Z or A as [`Activation::derivative_from_output`]
    /// says. ReLU's g′(0) is 0, as the course's `dZ[Z <= 0] = 0`.
    #[inline(always)]
    pub fn backprop(self, da: T::V, y: T::V) -> T::V {
        let (zero, one) = (T::splat(T::ZERO), T::splat(T::ONE));
        match self {
            Activation::Identity => da,
            Activation::Relu => T::vblend(T::vlt_mask(zero, y), da, zero),
            Activation::LeakyRelu(slope) => {
                T::vblend(T::vlt_mask(zero, y), da, T::vmul(da, T::splat(slope)))
            }
            Activation::Tanh => T::vmul(da, T::vsub(one, T::vmul(y, y))),
            Activation::Sigmoid => T::vmul(da, T::vmul(y, T::vsub(one, y))),
        }
    }
}

/// Forward: `Z ← Z + b` (b one value per row of C, C being Z) and `A ← g(Z)`.
pub struct BiasActivation<T> {
    /// b: C's row i adds `bias[i]`.
    pub bias: *const T,
    pub activation: Activation<T>,
    /// A, C's shape, element (0, 0) at C's (0, 0); written, never read.
    pub a: MatMut<T>,
}

// Safety: the pointers are read (bias) or written (A) only at the block's own rows and columns,
// which the blocked loops give to one thread at a time.
unsafe impl<T> Sync for BiasActivation<T> {}

impl<T: UnaryMath> Epilogue<T> for BiasActivation<T> {
    const IN_ROW_ORDER: bool = false;

    /// # Safety
    /// As [`Epilogue::finish`]; `bias` holds C's rows' values, A is writable at the block.
    #[inline(never)] // once per block: kept out of the blocked loops' code
    unsafe fn finish(&self, (i0, j0): (usize, usize), (rows, cols): (usize, usize), c: MatMut<T>) {
        for i in 0..rows {
            let (zp, ap) = (at_mut(c, i, 0), at_mut(self.a, i0 + i, j0));
            // Safety: row i0 + i of C has a bias; the block's elements of C and A are in bounds,
            // as the caller guarantees.
            unsafe {
                let b = T::splat(*self.bias.add(i0 + i));
                for_each_lanes::<T, 2>(cols, [c.cs, self.a.cs], |j, len, unit| {
                    let (zi, ai) = if unit { (1, 1) } else { (c.cs, self.a.cs) };
                    let (zp, ap) = (zp.offset(j as isize * zi), ap.offset(j as isize * ai));
                    let z = T::vadd(load_part(zp, zi, len), b);
                    store_part(zp, zi, len, z);
                    store_part(ap, ai, len, self.activation.value(z));
                });
            }
        }
    }
}

/// Backward through an activation: `C ← C ⊙ g′(Y)` (C holds dA on entry and dZ after), with
/// each row's sum of dZ added to `row_sums`, element by element in column order (the bits of a
/// plain loop over the row).
pub struct Backprop<T> {
    pub activation: Activation<T>,
    /// The layer's Z or A ([`Activation::derivative_from_output`]), element (0, 0) at C's (0, 0).
    pub y: MatRef<T>,
    /// One sum per row of C, added to (zero them first); null for none.
    pub row_sums: *mut T,
}

// Safety: Y is only read; a row's sum is written by the thread finishing that row's blocks,
// which `IN_ROW_ORDER` makes one at a time.
unsafe impl<T> Sync for Backprop<T> {}

impl<T: UnaryMath> Epilogue<T> for Backprop<T> {
    const IN_ROW_ORDER: bool = true;

    /// # Safety
    /// As [`Epilogue::finish`]; Y is readable at the block, `row_sums` (when not null) holds one
    /// element per row of C.
    #[inline(never)] // once per block: kept out of the blocked loops' code
    unsafe fn finish(&self, (i0, j0): (usize, usize), (rows, cols): (usize, usize), c: MatMut<T>) {
        for i in 0..rows {
            let mut sum = if self.row_sums.is_null() {
                T::ZERO
            } else {
                // Safety: row i0 + i has a sum.
                unsafe { *self.row_sums.add(i0 + i) }
            };
            let (dp, yp) = (at_mut(c, i, 0), at(self.y, i0 + i, j0));
            // Safety: the block's elements of C and Y are in bounds, as the caller guarantees.
            unsafe {
                for_each_lanes::<T, 2>(cols, [c.cs, self.y.cs], |j, len, unit| {
                    let (di, yi) = if unit { (1, 1) } else { (c.cs, self.y.cs) };
                    let (dp, yp) = (dp.offset(j as isize * di), yp.offset(j as isize * yi));
                    let dz =
                        self.activation.backprop(load_part(dp, di, len), load_part(yp, yi, len));
                    store_part(dp, di, len, dz);
                    spill::<T>(dz)[..len].iter().for_each(|&v| sum = sum + v);
                });
            }
            if !self.row_sums.is_null() {
                // Safety: as above.
                unsafe { *self.row_sums.add(i0 + i) = sum };
            }
        }
    }
}

/// A gradient-descent step on W from the product `G = dZ·A_prevᵀ` in C: `dW = G·scale`, plus
/// `decay·W` when there is a decay, then `W ← W − dW·rate`, as the step's separate passes did.
/// C is left holding G.
pub struct GradientStep<T> {
    pub scale: T,
    /// λ/m of an L2 penalty, or None.
    pub decay: Option<T>,
    pub rate: T,
    /// W, C's shape, element (0, 0) at C's (0, 0); read and written.
    pub w: MatMut<T>,
}

// Safety: W is read and written only at the block's own positions, one thread per block.
unsafe impl<T> Sync for GradientStep<T> {}

impl<T: Lanes> Epilogue<T> for GradientStep<T> {
    const IN_ROW_ORDER: bool = false;

    /// # Safety
    /// As [`Epilogue::finish`]; W is readable and writable at the block, and not C.
    #[inline(never)] // once per block: kept out of the blocked loops' code
    unsafe fn finish(&self, (i0, j0): (usize, usize), (rows, cols): (usize, usize), c: MatMut<T>) {
        let (scale, rate) = (T::splat(self.scale), T::splat(self.rate));
        let decay = self.decay.map(T::splat);
        let step = |wv: T::V, g: T::V| {
            let mut g = T::vmul(g, scale);
            if let Some(decay) = decay {
                g = T::vadd(g, T::vmul(wv, decay));
            }
            T::vsub(wv, T::vmul(g, rate))
        };
        for i in 0..rows {
            let (cp, wp) = (at_mut(c, i, 0), at_mut(self.w, i0 + i, j0));
            // Safety: the block's elements of C and W are in bounds, as the caller guarantees.
            unsafe {
                for_each_lanes::<T, 2>(cols, [c.cs, self.w.cs], |j, len, unit| {
                    let (ci, wi) = if unit { (1, 1) } else { (c.cs, self.w.cs) };
                    let (cp, wp) = (cp.offset(j as isize * ci), wp.offset(j as isize * wi));
                    let wv = load_part(wp, wi, len);
                    store_part(wp, wi, len, step(wv, load_part(cp, ci, len)));
                })
            }
        }
    }
}
