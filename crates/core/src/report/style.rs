//! How human output is styled: colour or not, and the width prose is wrapped to.

/// How human output is styled.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to use ANSI colour.
    pub color: bool,
    /// Prose is wrapped to this many columns; evidence lines are never wrapped.
    pub width: usize,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, width: 80 }
    }
}

pub(crate) const RESET: &str = "\x1b[0m";
pub(crate) const BOLD: &str = "\x1b[1m";
pub(crate) const DIM: &str = "\x1b[2m";
pub(crate) const RED: &str = "\x1b[31m";
pub(crate) const GREEN: &str = "\x1b[32m";
pub(crate) const YELLOW: &str = "\x1b[33m";

pub(crate) fn paint(style: Style, codes: &str, text: &str) -> String {
    if style.color {
        format!("{codes}{text}{RESET}")
    } else {
        text.to_owned()
    }
}
