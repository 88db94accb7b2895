//! A table for people, fitted to the terminal: each column as wide as its widest cell,
//! and when the whole is wider than the terminal, the widest column gives way first, its
//! cells wrapped onto more lines (at a `.`, `-`, `_`, `/` or space when one is near).

use std::fmt::Write as _;

use sandbox_triage_core::{Look, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns between two cells.
const GAP: usize = 2;
/// No column is made narrower than this (or its header).
const NARROWEST: usize = 6;

/// The rows under `headers`, fitted to the terminal (a table is not prose: it takes the
/// whole width, and off a terminal it is never wrapped, one line a row for `grep`);
/// `look` colours a cell (by its column and text) once it is laid out.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>], style: Style, look: impl Fn(usize, &str) -> Option<Look>) -> String {
    let widths = fitted(headers, rows, style.evidence_width.unwrap_or(usize::MAX));
    let mut out = String::new();
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    for (i, row) in std::iter::once(&header).chain(rows).enumerate() {
        let cells: Vec<Vec<String>> = row.iter().zip(&widths).map(|(cell, &width)| wrapped(cell, width)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut text = String::new();
            for (column, (lines, &width)) in cells.iter().zip(&widths).enumerate() {
                let part = lines.get(line).map_or("", String::as_str);
                let last = column + 1 == widths.len();
                let pad = if last { String::new() } else { " ".repeat(width.saturating_sub(part.width()) + GAP) };
                // An empty part stays unpainted: its escapes would keep the padding
                // before it from being trimmed.
                let part = match (i, look(column, &row[column])) {
                    _ if part.is_empty() => String::new(),
                    (0, _) => style.paint(Look::Heading, part),
                    (_, Some(look)) => style.paint(look, part),
                    (_, None) => part.to_owned(),
                };
                let _ = write!(text, "{part}{pad}");
            }
            let _ = writeln!(out, "{}", text.trim_end());
        }
    }
    out
}

/// Each column's width: its widest cell, then the widest column narrowed, one column at
/// a time, until the row fits `width` (or no column can give more).
fn fitted(headers: &[&str], rows: &[Vec<String>], width: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| rows.iter().map(|r| r.get(c).map_or(0, |s| s.width())).max().unwrap_or(0).max(h.width()))
        .collect();
    let least: Vec<usize> = headers.iter().map(|h| h.width().max(NARROWEST)).collect();
    let total = |widths: &[usize]| widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
    while total(&widths) > width {
        let Some((widest, _)) = widths.iter().enumerate().filter(|&(c, &w)| w > least[c]).max_by_key(|&(c, &w)| (w, std::cmp::Reverse(c)))
        else {
            break;
        };
        widths[widest] -= 1;
    }
    widths
}

/// `cell` in lines of at most `width` columns, broken after a separator when one is in
/// the line's second half, else where the width ends.
fn wrapped(cell: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in cell.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            let cut = line.char_indices().rev().find(|&(at, c)| at * 2 >= line.len() && matches!(c, '.' | '-' | '_' | '/' | ' '));
            let rest = match cut {
                Some((at, c)) => line.split_off(at + c.len_utf8()),
                None => String::new(),
            };
            lines.push(line.trim_end().to_owned());
            line = rest;
            used = line.width();
        }
        line.push(c);
        used += w;
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Vec<String>> {
        vec![
            vec!["build.base-image-pull-failed".into(), "sandbox-create".into(), "build_base_image_pull_failed".into(), "9/9".into()],
            vec!["provider.tls".into(), "provider-validation".into(), "transport".into(), "3/3".into()],
        ]
    }

    #[test]
    fn a_table_that_fits_keeps_its_columns_whole() {
        let text =
            table(&["RULE", "STAGE", "KIND", "CASES"], &rows(), Style { evidence_width: Some(100), ..Style::default() }, |_, _| None);
        assert_eq!(
            text,
            "RULE                          STAGE                KIND                          CASES\n\
             build.base-image-pull-failed  sandbox-create       build_base_image_pull_failed  9/9\n\
             provider.tls                  provider-validation  transport                     3/3\n"
        );
    }

    #[test]
    fn a_narrow_terminal_wraps_the_widest_columns_at_their_separators() {
        let text = table(&["RULE", "STAGE", "KIND", "CASES"], &rows(), Style { evidence_width: Some(60), ..Style::default() }, |_, _| None);
        for line in text.lines() {
            assert!(line.width() <= 60, "{line:?}\n{text}");
        }
        // Nothing is lost: the widest columns wrapped at their separators.
        assert_eq!(
            text,
            "RULE              STAGE             KIND               CASES\n\
             build.base-       sandbox-create    build_base_image_  9/9\n\
             image-pull-                         pull_failed\n\
             failed\n\
             provider.tls      provider-         transport          3/3\n\
             \x20                 validation\n"
        );
        assert_eq!(wrapped("build.base-image-pull-failed", 18), ["build.base-image-", "pull-failed"]);
        assert_eq!(wrapped("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("", 4), [""]);
    }
}
