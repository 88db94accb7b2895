//! Splitting a byte stream into lines in bounded memory, and handing the consumer only
//! the lines that hold an anchor (or every line, while the consumer asks for that).
//!
//! Input is read in chunks into one fixed buffer. Each chunk's complete lines are
//! cleaned of ANSI escapes in place, lowercased into a second buffer, and searched for
//! anchors as a whole; the incomplete last line is carried to the next chunk. A line
//! longer than the buffer is handed over in buffer-sized fragments that share its line
//! number, so a single 100 MiB line costs no more memory than a short one.

use crate::anchors::AnchorSet;
use crate::text::{strip_ansi_in_place, visible_range};

/// The default buffer size: large enough that per-chunk overhead vanishes, small
/// enough to stay far below the memory budget.
pub const DEFAULT_CAPACITY: usize = 1 << 20;

/// One line handed to a [`LineSink`]: its 1-based number, its visible text (ANSI escapes
/// and `\r` rewrites resolved) and the same text lowercased (ASCII).
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub number: u64,
    pub text: &'a [u8],
    pub lower: &'a [u8],
}

/// The consumer of a scan.
pub trait LineSink {
    /// Whether the next line must be handed over even without an anchor (a multi-line
    /// summary is being collected).
    fn wants_every_line(&self) -> bool;
    fn line(&mut self, line: Line<'_>);
}

#[derive(Debug)]
pub struct Scanner {
    buf: Vec<u8>,
    lower: Vec<u8>,
    len: usize,
    /// Newlines before `buf[0]` in the whole stream.
    newlines: u64,
    /// Bytes seen in the whole stream.
    bytes: u64,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Scanner {
    #[must_use]
    pub fn with_capacity(capacity: usize) -> Scanner {
        let capacity = capacity.max(64);
        Scanner { buf: vec![0; capacity], lower: vec![0; capacity], len: 0, newlines: 0, bytes: 0 }
    }

    /// Free space to read into; call [`Scanner::commit`] with the count read.
    pub fn spare(&mut self) -> &mut [u8] {
        &mut self.buf[self.len..]
    }

    /// Accounts for `n` bytes read into [`Scanner::spare`], scanning when the buffer is full.
    pub fn commit(&mut self, n: usize, anchors: &AnchorSet, sink: &mut impl LineSink) {
        self.len += n;
        self.bytes += n as u64;
        if self.len == self.buf.len() {
            self.scan(anchors, sink, false);
        }
    }

    /// Copies `data` in and scans whatever complete lines fill the buffer.
    pub fn feed(&mut self, mut data: &[u8], anchors: &AnchorSet, sink: &mut impl LineSink) {
        while !data.is_empty() {
            let spare = self.spare();
            let n = spare.len().min(data.len());
            spare[..n].copy_from_slice(&data[..n]);
            data = &data[n..];
            self.commit(n, anchors, sink);
        }
    }

    /// Scans the complete lines buffered so far (for live streams, where a line should
    /// be seen as soon as it ends rather than when the buffer fills).
    pub fn flush_lines(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink) {
        self.scan(anchors, sink, false);
    }

    /// Scans everything left, the unterminated last line included.
    pub fn finish(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink) {
        self.scan(anchors, sink, false);
        if self.len > 0 {
            self.scan(anchors, sink, true);
        }
    }

    /// Lines in the stream so far (an unterminated last line counts).
    #[must_use]
    pub fn lines_seen(&self) -> u64 {
        self.newlines + u64::from(self.len > 0)
    }

    #[must_use]
    pub fn bytes_seen(&self) -> u64 {
        self.bytes
    }

    fn scan(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink, to_end: bool) {
        let region = if to_end {
            self.len
        } else {
            match memchr::memrchr(b'\n', &self.buf[..self.len]) {
                Some(nl) => nl + 1,
                // A line longer than the buffer: hand over this fragment now.
                None if self.len == self.buf.len() => self.len,
                None => return,
            }
        };
        let cleaned =
            if memchr::memchr(0x1b, &self.buf[..region]).is_some() { strip_ansi_in_place(&mut self.buf[..region]) } else { region };
        let (raw, lower) = (&self.buf[..cleaned], &mut self.lower[..cleaned]);
        for (l, r) in lower.iter_mut().zip(raw) {
            *l = r.to_ascii_lowercase();
        }
        let lower = &self.lower[..cleaned];

        let mut pos = 0;
        let mut counted = 0;
        let mut newlines = self.newlines;
        while pos < cleaned {
            let start = if sink.wants_every_line() {
                pos
            } else {
                match anchors.find(&lower[pos..]) {
                    Some(at) => memchr::memrchr(b'\n', &lower[pos..pos + at]).map_or(pos, |nl| pos + nl + 1),
                    None => break,
                }
            };
            let end = memchr::memchr(b'\n', &lower[start..]).map_or(cleaned, |nl| start + nl);
            newlines += bytecount::count(&raw[counted..start], b'\n') as u64;
            counted = start;
            let (from, to) = visible_range(&raw[start..end]);
            sink.line(Line { number: newlines + 1, text: &raw[start + from..start + to], lower: &lower[start + from..start + to] });
            pos = end + 1;
        }
        newlines += bytecount::count(&raw[counted..cleaned], b'\n') as u64;
        self.newlines = newlines;
        self.buf.copy_within(region..self.len, 0);
        self.len -= region;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Collect {
        every: bool,
        lines: Vec<(u64, String)>,
    }

    impl LineSink for Collect {
        fn wants_every_line(&self) -> bool {
            self.every
        }
        fn line(&mut self, line: Line<'_>) {
            self.lines.push((line.number, String::from_utf8_lossy(line.text).into_owned()));
        }
    }

    fn scan(input: &[u8], capacity: usize, every: bool, piece: usize) -> Vec<(u64, String)> {
        let anchors = AnchorSet::new(vec!["needle".to_owned()]);
        let mut scanner = Scanner::with_capacity(capacity);
        let mut sink = Collect { every, lines: Vec::new() };
        for chunk in input.chunks(piece.max(1)) {
            scanner.feed(chunk, &anchors, &mut sink);
        }
        scanner.finish(&anchors, &mut sink);
        sink.lines
    }

    #[test]
    fn hands_over_anchored_lines_with_their_numbers() {
        let input = b"a\nNEEDLE one\nb\r\nc\n\x1b[31mnee\x1b[0mdle two\r\nprogress\rneedle three\nlast needle";
        for capacity in [64, 100, 4096] {
            for piece in [1, 3, 7, 1000] {
                assert_eq!(
                    scan(input, capacity, false, piece),
                    vec![(2, "NEEDLE one".into()), (5, "needle two".into()), (6, "needle three".into()), (7, "last needle".into())],
                    "capacity {capacity} piece {piece}"
                );
            }
        }
    }

    #[test]
    fn every_line_mode_sees_all_lines() {
        let lines = scan(b"x\ny\n\nz", 64, true, 5);
        assert_eq!(lines, vec![(1, "x".into()), (2, "y".into()), (3, String::new()), (4, "z".into())]);
    }

    #[test]
    fn a_line_longer_than_the_buffer_keeps_one_number() {
        let mut input = vec![b'x'; 1000];
        input.extend_from_slice(b"needle");
        input.extend(vec![b'y'; 1000]);
        input.extend_from_slice(b"\nneedle after\n");
        let lines = scan(&input, 256, false, 333);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0].0, 1);
        assert_eq!(lines[1], (2, "needle after".into()));
    }
}
