//! Kernels over raw slices. Shape checks and dtype policy happen before these are called.

pub mod arg_reduce;
pub mod convert;
pub mod crossover;
pub mod dot;
pub mod elementwise;
pub mod finite;
pub mod fold;
pub mod gemm;
pub mod gemv;
pub mod labels;
pub mod lbfgs;
pub mod line_search;
pub mod logistic;
pub mod logistic_lbfgs;
pub mod matmul;
pub mod moments;
pub mod multinomial;
pub mod multinomial_lbfgs;
pub mod network;
pub mod operand;
pub mod reduce;
pub mod select;
pub mod softmax;
pub mod store;
pub mod unary;
