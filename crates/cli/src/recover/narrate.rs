//! What a recovery says, printed as it goes: each step with its command, each check with
//! its result, the steps' own output (masked) as it comes, what a failed check shows
//! and why the run stopped. Each step's record goes to the journal as it ends.

use std::io::{IsTerminal, Write};

use sandbox_triage_recover::{rate, text, Entry, Listener, Said};

use crate::recover::journal::Journal;

/// Where the narration goes: stdout for `recover`, stderr beside a JSON answer or a
/// supervised create's output.
pub(crate) struct Narrator {
    out: Box<dyn Write>,
    /// The stream is a terminal: a progress line is redrawn in place there.
    terminal: bool,
    /// A progress line is drawn on stderr and must be cleared first.
    drawn: bool,
    pub(crate) journal: Journal,
    /// What stopped the run, or would stop `--apply`: for the JSON answer.
    pub(crate) stops: Vec<String>,
}

impl Narrator {
    pub(crate) fn to_stdout(journal: Journal) -> Narrator {
        Narrator { terminal: std::io::stdout().is_terminal(), out: Box::new(std::io::stdout()), drawn: false, journal, stops: Vec::new() }
    }

    pub(crate) fn to_stderr(journal: Journal) -> Narrator {
        Narrator { terminal: std::io::stderr().is_terminal(), out: Box::new(std::io::stderr()), drawn: false, journal, stops: Vec::new() }
    }

    fn line(&mut self, text: &str) {
        if self.drawn {
            eprint!("\r\x1b[K");
            self.drawn = false;
        }
        // A narration that cannot be written (a closed pipe) must not stop a recovery
        // half done: the journal still records it.
        let _ = writeln!(self.out, "{text}");
        let _ = self.out.flush();
    }

    /// A line of our own (a headline, a summary).
    pub(crate) fn headline(&mut self, text: &str) {
        self.line(&sandbox_triage_core::printable(text));
    }
}

impl Listener for Narrator {
    fn said(&mut self, said: Said<'_>) {
        match said {
            Said::Streaming(bytes, elapsed) => {
                if self.terminal || std::io::stderr().is_terminal() {
                    eprint!("\r       {}\x1b[K", rate(bytes, elapsed));
                    self.drawn = true;
                }
            }
            other => {
                if let Said::Stop(stop) = &other {
                    self.stops.push(stop.clone());
                }
                if let Some(text) = text(&other) {
                    self.line(&text);
                }
            }
        }
    }

    fn record(&mut self, entry: &Entry) {
        self.journal.write(entry);
    }
}
