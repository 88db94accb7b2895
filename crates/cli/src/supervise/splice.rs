//! Linux: the child's output reaches ours without passing through this process.
//! `tee(2)` duplicates what the child's pipe holds into a second pipe, for the
//! classifier, and `splice(2)` then moves it to our output inside the kernel; only the
//! classifier's copy is read. Only towards a pipe, a socket or a device like `/dev/null`:
//! a splice to a regular file does not take the file position's lock a `write(2)` takes,
//! so stdout and stderr sharing one log file (`>log 2>&1`) could overwrite each other.
//! Elsewhere (a terminal, a file, the child writing to a pseudo-terminal, a kernel that
//! refuses) the caller reads and writes.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::FileTypeExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use nix::errno::Errno;
use nix::fcntl::{splice, tee, OFlag, SpliceFFlags};

use super::child::{Event, Stream};
use super::spawn::{widened, write_out, CHUNK};
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

/// Whether `from` can be passed through to `stream` by splicing: from a pipe, to a pipe,
/// a socket, or a character device that is not a terminal (`/dev/null`).
pub(crate) fn applies(from: &File, stream: Stream) -> bool {
    use nix::sys::stat::{fstat, SFlag};
    let (to, terminal) = match stream {
        Stream::Out => (fstat(io::stdout().as_raw_fd()), io::stdout().is_terminal()),
        Stream::Err => (fstat(io::stderr().as_raw_fd()), io::stderr().is_terminal()),
    };
    let Ok(to) = to else { return false };
    let kind = SFlag::from_bits_truncate(to.st_mode) & SFlag::S_IFMT;
    let to_fits = kind == SFlag::S_IFIFO || kind == SFlag::S_IFSOCK || (kind == SFlag::S_IFCHR && !terminal);
    to_fits && from.metadata().is_ok_and(|m| m.file_type().is_fifo())
}

/// Passes `from` (the child's pipe) through to our `stream`, a copy of each chunk to the
/// spool, until it ends or splicing stops applying.
pub(crate) fn pass(from: &File, stream: Stream, spool: &Spool, quiet: &AtomicBool, started: Instant) -> Spliced {
    // Close-on-exec: nothing started later (a probe, a recovery step) inherits it.
    let Ok((copy_out, copy_in)) = nix::unistd::pipe2(OFlag::O_CLOEXEC) else { return Spliced::Stopped };
    let copy_in = widened(copy_in);
    let mut copy_out = File::from(copy_out);
    loop {
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
        // Our report has begun (a daemon still holds the child's pipe): the copy goes,
        // and the caller reads the original without writing it.
        if quiet.load(Ordering::Relaxed) {
            return Spliced::Stopped;
        }
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
    /// Our output takes no splicing: the rest of the chunk was written instead.
    Written,
}

/// Moves `chunk.len()` bytes, of which `chunk` is the copy, from the child's pipe to our
/// output, whole chunks at a time under the stream's lock.
fn forward(from: &File, stream: Stream, chunk: &[u8]) -> Forwarded {
    let moved = match stream {
        Stream::Out => splice_out(from, &mut io::stdout().lock(), chunk.len()),
        Stream::Err => splice_out(from, &mut io::stderr().lock(), chunk.len()),
    };
    match moved {
        Ok(()) => Forwarded::Passed,
        Err(Stop::OutputClosed) => Forwarded::OutputClosed,
        Err(Stop::Refused(moved)) => match write_out(stream, &chunk[moved..]) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Forwarded::OutputClosed,
            _ => Forwarded::Written,
        },
    }
}

/// Why splicing a chunk stopped short.
enum Stop {
    OutputClosed,
    /// The output takes no more splicing; this many bytes were moved first.
    Refused(usize),
}

/// Splices `len` bytes from the child's pipe to `to`; whatever is not moved is taken out
/// of the pipe all the same (its copy is written, or lost as a failed write loses it).
fn splice_out<W: Write + AsFd>(from: &File, to: &mut W, len: usize) -> Result<(), Stop> {
    let _writing = super::terminal_line::writing();
    // Nothing of ours may be left in the stream's buffer behind the spliced bytes.
    let _ = to.flush();
    let mut moved = 0;
    while moved < len {
        match splice(from, None, to.as_fd(), None, len - moved, SpliceFFlags::SPLICE_F_MOVE) {
            Ok(k) if k > 0 => moved += k,
            Err(Errno::EINTR) => {}
            Err(Errno::EPIPE) => {
                discard(from, len - moved);
                return Err(Stop::OutputClosed);
            }
            // Refused (or nothing moved, never seen): the rest is written instead.
            Ok(_) | Err(Errno::EINVAL) => {
                discard(from, len - moved);
                return Err(Stop::Refused(moved));
            }
            // A full disk: what cannot be written is lost, and the child carries on.
            Err(_) => {
                discard(from, len - moved);
                break;
            }
        }
    }
    Ok(())
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
