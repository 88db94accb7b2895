//! Reading a stream on a second thread while this one classifies.
//!
//! The reading thread fills a buffer, cuts it where the single-threaded scanner would
//! (after the last complete line, or a buffer-long fragment of a longer one), cleans and
//! lowercases that part and passes it over; this thread hands its anchored lines to the
//! rules and the buffers back. Reading, copying out of the kernel and cleaning overlap
//! with the rules.
//!
//! The reading thread also takes on as much of this one's work as keeps the two even
//! ([`Pace`]): finding a chunk's anchored lines (with the searcher this thread last used:
//! it changes only when a phase marker changes the scope), counting its lines, and
//! finding the patterns some of those lines may match. [`POOL`] buffer pairs circulate,
//! so memory stays bounded whatever the input's size, and the chunks are the ones the
//! scanner cuts itself, so the answer is the same byte for byte.

use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};

use crate::classify::chunk_search::{ChunkSearch, Found};
use crate::classify::scanner::{clean_chunk, region_end, Cleaned, LineSink, Scanner};
use crate::rules::{AnchorSet, StageRules};

/// Buffer pairs in circulation: one being filled, one passed over, one being sifted.
const POOL: usize = 3;

/// A cleaned chunk and what was read with it.
#[derive(Debug)]
pub(super) struct Chunk {
    pub raw: Vec<u8>,
    pub lower: Vec<u8>,
    pub cleaned: usize,
    /// The lines a searcher found an anchor in, and their patterns.
    pub found: Found,
    /// Raw bytes read since the chunk before.
    pub read: u64,
    /// Whether the last byte read so far is a newline.
    pub ends_with_newline: bool,
    /// The output's last bytes, an unterminated line.
    pub to_end: bool,
}

/// The searches this side can run for the other: the anchors, and the rules that find
/// which patterns an anchored line may match (none: only its lines are found ahead).
#[derive(Debug, Clone, Copy)]
pub(super) struct Sifting<'a> {
    pub anchors: &'a AnchorSet,
    pub rules: Option<&'a StageRules>,
}

/// Reads `reader` to its end through `scanner` into `sink`, showing `observe` every
/// piece as it is read.
pub(super) fn read_ahead<R, O, S>(reader: R, observe: O, scanner: &mut Scanner, sifting: Sifting<'_>, sink: &mut S) -> io::Result<()>
where
    R: Read + Send,
    O: FnMut(&[u8]) + Send,
    S: LineSink,
{
    read_ahead_searching(reader, observe, scanner, sifting, sink, SearchAhead::Balanced)
}

/// [`read_ahead`], searching chunks ahead as `mode` says.
pub(super) fn read_ahead_searching<R, O, S>(
    reader: R,
    observe: O,
    scanner: &mut Scanner,
    sifting: Sifting<'_>,
    sink: &mut S,
    mode: SearchAhead,
) -> io::Result<()>
where
    R: Read + Send,
    O: FnMut(&[u8]) + Send,
    S: LineSink,
{
    let (capacity, anchors) = (scanner.capacity(), sifting.anchors);
    let (full_tx, full_rx) = mpsc::sync_channel::<Chunk>(1);
    let (empty_tx, empty_rx) = mpsc::channel::<Buffers>();
    let searcher = AtomicUsize::new(anchors.searcher_of(sink.scope()));
    std::thread::scope(|scope| {
        let searcher = &searcher;
        let reading = scope.spawn(move || Reader::new(capacity, empty_rx, mode).run(reader, observe, sifting, searcher, &full_tx));
        for chunk in full_rx {
            let cleaned = Cleaned { raw: &chunk.raw[..chunk.cleaned], lower: &chunk.lower[..chunk.cleaned] };
            scanner.take_presifted(cleaned, (chunk.read, chunk.ends_with_newline), anchors, sink, chunk.to_end, &chunk.found);
            searcher.store(anchors.searcher_of(sink.scope()), Ordering::Relaxed);
            // The reader is gone only when it has ended: nothing more to hand back.
            let _ = empty_tx.send((chunk.raw, chunk.lower, chunk.found));
        }
        reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed")))
    })
}

/// What [`Reader::pass`] made of what it holds.
pub(super) enum Passed {
    /// Nothing is due yet.
    Nothing,
    Chunk(Chunk),
    /// The other side is gone: no buffers come back.
    Gone,
}

/// A chunk's buffers, handed back to be filled again.
pub(super) type Buffers = (Vec<u8>, Vec<u8>, Found);

/// The reading thread's side: it fills a buffer, and cuts, cleans and sifts it.
#[derive(Debug)]
pub(super) struct Reader {
    capacity: usize,
    buf: Vec<u8>,
    lower: Vec<u8>,
    len: usize,
    read: u64,
    ends_with_newline: bool,
    allocated: usize,
    empties: Receiver<Buffers>,
    search: ChunkSearch,
    pace: Pace,
}

/// Whether this side searches chunks ahead of the classifying side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SearchAhead {
    /// As much as keeps the two sides even: the rules on output dense with anchored
    /// lines make the other side the slower one, and the search moves off it; output
    /// costly to clean (terminal progress) or sparse makes this side the slower one, and
    /// the other side searches.
    Balanced,
    /// Every chunk, and every line's patterns (to check what is found ahead is what is
    /// found after).
    #[cfg(test)]
    Always,
    /// Every chunk, and the patterns of half its lines.
    #[cfg(test)]
    Half,
}

/// How much of the other side's work this side takes on.
#[derive(Debug)]
struct Pace {
    mode: SearchAhead,
    /// Nothing at 0; at `1 + k`, the search of each chunk and the patterns of `k` of
    /// every [`SHARES`] lines found. One more after each chunk for which this side had to
    /// wait for buffers to come back (the other side is the slower one), one fewer after
    /// each it did not.
    level: usize,
}

/// The steps in which this side takes on finding the patterns of the lines it found.
const SHARES: usize = 8;

impl Pace {
    fn new(mode: SearchAhead) -> Pace {
        Pace { mode, level: 1 + SHARES / 2 }
    }

    /// After this side waited for buffers (`waited`) or not: whether to search the next
    /// chunk ahead, and if so the patterns of how many of every [`SHARES`] lines found.
    fn take_on(&mut self, waited: bool) -> Option<usize> {
        self.level = match self.mode {
            SearchAhead::Balanced if waited => (self.level + 1).min(1 + SHARES),
            SearchAhead::Balanced => self.level.saturating_sub(1),
            #[cfg(test)]
            SearchAhead::Always => 1 + SHARES,
            #[cfg(test)]
            SearchAhead::Half => 1 + SHARES / 2,
        };
        self.level.checked_sub(1)
    }
}

impl Reader {
    pub(super) fn new(capacity: usize, empties: Receiver<Buffers>, mode: SearchAhead) -> Reader {
        Reader {
            capacity,
            buf: vec![0; capacity],
            lower: vec![0; capacity],
            len: 0,
            read: 0,
            ends_with_newline: true,
            allocated: 1,
            empties,
            search: ChunkSearch::default(),
            pace: Pace::new(mode),
        }
    }

    fn run(
        mut self,
        mut reader: impl Read,
        mut observe: impl FnMut(&[u8]),
        sifting: Sifting<'_>,
        searcher: &AtomicUsize,
        full: &SyncSender<Chunk>,
    ) -> io::Result<()> {
        // `None` once the classifying side has stopped taking chunks.
        let pass = |this: &mut Reader, to_end| match this.pass(to_end, sifting, searcher.load(Ordering::Relaxed)) {
            Passed::Chunk(chunk) => full.send(chunk).ok(),
            Passed::Nothing => Some(()),
            Passed::Gone => None,
        };
        loop {
            let n = match reader.read(&mut self.buf[self.len..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                // The end: the complete lines, then the unterminated rest, as the
                // scanner's own finish cuts them.
                if pass(&mut self, false).is_some() && self.len > 0 {
                    pass(&mut self, true);
                }
                return Ok(());
            }
            observe(&self.buf[self.len..self.len + n]);
            if self.account(n) && pass(&mut self, false).is_none() {
                // The classifying side has stopped taking chunks.
                return Ok(());
            }
        }
    }

    /// Cuts, cleans and sifts what is due.
    pub(super) fn pass(&mut self, to_end: bool, sifting: Sifting<'_>, searcher: usize) -> Passed {
        let Some(region) = region_end(&self.buf[..self.len], self.capacity, to_end) else { return Passed::Nothing };
        let Some(((mut buf, lower, mut found), waited)) = self.next_buffers() else { return Passed::Gone };
        buf[..self.len - region].copy_from_slice(&self.buf[region..self.len]);
        let cleaned = clean_chunk(&mut self.buf[..region], &mut self.lower);
        let ready = self.search.see(&self.lower[..cleaned], sifting.anchors, to_end);
        if let Some(share) = self.pace.take_on(waited) {
            let chunk = Cleaned { raw: &self.buf[..cleaned], lower: &self.lower[..cleaned] };
            self.search.all_lines(sifting.anchors, searcher, ready, chunk, &mut found);
            if let Some(rules) = sifting.rules {
                let count = found.lines.len() * share / SHARES;
                self.search.match_lines(rules, chunk, &mut found, count);
            }
        } else {
            found.clear(usize::MAX);
        }
        let raw = std::mem::replace(&mut self.buf, buf);
        let chunk = Chunk {
            raw,
            lower: std::mem::replace(&mut self.lower, lower),
            cleaned,
            found,
            read: std::mem::take(&mut self.read),
            ends_with_newline: self.ends_with_newline,
            to_end,
        };
        self.len -= region;
        Passed::Chunk(chunk)
    }

    /// Copies as much of `bytes` in as fits; how much did, and whether the buffer is full.
    pub(super) fn fill(&mut self, bytes: &[u8]) -> (usize, bool) {
        let n = bytes.len().min(self.capacity - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&bytes[..n]);
        (n, self.account(n))
    }

    /// Counts `n` bytes put in the buffer after what it held; whether it is full.
    fn account(&mut self, n: usize) -> bool {
        if n > 0 {
            self.ends_with_newline = self.buf[self.len + n - 1] == b'\n';
        }
        self.read += n as u64;
        self.len += n;
        self.len == self.capacity
    }

    /// Bytes held, not yet passed over.
    pub(super) fn held(&self) -> usize {
        self.len
    }

    /// Buffers to fill next, and whether they had to be waited for.
    fn next_buffers(&mut self) -> Option<(Buffers, bool)> {
        if self.allocated < POOL {
            self.allocated += 1;
            return Some(((vec![0; self.capacity], vec![0; self.capacity], Found::default()), false));
        }
        match self.empties.try_recv() {
            Ok(buffers) => Some((buffers, false)),
            Err(_) => self.empties.recv().ok().map(|buffers| (buffers, true)),
        }
    }
}
