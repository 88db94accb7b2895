//! Prose wrapped to a width, by words.

use std::fmt::Write as _;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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
        if !line.is_empty() && prefix.width() + line.width() + 1 + word.width() > width {
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

/// `text` cut to `columns` display columns, its end replaced by `…` when cut.
pub(crate) fn clip(text: &str, columns: usize) -> String {
    if text.width() <= columns {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > columns {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_by_display_width() {
        let text = "日本語 の 説明 は 幅 が 二 倍";
        for line in wrap(text, 12, "  ").lines() {
            assert!(line.width() <= 12, "{line:?}");
        }
        assert_eq!(wrap("one two three", 9, "").lines().collect::<Vec<_>>(), ["one two", "three"]);
    }

    #[test]
    fn a_clipped_line_ends_with_a_marker_and_fits() {
        assert_eq!(clip("short", 10), "short");
        assert_eq!(clip("0123456789abc", 10), "012345678…");
        assert_eq!(clip("日本語日本語", 7), "日本語…");
        assert_eq!(clip("anything", 0), "…");
    }
}
