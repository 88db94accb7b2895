//! What a recovery says, printed as it goes: each step with its command, each check with
//! its result, the steps' own output (masked) as it comes, what a failed check shows
//! and why the run stopped. Each step's record goes to the journal as it ends.

use std::io::{IsTerminal, Write};

use sandbox_triage_core::{Look, Style};
use sandbox_triage_recover::{rate, text, Entry, Listener, Said};

use crate::recover::journal::Journal;
use crate::settings::{style_for, Destination};

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
    /// Colour and width of the stream it writes to.
    pub(crate) style: Style,
}

impl Narrator {
    /// A narrator writing to `destination`, styled for it.
    pub(crate) fn new(destination: Destination, journal: Journal) -> Narrator {
        let (terminal, out): (bool, Box<dyn Write>) = match destination {
            Destination::Stdout => (std::io::stdout().is_terminal(), Box::new(std::io::stdout())),
            Destination::Stderr => (std::io::stderr().is_terminal(), Box::new(std::io::stderr())),
        };
        Narrator { terminal, out, drawn: false, journal, stops: Vec::new(), style: style_for(destination) }
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

    /// What the run is: `sandbox-triage recover: {words} {subject}`, the subject (a
    /// kind) in `look`, then `about` wrapped under it.
    pub(crate) fn headline(&mut self, words: &str, subject: &str, look: Look, about: &str) {
        let style = self.style;
        let subject = sandbox_triage_core::printable(subject);
        // Wrapped as plain text, then painted: escapes take no columns.
        let title = style.wrap(&format!("sandbox-triage recover: {words} {subject}"), "", "  ");
        let mut text = title
            .trim_end()
            .replacen("sandbox-triage recover", &style.paint(Look::Heading, "sandbox-triage recover"), 1)
            .replacen(&format!(" {subject}"), &format!(" {}", style.paint(look, &subject)), 1)
            .replacen(&format!("\n  {subject}"), &format!("\n  {}", style.paint(look, &subject)), 1);
        let about = style.wrap(about, "  ", "  ");
        if !about.is_empty() {
            text = format!("{text}\n{}", about.trim_end());
        }
        self.line(&text);
    }

    /// How the run ended, in `look`.
    pub(crate) fn summary(&mut self, text: &str, look: Look) {
        let shown = self.style.paint(look, &sandbox_triage_core::printable(text));
        self.line(&format!("\n{shown}"));
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
                if let Some(text) = text(&other, self.style) {
                    self.line(&text);
                }
            }
        }
    }

    fn record(&mut self, entry: &Entry) {
        self.journal.write(entry);
    }
}
