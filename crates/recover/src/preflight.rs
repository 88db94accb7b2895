//! Everything that would stop a recovery part-way and can be known before its first
//! change: a value missing or not valid, a destructive step not allowed, a step only a
//! person can do, a yes nobody can give. A recovery that cannot finish changes nothing.

use sandbox_triage_core::{Applicability, Plan};

use crate::policy::Policy;
use crate::values::{used, Problem};

/// One reason the recovery cannot finish as things stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// A value the steps read has a problem; the steps that read it.
    Value(Problem, Vec<usize>),
    /// A step only a person can do.
    Manual(usize, String),
    /// A destructive step, without `--allow-destructive`.
    Destructive(usize),
    /// Steps that need a yes, with no `--yes` and no terminal to ask on.
    NeedsYes(Vec<usize>),
    /// A step only a person may allow, with no terminal to ask on.
    InPerson(usize, String),
}

fn steps(numbers: &[usize]) -> String {
    let numbers: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    match numbers.as_slice() {
        [one] => format!("step {one}"),
        _ => format!("steps {}", numbers.join(", ")),
    }
}

impl Stop {
    /// What stops it and what to do, in one sentence.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Stop::Value(problem, numbers) if numbers.is_empty() => problem.describe(),
            Stop::Value(problem, numbers) => {
                let needs = if numbers.len() == 1 { "needs" } else { "need" };
                format!("{} {needs} a value: {}", steps(numbers), problem.describe())
            }
            Stop::Manual(number, purpose) => format!("step {number} is yours to do: {purpose}"),
            Stop::Destructive(number) => format!("step {number} is destructive: run again with --allow-destructive to let it run"),
            Stop::NeedsYes(numbers) => {
                format!("{} need a yes and there is no terminal to ask on: run again with --yes to carry them out", steps(numbers))
            }
            Stop::InPerson(number, why) => {
                format!("step {number} needs a yes from a person (--yes does not give it: {why}), and there is no terminal to ask on")
            }
        }
    }
}

/// The stops of `plan` under `policy`, given the problems its values have.
#[must_use]
pub fn preflight(plan: &Plan, policy: &Policy, problems: &[Problem]) -> Vec<Stop> {
    let mut stops = Vec::new();
    for problem in problems {
        let readers: Vec<usize> = plan
            .steps
            .iter()
            .enumerate()
            .filter(|(_, step)| used(std::slice::from_ref(*step)).iter().any(|(name, _)| name == problem.name()))
            .map(|(i, _)| i + 1)
            .collect();
        // A `--set` the plan cannot take is a stop too: a typo never passes in silence.
        let about_set = matches!(problem, Problem::Unknown { .. } | Problem::Replaces { .. });
        if !readers.is_empty() || about_set {
            stops.push(Stop::Value(problem.clone(), readers));
        }
    }
    let mut needs_yes = Vec::new();
    for (i, step) in plan.steps.iter().enumerate() {
        let number = i + 1;
        match step.applicability {
            Applicability::Manual => stops.push(Stop::Manual(number, step.purpose.clone())),
            Applicability::Destructive if !policy.allow_destructive => stops.push(Stop::Destructive(number)),
            _ => {}
        }
        // A dry run started the same way would meet these too: it says so.
        if !step.changes_state() || policy.terminal {
            continue;
        }
        match &step.in_person {
            Some(why) => stops.push(Stop::InPerson(number, why.clone())),
            None if !policy.yes => needs_yes.push(number),
            None => {}
        }
    }
    if !needs_yes.is_empty() {
        stops.push(Stop::NeedsYes(needs_yes));
    }
    stops
}
