//! Classifying output that is pushed in pieces (a supervised command's) on two threads,
//! as [`Classifier::read_from`] does for a stream it reads itself.
//!
//! A [`Sifter`], on the thread that receives the output, cuts it where the scanner would,
//! cleans and lowercases it and finds its anchored lines; the classifier, on its own
//! thread, takes each [`Sifted`] chunk and hands its lines to the rules. The cuts fall at
//! line ends, so the answer is the one [`Classifier::feed`] gives for the same bytes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;

use super::read_ahead::{Buffers, Chunk, Passed, Reader, SearchAhead, Sifting};
use super::scanner::{Cleaned, LineSink};
use super::{Classifier, Driver};
use crate::rules::StageRules;

/// The side of a [`Classifier`] that cuts, cleans and sifts its output, on another thread
/// (see [`Classifier::sifter`]).
#[derive(Debug)]
pub struct Sifter<'r> {
    side: Side<'r>,
}

#[derive(Debug)]
enum Side<'r> {
    Log {
        reader: Box<Reader>,
        sifting: Sifting<'r>,
        /// The anchors' searcher for the classifier's scope: it sets it, this side reads it.
        searcher: Arc<AtomicUsize>,
        /// Where a chunk's buffers go back to once it is taken.
        back: Sender<Buffers>,
    },
    /// A message held whole (a provider's answer) needs no sifting.
    Message,
}

/// A piece of output made ready by a [`Sifter`], for [`Classifier::take`]. Dropped
/// untaken, its buffers still go back.
#[derive(Debug)]
pub struct Sifted {
    piece: Piece,
}

#[derive(Debug)]
enum Piece {
    /// `rules`: the address of the rules whose patterns were found ahead.
    Chunk {
        chunk: Chunk,
        rules: usize,
        searcher: Arc<AtomicUsize>,
        back: Sender<Buffers>,
    },
    Bytes(Vec<u8>),
    /// Taken already.
    Gone,
}

impl Drop for Sifted {
    fn drop(&mut self) {
        if let Piece::Chunk { chunk, back, .. } = std::mem::replace(&mut self.piece, Piece::Gone) {
            // The sifter is gone: the buffers go with it.
            let _ = back.send((chunk.raw, chunk.lower, chunk.found));
        }
    }
}

impl Sifter<'_> {
    /// Takes `bytes`, the output's next piece; `ready` gets each chunk that fills the buffer.
    pub fn push(&mut self, mut bytes: &[u8], ready: &mut impl FnMut(Sifted)) {
        if matches!(self.side, Side::Message) {
            ready(Sifted { piece: Piece::Bytes(bytes.to_vec()) });
            return;
        }
        while let Side::Log { reader, .. } = &mut self.side {
            if bytes.is_empty() {
                break;
            }
            let (n, full) = reader.fill(bytes);
            bytes = &bytes[n..];
            if full {
                self.pass(false, ready);
            }
        }
    }

    /// The complete lines held so far, as one chunk (for live output: a line is
    /// classified as soon as it ends, not when the buffer fills).
    pub fn flush(&mut self, ready: &mut impl FnMut(Sifted)) {
        self.pass(false, ready);
    }

    /// Everything held, the unterminated last line included: the output has ended.
    pub fn finish(mut self, ready: &mut impl FnMut(Sifted)) {
        self.pass(false, ready);
        if matches!(&self.side, Side::Log { reader, .. } if reader.held() > 0) {
            self.pass(true, ready);
        }
    }

    fn pass(&mut self, to_end: bool, ready: &mut impl FnMut(Sifted)) {
        let Side::Log { reader, sifting, searcher, back } = &mut self.side else { return };
        // Never gone: this side keeps a sender for the buffers coming back.
        if let Passed::Chunk(chunk) = reader.pass(to_end, *sifting, searcher.load(Ordering::Relaxed)) {
            let rules = address(sifting.rules);
            ready(Sifted { piece: Piece::Chunk { chunk, rules, searcher: Arc::clone(searcher), back: back.clone() } });
        }
    }
}

impl<'r> Classifier<'r> {
    /// The side that sifts this classifier's output on another thread: push the output to
    /// it there, and give each [`Sifted`] chunk to [`Classifier::take`] here, in order.
    #[must_use]
    pub fn sifter(&self) -> Sifter<'r> {
        let side = match &self.driver {
            Driver::Log { scanner, analysis } => {
                let (back, empties) = mpsc::channel();
                let anchors = self.rules.anchors();
                Side::Log {
                    reader: Box::new(Reader::new(scanner.capacity(), empties, SearchAhead::Balanced)),
                    sifting: Sifting { anchors, rules: Some(self.rules) },
                    searcher: Arc::new(AtomicUsize::new(anchors.searcher_of(analysis.scope()))),
                    back,
                }
            }
            Driver::Message { .. } => Side::Message,
        };
        Sifter { side }
    }

    /// Takes the next chunk of output, sifted by this classifier's [`Sifter`]. The
    /// complete lines given to [`Classifier::feed`] before it are classified first.
    pub fn take(&mut self, mut sifted: Sifted) {
        self.flush_lines();
        // The chunk is read in place; its buffers go back when `sifted` is dropped.
        match (&mut self.driver, &mut sifted.piece) {
            (Driver::Log { scanner, analysis }, Piece::Chunk { chunk, rules, searcher, .. }) => {
                let anchors = self.rules.anchors();
                // Another classifier's sifter found patterns of other rules: this side
                // searches the chunk itself, as it does a chunk nothing was found ahead in.
                if *rules != address(Some(self.rules)) {
                    chunk.found.clear(usize::MAX);
                }
                let cleaned = Cleaned { raw: &chunk.raw[..chunk.cleaned], lower: &chunk.lower[..chunk.cleaned] };
                scanner.take_presifted(
                    cleaned,
                    (chunk.read, chunk.ends_with_newline),
                    anchors,
                    analysis.as_mut(),
                    chunk.to_end,
                    &chunk.found,
                );
                searcher.store(anchors.searcher_of(analysis.scope()), Ordering::Relaxed);
            }
            (_, Piece::Bytes(bytes)) => {
                let bytes = std::mem::take(bytes);
                self.feed(&bytes);
            }
            // A chunk from a log's sifter given to a message's classifier: its text.
            (Driver::Message { .. }, Piece::Chunk { chunk, .. }) => {
                let text = chunk.raw[..chunk.cleaned].to_vec();
                self.feed(&text);
            }
            (_, Piece::Gone) => {}
        }
    }
}

/// The address of `rules`, which tells one classifier's rules from another's.
fn address(rules: Option<&StageRules>) -> usize {
    rules.map_or(0, |rules| std::ptr::from_ref(rules).addr())
}
