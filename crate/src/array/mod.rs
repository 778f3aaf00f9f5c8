//! Shapes, layouts and strided iteration: the n-d bookkeeping every kernel shares.

pub mod dims;
pub mod layout;
pub mod reduce_plan;
pub mod shape;
pub mod split;
pub mod strided;

pub use layout::{Output, Strided};
