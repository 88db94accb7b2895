//! Redaction of a stream in bounded memory, line by line.

use std::borrow::Cow;

use crate::redact::maskers::{maskers, pem_begin, pem_end, redact_bytes};

/// Streams text through the maskers, line by line, in bounded memory: every byte that
/// is not part of a secret comes out unchanged, invalid UTF-8 included.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Bytes of an unfinished line.
    pending: Vec<u8>,
    lower: Vec<u8>,
    /// Inside a PEM private key block: lines are masked until its END line.
    in_key: bool,
}

/// Lines longer than this are redacted in pieces of this size.
const LINE_MAX: usize = 1 << 20;

impl Redactor {
    #[must_use]
    /// A redactor at the start of a stream.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Redacts the complete lines of `input` (with any earlier unfinished line) into
    /// `out`; the unfinished tail waits for more input or [`Redactor::finish`].
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let Some(last_nl) = memchr::memrchr(b'\n', input) else {
            self.pending.extend_from_slice(input);
            if self.pending.len() >= LINE_MAX {
                let piece = std::mem::take(&mut self.pending);
                self.lines(&piece, out);
            }
            return;
        };
        if self.pending.is_empty() {
            self.lines(&input[..=last_nl], out);
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(&input[..=last_nl]);
            self.lines(&joined, out);
        }
        self.pending.extend_from_slice(&input[last_nl + 1..]);
    }

    /// Redacts what is left.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let rest = std::mem::take(&mut self.pending);
        self.lines(&rest, out);
    }

    /// Complete lines (the last may lack its newline): unchanged stretches are copied
    /// whole; only lines holding a trigger are looked at.
    fn lines(&mut self, mut region: &[u8], out: &mut Vec<u8>) {
        while !region.is_empty() {
            region = if self.in_key { self.key_lines(region, out) } else { self.plain_lines(region, out) };
        }
    }

    /// Masks the lines of a private key up to its END line; returns what follows it.
    fn key_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let mut pos = 0;
        while self.in_key && pos < region.len() {
            let end = memchr::memchr(b'\n', &region[pos..]).map_or(region.len(), |i| pos + i + 1);
            let line = &region[pos..end];
            if pem_end().is_match(line) {
                self.in_key = false;
                out.extend_from_slice(line);
            } else {
                out.extend_from_slice(if line.ends_with(b"\n") { b"***\n" } else { b"***" });
            }
            pos = end;
        }
        &region[pos..]
    }

    /// Copies lines, masking those that hold a secret, up to the start of a private
    /// key (whose header line is kept); returns what follows that header.
    fn plain_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let maskers = maskers();
        self.lower.clear();
        self.lower.extend(region.iter().map(u8::to_ascii_lowercase));
        let mut copied = 0;
        let mut pos = 0;
        // The next trigger and the next `@` at or after `pos`, each searched again only
        // once `pos` has passed it.
        let mut next_trigger: Option<usize> = None;
        let mut next_at: Option<usize> = None;
        while pos < region.len() {
            if next_trigger.is_none_or(|t| t < pos) {
                next_trigger = match &maskers.chunk {
                    Some(searcher) => searcher.find(&self.lower[pos..]).map(|m| pos + m.start()),
                    None => maskers.triggers.find(&region[pos..]).map(|m| pos + m.start()),
                }
                .or(Some(usize::MAX));
            }
            if next_at.is_none_or(|t| t < pos) {
                next_at = Some(memchr::memchr(b'@', &region[pos..]).map_or(usize::MAX, |i| pos + i));
            }
            let (trigger, at_sign) = (next_trigger.unwrap_or(usize::MAX), next_at.unwrap_or(usize::MAX));
            let at = trigger.min(at_sign);
            if at == usize::MAX {
                break;
            }
            let start = memchr::memrchr(b'\n', &region[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &region[at..]).map_or(region.len(), |i| at + i + 1);
            let line = &region[start..end];
            // An `@` only matters in a URL's user-info (`scheme://user:pass@host`).
            if at < trigger && (trigger >= end) && memchr::memmem::find(line, b"://").is_none() {
                pos = end;
                continue;
            }
            if pem_begin().is_match(line) && !pem_end().is_match(line) {
                // The header itself is no secret; what follows it up to END is.
                out.extend_from_slice(&region[copied..end]);
                self.in_key = true;
                return &region[end..];
            }
            if let Cow::Owned(masked) = redact_bytes(line) {
                out.extend_from_slice(&region[copied..start]);
                out.extend_from_slice(&masked);
                copied = end;
            }
            pos = end;
        }
        out.extend_from_slice(&region[copied..]);
        &[]
    }
}
