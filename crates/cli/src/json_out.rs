//! `run --json-out FILE`: checked before the command starts, written once it has ended
//! (a success says `none`, so the file never holds an earlier run's report).
//! A FIFO is a fine destination when something reads it: it is opened at once, without
//! blocking (with no reader that is an error, not a hang), and held until the report is
//! written, so its reader never sees an early end.

use std::fs::{File, OpenOptions};
use std::io;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Where the report goes.
pub(crate) enum JsonOut {
    /// A file, written whole at the end.
    File(PathBuf),
    /// A FIFO (or pipe) with a reader, already open.
    Fifo(File),
}

/// Opens a FIFO for writing without blocking; its writes never block either (a reader
/// that stops reading loses the report after a while, never the run).
fn open_fifo(path: &Path) -> io::Result<File> {
    let file = OpenOptions::new().write(true).custom_flags(nix::libc::O_NONBLOCK).open(path).map_err(|e| {
        if e.raw_os_error() == Some(nix::libc::ENXIO) {
            io::Error::new(io::ErrorKind::WouldBlock, "a FIFO nothing reads")
        } else {
            e
        }
    })?;
    Ok(file)
}

impl JsonOut {
    /// Checks `path` can take the report: a usage error before the command runs if not.
    pub(crate) fn open(path: &Path) -> anyhow::Result<JsonOut> {
        let cannot = || format!("--json-out {}: cannot write", path.display());
        crate::output_file::refuse_early("--json-out", path)?;
        match std::fs::metadata(path) {
            Ok(meta) if meta.file_type().is_fifo() => return Ok(JsonOut::Fifo(open_fifo(path).with_context(cannot)?)),
            Ok(_) => {
                OpenOptions::new().append(true).open(path).with_context(cannot)?;
            }
            Err(_) => {
                OpenOptions::new().append(true).create(true).open(path).with_context(cannot)?;
                let _ = std::fs::remove_file(path);
            }
        }
        Ok(JsonOut::File(path.to_owned()))
    }

    /// Writes the report.
    /// No report will come (the command never started): a file left from an earlier
    /// run is removed, so it is never taken for this one's.
    pub(crate) fn withdraw(self) {
        if let JsonOut::File(path) = self {
            let _ = std::fs::remove_file(path);
        }
    }

    pub(crate) fn write(self, text: &str) -> io::Result<()> {
        match self {
            JsonOut::File(path) => std::fs::write(path, text),
            JsonOut::Fifo(mut file) => crate::output_file::write_fifo(&mut file, text.as_bytes()),
        }
    }
}
