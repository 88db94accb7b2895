//! The one place that starts processes: a supervised child whose stdout and stderr are
//! passed through to ours byte for byte as they arrive, with a copy of every chunk sent
//! to the caller, and whose SIGINT and SIGTERM come from us.

use std::ffi::OsString;
use std::io::{self, ErrorKind, IsTerminal, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Which of the child's outputs a chunk came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stream {
    Out,
    Err,
}

/// Bytes the child wrote, already passed through.
#[derive(Debug)]
pub(crate) struct Chunk {
    pub stream: Stream,
    pub bytes: Vec<u8>,
}

/// Why the command could not be started.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SpawnError {
    #[error("{0}: command not found")]
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

pub(crate) struct Supervised {
    child: Child,
    pub chunks: Receiver<Chunk>,
    readers: Vec<JoinHandle<()>>,
    signals: signal_hook::iterator::Handle,
    forwarder: Option<JoinHandle<()>>,
}

/// Chunks in flight between the readers and the classifier: bounded, so a classifier
/// that falls behind slows the child instead of growing memory.
const CHANNEL_CHUNKS: usize = 64;
const CHUNK: usize = 64 * 1024;

// The sender is owned: dropping it when the stream ends is how the classifier learns.
#[allow(clippy::needless_pass_by_value)]
fn pass_through(mut from: impl Read, stream: Stream, tx: SyncSender<Chunk>) {
    let mut buf = vec![0; CHUNK];
    // Once our own output is closed, the child's is still drained and classified.
    let mut closed = false;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => return,
        };
        if !closed {
            let written = match stream {
                Stream::Out => {
                    let mut out = io::stdout().lock();
                    out.write_all(&buf[..n]).and_then(|()| out.flush())
                }
                Stream::Err => io::stderr().lock().write_all(&buf[..n]),
            };
            closed = written.is_err();
        }
        if tx.send(Chunk { stream, bytes: buf[..n].to_vec() }).is_err() {
            return;
        }
    }
}

/// Starts `argv` with our stdin, its outputs piped through us.
pub(crate) fn spawn(argv: &[OsString]) -> Result<Supervised, SpawnError> {
    let name = argv.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default();
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]).stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Without a terminal the child gets its own process group, so a signal meant for
    // it arrives exactly once: from us. With one, it stays in the terminal's foreground
    // group so that it can prompt, and Ctrl-C reaches it from the terminal itself.
    let own_group = !io::stdin().is_terminal();
    if own_group {
        command.process_group(0);
    }
    let signals = Signals::new([SIGINT, SIGTERM]).map_err(|e| SpawnError::Other(name.clone(), e))?;
    let handle = signals.handle();
    let mut child = command.spawn().map_err(|e| match e.kind() {
        ErrorKind::NotFound => SpawnError::NotFound(name.clone()),
        ErrorKind::PermissionDenied => SpawnError::NotExecutable(name.clone()),
        _ => SpawnError::Other(name.clone(), e),
    })?;
    let pid = Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
    let mut signals = signals;
    let forwarder = std::thread::spawn(move || {
        for signal in signals.forever() {
            let forward = match signal {
                SIGTERM => Some(Signal::SIGTERM),
                // In the terminal's group the child has had this SIGINT already.
                SIGINT if own_group => Some(Signal::SIGINT),
                _ => None,
            };
            if let Some(signal) = forward {
                let _ = kill(pid, signal);
            }
        }
    });
    let (tx, rx) = sync_channel(CHANNEL_CHUNKS);
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        readers.push(std::thread::spawn(move || pass_through(out, Stream::Out, tx)));
    }
    if let Some(err) = child.stderr.take() {
        readers.push(std::thread::spawn(move || pass_through(err, Stream::Err, tx)));
    }
    Ok(Supervised { child, chunks: rx, readers, signals: handle, forwarder: Some(forwarder) })
}

impl Supervised {
    /// Waits for the child once its outputs have closed.
    pub(crate) fn wait(mut self) -> io::Result<Ended> {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
        let status = self.child.wait()?;
        self.signals.close();
        if let Some(forwarder) = self.forwarder.take() {
            let _ = forwarder.join();
        }
        Ok(match (status.code(), status.signal()) {
            (Some(code), _) => Ended::Code(code),
            (None, Some(signal)) => Ended::Signal(signal),
            (None, None) => Ended::Code(1),
        })
    }
}
