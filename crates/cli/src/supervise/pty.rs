//! A pseudo-terminal for the supervised child's output when ours is a terminal: the
//! child then sees a terminal on its stdout (and its stderr, when ours is one too), so
//! it keeps its colours and progress bars, while every byte still passes through us to
//! be classified. Its size is our terminal's; output post-processing is off on it, so
//! the bytes the child writes are the bytes that reach our terminal (which translates
//! newlines itself). The child's controlling terminal stays ours: job control and
//! Ctrl-C work as before. A resize of our terminal reaches the child's group as SIGWINCH
//! (it holds the terminal, we do not), so its size is followed by looking: a few times a
//! second, ours is copied to the child's while the child's output is open.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use nix::fcntl::{fcntl, FcntlArg, FdFlag};
use nix::pty::{openpty, Winsize};
use nix::sys::termios::{tcgetattr, tcsetattr, OutputFlags, SetArg};

/// The two ends: we read the master, the child writes to the slave.
pub(crate) struct Pty {
    pub(crate) master: File,
    pub(crate) slave: OwnedFd,
    /// Our stderr is a terminal too: the child's stderr goes to the slave as well.
    pub(crate) stderr_too: bool,
}

/// A pseudo-terminal for the child, when our stdout is a terminal and one can be had.
pub(crate) fn for_child() -> Option<Pty> {
    if !io::stdout().is_terminal() {
        return None;
    }
    let size = rustix::termios::tcgetwinsize(io::stdout()).ok().map(|s| Winsize {
        ws_row: s.ws_row,
        ws_col: s.ws_col,
        ws_xpixel: s.ws_xpixel,
        ws_ypixel: s.ws_ypixel,
    });
    let pair = openpty(size.as_ref(), None).ok()?;
    // Neither end may leak into the child beyond the slave it is given as its output.
    for fd in [&pair.master, &pair.slave] {
        fcntl(fd.as_raw_fd(), FcntlArg::F_SETFD(FdFlag::FD_CLOEXEC)).ok()?;
    }
    let mut termios = tcgetattr(&pair.slave).ok()?;
    termios.output_flags.remove(OutputFlags::OPOST);
    tcsetattr(&pair.slave, SetArg::TCSANOW, &termios).ok()?;
    Some(Pty { master: File::from(pair.master), slave: pair.slave, stderr_too: io::stderr().is_terminal() })
}

/// How often our terminal's size is looked at.
const FOLLOW_EVERY: Duration = Duration::from_millis(200);

/// Copies our terminal's size to the child's pseudo-terminal (`master`) whenever it
/// changes, until `done` is set.
pub(crate) fn follow_size(master: File, done: Arc<AtomicBool>) {
    std::thread::spawn(move || {
        // Compared with the child's own size, not ours when this thread starts: a resize
        // between opening the pseudo-terminal and here would otherwise never be copied.
        let mut last = rustix::termios::tcgetwinsize(&master).ok().map(|s| (s.ws_row, s.ws_col));
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(FOLLOW_EVERY);
            let Ok(now) = rustix::termios::tcgetwinsize(io::stdout()) else { continue };
            if last != Some((now.ws_row, now.ws_col)) {
                last = Some((now.ws_row, now.ws_col));
                let _ = rustix::termios::tcsetwinsize(&master, now);
            }
        }
    });
}
