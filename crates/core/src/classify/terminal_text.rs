//! What a line says once terminal effects are undone: ANSI escapes removed, `\r`
//! progress rewrites resolved to what the terminal finally showed.

/// Removes ANSI escape sequences from `buf` in place and returns the new length.
/// Newlines are never removed, so line numbers do not change.
pub(crate) fn strip_ansi_in_place(buf: &mut [u8]) -> usize {
    let mut read = 0;
    let mut write = 0;
    let len = buf.len();
    while read < len {
        let b = buf[read];
        if b != 0x1b {
            buf[write] = b;
            write += 1;
            read += 1;
            continue;
        }
        read += 1;
        match buf.get(read) {
            // CSI: parameters and intermediates, then one final byte.
            Some(b'[') => {
                read += 1;
                while read < len && (0x20..=0x3f).contains(&buf[read]) {
                    read += 1;
                }
                if read < len && (0x40..=0x7e).contains(&buf[read]) {
                    read += 1;
                }
            }
            // OSC (hyperlinks, titles), DCS, SOS, PM, APC: a string up to BEL or ESC \,
            // never past the line.
            Some(b']' | b'P' | b'X' | b'^' | b'_') => {
                read += 1;
                while read < len && buf[read] != 0x07 && buf[read] != b'\n' {
                    if buf[read] == 0x1b && buf.get(read + 1) == Some(&b'\\') {
                        read += 1;
                        break;
                    }
                    read += 1;
                }
                if read < len && buf[read] != b'\n' {
                    read += 1;
                }
            }
            Some(b'\n') | None => {}
            // nF escapes (`ESC ( B` selects a charset): intermediates, then a final byte.
            Some(0x20..=0x2f) => {
                while read < len && (0x20..=0x2f).contains(&buf[read]) {
                    read += 1;
                }
                if read < len && buf[read] != b'\n' {
                    read += 1;
                }
            }
            // Two-byte escapes (keypad modes, index, reset).
            Some(_) => read += 1,
        }
    }
    write
}

/// The part of a line a terminal ends up showing: a trailing `\r` (CRLF) is dropped, and
/// when a progress display rewrote the line with `\r`, the last non-empty segment is kept.
/// Returns the byte range of that part within `line`.
#[must_use]
pub(crate) fn visible_range(line: &[u8]) -> (usize, usize) {
    let mut end = line.len();
    while end > 0 && line[end - 1] == b'\r' {
        end -= 1;
    }
    // Trailing `\r`s are gone, so the segment after the last one is never empty.
    match memchr::memrchr(b'\r', &line[..end]) {
        Some(cr) => (cr + 1, end),
        None => (0, end),
    }
}

/// Shortens `text` to at most `max` characters around byte offset `focus`, marking the
/// cut with `…`. Evidence stays readable for minified or 100 MiB lines.
#[must_use]
pub(crate) fn clip_around(text: &str, focus: usize, max: usize) -> String {
    clip_with_focus(text, focus, max).0
}

/// [`clip_around`], with where the focus ended up in the clipped text.
pub(crate) fn clip_with_focus(text: &str, focus: usize, max: usize) -> (String, usize) {
    let focus = focus.min(text.len());
    if text.chars().count() <= max {
        return (text.to_owned(), focus);
    }
    let before = max / 3;
    let mut start = focus.saturating_sub(before * 4);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let head: Vec<(usize, char)> = text[start..focus.max(start)].char_indices().collect();
    let skip = head.len().saturating_sub(before);
    let start = head.get(skip).map_or(focus, |(i, _)| start + i);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    let new_focus = out.len() + focus.saturating_sub(start);
    let mut end = start;
    for (i, c) in text[start..].char_indices().take(max) {
        out.push(c);
        end = start + i + c.len_utf8();
    }
    if end < text.len() {
        out.push('…');
    }
    let new_focus = new_focus.min(out.len());
    (out, new_focus)
}

/// What a terminal may be given: `text` without control characters (C0 but tab and
/// newline, DEL,
/// C1 such as U+009B CSI and U+009D OSC) and without the escape sequences and control
/// strings they start (CSI parameters, OSC, DCS, SOS, PM and APC strings, whole).
#[must_use]
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' | '\n' => out.push(c),
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                // nF escapes: intermediates, then one final character.
                Some(' '..='/') => {
                    while chars.next_if(|c| (' '..='/').contains(c)).is_some() {}
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A CSI sequence's parameters and intermediates, then its final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| ('\u{20}'..='\u{3f}').contains(c)).is_some() {}
    chars.next_if(|c| ('\u{40}'..='\u{7e}').contains(c));
}

/// A control string, up to its terminator (BEL, ESC \\ or ST), which goes with it.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return,
            '\u{1b}' => {
                chars.next_if_eq(&'\\');
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_and_hyperlinks_but_not_newlines() {
        let mut s = b"\x1b[1;31mError:\x1b[0m boom\n\x1b]8;;http://x\x07link\x1b]8;;\x07\n\x1b(Bok\x1b".to_vec();
        let n = strip_ansi_in_place(&mut s);
        assert_eq!(&s[..n], b"Error: boom\nlink\nok");
    }

    #[test]
    fn printable_text_has_no_control_characters_or_strings() {
        let hostile =
            "a\u{1b}[31mred\u{1b}[0m b\u{9b}2Jc \u{9d}0;title\u{9c}d \u{1b}P1$qm\u{1b}\\e \u{7}\u{8}\u{7f}f\tg\u{1b}]8;;http://x\u{7}h";
        assert_eq!(printable(hostile), "ared bc d e f\tgh");
    }

    #[test]
    fn resolves_carriage_return_rewrites() {
        let line = b"10%\r50%\r100% done\r";
        let (s, e) = visible_range(line);
        assert_eq!(&line[s..e], b"100% done");
        let line = b"progress\rError: x\r\r";
        let (s, e) = visible_range(line);
        assert_eq!(&line[s..e], b"Error: x");
        let line = b"plain";
        assert_eq!(visible_range(line), (0, 5));
        let line = b"\r\r";
        assert_eq!(visible_range(line), (0, 0));
    }

    #[test]
    fn clips_long_lines_around_the_focus() {
        let text = format!("{}needle{}", "a".repeat(5000), "b".repeat(5000));
        let clipped = clip_around(&text, 5000, 60);
        assert!(clipped.contains("needle"));
        assert!(clipped.starts_with('…') && clipped.ends_with('…'));
        assert!(clipped.chars().count() <= 62);
        assert_eq!(clip_around("short", 0, 60), "short");
    }
}
