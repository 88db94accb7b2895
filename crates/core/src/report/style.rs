//! How human output is styled: colour or not, and the widths it is fitted to.

use anstyle::{AnsiColor, Effects};

/// How human output is styled.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// Whether to use ANSI colour.
    pub color: bool,
    /// Prose is wrapped to this many columns (by display width); commands are never
    /// broken, so that they stay copyable.
    pub width: usize,
    /// Evidence lines are clipped to this many columns, with a marker; `None` keeps them
    /// whole (output that is not read on a terminal).
    pub evidence_width: Option<usize>,
}

impl Default for Style {
    fn default() -> Self {
        Style { color: false, width: 80, evidence_width: None }
    }
}

pub(crate) const BOLD: anstyle::Style = anstyle::Style::new().effects(Effects::BOLD);
pub(crate) const DIM: anstyle::Style = anstyle::Style::new().effects(Effects::DIMMED);
pub(crate) const RED: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
pub(crate) const GREEN: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
pub(crate) const YELLOW: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));

/// `text` in `look` when colour is on.
pub(crate) fn paint(style: Style, look: anstyle::Style, text: &str) -> String {
    if style.color {
        format!("{}{text}{}", look.render(), look.render_reset())
    } else {
        text.to_owned()
    }
}
