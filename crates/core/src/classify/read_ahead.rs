//! Reading a stream on a second thread while this one classifies.
//!
//! The reading thread fills a buffer, cuts it where the single-threaded scanner would
//! (after the last complete line, or a buffer-long fragment of a longer one), cleans and
//! lowercases that part, finds the lines that hold an anchor (with the searcher this
//! thread last used: it changes only when a phase marker changes the scope) and passes
//! it over; this thread hands those lines to the rules and the buffers back. Reading,
//! copying out of the kernel, cleaning and searching overlap with the rules. [`POOL`] buffer pairs circulate, so memory stays bounded
//! whatever the input's size, and the chunks are the ones the scanner cuts itself, so
//! the answer is the same byte for byte.

use std::io::{self, Read};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};

use crate::classify::chunk_search::{ChunkSearch, Presifted};
use crate::classify::scanner::{clean_chunk, region_end, Cleaned, LineSink, Scanner};
use crate::rules::AnchorSet;

/// Buffer pairs in circulation: one being filled, one passed over, one being sifted.
const POOL: usize = 3;

/// A cleaned chunk and what was read with it.
struct Chunk {
    raw: Vec<u8>,
    lower: Vec<u8>,
    cleaned: usize,
    /// The starts of the lines searcher `searcher` finds an anchor in (none searched:
    /// `usize::MAX`).
    starts: Vec<u32>,
    searcher: usize,
    /// Raw bytes read since the chunk before.
    read: u64,
    /// Whether the last byte read so far is a newline.
    ends_with_newline: bool,
    /// The output's last bytes, an unterminated line.
    to_end: bool,
}

/// Reads `reader` to its end through `scanner` into `sink`, showing `observe` every
/// piece as it is read.
pub(super) fn read_ahead<R, O, S>(reader: R, observe: O, scanner: &mut Scanner, anchors: &AnchorSet, sink: &mut S) -> io::Result<()>
where
    R: Read + Send,
    O: FnMut(&[u8]) + Send,
    S: LineSink,
{
    read_ahead_searching(reader, observe, scanner, anchors, sink, SearchAhead::WhenDense)
}

/// [`read_ahead`], searching chunks ahead as `mode` says.
pub(super) fn read_ahead_searching<R, O, S>(
    reader: R,
    observe: O,
    scanner: &mut Scanner,
    anchors: &AnchorSet,
    sink: &mut S,
    mode: SearchAhead,
) -> io::Result<()>
where
    R: Read + Send,
    O: FnMut(&[u8]) + Send,
    S: LineSink,
{
    let capacity = scanner.capacity();
    let (full_tx, full_rx) = mpsc::sync_channel::<Chunk>(1);
    let (empty_tx, empty_rx) = mpsc::channel::<Buffers>();
    let searcher = AtomicUsize::new(anchors.searcher_of(sink.scope()));
    std::thread::scope(|scope| {
        let searcher = &searcher;
        let reading = scope.spawn(move || Reader::new(capacity, full_tx, empty_rx, mode).run(reader, observe, anchors, searcher));
        for chunk in full_rx {
            let cleaned = Cleaned { raw: &chunk.raw[..chunk.cleaned], lower: &chunk.lower[..chunk.cleaned] };
            let presifted = Presifted { searcher: chunk.searcher, starts: &chunk.starts };
            scanner.take_presifted(cleaned, (chunk.read, chunk.ends_with_newline), anchors, sink, chunk.to_end, presifted);
            searcher.store(anchors.searcher_of(sink.scope()), Ordering::Relaxed);
            // The reader is gone only when it has ended: nothing more to hand back.
            let _ = empty_tx.send((chunk.raw, chunk.lower, chunk.starts));
        }
        reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed")))
    })
}

/// A chunk's buffers, handed back to be filled again.
type Buffers = (Vec<u8>, Vec<u8>, Vec<u32>);

/// The reading thread's side.
struct Reader {
    capacity: usize,
    buf: Vec<u8>,
    lower: Vec<u8>,
    len: usize,
    read: u64,
    ends_with_newline: bool,
    allocated: usize,
    full: SyncSender<Chunk>,
    empties: Receiver<Buffers>,
    search: ChunkSearch,
    pace: Pace,
}

/// Whether this side searches chunks ahead of the classifying side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SearchAhead {
    /// When the output is dense with anchored lines and plain: the rules on many lines
    /// make the other side the slower one, and the search moves off it. Output costly to
    /// clean (terminal progress) makes this side the slower one, and sparse output
    /// leaves little for the rules: the other side searches then.
    WhenDense,
    /// Every chunk (to check the lines found ahead are the lines found after).
    #[cfg(test)]
    Always,
}

/// When to search ahead: what the last searched chunk showed.
#[derive(Debug)]
struct Pace {
    mode: SearchAhead,
    /// The last chunk searched ahead held at least [`DENSE`] anchored lines.
    dense: bool,
    /// Chunks passed over since one was searched ahead.
    since: u32,
}

/// Anchored lines in one chunk (256 KiB) from which the rules, not the reading, are
/// the slower side: a BuildKit step header every 40 lines makes about 200; the classic
/// builder, buildah and NemoClaw's wrapper about 100; compiler output 20.
const DENSE: usize = 64;
/// A chunk is searched ahead at least this often, to see whether the output changed.
const REMEASURE: u32 = 8;

impl Pace {
    fn new(mode: SearchAhead) -> Pace {
        Pace { mode, dense: true, since: 0 }
    }

    /// Whether to search this chunk ahead; `escapes`: cleaning it resolved escape codes.
    fn search_ahead(&self, escapes: bool) -> bool {
        match self.mode {
            SearchAhead::WhenDense => !escapes && (self.dense || self.since >= REMEASURE),
            #[cfg(test)]
            SearchAhead::Always => true,
        }
    }

    /// A chunk was passed over: searched ahead, with `found` anchored lines, or not.
    fn passed(&mut self, found: Option<usize>) {
        match found {
            Some(found) => (self.dense, self.since) = (found >= DENSE, 0),
            None => self.since += 1,
        }
    }
}

impl Reader {
    fn new(capacity: usize, full: SyncSender<Chunk>, empties: Receiver<Buffers>, mode: SearchAhead) -> Reader {
        Reader {
            capacity,
            buf: vec![0; capacity],
            lower: vec![0; capacity],
            len: 0,
            read: 0,
            ends_with_newline: true,
            allocated: 1,
            full,
            empties,
            search: ChunkSearch::default(),
            pace: Pace::new(mode),
        }
    }

    fn run(mut self, mut reader: impl Read, mut observe: impl FnMut(&[u8]), anchors: &AnchorSet, searcher: &AtomicUsize) -> io::Result<()> {
        let pass = |this: &mut Reader, to_end| this.pass(to_end, anchors, searcher.load(Ordering::Relaxed));
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
            self.ends_with_newline = self.buf[self.len + n - 1] == b'\n';
            self.read += n as u64;
            self.len += n;
            if self.len == self.capacity && pass(&mut self, false).is_none() {
                // The classifying side has stopped taking chunks.
                return Ok(());
            }
        }
    }

    /// Cuts, cleans and passes over what is due; `None` when the other side is gone.
    fn pass(&mut self, to_end: bool, anchors: &AnchorSet, searcher: usize) -> Option<()> {
        let Some(region) = region_end(&self.buf[..self.len], self.capacity, to_end) else { return Some(()) };
        let (mut buf, lower, mut starts) = self.next_buffers()?;
        buf[..self.len - region].copy_from_slice(&self.buf[region..self.len]);
        let cleaned = clean_chunk(&mut self.buf[..region], &mut self.lower);
        let ready = self.search.see(&self.lower[..cleaned], anchors, to_end);
        // Resolving escape codes shortens the text.
        let searcher = if self.pace.search_ahead(cleaned < region) {
            self.search.all_lines(anchors, searcher, ready, &self.lower[..cleaned], &mut starts);
            self.pace.passed(Some(starts.len()));
            searcher
        } else {
            starts.clear();
            self.pace.passed(None);
            usize::MAX
        };
        let raw = std::mem::replace(&mut self.buf, buf);
        let chunk = Chunk {
            raw,
            lower: std::mem::replace(&mut self.lower, lower),
            cleaned,
            starts,
            searcher,
            read: std::mem::take(&mut self.read),
            ends_with_newline: self.ends_with_newline,
            to_end,
        };
        self.len -= region;
        self.full.send(chunk).ok()
    }

    fn next_buffers(&mut self) -> Option<Buffers> {
        if self.allocated < POOL {
            self.allocated += 1;
            return Some((vec![0; self.capacity], vec![0; self.capacity], Vec::new()));
        }
        self.empties.recv().ok()
    }
}
