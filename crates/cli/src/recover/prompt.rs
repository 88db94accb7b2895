//! Asking for a yes on the terminal (`/dev/tty`, so piped input is never taken for an
//! answer). Anything but yes is a no. The question waits for the answer or the
//! operator's stop, whichever comes first: Ctrl-C at the prompt ends the run at once.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use sandbox_triage_recover::{Answer, Person};

/// The operator at the terminal.
pub(crate) struct Terminal {
    /// Set by Ctrl-C, SIGTERM or a hang-up.
    pub(crate) stop: Arc<AtomicBool>,
}

/// The terminal, when there is one to ask on.
pub(crate) fn open() -> Option<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty").ok()
}

impl Terminal {
    /// Reads one answer line, or nothing when the operator stops the run first.
    fn answer(&self, tty: &File) -> Option<String> {
        let mut line = Vec::new();
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return None;
            }
            let mut fds = [PollFd::new(tty.as_fd(), PollFlags::POLLIN)];
            match poll(&mut fds, PollTimeout::from(100u16)) {
                Ok(0) | Err(nix::errno::Errno::EINTR) => continue,
                Ok(_) => {}
                Err(_) => return Some(String::new()),
            }
            let mut byte = [0u8; 1];
            match (&*tty).read(&mut byte) {
                Ok(1) if byte[0] == b'\n' => return Some(String::from_utf8_lossy(&line).into_owned()),
                Ok(1) => line.push(byte[0]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // The terminal hung up, or said end of file: no yes.
                _ => return Some(String::from_utf8_lossy(&line).into_owned()),
            }
        }
    }
}

impl Person for Terminal {
    fn ask(&mut self, question: &str) -> Answer {
        let Some(tty) = open() else { return Answer::NoTerminal };
        let mut writer = &tty;
        // Wrapped to the terminal's width (the terminal asked on is ours), the answer
        // typed after it.
        let asked = crate::settings::style_for(crate::settings::Destination::Stderr).wrap(&format!("{question} [y/N]"), "", "");
        if write!(writer, "{} ", asked.trim_end()).and_then(|()| writer.flush()).is_err() {
            return Answer::NoTerminal;
        }
        match self.answer(&tty) {
            None => {
                let _ = writeln!(writer);
                Answer::Interrupted
            }
            Some(answer) => match answer.trim() {
                "y" | "Y" | "yes" | "YES" | "Yes" => Answer::Yes,
                _ => Answer::No,
            },
        }
    }
}
