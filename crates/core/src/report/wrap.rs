//! Prose wrapped to a width, by words.

use std::fmt::Write as _;

use crate::screen::printable;

/// Wraps `text` to `width` columns, each line after `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    wrap_prefixed(text, width, indent, indent, "")
}

/// Wraps `text` to `width` columns: `first` before the first line, `rest` before the
/// others, `end` after the last. Empty text gives nothing.
pub(crate) fn wrap_prefixed(text: &str, width: usize, first: &str, rest: &str, end: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    let mut prefix = first;
    // Prose reaches a terminal: nothing in it may act on it.
    let text = printable(text);
    for word in text.split_whitespace() {
        if !line.is_empty() && prefix.chars().count() + line.chars().count() + 1 + word.chars().count() > width {
            let _ = writeln!(out, "{prefix}{line}");
            line.clear();
            prefix = rest;
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        let _ = writeln!(out, "{prefix}{line}{end}");
    }
    out
}
