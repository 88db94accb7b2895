//! Writing to stdout: a closed pipe (`sandbox-triage classify … | head -1`) is not an
//! error worth a message.

use std::io::{self, Write};

/// Writes `text` to stdout and flushes it.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    let mut stdout = io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Whether the error is our stdout having closed.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe))
}
