//! Errors a kernel can report. The TypeScript layer validates first, so these are a second line
//! of defence; their text matches the TypeScript errors so either side reads the same.

use std::fmt;

/// What went wrong, without the details (those live in [`KernelError`]).
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A layout (shape, strides, offset) that reaches outside its buffer or disagrees in rank.
    Layout,
    /// A shape with more elements than a kernel can index (`isize::MAX`).
    TooLarge,
}

impl ErrorKind {
    /// The code shared with the TypeScript error classes (`err.code`).
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::Layout => "LayoutError",
            ErrorKind::TooLarge => "ValueError",
        }
    }
}

/// A kernel error that keeps the shapes involved, so the message can name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    pub kind: ErrorKind,
    pub message: String,
}

impl KernelError {
    pub fn layout(message: impl Into<String>) -> Self {
        KernelError { kind: ErrorKind::Layout, message: message.into() }
    }

    pub fn too_large(shape: &[usize]) -> Self {
        KernelError {
            kind: ErrorKind::TooLarge,
            message: format!(
                "array of shape {} has more than {} elements",
                format_shape(shape),
                isize::MAX
            ),
        }
    }

    /// The code shared with the TypeScript error classes.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for KernelError {}

/// numpy's tuple form: `()`, `(5,)`, `(3,4)`.
pub fn format_shape(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [n] => format!("({n},)"),
        dims => {
            let parts: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
            format!("({})", parts.join(","))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_print_like_numpy() {
        assert_eq!(format_shape(&[]), "()");
        assert_eq!(format_shape(&[5]), "(5,)");
        assert_eq!(format_shape(&[3, 4]), "(3,4)");
    }
}
