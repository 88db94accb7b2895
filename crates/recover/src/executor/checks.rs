//! Checks: run quietly, judged, and when one fails, read: what its output says about the
//! machine, and the way on.

use sandbox_triage_core::{read_failure, shown_command, Check, Word};

use super::Executor;
use crate::journal::Found;
use crate::narration::Said;
use crate::runner::{Cut, Finished};

/// What a check came to.
pub(super) enum Held {
    Yes,
    /// It did not hold: what its probe printed.
    No(Finished),
    Interrupted,
}

/// The first line worth quoting from a failed probe: its error, else its output.
fn first_words(finished: &Finished) -> Option<String> {
    let line = finished.stderr.lines().chain(finished.stdout.lines()).map(str::trim).find(|l| !l.is_empty())?;
    let clipped: String = line.chars().take(200).collect();
    Some(sandbox_triage_core::printable(&sandbox_triage_core::redact(&clipped)))
}

impl Executor<'_> {
    /// Runs a check quietly and says whether it held.
    pub(super) fn check(&mut self, check: &Check, when: &'static str) -> Held {
        let Some(argv) = self.values.fill_all(&check.argv) else { return Held::No(Finished::default()) };
        let finished = self.run_action(&[argv], self.policy.probe_timeout, false);
        if finished.cut == Some(Cut::Interrupted) {
            return Held::Interrupted;
        }
        let holds = self.holds(check, &finished);
        let command = self.shown_filled(&sandbox_triage_core::Action::Argv(check.argv.clone()));
        self.say(Said::Check { when, command, expect: &check.expect, holds });
        if holds {
            Held::Yes
        } else {
            Held::No(finished)
        }
    }

    /// Whether a probe's run shows what the check expects.
    pub(super) fn holds(&self, check: &Check, finished: &Finished) -> bool {
        finished.succeeded() && check.holds.shown_by(&finished.stdout, |word| self.values.fill(word).unwrap_or_default())
    }

    /// What a failed check's output says about the machine. When none of the plan's
    /// readings fits, what it printed is quoted and `doctor` is the way on.
    pub(super) fn read(&self, check: &Check, finished: &Finished) -> Found {
        let command = self.shown_command(&check.argv);
        if finished.cut == Some(Cut::TimedOut) {
            return Found {
                state: format!("`{command}` did not answer within {} s", self.policy.probe_timeout.as_secs()),
                next: Some("sandbox-triage doctor".to_owned()),
                advice: Some("an engine or a gateway that hangs answers no probe: doctor names which".to_owned()),
            };
        }
        if let Some(reading) = read_failure(&check.readings, finished.status(), &finished.stdout, &finished.stderr) {
            return Found {
                state: reading.state.clone(),
                next: reading.next.as_ref().map(|next| self.shown_command(next)),
                advice: reading.advice.clone(),
            };
        }
        let said = first_words(finished).map_or_else(String::new, |line| format!(": it printed `{line}`"));
        let ended = finished.first_failure().map_or_else(|| "ran".to_owned(), |(_, end)| end.describe());
        Found {
            state: format!("not as the plan needs it (`{command}` {ended}{said})"),
            next: Some("sandbox-triage doctor".to_owned()),
            advice: Some("doctor checks the engine, the gateway and the CLI, and names the fix for what it finds".to_owned()),
        }
    }

    /// A command for people: public values filled, secrets masked, quoted.
    fn shown_command(&self, argv: &[Word]) -> String {
        let words: Vec<Word> = argv.iter().map(|w| self.values.concrete(w)).collect();
        shown_command(&words)
    }
}
