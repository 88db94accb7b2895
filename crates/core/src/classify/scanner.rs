//! Splitting a byte stream into lines in bounded memory, and handing the consumer only
//! the lines that hold an anchor (or every line, while the consumer asks for that).
//!
//! Input is read in chunks into one fixed buffer. Each chunk's complete lines are
//! cleaned of ANSI escapes in place, lowercased into a second buffer, and searched for
//! anchors as a whole; the incomplete last line is carried to the next chunk. A line
//! longer than the buffer is handed over in buffer-sized fragments that share its line
//! number, so a single 100 MiB line costs no more memory than a short one.

use crate::classify::chunk_search::{ChunkSearch, Found, FoundLine};
use crate::classify::terminal_text::{readable_range, strip_ansi_in_place};
use crate::rules::{AnchorSet, PatternRef};

/// The default buffer size: large enough that per-chunk overhead vanishes, small
/// enough to stay far below the memory budget.
pub(super) const DEFAULT_CAPACITY: usize = 256 << 10;

/// One line handed to a [`LineSink`]: its 1-based number, its visible text (ANSI escapes
/// and `\r` rewrites resolved), the same text lowercased (ASCII) and, when they were
/// found ahead, the patterns it may match.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub number: u64,
    pub text: &'a [u8],
    pub lower: &'a [u8],
    pub patterns: Option<&'a [PatternRef]>,
}

/// How much of the output before the current line stays available to look back over.
pub(super) const HISTORY: usize = 64 * 1024;

/// The output just before the current line (or, at the end, the last of the output):
/// `history` then `current`, cleaned like the lines. Lines that hold no streamed anchor
/// are only ever examined here.
#[derive(Debug, Clone, Copy)]
pub(super) struct Window<'a> {
    pub history: &'a [u8],
    pub current: &'a [u8],
    /// The number of the line right after the window.
    pub next_line: u64,
    /// The window's last bytes are the start of line `next_line` (a line longer than the
    /// buffer), not a complete line.
    pub ends_inside_next: bool,
}

impl Window<'_> {
    /// The last newline before logical offset `end` of `history` then `current`.
    fn newline_before(&self, end: usize) -> Option<usize> {
        let split = self.history.len();
        if end > split {
            if let Some(i) = memchr::memrchr(b'\n', &self.current[..end - split]) {
                return Some(split + i);
            }
        }
        memchr::memrchr(b'\n', &self.history[..end.min(split)])
    }

    fn byte(&self, at: usize) -> u8 {
        let split = self.history.len();
        if at < split {
            self.history[at]
        } else {
            self.current[at - split]
        }
    }

    fn copy(&self, range: std::ops::Range<usize>, out: &mut Vec<u8>) {
        let split = self.history.len();
        if range.start < split {
            out.extend_from_slice(&self.history[range.start..range.end.min(split)]);
        }
        if range.end > split {
            out.extend_from_slice(&self.current[range.start.max(split) - split..range.end - split]);
        }
    }

    /// The window's complete lines numbered above `after`, oldest first, at most `max`
    /// of the newest. `bytes` receives their text; the ranges index into it. The work is
    /// proportional to the lines returned, not to the window: a look-back that follows
    /// another finds nothing new to copy.
    pub(crate) fn lines(&self, after: u64, max: usize, bytes: &mut Vec<u8>) -> Vec<(u64, std::ops::Range<usize>)> {
        bytes.clear();
        let mut end = self.history.len() + self.current.len();
        if self.ends_inside_next {
            match self.newline_before(end) {
                Some(nl) => end = nl + 1,
                None => return Vec::new(),
            }
        }
        let mut found = Vec::new();
        if end == 0 {
            return found;
        }
        let mut cursor = if self.byte(end - 1) == b'\n' { end - 1 } else { end };
        let mut number = self.next_line;
        loop {
            let start = self.newline_before(cursor).map_or(0, |nl| nl + 1);
            number -= 1;
            // The oldest line may have lost its start to the history limit; what is left
            // of it still counts (on a line longer than the history, it is all there is).
            if number <= after || found.len() == max || number == 0 {
                break;
            }
            found.push((number, start..cursor));
            if start == 0 {
                break;
            }
            cursor = start - 1;
        }
        found.reverse();
        found
            .into_iter()
            .map(|(number, range)| {
                let from = bytes.len();
                self.copy(range, bytes);
                (number, from..bytes.len())
            })
            .collect()
    }
}

/// The consumer of a scan.
pub(super) trait LineSink {
    /// Whether the next line must be handed over even without an anchor (a multi-line
    /// summary is being collected).
    fn wants_every_line(&self) -> bool;
    /// The marker scope the output is in: which anchors the chunk search looks for.
    fn scope(&self) -> usize {
        0
    }
    /// A line that holds a streamed anchor (or any line, while asked for); `window` is
    /// the output before it.
    fn line(&mut self, line: Line<'_>, window: &Window<'_>);
    /// The output has ended; `window` is its last part.
    fn finish(&mut self, window: &Window<'_>);
}

#[derive(Debug)]
pub(super) struct Scanner {
    buf: Vec<u8>,
    lower: Vec<u8>,
    len: usize,
    /// Bytes seen in the whole stream.
    bytes: u64,
    ends_with_newline: bool,
    sift: Sift,
}

/// What survives from one chunk of cleaned lines to the next: the line count, the
/// look-back history and the chunk searchers' tuning.
#[derive(Debug, Default)]
pub(super) struct Sift {
    /// Newlines before the next chunk in the whole stream.
    newlines: u64,
    /// The last [`HISTORY`] bytes scanned, cleaned.
    history: Vec<u8>,
    search: ChunkSearch,
}

impl Default for Scanner {
    fn default() -> Self {
        Scanner::with_capacity(DEFAULT_CAPACITY)
    }
}

impl Scanner {
    #[must_use]
    pub(super) fn with_capacity(capacity: usize) -> Scanner {
        let capacity = capacity.max(64);
        Scanner {
            buf: vec![0; capacity],
            lower: vec![0; capacity],
            len: 0,
            bytes: 0,
            ends_with_newline: true,
            sift: Sift { history: Vec::with_capacity(HISTORY), ..Sift::default() },
        }
    }

    /// Free space to read into; call [`Scanner::commit`] with the count read.
    pub(super) fn spare(&mut self) -> &mut [u8] {
        &mut self.buf[self.len..]
    }

    /// Accounts for `n` bytes read into [`Scanner::spare`], scanning when the buffer is full.
    pub(super) fn commit(&mut self, n: usize, anchors: &AnchorSet, sink: &mut impl LineSink) {
        if n > 0 {
            self.ends_with_newline = self.buf[self.len + n - 1] == b'\n';
        }
        self.len += n;
        self.bytes += n as u64;
        if self.len == self.buf.len() {
            self.scan(anchors, sink, false);
        }
    }

    /// Copies `data` in and scans whatever complete lines fill the buffer.
    pub(super) fn feed(&mut self, mut data: &[u8], anchors: &AnchorSet, sink: &mut impl LineSink) {
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
    pub(super) fn flush_lines(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink) {
        self.scan(anchors, sink, false);
    }

    /// Scans everything left, the unterminated last line included, and hands the sink
    /// the last part of the output.
    pub(super) fn finish(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink) {
        self.scan(anchors, sink, false);
        if self.len > 0 {
            self.scan(anchors, sink, true);
        }
        self.end(sink);
    }

    /// Hands the sink the last part of the output, once every chunk is scanned.
    pub(super) fn end(&mut self, sink: &mut impl LineSink) {
        let last_line = self.lines_seen();
        sink.finish(&Window { history: &self.sift.history, current: &[], next_line: last_line + 1, ends_inside_next: false });
    }

    /// The capacity of the scan buffer.
    pub(super) fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Takes a chunk cleaned elsewhere ([`clean_chunk`]), with its candidate lines found
    /// ahead: `read` raw bytes arrived with it, the last of them a newline or not;
    /// `to_end` when it is the output's last.
    pub(super) fn take_presifted(
        &mut self,
        chunk: Cleaned<'_>,
        read: (u64, bool),
        anchors: &AnchorSet,
        sink: &mut impl LineSink,
        to_end: bool,
        found: &Found,
    ) {
        self.bytes += read.0;
        if read.0 > 0 {
            self.ends_with_newline = read.1;
        }
        self.sift.take(chunk, anchors, sink, to_end, Some(found));
    }

    /// Lines in the stream so far (an unterminated last line counts).
    #[must_use]
    pub(super) fn lines_seen(&self) -> u64 {
        self.sift.newlines + u64::from(self.len > 0 || (self.bytes > 0 && !self.ends_with_newline))
    }

    #[must_use]
    pub(super) fn bytes_seen(&self) -> u64 {
        self.bytes
    }

    fn scan(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink, to_end: bool) {
        let Some(region) = region_end(&self.buf[..self.len], self.buf.len(), to_end) else { return };
        let cleaned = clean_chunk(&mut self.buf[..region], &mut self.lower);
        self.sift.take(Cleaned { raw: &self.buf[..cleaned], lower: &self.lower[..cleaned] }, anchors, sink, to_end, None);
        self.buf.copy_within(region..self.len, 0);
        self.len -= region;
    }
}

/// How much of `buf` (its capacity `capacity`) is scanned now: its complete lines, a
/// buffer-long fragment of a longer line, or, `to_end`, everything; `None` for nothing.
pub(super) fn region_end(buf: &[u8], capacity: usize, to_end: bool) -> Option<usize> {
    if to_end {
        return Some(buf.len());
    }
    match memchr::memrchr(b'\n', buf) {
        Some(nl) => Some(nl + 1),
        // A line longer than the buffer: hand over this fragment now.
        None if buf.len() == capacity => Some(buf.len()),
        None => None,
    }
}

/// Resolves ANSI escapes in `region` in place and lowercases it into `lower`; the
/// cleaned length.
pub(super) fn clean_chunk(region: &mut [u8], lower: &mut [u8]) -> usize {
    let cleaned = if memchr::memchr(0x1b, region).is_some() { strip_ansi_in_place(region) } else { region.len() };
    for (l, r) in lower[..cleaned].iter_mut().zip(&region[..cleaned]) {
        *l = r.to_ascii_lowercase();
    }
    cleaned
}

/// One chunk of complete lines, cleaned: the visible text and the same lowercased.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cleaned<'a> {
    pub raw: &'a [u8],
    pub lower: &'a [u8],
}

impl Sift {
    /// Hands the sink the chunk's anchored lines and remembers its end for looking back.
    fn take(&mut self, chunk: Cleaned<'_>, anchors: &AnchorSet, sink: &mut impl LineSink, to_end: bool, pre: Option<&Found>) {
        let ready = self.search.see(chunk.lower, anchors, to_end);
        self.hand_over(anchors, sink, chunk, ready, pre);
        self.remember(chunk.raw);
    }

    /// Keeps the last [`HISTORY`] bytes of what was scanned, for looking back.
    fn remember(&mut self, raw: &[u8]) {
        let cleaned = raw.len();
        if cleaned >= HISTORY {
            self.history.clear();
            self.history.extend_from_slice(&raw[cleaned - HISTORY..cleaned]);
        } else {
            self.history.extend_from_slice(raw);
            if self.history.len() > HISTORY {
                self.history.drain(..self.history.len() - HISTORY);
            }
        }
    }

    /// Hands the sink the lines of `buf[..cleaned]` that hold a streamed anchor (or
    /// every line, when it asks). `pre`: the lines a searcher found ahead, used while the
    /// sink's scope uses that searcher (any searcher finds every line holding one of its
    /// anchors, so the lines handed over are the same).
    fn hand_over(&mut self, anchors: &AnchorSet, sink: &mut impl LineSink, chunk: Cleaned<'_>, ready: bool, pre: Option<&Found>) {
        let (raw, lower, cleaned) = (chunk.raw, chunk.lower, chunk.raw.len());
        let (mut pos, mut counted, mut newlines) = (0, 0, self.newlines);
        let mut ahead = pre.map_or(&[][..], |found| &found.lines[..]);
        while pos < cleaned {
            let every = sink.wants_every_line();
            let searcher = anchors.searcher_of(sink.scope());
            let next = if let Some(pre) = pre.filter(|found| !every && found.searcher == searcher) {
                // Lines found ahead are in order and `pos` only grows: skipping them one by
                // one costs, over the chunk, one step per line.
                while ahead.first().is_some_and(|line| (line.start as usize) < pos) {
                    ahead = &ahead[1..];
                }
                let Some(line) = ahead.first() else { break };
                (newlines, counted) = (self.newlines + u64::from(line.newlines), line.start as usize);
                Next::found(line, pre.patterns_of(pre.lines.len() - ahead.len()))
            } else {
                let start = if every { Some(pos) } else { self.search.next_line(anchors, searcher, ready, lower, pos) };
                let Some(start) = start else { break };
                newlines += bytecount::count(&raw[counted..start], b'\n') as u64;
                counted = start;
                Next::at(chunk, start)
            };
            let current = &raw[..next.start];
            let window = Window {
                history: &self.history,
                current,
                next_line: newlines + 1,
                ends_inside_next: current.last().or(self.history.last()).is_some_and(|&b| b != b'\n'),
            };
            let text = next.text;
            sink.line(Line { number: newlines + 1, text: &raw[text.clone()], lower: &lower[text], patterns: next.patterns }, &window);
            pos = next.end + 1;
        }
        // A chunk searched ahead was counted there: its lines need not be read again.
        self.newlines = match pre.and_then(|found| found.newlines) {
            Some(chunk) => self.newlines + u64::from(chunk),
            None => newlines + bytecount::count(&raw[counted..cleaned], b'\n') as u64,
        };
    }
}

/// The next line to hand over: where it starts and ends (its newline, or the chunk's
/// end), the part of it the rules read, and its patterns when they were found ahead.
struct Next<'a> {
    start: usize,
    end: usize,
    text: std::ops::Range<usize>,
    patterns: Option<&'a [PatternRef]>,
}

impl<'a> Next<'a> {
    fn found(line: &FoundLine, patterns: Option<&'a [PatternRef]>) -> Next<'a> {
        Next { start: line.start as usize, end: line.end as usize, text: line.text.start as usize..line.text.end as usize, patterns }
    }

    fn at(chunk: Cleaned<'_>, start: usize) -> Next<'a> {
        let end = memchr::memchr(b'\n', &chunk.lower[start..]).map_or(chunk.lower.len(), |nl| start + nl);
        let (from, to) = readable_range(&chunk.raw[start..end]);
        Next { start, end, text: start + from..start + to, patterns: None }
    }
}

#[cfg(test)]
#[path = "scanner_tests.rs"]
mod tests;
