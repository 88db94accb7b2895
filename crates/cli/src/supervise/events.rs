//! `run --events FILE`: what happens during a supervised create, one JSON object per
//! line, written the moment it happens, for programs that follow a create (NemoClaw, CI).
//! Every object has `event` and `at_secs` (seconds since the command started):
//! `started` (the command line, masked), `phase` (a phase began), `step` (a build step
//! began), `heartbeat` (no output for a while, and the phase it is in), `evidence` (the
//! first decisive failure, before the command has exited), `exited` (its status or
//! signal), and last `diagnosis` (the report `plan --format json` prints, with the
//! timeline). A file that cannot be written is said once on stderr, and the run goes on.

use std::path::Path;
use std::time::Duration;

use sandbox_triage_core::{diagnosis_json, printable, reconstruct, redact, CreateInvocation, Diagnosis, Phase, SCHEMA_VERSION};
use serde_json::{json, Value};

use super::child::Ended;

/// A command line for the events: a create as its plan shows it (placeholders by name
/// for what is never echoed), anything else as typed.
fn shown_command(argv: &[String]) -> String {
    match CreateInvocation::parse(argv).ok().filter(|i| i.program.is_some()) {
        Some(create) => {
            let words: Vec<String> = reconstruct(&create, None).words.iter().map(sandbox_triage_core::Word::display).collect();
            shell_words::join(words)
        }
        None => shell_words::join(argv),
    }
}
use crate::output_file::OutputFile;

/// The events file, when one was asked for.
pub(crate) struct Events {
    file: Option<OutputFile>,
    /// The latest time stamped: no event is stamped before one already written.
    last: Duration,
}

impl Events {
    /// Opens (truncates) `path` before the command starts: a typo is a usage error then,
    /// not an hour later; a FIFO nothing reads, or a device, is refused at once.
    pub(crate) fn open(path: Option<&Path>) -> anyhow::Result<Events> {
        let file = path.map(|p| OutputFile::open("--events", p, true)).transpose()?;
        Ok(Events { file, last: Duration::ZERO })
    }

    /// Whether events are being written.
    pub(crate) fn enabled(&self) -> bool {
        self.file.is_some()
    }

    fn write(&mut self, event: &str, at: Duration, mut fields: Value) {
        let Some(file) = &mut self.file else { return };
        // Output is classified after it arrived, and two streams arrive apart: an event
        // is stamped no earlier than the one before it, so times only go forward and
        // `exited` follows every event it ends.
        self.last = self.last.max(at);
        fields["event"] = json!(event);
        fields["at_secs"] = json!((self.last.as_secs_f64() * 1000.0).round() / 1000.0);
        // One write per line, straight to the file: a reader following it never sees
        // half an object, and nothing waits in a buffer.
        if let Err(error) = file.write_line(&fields.to_string()) {
            super::watch::say(&format!("sandbox-triage: warning: cannot write the events file: {error}; no more events are written\n"));
            self.file = None;
        }
    }

    /// The command, as one line masked whole: a secret flag's value is a word of its
    /// own (`--password X`), which only the whole line shows to be one. A create is shown
    /// as its plan shows it: its runtime environment and credentials by name only.
    pub(crate) fn started(&mut self, argv: &[String]) {
        let command = printable(&redact(&shown_command(argv)));
        self.write("started", Duration::ZERO, json!({ "schema_version": SCHEMA_VERSION, "command": command }));
    }

    /// The command could not be started: why, and the status `run` exits with.
    pub(crate) fn not_started(&mut self, error: &str, status: u8) {
        self.write("exited", Duration::ZERO, json!({ "status": status, "signal": null, "error": error }));
    }

    pub(crate) fn phase(&mut self, at: Duration, phase: Phase) {
        self.write("phase", at, json!({ "phase": phase.to_string(), "description": phase.description() }));
    }

    pub(crate) fn step(&mut self, at: Duration, step: &str) {
        self.write("step", at, json!({ "step": step }));
    }

    pub(crate) fn heartbeat(&mut self, at: Duration, phase: Option<Phase>, silent: Duration) {
        let phase = phase.map(|p| p.to_string());
        self.write("heartbeat", at, json!({ "phase": phase, "silent_secs": silent.as_secs() }));
    }

    /// The first decisive failure, while the command still runs: its kind, phase, the
    /// lines that prove it, and for a failed build step the line that says why.
    pub(crate) fn evidence(&mut self, at: Duration, diagnosis: &Diagnosis) {
        let report: Value = serde_json::from_str(&diagnosis_json(diagnosis)).unwrap_or(Value::Null);
        let fields = json!({ "kind": report["kind"], "phase": report["phase"], "cause": report["cause"], "evidence": report["evidence"] });
        self.write("evidence", at, fields);
    }

    /// The command ended; `stopped`: by the operator (nothing is carried out after it).
    pub(crate) fn exited(&mut self, at: Duration, ended: Option<Ended>, stopped: bool) {
        let (status, signal) = match ended {
            Some(Ended::Code(code)) => (Some(code), None),
            Some(Ended::Signal(signal)) => (None, Some(signal)),
            None => (None, None),
        };
        self.write("exited", at, json!({ "status": status, "signal": signal, "stopped": stopped }));
    }

    /// The final report: `report` is the object `--json-out` holds.
    pub(crate) fn diagnosis(&mut self, at: Duration, report: &str) {
        let report: Value = serde_json::from_str(report).unwrap_or(Value::Null);
        self.write("diagnosis", at, json!({ "report": report }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_event_is_stamped_before_one_already_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("events");
        let mut events = Events::open(Some(&path)).expect("open");
        // Output classified late: its evidence is stamped after the child's end.
        let seen = sandbox_triage_core::Diagnosis::unknown(sandbox_triage_core::Stage::SandboxCreate, "");
        events.evidence(Duration::from_millis(2500), &seen);
        events.exited(Duration::from_millis(1200), Some(Ended::Code(1)), false);
        events.diagnosis(Duration::from_millis(1300), "{}");
        let times: Vec<(String, f64)> = std::fs::read_to_string(&path)
            .expect("events")
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
            .map(|e| (e["event"].as_str().unwrap_or_default().to_owned(), e["at_secs"].as_f64().unwrap_or_default()))
            .collect();
        assert_eq!(times, [("evidence".to_owned(), 2.5), ("exited".to_owned(), 2.5), ("diagnosis".to_owned(), 2.5)]);
    }
}
