//! A file `sandbox-triage` writes as it goes (`--journal`, `--events`), opened and
//! checked before anything runs: a create may take an hour, and a typo must not cost
//! its record, or its exit status. Nothing it opens can block the run: the open never
//! waits (a FIFO nothing reads is an error at once, not a hang), a device is refused
//! (a terminal can stop its writer), and a FIFO whose reader stops reading loses the
//! rest of the output after a while, never the run.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::bail;
use nix::fcntl::{fcntl, FcntlArg, OFlag};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

/// How long a write to a FIFO waits for its reader.
const FIFO_PATIENCE: Duration = Duration::from_secs(5);

/// What a path opened for writing turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A regular file.
    File,
    /// A FIFO with a reader; writes never block.
    Fifo,
    /// `/dev/null`.
    Null,
}

/// A file being written.
pub(crate) struct OutputFile {
    file: File,
    kind: Kind,
}

/// Opens `path` for writing without ever waiting, then checks what it is. `flag` names
/// it in errors.
fn open_checked(flag: &str, path: &Path, truncate: bool) -> anyhow::Result<(File, Kind)> {
    let shown = || sandbox_triage_core::printable(&path.display().to_string());
    refuse_early(flag, path)?;
    let mut options = OpenOptions::new();
    options.write(true).create(true).custom_flags(nix::libc::O_NONBLOCK | nix::libc::O_NOCTTY);
    if truncate {
        options.truncate(true);
    } else {
        options.append(true);
    }
    let file = options.open(path).map_err(|e| match e.raw_os_error() {
        Some(nix::libc::ENXIO) => anyhow::anyhow!("{flag} {}: a FIFO nothing reads (start its reader first)", shown()),
        _ => anyhow::anyhow!("{flag} {}: cannot write: {e}", shown()),
    })?;
    // What was opened, not what the path named a moment before: a path swapped in
    // between is judged too.
    let kind = file.metadata().map(|m| m.file_type())?;
    let kind = if kind.is_fifo() {
        Kind::Fifo
    } else if kind.is_file() {
        Kind::File
    } else if path == Path::new("/dev/null") {
        Kind::Null
    } else {
        bail!("{flag} {}: a device or socket, which could hold the run up: give a file, or a FIFO something reads", shown());
    };
    if kind != Kind::Fifo {
        // A regular file's writes never wait; the flag only mattered for the open.
        let flags = if truncate { OFlag::empty() } else { OFlag::O_APPEND };
        let _ = fcntl(file.as_raw_fd(), FcntlArg::F_SETFL(flags));
    }
    Ok((file, kind))
}

/// What can be refused before opening: a directory, a device (but `/dev/null`), or
/// this run's own output (`/dev/stderr`, or the file our output is appended to), which
/// a report written whole at the end would overwrite.
pub(crate) fn refuse_early(flag: &str, path: &Path) -> anyhow::Result<()> {
    let shown = || sandbox_triage_core::printable(&path.display().to_string());
    let Ok(meta) = std::fs::metadata(path) else { return Ok(()) };
    let kind = meta.file_type();
    if meta.is_dir() {
        bail!("{flag} {}: is a directory", shown());
    }
    if (kind.is_char_device() || kind.is_block_device() || kind.is_socket()) && path != Path::new("/dev/null") {
        bail!("{flag} {}: a device or socket, which could hold the run up: give a file, or a FIFO something reads", shown());
    }
    if path == Path::new("/dev/null") {
        return Ok(());
    }
    for (fd, name) in [(1, "standard output"), (2, "standard error")] {
        let same = nix::sys::stat::fstat(fd).is_ok_and(|ours| ours.st_dev == meta.dev() && ours.st_ino == meta.ino());
        if same {
            bail!("{flag} {}: is this run's own {name}, which it would overwrite: give a file of its own", shown());
        }
    }
    Ok(())
}

/// Writes `bytes` whole to a non-blocking FIFO, waiting at most [`FIFO_PATIENCE`] for
/// its reader to make room.
pub(crate) fn write_fifo(file: &mut File, mut bytes: &[u8]) -> io::Result<()> {
    let deadline = Instant::now() + FIFO_PATIENCE;
    while !bytes.is_empty() {
        match file.write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return Err(io::Error::new(io::ErrorKind::TimedOut, "its reader has not read for 5 s"));
                }
                let mut fds = [PollFd::new(file.as_fd(), PollFlags::POLLOUT)];
                let wait = PollTimeout::try_from(left.as_millis().min(1000) as i32).unwrap_or(PollTimeout::MAX);
                let _ = poll(&mut fds, wait);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

impl OutputFile {
    /// Opens `path` (truncated, or appended to), checked: a usage error now if it
    /// cannot take what will be written.
    pub(crate) fn open(flag: &str, path: &Path, truncate: bool) -> anyhow::Result<OutputFile> {
        let (file, kind) = open_checked(flag, path, truncate)?;
        Ok(OutputFile { file, kind })
    }

    /// Writes one line in one write, so a reader following the file never sees half.
    pub(crate) fn write_line(&mut self, text: &str) -> io::Result<()> {
        self.write_bytes(format!("{text}\n").as_bytes())
    }

    /// Writes `bytes` whole.
    pub(crate) fn write_bytes(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self.kind {
            Kind::Fifo => write_fifo(&mut self.file, bytes),
            Kind::File | Kind::Null => self.file.write_all(bytes),
        }
    }
}
