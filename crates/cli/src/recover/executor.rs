//! Carrying a plan out, step by step, with every check checked.
//!
//! A probe runs always and its expectation must hold. Before a step that changes
//! state: its `skip_if` check (the work is done: skip it), its `when` check (must hold),
//! its placeholders (must be set in the environment), then its risk: `safe` and
//! `confirm` need a yes, `destructive` also `--allow-destructive`, `manual` never runs.
//! After it: its `expect` check. A dry run does all of that up to the first step that
//! would change something, and only describes the rest: their checks depend on it.

use std::sync::atomic::AtomicBool;
use std::time::Duration;

use sandbox_triage_core::{Action, Applicability, Check, Part, Plan, Step, Word};

use crate::recover::journal::{Entry, Journal, Status};
use crate::recover::narrate::Narrator;
use crate::recover::process::{self, Cut, Finished, Run};
use crate::recover::prompt::{self, Answer};

/// What the operator allowed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Policy {
    pub(crate) apply: bool,
    pub(crate) yes: bool,
    pub(crate) allow_destructive: bool,
    pub(crate) step_timeout: Duration,
    pub(crate) probe_timeout: Duration,
}

/// How a recovery ended. Each has its own exit status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Every step ran (or, in a dry run, can run) and every check held.
    Done,
    /// A probe or a pre-condition did not hold: nothing was changed after it.
    CheckFailed,
    /// A step, or the check after it, failed.
    StepFailed,
    /// Stopped for a person: a confirmation not given, a placeholder not set, a manual
    /// step, a destructive step not allowed.
    Stopped,
    /// Ctrl-C (or SIGTERM): the current step's processes were stopped.
    Interrupted,
}

impl Outcome {
    /// The documented exit status.
    pub(crate) fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::CheckFailed => 3,
            Outcome::StepFailed => 4,
            Outcome::Stopped => 5,
            Outcome::Interrupted => 130,
        }
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::CheckFailed => "check-failed",
            Outcome::StepFailed => "step-failed",
            Outcome::Stopped => "stopped",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// What the checks before a step say.
enum Before {
    GoOn,
    /// Its work is done.
    Skip,
    End(Outcome),
}

/// Carries out `plan`'s steps (its alternatives are for a person to choose).
pub(crate) struct Executor<'a> {
    pub(crate) policy: Policy,
    pub(crate) interrupted: &'a AtomicBool,
    pub(crate) narrator: &'a mut Narrator,
    pub(crate) journal: &'a mut Journal,
    /// A step that would change state has been passed in a dry run: what follows depends
    /// on it and is only described.
    changed: bool,
    /// The placeholders' values, masked in all output.
    secrets: Vec<String>,
}

/// The words of a command with their placeholders filled from the environment; the
/// names of those not set.
fn resolve(argv: &[Word]) -> Result<Vec<String>, Vec<String>> {
    let mut missing = Vec::new();
    let words = argv
        .iter()
        .map(|word| {
            word.0
                .iter()
                .map(|part| match part {
                    Part::Lit(text) => text.clone(),
                    Part::Var(name) | Part::Env(name) => std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or_else(|| {
                        if !missing.contains(name) {
                            missing.push(name.clone());
                        }
                        String::new()
                    }),
                })
                .collect::<String>()
        })
        .collect();
    if missing.is_empty() {
        Ok(words)
    } else {
        Err(missing)
    }
}

/// The commands of an action, filled in.
fn commands(action: &Action) -> Result<Vec<Vec<String>>, Vec<String>> {
    match action {
        Action::Argv(argv) => resolve(argv).map(|a| vec![a]),
        Action::Pipeline(commands) => commands.iter().map(|c| resolve(c)).collect(),
        Action::Nothing => Ok(Vec::new()),
    }
}

/// A command as shown and journaled: placeholders by name, never their values.
pub(crate) fn shown(argv: &[Word]) -> Vec<String> {
    argv.iter().map(Word::display).collect()
}

fn shown_action(action: &Action) -> Vec<Vec<String>> {
    match action {
        Action::Argv(argv) => vec![shown(argv)],
        Action::Pipeline(commands) => commands.iter().map(|c| shown(c)).collect(),
        Action::Nothing => Vec::new(),
    }
}

impl<'a> Executor<'a> {
    pub(crate) fn new(policy: Policy, interrupted: &'a AtomicBool, narrator: &'a mut Narrator, journal: &'a mut Journal) -> Executor<'a> {
        Executor { policy, interrupted, narrator, journal, changed: false, secrets: Vec::new() }
    }

    /// Runs the plan's steps in order; how it ended. A plan whose steps are choices for
    /// a person has only its probes run.
    pub(crate) fn carry_out(&mut self, plan: &Plan) -> Outcome {
        self.secrets = plan.placeholders.list().iter().filter_map(|p| std::env::var(&p.name).ok()).filter(|v| !v.is_empty()).collect();
        for (i, step) in plan.steps.iter().enumerate() {
            let number = i + 1;
            self.narrator.step(number, step);
            let mut entry = Entry::new(number, step, shown_action(&step.action));
            if !plan.mechanical && step.applicability != Applicability::Probe {
                self.narrator.say(&format!(
                    "stopped: from step {number} on, this plan is choices for you to make from what the probes show (`sandbox-triage plan` lists them)"
                ));
                self.journal.write(&entry);
                return Outcome::Stopped;
            }
            let outcome = self.step(number, step, &mut entry);
            self.journal.write(&entry);
            if let Some(outcome) = outcome {
                return outcome;
            }
        }
        Outcome::Done
    }

    /// One step; `Some` when the run ends here.
    fn step(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Option<Outcome> {
        if step.applicability == Applicability::Manual {
            self.narrator.say(&format!("stopped: step {number} is yours to do; nothing after it runs"));
            entry.status = Status::Stopped;
            return Some(Outcome::Stopped);
        }
        if !self.policy.apply && self.changed {
            return self.would_run_later(number, step, entry);
        }
        if step.applicability == Applicability::Probe {
            return self.probe(number, step, entry);
        }
        match self.before(number, step, entry) {
            Before::GoOn => {}
            Before::Skip => return None,
            Before::End(outcome) => return Some(outcome),
        }
        let commands = match commands(&step.action) {
            Ok(commands) => commands,
            Err(missing) => {
                self.narrator.say(&format!("stopped: step {number} needs {} set in the environment", missing.join(", ")));
                entry.status = Status::Stopped;
                return Some(Outcome::Stopped);
            }
        };
        if !self.policy.apply {
            self.narrator.say("would run this (dry run: nothing changed)");
            entry.status = Status::WouldRun;
            self.changed = true;
            return None;
        }
        if let Some(stop) = self.allowed(number, step) {
            entry.status = Status::Stopped;
            return Some(stop);
        }
        let finished = self.run_action(&commands, self.policy.step_timeout);
        entry.record(&finished);
        if let Some(outcome) = self.judge_action(number, &finished, entry) {
            return Some(outcome);
        }
        if let Some(post) = &step.post {
            match self.check_holds(post, "after") {
                Some(true) => {}
                Some(false) => {
                    self.narrator.say(&format!("failed: after step {number}, this did not hold: {}", post.expect));
                    entry.status = Status::CheckFailed;
                    return Some(Outcome::StepFailed);
                }
                None => return Some(self.interrupted_at(entry)),
            }
        }
        entry.status = Status::Done;
        None
    }

    /// A dry run past a change: the step's checks wait for the step before it; what it
    /// needs from the operator does not.
    fn would_run_later(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Option<Outcome> {
        if let Err(missing) = commands(&step.action) {
            self.narrator.say(&format!("stopped: step {number} needs {} set in the environment", missing.join(", ")));
            return Some(Outcome::Stopped);
        }
        if step.applicability == Applicability::Destructive && !self.policy.allow_destructive {
            self.narrator.say(&format!("stopped: step {number} is destructive; --allow-destructive would let it run"));
            return Some(Outcome::Stopped);
        }
        self.narrator.say("would run (after the step before it; its checks wait until then)");
        entry.status = Status::WouldRun;
        None
    }

    /// The checks before a step that changes state.
    fn before(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Before {
        if let Some(skip) = &step.skip_if {
            if self.check_holds(skip, "already done?") == Some(true) {
                self.narrator.say("already done: skipped");
                entry.status = Status::Skipped;
                return Before::Skip;
            }
        }
        let Some(pre) = step.pre.as_ref() else { return Before::GoOn };
        match self.check_holds(pre, "before") {
            Some(true) => Before::GoOn,
            Some(false) => {
                self.narrator.say(&format!("stopped: before step {number}, this did not hold: {}", pre.expect));
                entry.status = Status::CheckFailed;
                Before::End(Outcome::CheckFailed)
            }
            None => Before::End(self.interrupted_at(entry)),
        }
    }

    /// A probe: run and shown; when it has an expectation, that must hold.
    fn probe(&mut self, number: usize, step: &Step, entry: &mut Entry) -> Option<Outcome> {
        let Ok(commands) = commands(&step.action) else {
            self.narrator.say("not run: it needs a placeholder set");
            entry.status = Status::Stopped;
            return Some(Outcome::Stopped);
        };
        let finished = self.run_action(&commands, self.policy.probe_timeout);
        entry.record(&finished);
        if finished.cut == Some(Cut::Interrupted) {
            return Some(self.interrupted_at(entry));
        }
        let expectation = step.post.as_ref().filter(|_| step.expects_own_output());
        match expectation {
            Some(post) if !(finished.succeeded() && post.holds.shown_by(&finished.stdout)) => {
                self.narrator.say(&format!("stopped: step {number} did not show {}", post.expect));
                entry.status = Status::CheckFailed;
                Some(Outcome::CheckFailed)
            }
            Some(post) => {
                self.narrator.say(&format!("holds: {}", post.expect));
                entry.status = Status::Done;
                None
            }
            // A probe shown for a person: its failure is news, not a stop.
            None => {
                entry.status = if finished.succeeded() { Status::Done } else { Status::Failed };
                if let Some((_, end)) = finished.first_failure() {
                    self.narrator.say(&format!("it {} (shown only; the recovery goes on)", end.describe()));
                }
                None
            }
        }
    }

    /// Whether the operator allows the step; `Some` to stop.
    fn allowed(&mut self, number: usize, step: &Step) -> Option<Outcome> {
        let destructive = step.applicability == Applicability::Destructive;
        if destructive && !self.policy.allow_destructive {
            self.narrator.say(&format!("stopped: step {number} is destructive; run again with --allow-destructive to let it run"));
            return Some(Outcome::Stopped);
        }
        if self.policy.yes {
            return None;
        }
        let question = format!("Run step {number}{}: {}?", if destructive { " (destructive)" } else { "" }, step.purpose);
        match prompt::ask(&question) {
            Answer::Yes => None,
            Answer::No => {
                self.narrator.say(&format!("stopped: step {number} was not confirmed"));
                Some(Outcome::Stopped)
            }
            Answer::NoTerminal => {
                self.narrator.say(&format!(
                    "stopped: step {number} needs a yes and there is no terminal to ask on; run again with --yes to carry it out"
                ));
                Some(Outcome::Stopped)
            }
        }
    }

    fn run_action(&mut self, commands: &[Vec<String>], timeout: Duration) -> Finished {
        let narrator = &mut *self.narrator;
        let mut show = |line: &str| narrator.output(line);
        let mut progress = |bytes: u64, elapsed: Duration| eprint_progress(bytes, elapsed);
        let finished = process::run(
            commands,
            Run { timeout, interrupted: self.interrupted, show: Some(&mut show), progress: Some(&mut progress), secrets: &self.secrets },
        );
        if commands.len() > 1 {
            self.narrator.streamed(finished.streamed, finished.elapsed);
        }
        finished
    }

    /// A step's processes ended: `Some` to stop the run.
    fn judge_action(&mut self, number: usize, finished: &Finished, entry: &mut Entry) -> Option<Outcome> {
        match finished.cut {
            Some(Cut::Interrupted) => return Some(self.interrupted_at(entry)),
            Some(Cut::TimedOut) => {
                self.narrator
                    .say(&format!("failed: step {number} ran past its {} s timeout and was stopped", self.policy.step_timeout.as_secs()));
                entry.status = Status::TimedOut;
                return Some(Outcome::StepFailed);
            }
            None => {}
        }
        let (position, end) = finished.first_failure()?;
        let which = entry.argv.get(position - 1).map(|a| a.join(" ")).unwrap_or_default();
        let place = if entry.argv.len() > 1 { format!(" (pipeline command {position}, `{which}`)") } else { String::new() };
        self.narrator.say(&format!("failed: step {number}{place} {}", end.describe()));
        entry.status = Status::Failed;
        entry.failed = Some(format!("{position}: {which}"));
        Some(Outcome::StepFailed)
    }

    fn interrupted_at(&mut self, entry: &mut Entry) -> Outcome {
        self.narrator.say("interrupted: the step's processes were stopped; the steps before it are done");
        entry.status = Status::Interrupted;
        Outcome::Interrupted
    }

    /// Runs a check quietly; `None` when interrupted.
    fn check_holds(&mut self, check: &Check, when: &str) -> Option<bool> {
        let Ok(argv) = resolve(&check.argv) else { return Some(false) };
        let finished = process::run(
            &[argv],
            Run { timeout: self.policy.probe_timeout, interrupted: self.interrupted, show: None, progress: None, secrets: &self.secrets },
        );
        if finished.cut == Some(Cut::Interrupted) {
            return None;
        }
        let holds = finished.succeeded() && check.holds.shown_by(&finished.stdout);
        self.narrator.check(when, &shown(&check.argv), &check.expect, holds);
        Some(holds)
    }
}

/// The progress of a stream on the terminal: bytes, rate, elapsed.
fn eprint_progress(bytes: u64, elapsed: Duration) {
    use std::io::IsTerminal;
    if std::io::stderr().is_terminal() {
        eprint!("\r       {}\x1b[K", crate::recover::narrate::rate(bytes, elapsed));
    }
}
