//! Job control for a supervised child that holds the terminal: its stops are passed on
//! as a shell sees them (the terminal comes back, our job stops; `fg` hands the terminal
//! to the child again and continues it).

use std::fs::File;
use std::io;
use std::os::fd::AsFd;
use std::os::unix::process::ExitStatusExt;
use std::process::Child;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::signal::{kill, killpg, signal, SigHandler, Signal};
use nix::sys::wait::{waitpid, WaitPidFlag, WaitStatus};
use nix::unistd::{getpgid, getppid, getsid, tcgetpgrp, tcsetpgrp, Pid};
use signal_hook::consts::SIGCONT;

use super::child::{Ended, Foreground};

/// Gives the terminal's foreground to `group`. A background group that does this gets
/// SIGTTOU unless it ignores it, as shells do.
pub(crate) fn hand_terminal(tty: &File, group: Pid) {
    // SAFETY: replacing a signal's disposition with SIG_IGN and back installs no
    // handler code; nothing else in the process changes SIGTTOU.
    #[allow(unsafe_code)]
    let previous = unsafe { signal(Signal::SIGTTOU, SigHandler::SigIgn) };
    let _ = tcsetpgrp(tty.as_fd(), group);
    if let Ok(previous) = previous {
        // SAFETY: as above; `previous` is the disposition there was.
        #[allow(unsafe_code)]
        let _ = unsafe { signal(Signal::SIGTTOU, previous) };
    }
}

/// What a stop of the child needs: the terminal, our group and the child's, and word of
/// our own continuation.
pub(crate) struct JobControl {
    tty: File,
    ours: Pid,
    group: Pid,
    continued: Arc<AtomicBool>,
}

impl JobControl {
    pub(crate) fn new(terminal: &Foreground, group: Pid) -> io::Result<JobControl> {
        let continued = Arc::new(AtomicBool::new(false));
        signal_hook::flag::register(SIGCONT, Arc::clone(&continued))?;
        Ok(JobControl { tty: terminal.tty.try_clone()?, ours: terminal.ours, group, continued })
    }

    /// Whether the child's group holds the terminal.
    fn holds_terminal(&self) -> bool {
        tcgetpgrp(self.tty.as_fd()).is_ok_and(|g| g == self.group)
    }

    /// Whether a stop signal would stop our group: not when it is orphaned (the kernel
    /// discards it, and nobody could continue us).
    fn can_stop(&self) -> bool {
        let parent = getppid();
        parent.as_raw() > 1 && getpgid(Some(parent)).is_ok_and(|g| g != self.ours) && getsid(Some(parent)).ok() == getsid(None).ok()
    }

    /// The child stopped: the terminal comes back, our job stops as the child's did,
    /// and once continued (`fg`) the terminal and a SIGCONT go to the child's group.
    fn suspend(&self) {
        hand_terminal(&self.tty, self.ours);
        if self.can_stop() {
            self.continued.store(false, Ordering::SeqCst);
            let _ = killpg(self.ours, Signal::SIGTSTP);
            while !self.continued.swap(false, Ordering::SeqCst) {
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        // Continued in the background (`bg`), the child gets no terminal: reading it
        // stops the child again, and us with it.
        if tcgetpgrp(self.tty.as_fd()).is_ok_and(|g| g == self.ours) {
            hand_terminal(&self.tty, self.group);
        }
        let _ = killpg(self.group, Signal::SIGCONT);
    }
}

/// Waits for the child to end, passing its stops on when it holds the terminal.
pub(crate) fn wait_for(child: &mut Child, job: Option<&JobControl>) -> Ended {
    let pid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    let flags = job.map(|_| WaitPidFlag::WUNTRACED);
    loop {
        match waitpid(pid, flags) {
            Ok(WaitStatus::Exited(_, code)) => return Ended::Code(code),
            Ok(WaitStatus::Signaled(_, signal, _)) => return Ended::Signal(signal as i32),
            // Stopped for touching the terminal before it was handed over: it holds the
            // terminal now, so it goes on. A continue sent blindly at the start would
            // swallow a Ctrl-Z pressed then.
            Ok(WaitStatus::Stopped(_, Signal::SIGTTIN | Signal::SIGTTOU)) if job.is_some_and(JobControl::holds_terminal) => {
                let _ = kill(Pid::from_raw(-pid.as_raw()), Signal::SIGCONT);
            }
            Ok(WaitStatus::Stopped(..)) => {
                if let Some(job) = job {
                    job.suspend();
                }
            }
            Ok(_) | Err(Errno::EINTR) => {}
            // Reaped elsewhere, or gone: fall back to what the standard library knows.
            Err(_) => {
                return match child.try_wait() {
                    Ok(Some(status)) => status.code().map_or_else(|| Ended::Signal(status.signal().unwrap_or(1)), Ended::Code),
                    _ => Ended::Code(1),
                }
            }
        }
    }
}
