//! What a recovery says as it goes: each step with its command, each check with its
//! result, the steps' own output (masked) as it comes, and why it stopped.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use sandbox_triage_core::{printable, render, render_pipeline, Action, Shell, Step};

/// Where the narration goes: stdout for `recover`, stderr beside a JSON answer or a
/// supervised create's output.
pub(crate) struct Narrator {
    out: Box<dyn Write>,
    /// The stream is a terminal: a progress line is redrawn in place there.
    terminal: bool,
}

/// Bytes, rate and elapsed time of a stream, for people.
pub(crate) fn rate(bytes: u64, elapsed: Duration) -> String {
    #[allow(clippy::cast_precision_loss)]
    let mib = bytes as f64 / f64::from(1 << 20);
    let secs = elapsed.as_secs_f64().max(0.001);
    format!("streamed {mib:.1} MiB in {secs:.1} s ({:.1} MiB/s)", mib / secs)
}

fn command_text(action: &Action) -> Option<String> {
    match action {
        Action::Argv(argv) => render(argv, Shell::Posix).ok(),
        Action::Pipeline(commands) => render_pipeline(commands, Shell::Posix).ok(),
        Action::Nothing => None,
    }
}

impl Narrator {
    pub(crate) fn to_stdout() -> Narrator {
        Narrator { terminal: std::io::stdout().is_terminal(), out: Box::new(std::io::stdout()) }
    }

    pub(crate) fn to_stderr() -> Narrator {
        Narrator { terminal: std::io::stderr().is_terminal(), out: Box::new(std::io::stderr()) }
    }

    fn line(&mut self, text: &str) {
        // A narration that cannot be written (a closed pipe) must not stop a recovery
        // half done: the journal still records it.
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    pub(crate) fn headline(&mut self, text: &str) {
        self.line(&printable(text));
    }

    pub(crate) fn step(&mut self, number: usize, step: &Step) {
        self.line(&format!("\n{number}. [{}] {}", step.applicability.as_str(), printable(&step.purpose)));
        if let Some(command) = command_text(&step.action) {
            for (i, line) in command.lines().enumerate() {
                self.line(&format!("   {} {line}", if i == 0 { "$" } else { " " }));
            }
        }
        if let Some(note) = &step.note {
            self.line(&format!("   ({})", printable(note)));
        }
    }

    pub(crate) fn say(&mut self, text: &str) {
        self.line(&format!("   → {}", printable(text)));
    }

    /// One line of a step's output, already masked.
    pub(crate) fn output(&mut self, line: &str) {
        self.line(&format!("   │ {line}"));
    }

    pub(crate) fn check(&mut self, when: &str, argv: &[String], expect: &str, holds: bool) {
        // "Already done?" answered no is the usual case, not a failure.
        let mark = match (holds, when.starts_with("already done")) {
            (true, _) => "✓",
            (false, true) => "·",
            (false, false) => "✗",
        };
        self.line(&format!("   {mark} {when}: {}  → {}", printable(&argv.join(" ")), printable(expect)));
    }

    pub(crate) fn streamed(&mut self, bytes: u64, elapsed: Duration) {
        if self.terminal || std::io::stderr().is_terminal() {
            // Clears the progress line drawn on stderr.
            eprint!("\r\x1b[K");
        }
        self.line(&format!("   → {}", rate(bytes, elapsed)));
    }
}
