//! Linux: the child's output reaches ours without passing through this process.
//! `tee(2)` duplicates what the child's pipe holds into a second pipe, for the
//! classifier, and `splice(2)` then moves it to our output inside the kernel; only the
//! classifier's copy is read. Where the calls do not apply (the child writes to a
//! pseudo-terminal, our output is a terminal or a file opened for appending, a kernel
//! without them) the caller reads and writes as everywhere else.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use nix::errno::Errno;
use nix::fcntl::{splice, tee, SpliceFFlags};

use super::child::{Event, Stream};
use super::spawn::{widened, CHUNK};
use super::spool::Spool;

/// How passing a stream through by splicing ended.
pub(crate) enum Spliced {
    /// The stream is over (its end, or our output closed): its last event is pushed.
    Finished,
    /// Splicing does not apply, or no longer does (our report has begun): everything
    /// taken from the child's pipe so far has passed and is in the spool; the caller
    /// goes on reading the rest.
    Stopped,
}

/// Whether `from` can be passed through to `stream` by splicing: a pipe, towards an
/// output that is not a terminal (a terminal is written as everywhere else: its writes
/// are counted for the heartbeat's redraw, and some kernels refuse to splice to one).
pub(crate) fn applies(from: &File, stream: Stream) -> bool {
    let to_terminal = match stream {
        Stream::Out => io::stdout().is_terminal(),
        Stream::Err => io::stderr().is_terminal(),
    };
    !to_terminal && from.metadata().is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_fifo(&m.file_type()))
}

/// Passes `from` (the child's pipe) through to our `stream`, a copy of each chunk to the
/// spool, until it ends or splicing stops applying.
pub(crate) fn pass(from: &File, stream: Stream, spool: &Spool, quiet: &AtomicBool, started: Instant) -> Spliced {
    let Ok((copy_out, copy_in)) = nix::unistd::pipe() else { return Spliced::Stopped };
    let copy_in = widened(copy_in);
    let mut copy_out = File::from(copy_out);
    loop {
        // The report is being written: the plain loop reads on without writing.
        if quiet.load(Ordering::Relaxed) {
            return Spliced::Stopped;
        }
        let n = match tee(from, &copy_in, CHUNK, SpliceFFlags::empty()) {
            Ok(0) => {
                spool.push(Event::Closed(stream, false));
                return Spliced::Finished;
            }
            Ok(n) => n,
            Err(Errno::EINTR) => continue,
            // Nothing was taken: the caller reads from here on.
            Err(_) => return Spliced::Stopped,
        };
        let at = started.elapsed();
        // The copy is whole in the second pipe: tee copies only what fits there, and it
        // is emptied every round.
        let mut chunk = Vec::with_capacity(n);
        if (&mut copy_out).take(n as u64).read_to_end(&mut chunk).map_or(true, |read| read != n) {
            // Never seen; the original bytes are still in the child's pipe.
            return Spliced::Stopped;
        }
        let forwarded = forward(from, stream, &chunk);
        spool.push(Event::Chunk(stream, chunk, at));
        match forwarded {
            Forwarded::Passed => {}
            Forwarded::OutputClosed => {
                // Our reader is gone: stop reading, so the child's next write fails as
                // it would into a closed pipe.
                spool.push(Event::Closed(stream, true));
                return Spliced::Finished;
            }
            Forwarded::Written => return Spliced::Stopped,
        }
    }
}

/// What became of one chunk.
enum Forwarded {
    /// Spliced to our output (or lost to a write error, as a plain write loses it).
    Passed,
    /// Our output is a closed pipe.
    OutputClosed,
    /// Our output takes no splicing: the chunk was written instead.
    Written,
}

/// Moves `chunk.len()` bytes, of which `chunk` is the copy, from the child's pipe to our
/// output, whole chunks at a time under the stream's lock.
fn forward(from: &File, stream: Stream, chunk: &[u8]) -> Forwarded {
    let _writing = super::terminal_line::writing();
    let (stdout, stderr) = (io::stdout(), io::stderr());
    let (mut out, mut err);
    let to: &mut dyn WriteFd = match stream {
        Stream::Out => {
            out = stdout.lock();
            &mut out
        }
        Stream::Err => {
            err = stderr.lock();
            &mut err
        }
    };
    let mut moved = 0;
    while moved < chunk.len() {
        match splice(from, None, to.fd(), None, chunk.len() - moved, SpliceFFlags::SPLICE_F_MOVE) {
            Ok(0) => break,
            Ok(k) => moved += k,
            Err(Errno::EINTR) => {}
            Err(Errno::EPIPE) => {
                discard(from, chunk.len() - moved);
                return Forwarded::OutputClosed;
            }
            Err(Errno::EINVAL) if moved == 0 => {
                discard(from, chunk.len());
                return match to.write_all(chunk).and_then(|()| to.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Forwarded::OutputClosed,
                    _ => Forwarded::Written,
                };
            }
            // A full disk: what cannot be written is lost, and the child carries on.
            Err(_) => {
                discard(from, chunk.len() - moved);
                break;
            }
        }
    }
    Forwarded::Passed
}

/// Our stdout or stderr, locked: written as a file descriptor, or as a stream.
trait WriteFd: Write {
    fn fd(&self) -> std::os::fd::BorrowedFd<'_>;
}

impl WriteFd for io::StdoutLock<'_> {
    fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.as_fd()
    }
}

impl WriteFd for io::StderrLock<'_> {
    fn fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.as_fd()
    }
}

/// Takes `left` bytes out of the child's pipe unused (their copy went elsewhere).
fn discard(mut from: &File, mut left: usize) {
    let mut buf = vec![0u8; left.min(CHUNK)];
    while left > 0 {
        let want = left.min(buf.len());
        match from.read(&mut buf[..want]) {
            Ok(0) | Err(_) => break,
            Ok(k) => left -= k,
        }
    }
}
