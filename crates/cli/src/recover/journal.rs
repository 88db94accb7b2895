//! The journal: one JSON object per step as it ends, appended and flushed at once, so a
//! crash leaves a record of what was done. Commands are recorded as the plan shows
//! them (placeholders by name, secrets already masked) and output is masked.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use sandbox_triage_core::Step;
use serde::Serialize;

use crate::recover::process::Finished;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Status {
    /// Ran, and every check held.
    Done,
    /// Its work was already done.
    Skipped,
    /// A dry run: it would run.
    WouldRun,
    /// A check before or after it (or a probe's expectation) did not hold.
    CheckFailed,
    /// One of its processes failed.
    Failed,
    TimedOut,
    Interrupted,
    /// Not run: it needs a person (a yes, a placeholder, a manual step).
    Stopped,
}

/// One step's record.
#[derive(Debug, Serialize)]
pub(crate) struct Entry {
    pub(crate) step: usize,
    pub(crate) purpose: String,
    pub(crate) risk: &'static str,
    /// The step's commands (a pipeline has several).
    pub(crate) argv: Vec<Vec<String>>,
    pub(crate) status: Status,
    /// Each process's exit code, in pipeline order (128 + N: killed by signal N).
    pub(crate) exit_codes: Vec<i32>,
    /// The process that failed: its position and command.
    pub(crate) failed: Option<String>,
    pub(crate) duration_ms: u64,
    /// Bytes streamed between the first two processes of a pipeline.
    pub(crate) streamed_bytes: Option<u64>,
    pub(crate) output_tail: Vec<String>,
}

impl Entry {
    pub(crate) fn new(step: usize, of: &Step, argv: Vec<Vec<String>>) -> Entry {
        Entry {
            step,
            purpose: of.purpose.clone(),
            risk: of.applicability.as_str(),
            argv,
            status: Status::Stopped,
            exit_codes: Vec::new(),
            failed: None,
            duration_ms: 0,
            streamed_bytes: None,
            output_tail: Vec::new(),
        }
    }

    /// Takes what the step's processes came to.
    pub(crate) fn record(&mut self, finished: &Finished) {
        self.exit_codes = finished.ends.iter().map(super::process::End::code).collect();
        self.duration_ms = u64::try_from(finished.elapsed.as_millis()).unwrap_or(u64::MAX);
        self.streamed_bytes = (finished.ends.len() > 1).then_some(finished.streamed);
        self.output_tail.clone_from(&finished.tail);
        if let Some((position, end)) = finished.first_failure() {
            let which = self.argv.get(position - 1).map(|a| a.join(" ")).unwrap_or_default();
            self.failed = Some(format!("{position}: {which} ({})", end.describe()));
        }
    }
}

/// Where entries go, if anywhere; and every entry, for the JSON answer.
pub(crate) struct Journal {
    file: Option<File>,
    pub(crate) entries: Vec<serde_json::Value>,
}

impl Journal {
    /// Opens `path` for appending (created if missing); none when `None`.
    pub(crate) fn open(path: Option<&Path>) -> anyhow::Result<Journal> {
        let file = path
            .map(|p| {
                OpenOptions::new().create(true).append(true).open(p).with_context(|| format!("cannot open the journal {}", p.display()))
            })
            .transpose()?;
        Ok(Journal { file, entries: Vec::new() })
    }

    pub(crate) fn write(&mut self, entry: &Entry) {
        let value = serde_json::to_value(entry).unwrap_or(serde_json::Value::Null);
        if let Some(file) = &mut self.file {
            // One write per line, so concurrent readers never see half an object.
            let mut line = value.to_string();
            line.push('\n');
            if let Err(e) = file.write_all(line.as_bytes()).and_then(|()| file.flush()) {
                eprintln!("sandbox-triage: warning: cannot write the journal: {e}");
            }
        }
        self.entries.push(value);
    }
}
