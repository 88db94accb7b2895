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

/// `text` cut to `columns` display columns by taking out part of its middle, marked `…`.
/// The end is kept (where a message's reason is), so is a short head (what printed it);
/// the part taken out avoids a quoted name (a container, an image, a path) when it can:
/// the name is usually what the line is about.
pub(crate) fn clip_middle(text: &str, columns: usize) -> String {
    // Padding at the end (BuildKit's) is not worth a column.
    let text = text.trim_end();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    // starts[i]: display columns before char i; starts[len]: the whole width.
    let mut starts = Vec::with_capacity(chars.len() + 1);
    let mut used = 0;
    for (_, c) in &chars {
        starts.push(used);
        used += c.width().unwrap_or(0);
    }
    starts.push(used);
    if used <= columns {
        return text.to_owned();
    }
    if columns == 0 {
        return "…".to_owned();
    }
    // Columns to take out, the marker's included.
    let excess = used - columns + 1;
    let quoted = quoted_spans(&chars);
    // The window [from, to) of chars taken out, starting at `from`.
    let window_from = |from: usize| -> Option<(usize, usize)> {
        let to = (from..=chars.len()).find(|&to| starts[to] - starts[from] >= excess)?;
        Some((from, to))
    };
    // The window ending at `to`.
    let window_to = |to: usize| -> Option<(usize, usize)> {
        let from = (0..=to).rev().find(|&from| starts[to] - starts[from] >= excess)?;
        Some((from, to))
    };
    let head = columns / 3;
    let default = window_from((0..chars.len()).take_while(|&i| starts[i + 1] <= head).count());
    let clear = |(from, to): (usize, usize)| !quoted.iter().any(|&(a, b)| from < b && a < to);
    let mut candidates = vec![default];
    if let Some((from, to)) = default {
        for &(a, b) in quoted.iter().filter(|&&(a, b)| from < b && a < to) {
            // The name may move the cut before it, not eat the line's start.
            candidates.push(window_to(a).filter(|&(from, _)| starts[from] >= head.min(12)));
            candidates.push(window_from(b));
        }
    }
    let byte = |i: usize| chars.get(i).map_or(text.len(), |&(b, _)| b);
    if let Some((from, to)) = candidates.iter().flatten().copied().find(|&w| clear(w)) {
        // Whole words on both sides where the cut can grow to them: half a word reads as
        // a different one.
        let inside = |i: usize| i > 0 && i < chars.len() && chars[i - 1].1 != ' ' && chars[i].1 != ' ';
        let from = if inside(from) {
            (1..from).rev().take(10).find(|&i| chars[i - 1].1 == ' ').filter(|&i| clear((i, to))).unwrap_or(from)
        } else {
            from
        };
        let to = if inside(to) { (to..chars.len()).take(20).find(|&j| chars[j].1 == ' ' && clear((from, j))).unwrap_or(to) } else { to };
        return format!("{}…{}", &text[..byte(from)], &text[byte(to)..]);
    }
    // No one cut spares the name with the end: two cuts, around the name, when it is
    // the line's one name (of several, none is sure to be the one that matters).
    let named = default.and_then(|(from, to)| quoted.iter().copied().find(|&(a, b)| from < b && a < to)).filter(|_| quoted.len() == 1);
    // Only when a few words are kept beside the name: some of the start, the end.
    if let Some((a, b)) = named.filter(|&(a, b)| starts[b] - starts[a] + 2 + 20 <= columns) {
        let room = columns - (starts[b] - starts[a]) - 2;
        let head_end = (0..a).take_while(|&i| starts[i + 1] <= (room - 12).min(columns / 6)).count();
        // A whole word or none: half a word reads as a different one.
        let head_end = (0..head_end).rev().find(|&i| chars[i].1 == ' ').map_or(0, |i| i + 1);
        let left = room - starts[head_end];
        let tail_start = (b..=chars.len()).find(|&i| used - starts[i] <= left).unwrap_or(chars.len());
        let gap = if tail_start > b { "…" } else { "" };
        return format!("{}…{}{gap}{}", &text[..byte(head_end)], &text[byte(a)..byte(b)], &text[byte(tail_start)..]);
    }
    match default {
        Some((from, to)) => format!("{}…{}", &text[..byte(from)], &text[byte(to)..]),
        None => "…".to_owned(),
    }
}

/// The char ranges of the quoted names in a line: `"…"`, `'…'` and `` `…` ``, quotes
/// included, each one word of at most 60 characters (a longer one, or one with spaces,
/// is a sentence or a command, not a name).
fn quoted_spans(chars: &[(usize, char)]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (i, &(_, c)) in chars.iter().enumerate() {
        match open {
            Some((start, quote)) if c == quote => {
                if i - start < 60 && !chars[start..i].iter().any(|&(_, c)| c.is_whitespace()) {
                    spans.push((start, i + 1));
                }
                open = None;
            }
            None if matches!(c, '"' | '\'' | '`') => open = Some((i, c)),
            _ => {}
        }
    }
    spans
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

    #[test]
    fn a_line_clipped_in_the_middle_keeps_its_end_and_the_name_it_quotes() {
        assert_eq!(clip_middle("short", 10), "short");
        assert_eq!(clip_middle("0123456789abc", 10), "012…789abc");
        assert_eq!(clip_middle("anything", 0), "…");
        let line = "  ╰─▶ Docker responded with status code 404: the container does not exist: \
                    no container with name or ID \"openshell-cluster-nemoclaw\" found: no such container";
        for columns in [40, 52, 60, 72, 100] {
            let clipped = clip_middle(line, columns);
            assert!(clipped.width() <= columns, "{columns}: {clipped:?}");
            assert!(columns < 60 || clipped.ends_with("no such container"), "{columns}: {clipped:?}");
            assert!(clipped.contains('…'), "{columns}: {clipped:?}");
            assert!(columns < 51 || clipped.contains("\"openshell-cluster-nemoclaw\""), "{columns}: {clipped:?}");
        }
        // Too narrow for the name and the end in one piece: both, cut around the name.
        assert_eq!(clip_middle(line, 51), "  ╰─▶ …\"openshell-cluster-nemoclaw\"… such container");
        assert_eq!(clip_middle(line, 72), "  ╰─▶ Docker …\"openshell-cluster-nemoclaw\" found: no such container");
        // Wide characters count twice.
        assert_eq!(clip_middle("日本語日本語日本語", 9), "日…日本語");
    }

    proptest::proptest! {
        #[test]
        fn a_clipped_line_always_fits_and_says_it_was_cut(text in "[a-z \"'`é日]{0,120}", columns in 0usize..100) {
            let clipped = clip_middle(&text, columns);
            proptest::prop_assert!(clipped.width() <= columns.max(1), "{:?} at {}: {:?}", text, columns, clipped);
            let text = text.trim_end();
            if text.width() <= columns {
                proptest::prop_assert_eq!(clipped, text);
            } else if columns > 1 {
                proptest::prop_assert!(clipped.contains('…'));
            }
        }
    }
}
