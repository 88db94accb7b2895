//! What a supervised child's life is made of, as plain data: the chunks of its output,
//! its end, the terminal it holds. The parts that read it (the spool), follow its stops
//! (job control) and start it all speak these, and none of them the others.

use std::fs::File;
use std::time::Duration;

use nix::unistd::Pid;

/// Which of the child's outputs a chunk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Out,
    Err,
}

/// What happens to a supervised child, in order.
#[derive(Debug)]
pub(crate) enum Event {
    /// Bytes the child wrote, already passed through (unless our output had closed),
    /// and when they arrived (from the start of the child).
    Chunk(Stream, Vec<u8>, Duration),
    /// A stream ended: the child (and everything holding it) closed it, or our own
    /// output closed and we stopped reading it.
    Closed(Stream, bool),
    /// The child itself ended.
    Exited(Ended),
}

/// How the child ended: its exit code, or the signal that killed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ended {
    Code(i32),
    Signal(i32),
}

impl Ended {
    /// The status to exit with: the child's own, or 128 + the signal's number.
    pub(crate) fn status(self) -> i32 {
        match self {
            Ended::Code(code) => code,
            Ended::Signal(signal) => 128 + signal,
        }
    }
}

/// The terminal whose foreground the child holds, to give back.
pub(crate) struct Foreground {
    pub(crate) tty: File,
    pub(crate) ours: Pid,
}
