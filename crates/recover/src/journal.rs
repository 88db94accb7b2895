//! The record of each step as it ends (the journal's lines, and the JSON answer's
//! `steps`). Commands are recorded as the plan shows them (placeholders by name, never
//! their values) and output is masked.

use serde::Serialize;

use sandbox_triage_core::{controls_marked, Step, Word};

use crate::runner::Finished;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
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
    /// Its time ran out.
    TimedOut,
    /// The operator stopped the run during it.
    Interrupted,
    /// Not run: it needs a person (a yes, a value, a manual step, a permission).
    Stopped,
    /// What it changed was put back after a later step failed or the run was stopped.
    Undone,
    /// Putting back what it changed failed.
    UndoFailed,
}

/// The state a failed check showed, and the way on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Found {
    /// The machine's state, in one sentence.
    pub state: String,
    /// The next command (placeholders by name), when there is one.
    pub next: Option<String>,
    /// What else to know or do.
    pub advice: Option<String>,
}

/// One step's record.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The step's number.
    pub step: usize,
    /// What it is for.
    pub purpose: String,
    /// How it may be run.
    pub risk: &'static str,
    /// The step's commands (a pipeline has several), placeholders by name.
    pub argv: Vec<Vec<String>>,
    /// How it ended.
    pub status: Status,
    /// Each process's exit code, in pipeline order (128 + N: killed by signal N).
    pub exit_codes: Vec<i32>,
    /// The process that failed: its position and command.
    pub failed: Option<String>,
    /// How long it took.
    pub duration_ms: u64,
    /// Bytes streamed between the first two processes of a pipeline.
    pub streamed_bytes: Option<u64>,
    /// The last lines of its output, masked.
    pub output_tail: Vec<String>,
    /// What a failed check showed about the machine.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<Found>,
}

/// A command as shown and journaled: placeholders by name, never their values; each
/// control character as U+FFFD (a journal is read on a terminal too), a secret the
/// words hold masked.
#[must_use]
pub fn shown(argv: &[Word]) -> Vec<String> {
    argv.iter().map(|w| controls_marked(&sandbox_triage_core::redact(&w.display()))).collect()
}

impl Entry {
    /// A record of `step`, not yet run.
    #[must_use]
    pub fn new(number: usize, step: &Step) -> Entry {
        let argv = match &step.action {
            sandbox_triage_core::Action::Argv(argv) => vec![shown(argv)],
            sandbox_triage_core::Action::Pipeline(commands) => commands.iter().map(|c| shown(c)).collect(),
            sandbox_triage_core::Action::Nothing => Vec::new(),
        };
        Entry {
            step: number,
            purpose: controls_marked(&step.purpose),
            risk: step.applicability.as_str(),
            argv,
            status: Status::Stopped,
            exit_codes: Vec::new(),
            failed: None,
            duration_ms: 0,
            streamed_bytes: None,
            output_tail: Vec::new(),
            found: None,
        }
    }

    /// Takes what the step's processes came to.
    pub fn record(&mut self, finished: &Finished) {
        self.exit_codes = finished.ends.iter().map(crate::runner::End::code).collect();
        self.duration_ms = u64::try_from(finished.elapsed.as_millis()).unwrap_or(u64::MAX);
        self.streamed_bytes = (finished.ends.len() > 1).then_some(finished.streamed);
        self.output_tail.clone_from(&finished.tail);
        if let Some((position, end)) = finished.first_failure() {
            let which = self.argv.get(position - 1).map(|a| a.join(" ")).unwrap_or_default();
            self.failed = Some(format!("{position}: {which} ({})", end.describe()));
        }
    }
}
