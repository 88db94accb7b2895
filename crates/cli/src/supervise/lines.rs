//! The supervised command's output on its way to the classifier, on a thread of its
//! own: whole lines from both streams, cut, cleaned and searched ahead of the rules (a
//! [`Sifter`]), passed to the watch in the order the spool holds them, with the
//! streams' ends and the command's exit between them. Classification takes two cores,
//! as `classify` does, and the watch's thread is left the rules.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::SyncSender;
use std::time::Duration;

use sandbox_triage_core::{Sifted, Sifter};

use super::child::{Ended, Event, Stream};
use super::spool::{Empty, Spool};
use super::watch::say;
use crate::output_file::OutputFile;

/// A partial line longer than this is classified as it is, so that an endless line
/// costs no more memory than a long one.
const PARTIAL_MAX: usize = 1 << 20;

/// How long the sifting thread waits for output before it looks whether the watch is over.
const POLL: Duration = Duration::from_millis(50);

/// Hands on whole lines from two streams, never half a line of one with the other's in
/// between; copies every piece, as received, to the log when one is kept.
#[derive(Default)]
pub(crate) struct Lines {
    partial: [Vec<u8>; 2],
    log: Option<OutputFile>,
}

impl Lines {
    /// Lines that also copy the output to `log`.
    pub(crate) fn logged(log: Option<OutputFile>) -> Lines {
        Lines { log, ..Lines::default() }
    }

    /// Copies `bytes` to the log when one is kept: a log that cannot be written is
    /// lost, never the run or its answer.
    pub(crate) fn log(&mut self, bytes: &[u8]) {
        if let Some(log) = &mut self.log {
            if let Err(error) = log.write_bytes(bytes) {
                say(&format!("sandbox-triage: warning: --log: cannot write: {error}; the log stops here\n"));
                self.log = None;
            }
        }
    }

    /// Takes a piece of `stream`; `feed` gets whatever whole lines it completes.
    fn push(&mut self, stream: Stream, bytes: &[u8], feed: &mut impl FnMut(&[u8])) {
        self.log(bytes);
        let partial = &mut self.partial[usize::from(stream == Stream::Err)];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                if !partial.is_empty() {
                    feed(partial);
                    partial.clear();
                }
                feed(&bytes[..=last]);
                partial.extend_from_slice(&bytes[last + 1..]);
            }
            None => partial.extend_from_slice(bytes),
        }
        if partial.len() >= PARTIAL_MAX {
            feed(partial);
            feed(b"\n");
            partial.clear();
        }
    }

    /// Whether a stream's last line has not ended yet.
    fn mid_line(&self) -> bool {
        self.partial.iter().any(|p| !p.is_empty())
    }

    /// The streams have ended: each one's unfinished line, as a line.
    fn finish(&mut self, feed: &mut impl FnMut(&[u8])) {
        for partial in &mut self.partial {
            if !partial.is_empty() {
                feed(partial);
                feed(b"\n");
                partial.clear();
            }
        }
    }
}

/// What the sifting thread passes to the watch, in the spool's order.
pub(crate) enum Message {
    /// Output that arrived `at` (from the start): a chunk of its lines ready for the
    /// rules, when one is; `caught_up` when no more output is waiting behind it.
    Output {
        sifted: Option<Sifted>,
        at: Duration,
        caught_up: bool,
    },
    /// A stream ended (`true`: because our own output closed).
    Closed(Stream, bool),
    Exited(Ended),
}

/// What the sifting thread shares with the watch.
pub(crate) struct Sifting<'a> {
    pub(crate) spool: &'a Spool,
    /// Set by the watch when it is over: the thread hands over what it holds and ends.
    pub(crate) stop: &'a AtomicBool,
    /// Whether a stream's last line is unfinished (a heartbeat goes on a line of its own).
    pub(crate) mid_line: &'a AtomicBool,
}

/// Takes the spool's events until the output is over or the watch is, sifting the
/// output's lines, and passes them on to `to`; then the unfinished lines and whatever
/// the sifter holds. The watch gone, what is left is dropped.
pub(crate) fn sift(shared: &Sifting<'_>, lines: &mut Lines, mut sifter: Sifter<'_>, to: &SyncSender<Message>) {
    let mut open = true;
    let mut at = Duration::ZERO;
    while open && !shared.stop.load(Ordering::Relaxed) {
        match shared.spool.pop(POLL) {
            Ok(Event::Chunk(stream, bytes, arrived)) => {
                at = arrived;
                let mut ready = |sifted| open &= to.send(Message::Output { sifted: Some(sifted), at, caught_up: false }).is_ok();
                lines.push(stream, &bytes, &mut |piece| sifter.push(piece, &mut ready));
                shared.mid_line.store(lines.mid_line(), Ordering::Relaxed);
                // Live output: its complete lines now, so each phase and step is timed by
                // the output that began it; a burst: when the buffer fills.
                if !shared.spool.has_backlog() {
                    let mut flushed = None;
                    sifter.flush(&mut |sifted| flushed = Some(sifted));
                    open &= to.send(Message::Output { sifted: flushed, at, caught_up: true }).is_ok();
                }
            }
            // The lines before a stream's end or the exit reach the watch before it does.
            Ok(Event::Closed(stream, ours)) => {
                open &= flush(&mut sifter, to, at) && to.send(Message::Closed(stream, ours)).is_ok();
            }
            Ok(Event::Exited(ended)) => open &= flush(&mut sifter, to, at) && to.send(Message::Exited(ended)).is_ok(),
            Err(Empty::Timeout) => {}
            Err(Empty::Done) => break,
        }
    }
    let mut ready = |sifted| {
        let _ = to.send(Message::Output { sifted: Some(sifted), at, caught_up: true });
    };
    lines.finish(&mut |piece| sifter.push(piece, &mut ready));
    sifter.finish(&mut ready);
    shared.mid_line.store(false, Ordering::Relaxed);
}

/// Passes on the complete lines the sifter holds, if it holds any, as output that
/// arrived `at`; whether the watch is still there.
fn flush(sifter: &mut Sifter<'_>, to: &SyncSender<Message>, at: Duration) -> bool {
    let mut flushed = None;
    sifter.flush(&mut |sifted| flushed = Some(sifted));
    flushed.is_none_or(|sifted| to.send(Message::Output { sifted: Some(sifted), at, caught_up: true }).is_ok())
}
