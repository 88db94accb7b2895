//! How human output is styled: colour or not, and the widths it is fitted to. One
//! palette ([`Look`]) for every command, so a destructive step, a failed check or a
//! heading looks the same wherever it is printed.

use anstyle::{AnsiColor, Effects};

use crate::plan::Applicability;
use crate::report::{clip, wrap};

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

/// What a piece of human output is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Look {
    /// A section's heading (`evidence`, `recovery`, a table's header).
    Heading,
    /// A label beside its value, a line number, a column of lesser weight.
    Muted,
    /// Something that failed: a failure kind, a failed check, an error.
    Failure,
    /// Something that holds: a passed check, `none`, a recovered sandbox.
    Success,
    /// Something to look at: `unknown`, a skipped check, a warning.
    Attention,
    /// A plan step's tag: destructive and confirm stand out, a probe recedes.
    Risk(Applicability),
}

const BOLD: anstyle::Style = anstyle::Style::new().effects(Effects::BOLD);
const DIM: anstyle::Style = anstyle::Style::new().effects(Effects::DIMMED);
const RED: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const GREEN: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));
const YELLOW: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const CYAN: anstyle::Style = anstyle::Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));

impl Look {
    fn ansi(self) -> anstyle::Style {
        match self {
            Look::Heading => BOLD,
            Look::Muted | Look::Risk(Applicability::Probe) => DIM,
            Look::Failure | Look::Risk(Applicability::Destructive) => RED.bold(),
            Look::Success => GREEN.bold(),
            Look::Attention | Look::Risk(Applicability::Confirm) => YELLOW.bold(),
            Look::Risk(Applicability::Safe) => GREEN,
            Look::Risk(_) => CYAN,
        }
    }
}

impl Style {
    /// `text` in `look` when colour is on.
    #[must_use]
    pub fn paint(self, look: Look, text: &str) -> String {
        paint(self, look.ansi(), text)
    }

    /// `text` wrapped to the width by words: `first` before the first line, `rest`
    /// before the others.
    #[must_use]
    pub fn wrap(self, text: &str, first: &str, rest: &str) -> String {
        wrap::wrap_prefixed(text, self.width, first, rest, "")
    }

    /// A line of output (evidence, a command's output) fitted to `room` columns of the
    /// terminal: whole off a terminal, else its middle cut: the end and a quoted name kept.
    #[must_use]
    pub fn fit_line(self, text: &str, room: impl FnOnce(usize) -> usize) -> String {
        self.evidence_width.map_or_else(|| text.to_owned(), |width| clip::clip_middle(text, room(width)))
    }

    /// A line of our own fitted to `room` columns of the terminal: whole off a terminal,
    /// else its end cut (for a line whose start says what it is).
    #[must_use]
    pub fn cut_line(self, text: &str, room: impl FnOnce(usize) -> usize) -> String {
        self.evidence_width.map_or_else(|| text.to_owned(), |width| wrap::clip(text, room(width)))
    }
}

/// `text` in the ANSI `look` when colour is on.
fn paint(style: Style, look: anstyle::Style, text: &str) -> String {
    if style.color {
        format!("{}{text}{}", look.render(), look.render_reset())
    } else {
        text.to_owned()
    }
}
