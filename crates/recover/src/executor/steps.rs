//! One step: a probe, a change, or its undo.

use sandbox_triage_core::{shown_command, Action, Applicability, Check, Step, Word};

use super::checks::Held;
use super::{Executor, Made};
use crate::journal::{Entry, Status};
use crate::narration::Said;
use crate::outcome::Outcome;
use crate::runner::{Answer, Cut, Finished, Progress, Run};

/// The commands of an action, as words.
fn commands(action: &Action) -> Vec<&[Word]> {
    match action {
        Action::Argv(argv) => vec![argv.as_slice()],
        Action::Pipeline(commands) => commands.iter().map(Vec::as_slice).collect(),
        Action::Nothing => Vec::new(),
    }
}

impl Executor<'_> {
    /// One step, recorded; `Some` when the run ends here.
    pub(super) fn step(&mut self, number: usize, step: &Step) -> Option<Outcome> {
        self.say(Said::Step { number, step });
        let mut entry = Entry::new(number, step);
        // A stop heard between steps: nothing more starts.
        let outcome = match step.applicability {
            _ if self.stopped() => Some(self.interrupted_at(&mut entry)),
            Applicability::Manual => {
                self.note(format!("stopped: step {number} is yours to do; nothing after it runs"));
                Some(Outcome::Stopped)
            }
            _ if !self.policy.apply && self.changed => {
                self.note("would run (after the step before it; its checks wait until then)");
                entry.status = Status::WouldRun;
                None
            }
            Applicability::Probe => self.probe(number, step, &mut entry),
            _ => self.change(number, step, &mut entry),
        };
        self.parts.listener.record(&entry);
        outcome
    }

    /// A probe: run and shown; when it has an expectation, that must hold.
    fn probe(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Option<Outcome> {
        let Some(filled) = self.filled(&step.action) else { return Some(self.unfilled(number, entry)) };
        let finished = self.run_action(&filled, self.policy.probe_timeout, true);
        entry.record(&finished);
        if finished.cut == Some(Cut::Interrupted) {
            return Some(self.interrupted_at(entry));
        }
        match step.post.as_ref().filter(|_| step.expects_own_output()) {
            Some(post) if !self.holds(post, &finished) => {
                let said = format!("stopped: step {number} did not show {}", post.expect);
                Some(self.check_failed(said, post, &finished, entry, Outcome::CheckFailed))
            }
            Some(post) => {
                self.note(format!("holds: {}", post.expect));
                entry.status = Status::Done;
                None
            }
            // A probe shown for a person: its failure is news, not a stop.
            None => {
                entry.status = if finished.succeeded() { Status::Done } else { Status::Failed };
                if let Some((_, end)) = finished.first_failure() {
                    self.note(format!("it {} (shown only; the recovery goes on)", end.describe()));
                }
                None
            }
        }
    }

    /// A step that changes state.
    fn change(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Option<Outcome> {
        if let Some(skip) = &step.skip_if {
            match self.check(skip, "already done?") {
                Held::Yes => {
                    self.note("already done: skipped");
                    entry.status = Status::Skipped;
                    return None;
                }
                Held::Interrupted => return Some(self.interrupted_at(entry)),
                Held::No(_) => {}
            }
        }
        if let Some(pre) = &step.pre {
            match self.check(pre, "before") {
                Held::Yes => {}
                Held::Interrupted => return Some(self.interrupted_at(entry)),
                Held::No(finished) => {
                    let said = format!("stopped: before step {number}, this did not hold: {}", pre.expect);
                    return Some(self.check_failed(said, pre, &finished, entry, Outcome::CheckFailed));
                }
            }
        }
        let Some(filled) = self.filled(&step.action) else { return Some(self.unfilled(number, entry)) };
        if !self.policy.apply {
            self.note("would run this (dry run: nothing changed)");
            entry.status = Status::WouldRun;
            self.changed = true;
            return None;
        }
        if step.applicability == Applicability::Destructive {
            let shown = self.shown_filled(&step.action);
            self.say(Said::Resolved(shown));
        }
        if let Some(stop) = self.allowed(number, step) {
            entry.status = if stop == Outcome::Interrupted { Status::Interrupted } else { Status::Stopped };
            return Some(stop);
        }
        self.run_change(number, step, &filled, entry)
    }

    /// Runs a change and its `expect` check; keeps what puts it back.
    fn run_change(&mut self, number: usize, step: &Step, filled: &[Vec<String>], entry: &mut Entry) -> Option<Outcome> {
        if self.stopped() {
            return Some(self.interrupted_at(entry));
        }
        let finished = self.run_action(filled, self.policy.step_timeout, true);
        entry.record(&finished);
        // Begun, it may have changed something even when cut short or failed (a service
        // stop goes on after its client is killed): what puts it back is kept. A change
        // that cannot be put back, once made, ends what can be.
        match (&step.undo, finished.succeeded()) {
            (Some(_), _) => self.undo.push(Made { number, step: step.clone() }),
            (None, true) => self.undo.clear(),
            (None, false) => {}
        }
        if let Some(outcome) = self.judge(number, &finished, entry) {
            return Some(outcome);
        }
        if let Some(post) = &step.post {
            match self.check(post, "after") {
                Held::Yes => {}
                Held::Interrupted => return Some(self.interrupted_at(entry)),
                Held::No(finished) => {
                    let said = format!("failed: after step {number}, this did not hold: {}", post.expect);
                    return Some(self.check_failed(said, post, &finished, entry, Outcome::StepFailed));
                }
            }
        }
        entry.status = Status::Done;
        None
    }

    /// Whether the operator allows the step; `Some` to stop.
    fn allowed(&mut self, number: usize, step: &Step) -> Option<Outcome> {
        let destructive = step.applicability == Applicability::Destructive;
        if destructive && !self.policy.allow_destructive {
            self.note(format!("stopped: step {number} is destructive; run again with --allow-destructive to let it run"));
            return Some(Outcome::Stopped);
        }
        if (self.policy.yes && step.in_person.is_none()) || self.allowed_early.contains(&number) {
            return None;
        }
        let why = step.in_person.as_ref().map(|why| format!(" ({why})")).unwrap_or_default();
        let question = format!("Run step {number}{}: {}?{why}", if destructive { " (destructive)" } else { "" }, step.purpose);
        match self.parts.person.ask(&question) {
            Answer::Yes => None,
            Answer::No => {
                self.note(format!("stopped: step {number} was not confirmed"));
                Some(Outcome::Stopped)
            }
            Answer::NoTerminal => {
                let how = if step.in_person.is_some() { "run it on a terminal" } else { "run again with --yes to carry it out" };
                self.note(format!("stopped: step {number} needs a yes and there is no terminal to ask on; {how}"));
                Some(Outcome::Stopped)
            }
            Answer::Interrupted => {
                self.note(format!("interrupted at the question for step {number}: it did not run"));
                Some(Outcome::Interrupted)
            }
        }
    }

    /// Runs what puts a step's change back, recorded: when there is something to put
    /// back, and only while it is safe (when it is not, said, and the putting back ends).
    pub(super) fn undo_step(&mut self, made: &Made) -> Status {
        let (number, step) = (made.number, &made.step);
        let mut entry = Entry::new(number, step);
        entry.purpose = format!("put back: {}", entry.purpose);
        let Some(undo) = step.undo.as_ref() else { return Status::Undone };
        if let Some(needed) = &step.undo_if {
            match self.check(needed, "anything to put back?") {
                Held::Yes => {}
                Held::No(_) => {
                    self.note(format!("step {number} left nothing to put back"));
                    return Status::Undone;
                }
                Held::Interrupted => return self.undo_stopped(number, entry),
            }
        }
        if let Some(safe) = &step.undo_safe {
            match self.check(safe, "safe to put back?") {
                Held::Yes => {}
                Held::No(_) => {
                    self.note(format!("cannot put back step {number} safely ({} does not hold): it is as this run left it", safe.expect));
                    entry.status = Status::UndoFailed;
                    self.parts.listener.record(&entry);
                    return Status::UndoFailed;
                }
                Held::Interrupted => return self.undo_stopped(number, entry),
            }
        }
        self.say(Said::Note(format!("putting back step {number}: {}", self.shown_filled(undo))));
        let status = match self.filled(undo) {
            None => Status::UndoFailed,
            Some(filled) => {
                let finished = self.run_action(&filled, self.policy.step_timeout, true);
                entry.record(&finished);
                if finished.succeeded() {
                    Status::Undone
                } else {
                    Status::UndoFailed
                }
            }
        };
        if status == Status::UndoFailed {
            self.note(format!("could not put back step {number}: {} is as this run left it", step.purpose));
        }
        entry.status = status;
        self.parts.listener.record(&entry);
        status
    }

    /// A check that did not hold: said, read (the machine's state and the way on),
    /// recorded; the run ends with `outcome`.
    fn check_failed(&mut self, said: String, check: &Check, finished: &Finished, entry: &mut Entry, outcome: Outcome) -> Outcome {
        self.note(said);
        let found = self.read(check, finished);
        self.say(Said::Found(&found));
        entry.found = Some(found);
        entry.status = Status::CheckFailed;
        outcome
    }

    /// A second stop while putting back: the rest is left as it is.
    fn undo_stopped(&mut self, number: usize, mut entry: Entry) -> Status {
        self.note(format!("stopped putting back at step {number}: it is as this run left it"));
        entry.status = Status::UndoFailed;
        self.parts.listener.record(&entry);
        Status::UndoFailed
    }

    /// The action's commands with their values filled; `None` when one has none.
    pub(super) fn filled(&self, action: &Action) -> Option<Vec<Vec<String>>> {
        commands(action).into_iter().map(|argv| self.values.fill_all(argv)).collect()
    }

    /// The action as it will run, for people: public values filled, secrets masked.
    pub(super) fn shown_filled(&self, action: &Action) -> String {
        let shown: Vec<String> = commands(action)
            .into_iter()
            .map(|argv| {
                let words: Vec<Word> = argv.iter().map(|w| Word::lit(self.values.show(w))).collect();
                shown_command(&words)
            })
            .collect();
        shown.join(" | ")
    }

    fn unfilled(&mut self, number: usize, entry: &mut Entry) -> Outcome {
        self.note(format!("stopped: step {number} reads a value nobody gave"));
        entry.status = Status::Stopped;
        Outcome::Stopped
    }

    pub(super) fn run_action(&mut self, commands: &[Vec<String>], timeout: std::time::Duration, show: bool) -> Finished {
        let how = Run { timeout, secrets: &self.secrets, show };
        let listener = &mut *self.parts.listener;
        let finished = self.parts.runner.run(commands, how, &mut |progress| match progress {
            Progress::Line(line) if show => listener.said(Said::Output(line)),
            Progress::Line(_) => {}
            Progress::Streamed(bytes, elapsed) => listener.said(Said::Streaming(bytes, elapsed)),
        });
        if show && commands.len() > 1 {
            self.say(Said::Streamed(finished.streamed, finished.elapsed));
        }
        finished
    }

    /// A step's processes ended: `Some` to stop the run.
    fn judge(&mut self, number: usize, finished: &Finished, entry: &mut Entry) -> Option<Outcome> {
        match finished.cut {
            Some(Cut::Interrupted) => return Some(self.interrupted_at(entry)),
            Some(Cut::TimedOut) => {
                self.note(format!("failed: step {number} ran past its {} s timeout and was stopped", self.policy.step_timeout.as_secs()));
                entry.status = Status::TimedOut;
                return Some(Outcome::StepFailed);
            }
            None => {}
        }
        let (position, end) = finished.first_failure()?;
        let which = entry.argv.get(position - 1).map(|a| a.join(" ")).unwrap_or_default();
        let place = if entry.argv.len() > 1 { format!(" (pipeline command {position}, `{which}`)") } else { String::new() };
        self.note(format!("failed: step {number}{place} {}", end.describe()));
        entry.status = Status::Failed;
        Some(Outcome::StepFailed)
    }

    pub(super) fn interrupted_at(&mut self, entry: &mut Entry) -> Outcome {
        self.note("interrupted: the step's processes were stopped");
        entry.status = Status::Interrupted;
        Outcome::Interrupted
    }
}
