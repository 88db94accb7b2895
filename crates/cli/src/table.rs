//! A table for people, fitted to the terminal: each column as wide as its widest cell,
//! and when the whole is wider than the terminal, the widest column gives way, its cells
//! wrapped onto more lines (at a `.`, `-`, `_`, `/` or space when one is near); on a
//! terminal too narrow even for that, each row is stacked under its first cell.

use std::fmt::Write as _;

use sandbox_triage_core::{Look, Style};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns between two cells.
const GAP: usize = 2;
/// No column is wrapped narrower than this (or its header): ids broken into lines of a
/// few letters are not read.
const NARROWEST: usize = 16;

/// The rows under `headers`, fitted to the terminal (a table is not prose: it takes the
/// whole width, and off a terminal it is never wrapped, one line a row for `grep`);
/// `look` colours a cell (by its column and text) once it is laid out. Where the widest
/// column alone cannot give enough, each row is two lines instead: its first cell, then
/// the others under it.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>], style: Style, look: impl Fn(usize, &str) -> Option<Look>) -> String {
    let width = style.evidence_width.unwrap_or(usize::MAX);
    let widths = fitted(headers, rows, width);
    let header: Vec<String> = headers.iter().map(|h| (*h).to_owned()).collect();
    let paint = |row: usize, column: usize, cell: &str, part: &str| match (row, look(column, cell)) {
        // An empty part stays unpainted: its escapes would keep the padding before it
        // from being trimmed.
        _ if part.is_empty() => String::new(),
        (0, _) => style.paint(Look::Heading, part),
        (_, Some(look)) => style.paint(look, part),
        (_, None) => part.to_owned(),
    };
    let mut out = String::new();
    for (i, row) in std::iter::once(&header).chain(rows).enumerate() {
        let Some(widths) = widths.as_deref() else {
            stack(row, width, |column, part| paint(i, column, &row[column], part), &mut out);
            continue;
        };
        let cells: Vec<Vec<String>> = row.iter().zip(widths).map(|(cell, &width)| wrapped(cell, width)).collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(1);
        for line in 0..height {
            let mut text = String::new();
            for (column, (lines, &width)) in cells.iter().zip(widths).enumerate() {
                let part = lines.get(line).map_or("", String::as_str);
                let last = column + 1 == widths.len();
                let pad = if last { String::new() } else { " ".repeat(width.saturating_sub(part.width()) + GAP) };
                let _ = write!(text, "{}{pad}", paint(i, column, &row[column], part));
            }
            let _ = writeln!(out, "{}", text.trim_end());
        }
    }
    out
}

/// A row as two lines or more: its first cell (wrapped at its separators), then the
/// others, indented, as many to a line as fit.
fn stack(row: &[String], width: usize, paint: impl Fn(usize, &str) -> String, out: &mut String) {
    const INDENT: &str = "  ";
    for part in wrapped(&row[0], width) {
        let _ = writeln!(out, "{}", paint(0, &part));
    }
    let mut line = String::new();
    let mut used = 0;
    for (column, cell) in row.iter().enumerate().skip(1) {
        let cell_width = cell.width();
        if used > 0 && INDENT.len() + used + GAP + cell_width > width {
            let _ = writeln!(out, "{INDENT}{line}");
            (line, used) = (String::new(), 0);
        }
        if used > 0 {
            line.push_str(&" ".repeat(GAP));
            used += GAP;
        }
        line.push_str(&paint(column, cell));
        used += cell_width;
    }
    if used > 0 {
        let _ = writeln!(out, "{INDENT}{line}");
    }
}

/// Each column's width: its widest cell's; when the row is wider than `width`, the
/// widest column narrowed to fit, its cells wrapped. `None` when that column would be
/// left narrower than [`NARROWEST`] (or its header): the table does not fit as columns.
fn fitted(headers: &[&str], rows: &[Vec<String>], width: usize) -> Option<Vec<usize>> {
    let mut widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(c, h)| rows.iter().map(|r| r.get(c).map_or(0, |s| s.width())).max().unwrap_or(0).max(h.width()))
        .collect();
    let total = widths.iter().sum::<usize>() + GAP * widths.len().saturating_sub(1);
    let Some(over) = total.checked_sub(width).filter(|&over| over > 0) else { return Some(widths) };
    // The widest, the first of equals.
    let (widest, &most) = widths.iter().enumerate().rev().max_by_key(|&(_, w)| *w)?;
    let least = headers[widest].width().max(NARROWEST);
    widths[widest] = most.checked_sub(over).filter(|&w| w >= least)?;
    Some(widths)
}

/// `cell` in lines of at most `width` columns, broken after a separator when one is past
/// the line's first third (`build.` / `stalled`, never `build.stalle` / `d`), else where
/// the width ends.
fn wrapped(cell: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for c in cell.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width && !line.is_empty() {
            let cut = line.char_indices().rev().find(|&(at, c)| at * 3 >= line.len() && matches!(c, '.' | '-' | '_' | '/' | ' '));
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
    fn a_narrow_terminal_wraps_the_widest_column_or_stacks_each_row() {
        // One column too wide: it alone wraps, at its separators.
        let text = table(&["RULE", "STAGE", "KIND", "CASES"], &rows(), Style { evidence_width: Some(80), ..Style::default() }, |_, _| None);
        assert_eq!(
            text,
            "RULE                    STAGE                KIND                          CASES\n\
             build.base-image-pull-  sandbox-create       build_base_image_pull_failed  9/9\n\
             failed\n\
             provider.tls            provider-validation  transport                     3/3\n"
        );
        // More than one would: each row its first cell, then the others under it.
        let text = table(&["RULE", "STAGE", "KIND", "CASES"], &rows(), Style { evidence_width: Some(40), ..Style::default() }, |_, _| None);
        assert_eq!(
            text,
            "RULE\n  STAGE  KIND  CASES\n\
             build.base-image-pull-failed\n  sandbox-create\n  build_base_image_pull_failed  9/9\n\
             provider.tls\n  provider-validation  transport  3/3\n"
        );
        for line in text.lines() {
            assert!(line.width() <= 40, "{line:?}");
        }
        assert_eq!(wrapped("build.base-image-pull-failed", 18), ["build.base-image-", "pull-failed"]);
        assert_eq!(wrapped("build.stalled", 12), ["build.", "stalled"]);
        assert_eq!(wrapped("gateway.cannot-connect-docker", 12), ["gateway.", "cannot-", "connect-", "docker"]);
        assert_eq!(wrapped("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("", 4), [""]);
    }
}
