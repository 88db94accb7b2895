//! What a terminal shows of a text. Control characters (C0 but tab and newline, DEL, C1
//! such as U+009B CSI) and the escape sequences and control strings they start take no
//! room on screen. [`printable`] removes them before anything reaches a terminal, and
//! masking looks for secrets in the same [`Visible`] text: a secret split by them
//! (`nvapi-\a…`, a colour code before a token, the NUL after every character of a
//! UTF-16 log) cannot survive masking only to be joined again on screen.

use std::ops::Range;

/// Whether `text` holds anything a terminal would not show as written.
pub(crate) fn has_hidden(text: &[u8]) -> bool {
    text.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || (b == 0xc2 && text.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    })
}

/// `text` on one line, its runs of whitespace made single spaces.
#[must_use]
pub(crate) fn single_spaced(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether two texts are the same [`single_spaced`], without making either: a step's
/// instruction is kept as printed, and compared this way only when asked.
pub(crate) fn same_words(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// What a terminal may be given: `text` without control characters and the sequences
/// and strings they start, whole.
#[must_use]
pub fn printable(text: &str) -> String {
    if !has_hidden(text.as_bytes()) {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    shown(bytes, |i| out.push(bytes[i]));
    // Only whole characters are removed, so what is left is UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// The text a terminal shows, and where each of its bytes came from.
#[derive(Debug)]
pub(crate) struct Visible {
    pub(crate) text: Vec<u8>,
    origin: Vec<usize>,
    len: usize,
}

impl Visible {
    pub(crate) fn of(text: &[u8]) -> Visible {
        let mut visible = Visible { text: Vec::with_capacity(text.len()), origin: Vec::with_capacity(text.len()), len: text.len() };
        shown(text, |i| {
            visible.text.push(text[i]);
            visible.origin.push(i);
        });
        visible
    }

    /// The bytes of the original text that `range` of the visible text covers, hidden
    /// bytes inside it included.
    pub(crate) fn origin(&self, range: Range<usize>) -> Range<usize> {
        let at = |i: usize| self.origin.get(i).copied().unwrap_or(self.len);
        if range.is_empty() {
            return at(range.start)..at(range.start);
        }
        at(range.start)..at(range.end - 1) + 1
    }
}

/// The bytes a terminal shows of `text`, into `out` (cleared first): runs of ordinary
/// bytes copied whole.
pub(crate) fn visible_into(text: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    while i < text.len() {
        let run = first_special(&text[i..]).map_or(text.len(), |p| i + p);
        out.extend_from_slice(&text[i..run]);
        if run == text.len() {
            break;
        }
        let (kept, next) = step(text, run);
        if kept {
            out.push(text[run]);
        }
        i = next;
    }
}

/// The first [`special`] byte of `text`, eight bytes at a time: a word with no byte
/// below 0x20, no DEL and no 0xc2 is skipped whole.
fn first_special(text: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut chunks = text.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let x = u64::from_ne_bytes(chunk.try_into().unwrap_or([0; 8]));
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        if below_space | has_zero(x ^ (ONES * 0x7f)) | has_zero(x ^ (ONES * 0xc2)) != 0 {
            if let Some(p) = chunk.iter().position(|&b| special(b)) {
                return Some(at + p);
            }
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| special(b)).map(|p| at + p)
}

/// A byte that may start something a terminal does not show as written.
fn special(b: u8) -> bool {
    (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f || b == 0xc2
}

/// Calls `keep` with the index of every byte a terminal shows.
fn shown(text: &[u8], mut keep: impl FnMut(usize)) {
    let mut i = 0;
    while i < text.len() {
        let (kept, next) = step(text, i);
        if kept {
            keep(i);
        }
        i = next;
    }
}

/// At byte `i`: whether the terminal shows it, and where the next thing starts.
fn step(text: &[u8], i: usize) -> (bool, usize) {
    match text[i] {
        0x1b => (false, after_escape(text, i + 1)),
        0xc2 if text.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => {
            let next = match text[i + 1] {
                0x9b => after_csi(text, i + 2),
                0x90 | 0x98 | 0x9d | 0x9e | 0x9f => after_string(text, i + 2),
                _ => i + 2,
            };
            (false, next)
        }
        b if (b < 0x20 && b != b'\t' && b != b'\n') || b == 0x7f => (false, i + 1),
        _ => (true, i + 1),
    }
}

/// The length of the UTF-8 character that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

/// After an ESC at `i - 1`: the end of the sequence it starts. A newline always stays.
fn after_escape(text: &[u8], i: usize) -> usize {
    match text.get(i) {
        Some(b'[') => after_csi(text, i + 1),
        Some(b']' | b'P' | b'X' | b'^' | b'_') => after_string(text, i + 1),
        // nF escapes (`ESC ( B` selects a charset): intermediates, then one final character.
        Some(0x20..=0x2f) => {
            let mut j = i;
            while text.get(j).is_some_and(|b| (0x20..=0x2f).contains(b)) {
                j += 1;
            }
            match text.get(j) {
                Some(b'\n') | None => j,
                Some(&b) => (j + char_len(b)).min(text.len()),
            }
        }
        Some(b'\n') | None => i,
        Some(&b) => (i + char_len(b)).min(text.len()),
    }
}

/// A CSI sequence's parameters and intermediates, then its final byte.
fn after_csi(text: &[u8], mut i: usize) -> usize {
    while text.get(i).is_some_and(|b| (0x20..=0x3f).contains(b)) {
        i += 1;
    }
    if text.get(i).is_some_and(|b| (0x40..=0x7e).contains(b)) {
        i += 1;
    }
    i
}

/// A control string, up to its terminator (BEL, ESC \\ or ST), which goes with it; it
/// never takes a newline.
fn after_string(text: &[u8], mut i: usize) -> usize {
    while i < text.len() {
        match text[i] {
            0x07 => return i + 1,
            0x1b => return i + 1 + usize::from(text.get(i + 1) == Some(&b'\\')),
            0xc2 if text.get(i + 1) == Some(&0x9c) => return i + 2,
            b'\n' => return i,
            _ => i += 1,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_runs_become_single_spaces() {
        assert_eq!(single_spaced("  RUN\tpip  install \n -r\u{a0}x.txt  "), "RUN pip install -r x.txt");
        assert_eq!(single_spaced(" \t\n"), "");
        assert!(same_words("  RUN\tpip  install \n -r\u{a0}x.txt  ", "RUN pip install -r x.txt"));
        assert!(same_words(" \t", ""));
        assert!(!same_words("RUN pip install", "RUN pip  install -r"));
        assert!(!same_words("RUN pip", "RUNpip"));
        assert!(!same_words("", "x"));
    }

    #[test]
    fn printable_text_has_no_control_characters_or_strings() {
        let hostile =
            "a\u{1b}[31mred\u{1b}[0m b\u{9b}2Jc \u{9d}0;title\u{9c}d \u{1b}P1$qm\u{1b}\\e \u{7}\u{8}\u{7f}f\tg\u{1b}]8;;http://x\u{7}h";
        assert_eq!(printable(hostile), "ared bc d e f\tgh");
        assert_eq!(printable("a\u{1b}\nb \u{1b}]0;unterminated\nc \u{1b}(é d"), "a\nb \nc  d");
        assert_eq!(printable("plain ünïcödé\tline\n"), "plain ünïcödé\tline\n");
    }

    #[test]
    fn visible_ranges_map_back_over_hidden_bytes() {
        let text = b"x \x1b[32mnvapi-\x07ABC\x1b[0m y";
        let visible = Visible::of(text);
        assert_eq!(visible.text, b"x nvapi-ABC y");
        let token = 2..11;
        assert_eq!(&text[visible.origin(token)], b"nvapi-\x07ABC".as_slice());
        assert_eq!(visible.origin(13..13), text.len()..text.len());
    }
}
