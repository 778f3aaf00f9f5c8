//! The scratch of one gradient step, kept across the iterations of a training call so a step
//! allocates nothing once the first one has sized it.

use super::problem::LogisticFloat;
use crate::kernels::fold::RowCascade;

/// Scratch of one step, reused across steps.
pub(super) struct Workspace<T: LogisticFloat> {
    /// The pairwise cascade of dw's block sums (`n_x` per level).
    pub(super) cascade: RowCascade<T>,
    /// `n_x`: the rows layout's block accumulator of dw, the cols layout's dw of one tile.
    pub(super) dw_block: Vec<T>,
    /// Cols layout, one tile each: z, z of the current chunk of feature rows, dz, labels.
    pub(super) z: Vec<T>,
    pub(super) z_part: Vec<T>,
    pub(super) dz: Vec<T>,
    pub(super) y_tile: Vec<T>,
    /// Cols layout with a mini-batch: the batch's tile gathered, `n_x × tile` row-major.
    pub(super) tile: Vec<T>,
    /// The parts of a step split among threads, one each (made by the first such step).
    pub(super) parts: Vec<Part<T>>,
}

/// One part's scratch and results in a step split among threads.
pub(super) struct Part<T: LogisticFloat> {
    /// The part's own block buffer and cascade.
    pub(super) ws: Workspace<T>,
    /// The part's `Σ dz·x` (`n_x`), `Σ loss` and `Σ dz`.
    pub(super) dw: Vec<T>,
    pub(super) loss: T,
    pub(super) dz: T,
    /// A cols step's part: its examples' per-block `[Σ loss, Σ dz]`, in order.
    pub(super) blocks: Vec<[T; 2]>,
}

impl<T: LogisticFloat> Part<T> {
    pub(super) fn new(n_x: usize) -> Self {
        Part {
            ws: Workspace::new(n_x),
            dw: vec![T::ZERO; n_x],
            loss: T::ZERO,
            dz: T::ZERO,
            blocks: Vec::new(),
        }
    }
}

impl<T: LogisticFloat> Workspace<T> {
    pub(super) fn new(n_x: usize) -> Self {
        Workspace {
            cascade: RowCascade::new(n_x),
            dw_block: vec![T::ZERO; n_x],
            z: Vec::new(),
            z_part: Vec::new(),
            dz: Vec::new(),
            y_tile: Vec::new(),
            tile: Vec::new(),
            parts: Vec::new(),
        }
    }

    /// Sizes the cols layout's buffers for tiles of `width` examples (`gather`: a mini-batch).
    pub(super) fn size_cols(&mut self, n_x: usize, width: usize, gather: bool) {
        for buf in [&mut self.z, &mut self.z_part, &mut self.dz, &mut self.y_tile] {
            if buf.len() < width {
                buf.resize(width, T::ZERO);
            }
        }
        if gather && self.tile.len() < n_x * width {
            self.tile.resize(n_x * width, T::ZERO);
        }
    }
}
