//! Test fixtures of `sandbox-triage`: the failure-log corpus's files (their format is
//! the library's [`CorpusLog`]); and [`secrets`], fake secrets of every
//! format masking knows and ordinary text that must stay as it is.

pub mod secrets;

use std::path::{Path, PathBuf};

pub use sandbox_triage_core::CorpusLog;

/// One corpus file: its log (name, header, output) and where it was read from.
#[derive(Debug, Clone)]
pub struct CorpusCase {
    /// The log, as [`CorpusLog::parse`] reads it.
    pub log: CorpusLog,
    /// Where it was read from.
    pub path: PathBuf,
}

impl std::ops::Deref for CorpusCase {
    type Target = CorpusLog;

    fn deref(&self) -> &CorpusLog {
        &self.log
    }
}

impl CorpusCase {
    /// Parses a corpus file's bytes (see [`CorpusLog::parse`]).
    #[must_use]
    pub fn parse(name: &str, bytes: &[u8]) -> CorpusCase {
        CorpusCase { log: CorpusLog::parse(name, bytes), path: PathBuf::new() }
    }

    /// The `*.log` files of a directory, sorted by name; none when it does not exist.
    pub fn load_dir(dir: &Path) -> std::io::Result<Vec<CorpusCase>> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "log")).collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path)?;
                let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                Ok(CorpusCase { log: CorpusLog::parse(&name, &bytes), path })
            })
            .collect()
    }
}
