//! The scratch of one gradient step, kept across the iterations of a training call so a step
//! allocates nothing once the first one has sized it, and kept per thread between single-step
//! calls ([`with_kept`]) so a learner's loop of small steps allocates nothing either.

use super::problem::LogisticFloat;
use crate::kernels::fold::RowCascade;
use std::any::Any;
use std::cell::Cell;

/// The most scratch a thread keeps between single-step calls. A step on a small problem
/// (the course's (2, 400): six buffers, ~5 KB) spends as long in the allocator making its
/// workspace as in its pass over X; a larger one's pass dwarfs the allocation, and keeping a
/// mini-batch's gathered tile (up to 8 MB) would hold memory for nothing.
const KEEP_BYTES: usize = 256 << 10;

std::thread_local! {
    /// The workspace of the last single-step call on this thread, one slot per element type
    /// (f32, f64), type-erased because a thread-local cannot be generic.
    static KEPT: [Cell<Option<Box<dyn Any>>>; 2] = const { [Cell::new(None), Cell::new(None)] };
}

/// Runs `f` on this thread's kept workspace for `n_x` features (a new one when there is none,
/// or it was made for another n_x), then keeps it for the next call if it stayed small. The
/// workspace is out of its slot while `f` runs, so a nested call, or a trap inside `f` (wasm
/// traps do not unwind), costs only a fresh workspace, never a shared or poisoned one. In the
/// threaded build the calling thread keeps its own; the pool's workers use the `parts` of it.
pub(super) fn with_kept<T: LogisticFloat, R>(
    n_x: usize,
    f: impl FnOnce(&mut Workspace<T>) -> R,
) -> R {
    let slot = usize::from(core::mem::size_of::<T>() == 8);
    let kept = KEPT.with(|k| k[slot].take()).and_then(|ws| ws.downcast::<Workspace<T>>().ok());
    let mut ws = match kept {
        Some(ws) if ws.n_x == n_x => ws,
        _ => Box::new(Workspace::new(n_x)),
    };
    let result = f(&mut ws);
    if ws.parts.is_empty() && ws.bytes() <= KEEP_BYTES {
        KEPT.with(|k| k[slot].set(Some(ws)));
    }
    result
}

/// Scratch of one step, reused across steps.
pub(super) struct Workspace<T: LogisticFloat> {
    /// Features the workspace was made for.
    n_x: usize,
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
            n_x,
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

    /// Bytes held (the parts' not counted: a workspace with parts is never kept).
    fn bytes(&self) -> usize {
        let buffers = [&self.dw_block, &self.z, &self.z_part, &self.dz, &self.y_tile, &self.tile];
        let elements: usize = buffers.iter().map(|b| b.capacity()).sum();
        (elements + self.cascade.capacity()) * core::mem::size_of::<T>()
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
