//! The supervised command (`run`): a child whose stdout and stderr pass
//! through to ours byte for byte as they arrive, with a copy of every chunk sent to the
//! caller, and whose process group gets the signals we get.
//!
//! The child leads its own process group, so a signal reaches the grandchildren too.
//! When we hold the terminal's foreground, the child's group takes it (as a shell gives
//! a job the terminal), so it can read the terminal and Ctrl-C reaches it directly;
//! otherwise the child gets a session of its own and no terminal, so it can never stop
//! on SIGTTIN. A stop (Ctrl-Z) is passed on as a shell sees one: the terminal comes
//! back and our own job stops; `fg` hands the terminal to the child again and continues
//! it. We wait for the child itself, then drain its pipes for a short while: a daemon it
//! left holding them does not hold us. When our own output is a closed pipe, the pipe
//! from the child is closed too, and the child gets SIGPIPE as in a plain pipe; any other
//! write error (a full disk) drops what cannot be written, and the child carries on.

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, ErrorKind, Read, Write};
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::{getpgrp, tcgetpgrp, Pid};
use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

use super::child::{Ended, Event, Foreground, Stream};
use super::job_control::{hand_terminal, wait_for, JobControl};
use super::pty::Pty;
use super::spool::Spool;

/// Why the command could not be started.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SpawnError {
    /// Not on `PATH` (a name), or no such file (a path), as a shell says it.
    #[error("{}: {}", .0, if .0.contains('/') { "no such file" } else { "command not found" })]
    NotFound(String),
    #[error("{0}: permission denied (not executable)")]
    NotExecutable(String),
    #[error("{0}: cannot start: {1}")]
    Other(String, io::Error),
}

impl SpawnError {
    /// The shell's statuses for the same failures.
    pub(crate) fn exit_status(&self) -> u8 {
        match self {
            SpawnError::NotFound(_) => 127,
            SpawnError::NotExecutable(_) | SpawnError::Other(..) => 126,
        }
    }
}

/// What is known of the child before its events are classified: when it ended and how,
/// and how many of its pipes are still being read.
#[derive(Debug)]
struct Live {
    /// When the child was started.
    started: Instant,
    ended: Mutex<Option<(Ended, Instant)>>,
    readers_open: AtomicUsize,
}

/// A running child.
pub(crate) struct Supervised {
    pub(crate) events: Arc<Spool>,
    live: Arc<Live>,
    foreground: Option<Foreground>,
    /// Readers stop writing once set: our report follows the child's output.
    quiet: Arc<AtomicBool>,
    /// The last signal passed on to the child, 0 for none.
    forwarded: Arc<AtomicI32>,
    signals: signal_hook::iterator::Handle,
}

pub(super) const CHUNK: usize = 256 * 1024;
/// The pipe capacity asked for (Linux's default limit for an unprivileged process): a
/// fast child and its reader trade places a sixteenth as often as with 64 KiB.
const PIPE: nix::libc::c_int = 1 << 20;
/// How long the pipes are drained after the child exits.
pub(crate) const DRAIN: Duration = Duration::from_millis(250);

/// The controlling terminal, when this process holds its foreground.
fn our_terminal() -> Option<Foreground> {
    let tty = OpenOptions::new().read(true).write(true).custom_flags(nix::libc::O_NOCTTY).open("/dev/tty").ok()?;
    let ours = getpgrp();
    (tcgetpgrp(tty.as_fd()).ok()? == ours).then_some(Foreground { tty, ours })
}

/// `pipe` with its capacity raised where the system allows (Linux; elsewhere, or over
/// the limit, it keeps its own).
pub(super) fn widened<P: AsFd>(pipe: P) -> P {
    #[cfg(target_os = "linux")]
    {
        let _ = nix::fcntl::fcntl(pipe.as_fd().as_raw_fd(), nix::fcntl::FcntlArg::F_SETPIPE_SZ(PIPE));
    }
    pipe
}

fn reader(from: &File, stream: Stream, spool: &Spool, quiet: &AtomicBool, live: &Live) {
    #[cfg(target_os = "linux")]
    let spliced = super::splice::applies(from, stream)
        && matches!(super::splice::pass(from, stream, spool, quiet, live.started), super::splice::Spliced::Finished);
    #[cfg(not(target_os = "linux"))]
    let spliced = false;
    if !spliced {
        read_pipe(&mut &*from, stream, spool, quiet, live.started);
    }
    live.readers_open.fetch_sub(1, Ordering::SeqCst);
    spool.producer_done();
}

/// Writes `bytes` to our `stream` whole, counted as a write that reaches the terminal
/// (the heartbeat redraws its line only when nothing came after it).
pub(super) fn write_out(stream: Stream, bytes: &[u8]) -> io::Result<()> {
    let _writing = super::terminal_line::writing();
    match stream {
        Stream::Out => {
            let mut out = io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        }
        Stream::Err => io::stderr().lock().write_all(bytes),
    }
}

/// Passes the pipe through to our own output as it arrives, a copy of each chunk to
/// the spool.
fn read_pipe(from: &mut impl Read, stream: Stream, spool: &Spool, quiet: &AtomicBool, started: Instant) {
    let mut buf = vec![0; CHUNK];
    loop {
        let n = match from.read(&mut buf) {
            // A pseudo-terminal whose last writer has gone reports EIO: its end.
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        let at = started.elapsed();
        if !quiet.load(Ordering::Relaxed) && write_out(stream, &buf[..n]).is_err_and(|e| e.kind() == ErrorKind::BrokenPipe) {
            // Our reader is gone: stop reading, so the child's next write fails as it
            // would into a closed pipe. Other errors only lose what was not written.
            spool.push(Event::Chunk(stream, buf[..n].to_vec(), at));
            spool.push(Event::Closed(stream, true));
            return;
        }
        spool.push(Event::Chunk(stream, buf[..n].to_vec(), at));
    }
    spool.push(Event::Closed(stream, false));
}

/// The program's name as errors show it: masked, like everything else we print.
fn shown_name(argv: &[OsString]) -> String {
    argv.first().map(|a| sandbox_triage_core::redact(&a.to_string_lossy()).into_owned()).unwrap_or_default()
}

fn start(argv: &[OsString], foreground: bool, pty: Option<&Pty>) -> Result<Child, SpawnError> {
    let name = shown_name(argv);
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]).stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::piped());
    if let Some(pty) = pty {
        let slave = |name: &str| pty.slave.try_clone().map(Stdio::from).map_err(|e| SpawnError::Other(name.to_owned(), e));
        command.stdout(slave(&name)?);
        if pty.stderr_too {
            command.stderr(slave(&name)?);
        }
    }
    if foreground {
        command.process_group(0);
    } else {
        // SAFETY: `setsid` is async-signal-safe and touches nothing of the parent's.
        #[allow(unsafe_code)]
        unsafe {
            command.pre_exec(|| nix::unistd::setsid().map(|_| ()).map_err(io::Error::from));
        }
    }
    command.spawn().map_err(|e| match e.kind() {
        ErrorKind::NotFound => SpawnError::NotFound(name.clone()),
        ErrorKind::PermissionDenied => SpawnError::NotExecutable(name.clone()),
        _ => SpawnError::Other(name.clone(), e),
    })
}

/// Starts `argv` with our stdin, its outputs piped through us.
pub(crate) fn spawn(argv: &[OsString]) -> Result<Supervised, SpawnError> {
    let name = shown_name(argv);
    let signals = Signals::new([SIGINT, SIGTERM, SIGHUP, SIGQUIT]).map_err(|e| SpawnError::Other(name.clone(), e))?;
    let foreground = our_terminal();
    let started = Instant::now();
    let pty = super::pty::for_child();
    let mut child = start(argv, foreground.is_some(), pty.as_ref())?;
    // Our copies of the slave go: the master reads its end once the child's are closed.
    let (master, stderr_on_pty) = match pty {
        Some(Pty { master, slave, stderr_too }) => {
            drop(slave);
            (Some(master), stderr_too)
        }
        None => (None, false),
    };
    let group = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    if let Some(terminal) = &foreground {
        hand_terminal(&terminal.tty, group);
    }
    let handle = signals.handle();
    let forwarded = Arc::new(AtomicI32::new(0));
    let last = Arc::clone(&forwarded);
    std::thread::spawn(move || forward(signals, group, &last));
    // Two readers and the waiter add to it.
    let spool = Arc::new(Spool::new(3));
    let live = Arc::new(Live { started, ended: Mutex::new(None), readers_open: AtomicUsize::new(0) });
    let quiet = Arc::new(AtomicBool::new(false));
    let stdout = match master {
        Some(master) => {
            if let Ok(resizable) = master.try_clone() {
                super::pty::follow_size(resizable, Arc::clone(&quiet));
            }
            Some(master)
        }
        None => child.stdout.take().map(|p| File::from(OwnedFd::from(widened(p)))),
    };
    let stderr = if stderr_on_pty { None } else { child.stderr.take().map(|p| File::from(OwnedFd::from(widened(p)))) };
    for (stream, pipe) in [(Stream::Out, stdout), (Stream::Err, stderr)] {
        match pipe {
            Some(pipe) => {
                let (spool, quiet, live) = (Arc::clone(&spool), Arc::clone(&quiet), Arc::clone(&live));
                live.readers_open.fetch_add(1, Ordering::SeqCst);
                std::thread::spawn(move || reader(&pipe, stream, &spool, &quiet, &live));
            }
            None => spool.producer_done(),
        }
    }
    let job = match &foreground {
        Some(terminal) => Some(JobControl::new(terminal, group).map_err(|e| SpawnError::Other(name.clone(), e))?),
        None => None,
    };
    let (waiter, known) = (Arc::clone(&spool), Arc::clone(&live));
    std::thread::spawn(move || {
        let ended = wait_for(&mut child, job.as_ref());
        *known.ended.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some((ended, Instant::now()));
        waiter.push(Event::Exited(ended));
        waiter.producer_done();
    });
    Ok(Supervised { events: spool, live, foreground, quiet, forwarded, signals: handle })
}

/// Passes each signal we get to the child's whole process group.
fn forward(mut signals: Signals, group: Pid, last: &AtomicI32) {
    for number in signals.forever() {
        if let Ok(signal) = Signal::try_from(number) {
            last.store(number, Ordering::Relaxed);
            let _ = kill(Pid::from_raw(-group.as_raw()), signal);
        }
    }
}

impl Supervised {
    /// The child exited 0 and its output has all passed through (its pipes are closed,
    /// or the drain's time is up): what is still to be classified no longer matters.
    pub(crate) fn succeeded_and_passed_through(&self) -> bool {
        let ended = *self.live.ended.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        ended.is_some_and(|(ended, at)| {
            ended == Ended::Code(0) && (self.live.readers_open.load(Ordering::SeqCst) == 0 || at.elapsed() >= DRAIN)
        })
    }

    /// When the child was started.
    pub(crate) fn started(&self) -> Instant {
        self.live.started
    }

    /// How long after its start the child ended, once it has.
    pub(crate) fn ended_after(&self) -> Option<Duration> {
        let ended = *self.live.ended.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        ended.map(|(_, at)| at.duration_since(self.live.started))
    }

    /// Whether the child held the terminal's foreground (our Ctrl-C reached only it).
    pub(crate) fn held_terminal(&self) -> bool {
        self.foreground.is_some()
    }

    /// The child's output is over for us: readers stop writing, the terminal comes back,
    /// and signals are ours again. Returns the last signal passed on to the child.
    pub(crate) fn finish(self) -> Option<i32> {
        self.quiet.store(true, Ordering::Relaxed);
        if let Some(terminal) = &self.foreground {
            hand_terminal(&terminal.tty, terminal.ours);
        }
        self.signals.close();
        Some(self.forwarded.load(Ordering::Relaxed)).filter(|s| *s != 0)
    }
}
