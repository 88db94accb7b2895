//! Carrying a plan out, step by step, every check checked.
//!
//! Before anything runs, every stop that can be known is looked for ([`preflight`]):
//! a recovery that could not finish changes nothing. Then, in order: a probe runs and
//! its expectation must hold. Before a step that changes state: its `skip_if` check
//! (the work is done: skip it), its `when` check (must hold), then a yes (`--yes`, or a
//! person on the terminal; a step only a person may allow is always asked). A
//! destructive step's command is shown filled before it runs. After it: its `expect`
//! check. A check that fails is read ([`sandbox_triage_core::read_failure`]): the
//! machine's state and the way on are said, never only "failed". When a step fails or
//! the operator stops the run, what the steps before it changed is put back, newest
//! first, as far as the last step that could not be undone.
//!
//! A dry run does all of that up to the first step that would change something, and
//! only describes the rest: their checks depend on it.

mod checks;
mod steps;

use std::sync::atomic::{AtomicBool, Ordering};

use sandbox_triage_core::{Applicability, Plan, Step};

use crate::journal::{Entry, Status};
use crate::narration::{Listener, Said};
use crate::outcome::Outcome;
use crate::policy::Policy;
use crate::preflight::{files_missing, not_installed, preflight, Stop};
use crate::runner::{Answer, Person, Runner};
use crate::values::{used, Problem, Values};

/// What the executor works with: the processes, the person, the stop and the listener.
pub struct Parts<'a> {
    /// Runs processes.
    pub runner: &'a mut dyn Runner,
    /// Answers questions.
    pub person: &'a mut dyn Person,
    /// Set when the operator stops the run (Ctrl-C, SIGTERM, a hang-up).
    pub stop: &'a AtomicBool,
    /// Hears what is said, and each step's record.
    pub listener: &'a mut dyn Listener,
}

/// Carries out `plan` with `values` (and the `problems` resolving them met): the
/// outcome. What it says and each step's record go to the listener.
#[must_use]
pub fn carry_out<'a>(plan: &Plan, values: &'a Values, problems: &[Problem], policy: Policy, parts: Parts<'a>) -> Outcome {
    let mut executor =
        Executor { policy, values, parts, secrets: values.secrets(), changed: false, undo: Vec::new(), allowed_early: Vec::new() };
    executor.plan(plan, problems)
}

/// A step whose change the run made (or began: cut short or failed, it may still have
/// changed something): what puts it back is kept.
struct Made {
    number: usize,
    step: Step,
}

/// A plan being carried out.
struct Executor<'a> {
    policy: Policy,
    values: &'a Values,
    parts: Parts<'a>,
    /// What no output may show.
    secrets: Vec<String>,
    /// A dry run has passed a step that would change state: what follows depends on it.
    changed: bool,
    /// The changes that can be put back, oldest first.
    undo: Vec<Made>,
    /// Steps a person allowed before the first change (those only a person may allow).
    allowed_early: Vec<usize>,
}

impl Executor<'_> {
    fn say(&mut self, said: Said<'_>) {
        self.parts.listener.said(said);
    }

    fn note(&mut self, text: impl Into<String>) {
        self.parts.listener.said(Said::Note(text.into()));
    }

    /// Whether the operator has stopped the run.
    fn stopped(&self) -> bool {
        self.parts.stop.load(Ordering::SeqCst)
    }

    fn plan(&mut self, plan: &Plan, problems: &[Problem]) -> Outcome {
        if let Some(why) = plan.for_a_person_only() {
            return self.for_a_person(plan, &why);
        }
        if plan.steps.is_empty() {
            self.note("the plan has no steps: nothing to carry out");
            return Outcome::Done;
        }
        if !plan.mechanical {
            return self.probes_only(plan, problems);
        }
        let mut stops = preflight(plan, &self.policy, problems);
        stops.extend(not_installed(plan, &|program| self.parts.runner.installed(program)));
        stops.extend(files_missing(plan, &|path| self.parts.runner.exists(path)));
        if self.policy.apply && !stops.is_empty() {
            self.note("stopped before any change: carried out now, this recovery would stop part-way");
            self.say_stops(&stops);
            return Outcome::Stopped;
        }
        if !stops.is_empty() {
            // A dry run says first what `--apply`, started the same way, would meet.
            self.note("carried out as this was started, this recovery would stop before any change:");
            self.say_stops(&stops);
        }
        if let Some(outcome) = self.ask_early(plan) {
            return outcome;
        }
        self.values_used(plan);
        for (i, step) in plan.steps.iter().enumerate() {
            if let Some(outcome) = self.step(i + 1, step) {
                self.put_back();
                return outcome;
            }
        }
        if stops.is_empty() {
            Outcome::Done
        } else {
            Outcome::Stopped
        }
    }

    fn say_stops(&mut self, stops: &[Stop]) {
        for stop in stops {
            self.say(Said::Stop(stop.describe()));
        }
    }

    /// A step only a person may allow is asked before the first change: a no then
    /// changes nothing, where asked in its turn it would come after changes that cannot
    /// be put back (a delete).
    fn ask_early(&mut self, plan: &Plan) -> Option<Outcome> {
        if !self.policy.apply {
            return None;
        }
        for (i, step) in plan.steps.iter().enumerate() {
            let number = i + 1;
            let Some(question) = step.early_question(number) else { continue };
            match self.parts.person.ask(&question) {
                Answer::Yes => self.allowed_early.push(number),
                Answer::Interrupted => {
                    self.note(format!("interrupted at the question for step {number}: nothing was changed"));
                    return Some(Outcome::Interrupted);
                }
                Answer::No | Answer::NoTerminal => {
                    self.note(format!("stopped before any change: step {number} was not allowed"));
                    return Some(Outcome::Stopped);
                }
            }
        }
        None
    }

    /// An answer a user's rules took part in ([`Plan::for_a_person_only`]): its steps are
    /// shown and nothing is run, not even a probe, whatever the plan holds.
    fn for_a_person(&mut self, plan: &Plan, why: &str) -> Outcome {
        for (i, step) in plan.steps.iter().enumerate() {
            self.say(Said::Step { number: i + 1, step });
            self.parts.listener.record(&Entry::new(i + 1, step));
        }
        self.note(format!("stopped: {why}, and this tool runs nothing for it"));
        Outcome::Stopped
    }

    /// A plan of choices for a person: its probes run, up to the first choice.
    fn probes_only(&mut self, plan: &Plan, problems: &[Problem]) -> Outcome {
        for (i, step) in plan.steps.iter().enumerate() {
            let number = i + 1;
            if step.applicability != Applicability::Probe {
                self.say(Said::Step { number, step });
                self.note(format!(
                    "stopped: from step {number} on, this plan is choices for you to make from what the probes show (`sandbox-triage plan` lists them)"
                ));
                self.parts.listener.record(&Entry::new(number, step));
                return Outcome::Stopped;
            }
            if let Some(problem) = problems.iter().find(|p| used(std::slice::from_ref(step)).iter().any(|(n, _)| n == p.name())) {
                self.say(Said::Step { number, step });
                self.say(Said::Stop(format!("step {number} needs a value: {}", problem.describe())));
                self.parts.listener.record(&Entry::new(number, step));
                return Outcome::Stopped;
            }
            if let Some(outcome) = self.step(number, step) {
                return outcome;
            }
        }
        Outcome::Done
    }

    /// Each value the steps read, and where it came from (a secret masked).
    fn values_used(&mut self, plan: &Plan) {
        // Only the values that have one: a missing one was said among the stops.
        let names: Vec<String> =
            used(&plan.steps).into_iter().map(|(name, _)| name).filter(|name| self.values.get(name).is_some()).collect();
        if names.is_empty() {
            return;
        }
        self.say(Said::Headline("\nvalues the commands read:".to_owned()));
        for name in &names {
            if let Some(value) = self.values.get(name) {
                let (shown, origin) = (value.shown(), value.origin.describe(name));
                self.parts.listener.said(Said::Value { name, shown, origin });
            }
        }
    }

    /// Puts back, newest first, what the steps since the last one that could not be
    /// undone changed. A failure to put one back, or a second stop, leaves the rest,
    /// and says so.
    fn put_back(&mut self) {
        if self.undo.is_empty() {
            return;
        }
        // The stop that ended the run has been heard; a new one stops the putting back.
        self.parts.stop.store(false, Ordering::SeqCst);
        self.note("putting back what this run changed (Ctrl-C again leaves it as it is)");
        while let Some(made) = self.undo.pop() {
            let status = self.undo_step(&made);
            if status != Status::Undone {
                let left: Vec<String> = self.undo.iter().rev().map(|m| format!("step {} ({})", m.number, m.step.purpose)).collect();
                if !left.is_empty() {
                    self.note(format!("not put back: {}", left.join(", ")));
                }
                self.undo.clear();
            }
        }
    }
}
