//! A pseudo-terminal for the supervised child's output when ours is a terminal: the
//! child then sees a terminal on its stdout (and its stderr, when ours is one too), so
//! it keeps its colours and progress bars, while every byte still passes through us to
//! be classified. Its size is our terminal's; output post-processing is off on it, so
//! the bytes the child writes are the bytes that reach our terminal (which translates
//! newlines itself). The child's controlling terminal stays ours: job control and
//! Ctrl-C work as before.

use std::fs::File;
use std::io::{self, IsTerminal};
use std::os::fd::{AsRawFd, OwnedFd};

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
