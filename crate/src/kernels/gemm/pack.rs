//! Packing: copies a block of A or B, read through any strides, into the contiguous panel
//! layout the microkernel streams (BLIS's `packm`; matrixmultiply's `pack`). This is what
//! makes every transpose combination run at one speed: only the packing loops see the
//! operands' strides, and they are O(mk + kn) against the kernel's O(mnk).
//!
//! A panel is `W` rows of the source side by side (W = MR for A; W = NR for B, whose panel
//! "rows" are B's columns), stored depth-major: `dst[q·W + r] = src[r, q]`. Rows past the
//! end of the block are zero, so edge tiles run the full kernel on zeros.

use crate::simd::Lanes;

/// Packs `rows × depth` elements into `⌈rows/W⌉` panels of `W × depth`.
///
/// + rows, depth: the block's extent (panel rows, and the shared dimension k)
/// + src: the block's first element; `src + r·rs + q·cs` is element `(r, q)`
/// + rs: stride between panel rows (`rs_a` for A, `cs_b` for B)
/// + cs: stride along the depth (`cs_a` for A, `rs_b` for B)
/// + dst: `⌈rows/W⌉·W·depth` writable elements
///
/// # Safety
/// Every `src + r·rs + q·cs` (`r < rows`, `q < depth`) must be readable, `dst` writable as
/// above, and the two must not overlap.
#[inline(never)]
pub unsafe fn pack<T: Lanes, const W: usize>(
    rows: usize,
    depth: usize,
    src: *const T,
    rs: isize,
    cs: isize,
    dst: *mut T,
) {
    let full = rows / W;
    for p in 0..full {
        // Safety: panel p covers source rows p·W..p·W+W < rows and its own W·depth slice of dst.
        unsafe {
            let s = src.offset((p * W) as isize * rs);
            let d = dst.add(p * W * depth);
            if rs == 1 {
                // The panel's rows are adjacent: each depth step is one W-element copy.
                for q in 0..depth {
                    core::ptr::copy_nonoverlapping(s.offset(q as isize * cs), d.add(q * W), W);
                }
            } else if cs == 1 && rs > 0 && W.is_multiple_of(T::LANES) {
                // Each row is contiguous along the depth: LANES×LANES tiles transposed in
                // registers (a row-major A, a transposed B).
                panel_tiles::<T, W>(depth, s, rs as usize, d);
            } else if cs == 1 {
                // Each row is contiguous along the depth: W streams read in order.
                panel_rows::<T, W>(depth, s, rs, 1, d);
            } else {
                panel_rows::<T, W>(depth, s, rs, cs, d);
            }
        }
    }
    let rem = rows - full * W;
    if rem > 0 {
        // Safety: the last panel reads rows full·W..rows and fills its W·depth slice of dst.
        unsafe {
            let s = src.offset((full * W) as isize * rs);
            let d = dst.add(full * W * depth);
            for q in 0..depth {
                for r in 0..W {
                    *d.add(q * W + r) = if r < rem {
                        *s.offset(r as isize * rs + q as isize * cs)
                    } else {
                        T::ZERO
                    };
                }
            }
        }
    }
}

/// One full panel of rows contiguous along the depth, `d[q·W + r] = s[r·rs + q]`, a
/// LANES×LANES tile at a time ([`Lanes::transpose_tile`]); the depth's last `depth % LANES`
/// steps element by element. W is a multiple of LANES.
///
/// # Safety
/// As [`pack`], for rows `0..W`, with `cs == 1` and `rs > 0`.
#[inline(always)]
unsafe fn panel_tiles<T: Lanes, const W: usize>(depth: usize, s: *const T, rs: usize, d: *mut T) {
    let l = T::LANES;
    let body = depth - depth % l;
    for q in (0..body).step_by(l) {
        for r in (0..W).step_by(l) {
            // Safety: rows r..r+l and depth steps q..q+l are inside the panel; their packed
            // places are d[(q + c)·W + r + i] for c, i < l.
            unsafe { T::transpose_tile(s.add(r * rs + q), rs, d.add(q * W + r), W) };
        }
    }
    for q in body..depth {
        for r in 0..W {
            // Safety: (r, q) is inside the panel.
            unsafe { *d.add(q * W + r) = *s.add(r * rs + q) };
        }
    }
}

/// One full panel, element by element: `d[q·W + r] = s[r·rs + q·cs]`.
///
/// # Safety
/// As [`pack`], for rows `0..W`.
#[inline(always)]
unsafe fn panel_rows<T: Lanes, const W: usize>(
    depth: usize,
    s: *const T,
    rs: isize,
    cs: isize,
    d: *mut T,
) {
    let rows: [*const T; W] = core::array::from_fn(|r| s.wrapping_offset(r as isize * rs));
    for q in 0..depth {
        for (r, row) in rows.iter().enumerate() {
            // Safety: (r, q) is inside the panel, as the caller guarantees.
            unsafe { *d.add(q * W + r) = *row.offset(q as isize * cs) };
        }
    }
}
