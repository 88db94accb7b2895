//! Reading a stream on a second thread while this one classifies.
//!
//! The reading thread fills a buffer, cuts it where the single-threaded scanner would
//! (after the last complete line, or a buffer-long fragment of a longer one), cleans and
//! lowercases that part and passes it over; this thread sifts it for anchors and hands
//! the buffers back. Reading, copying out of the kernel and cleaning overlap with the
//! search and the rules. [`POOL`] buffer pairs circulate, so memory stays bounded
//! whatever the input's size, and the chunks are the ones the scanner cuts itself, so
//! the answer is the same byte for byte.

use std::io::{self, Read};
use std::sync::mpsc::{self, Receiver, SyncSender};

use crate::classify::scanner::{clean_chunk, region_end, Cleaned, LineSink, Scanner};
use crate::rules::AnchorSet;

/// Buffer pairs in circulation: one being filled, one passed over, one being sifted.
const POOL: usize = 3;

/// A cleaned chunk and what was read with it.
struct Chunk {
    raw: Vec<u8>,
    lower: Vec<u8>,
    cleaned: usize,
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
    let capacity = scanner.capacity();
    let (full_tx, full_rx) = mpsc::sync_channel::<Chunk>(1);
    let (empty_tx, empty_rx) = mpsc::channel::<(Vec<u8>, Vec<u8>)>();
    std::thread::scope(|scope| {
        let reading = scope.spawn(move || Reader::new(capacity, full_tx, empty_rx).run(reader, observe));
        for chunk in full_rx {
            let cleaned = Cleaned { raw: &chunk.raw[..chunk.cleaned], lower: &chunk.lower[..chunk.cleaned] };
            scanner.take_chunk(cleaned, (chunk.read, chunk.ends_with_newline), anchors, sink, chunk.to_end);
            // The reader is gone only when it has ended: nothing more to hand back.
            let _ = empty_tx.send((chunk.raw, chunk.lower));
        }
        reading.join().unwrap_or_else(|_| Err(io::Error::other("the reading thread failed")))
    })
}

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
    empties: Receiver<(Vec<u8>, Vec<u8>)>,
}

impl Reader {
    fn new(capacity: usize, full: SyncSender<Chunk>, empties: Receiver<(Vec<u8>, Vec<u8>)>) -> Reader {
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
        }
    }

    fn run(mut self, mut reader: impl Read, mut observe: impl FnMut(&[u8])) -> io::Result<()> {
        loop {
            let n = match reader.read(&mut self.buf[self.len..]) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                // The end: the complete lines, then the unterminated rest, as the
                // scanner's own finish cuts them.
                if self.pass(false).is_some() && self.len > 0 {
                    self.pass(true);
                }
                return Ok(());
            }
            observe(&self.buf[self.len..self.len + n]);
            self.ends_with_newline = self.buf[self.len + n - 1] == b'\n';
            self.read += n as u64;
            self.len += n;
            if self.len == self.capacity && self.pass(false).is_none() {
                // The classifying side has stopped taking chunks.
                return Ok(());
            }
        }
    }

    /// Cuts, cleans and passes over what is due; `None` when the other side is gone.
    fn pass(&mut self, to_end: bool) -> Option<()> {
        let Some(region) = region_end(&self.buf[..self.len], self.capacity, to_end) else { return Some(()) };
        let (mut buf, lower) = self.next_pair()?;
        buf[..self.len - region].copy_from_slice(&self.buf[region..self.len]);
        let cleaned = clean_chunk(&mut self.buf[..region], &mut self.lower);
        let raw = std::mem::replace(&mut self.buf, buf);
        let chunk = Chunk {
            raw,
            lower: std::mem::replace(&mut self.lower, lower),
            cleaned,
            read: std::mem::take(&mut self.read),
            ends_with_newline: self.ends_with_newline,
            to_end,
        };
        self.len -= region;
        self.full.send(chunk).ok()
    }

    fn next_pair(&mut self) -> Option<(Vec<u8>, Vec<u8>)> {
        if self.allocated < POOL {
            self.allocated += 1;
            return Some((vec![0; self.capacity], vec![0; self.capacity]));
        }
        self.empties.recv().ok()
    }
}
