//! The journal (`--journal FILE`): one JSON object per step as it ends, appended and
//! flushed at once, so a crash leaves a record of what was done. The file is opened,
//! and checked, before anything runs (for `run --recover`, before the create starts).

use std::path::Path;

use sandbox_triage_recover::Entry;

use crate::output_file::OutputFile;

/// Where entries go, if anywhere; and every entry, for the JSON answer.
pub(crate) struct Journal {
    file: Option<OutputFile>,
    pub(crate) entries: Vec<serde_json::Value>,
}

impl Journal {
    /// Opens `path` for appending (created if missing); none when `None`.
    pub(crate) fn open(path: Option<&Path>) -> anyhow::Result<Journal> {
        let file = path.map(|p| OutputFile::open("--journal", p, false)).transpose()?;
        Ok(Journal { file, entries: Vec::new() })
    }

    pub(crate) fn write(&mut self, entry: &Entry) {
        let value = serde_json::to_value(entry).unwrap_or(serde_json::Value::Null);
        if let Some(file) = &mut self.file {
            // One write per line, so concurrent readers never see half an object.
            if let Err(e) = file.write_line(&value.to_string()) {
                eprintln!("sandbox-triage: warning: cannot write the journal: {e}; no more entries are written");
                self.file = None;
            }
        }
        self.entries.push(value);
    }
}
