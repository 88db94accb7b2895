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
    /// A program the steps from the first change on run is not installed here: the
    /// recovery would stop half-way. The steps that run it.
    NotInstalled(String, Vec<usize>),
    /// A file the steps from the first change on name (a create's `--policy`) is not
    /// here. The steps that name it.
    FileMissing(String, Vec<usize>),
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
            Stop::FileMissing(path, numbers) => {
                let reads = if numbers.len() == 1 { "reads" } else { "read" };
                format!(
                    "{} {reads} `{path}`, which is not on this machine: pass the command with the file's right path after `--`",
                    steps(numbers)
                )
            }
            Stop::NotInstalled(program, numbers) => {
                let run = if numbers.len() == 1 { "runs" } else { "run" };
                format!(
                    "{} {run} `{program}`, which is not installed here (not on PATH): install it, or carry the recovery out where it is",
                    steps(numbers)
                )
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

/// The programs the steps from the first change on run (their checks' too) that
/// `installed` does not find: a probe before any change may fail on its own (it reads the
/// machine, and says what it found); a step after one must not.
#[must_use]
pub fn not_installed(plan: &Plan, installed: &dyn Fn(&str) -> bool) -> Vec<Stop> {
    let Some(first) = plan.steps.iter().position(sandbox_triage_core::Step::changes_state) else { return Vec::new() };
    let mut missing: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, step) in plan.steps.iter().enumerate().skip(first) {
        for program in programs(step).into_iter().filter(|p| !installed(p)) {
            match missing.iter_mut().find(|(p, _)| *p == program) {
                Some((_, numbers)) if numbers.last() == Some(&(i + 1)) => {}
                Some((_, numbers)) => numbers.push(i + 1),
                None => missing.push((program, vec![i + 1])),
            }
        }
    }
    missing.into_iter().map(|(program, numbers)| Stop::NotInstalled(program, numbers)).collect()
}

/// The files the steps from the first change on name that `exists` does not find: the
/// create's `--policy` (a temporary one is a value the operator gives, checked with it).
#[must_use]
pub fn files_missing(plan: &Plan, exists: &dyn Fn(&str) -> bool) -> Vec<Stop> {
    use sandbox_triage_core::{Action, Part};
    let Some(first) = plan.steps.iter().position(sandbox_triage_core::Step::changes_state) else { return Vec::new() };
    let mut missing: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, step) in plan.steps.iter().enumerate().skip(first) {
        let Action::Argv(argv) = &step.action else { continue };
        let words: Vec<Option<&str>> = argv
            .iter()
            .map(|w| match w.0.as_slice() {
                [Part::Lit(text)] => Some(text.as_str()),
                _ => None,
            })
            .collect();
        let paths = words.iter().enumerate().filter_map(|(at, word)| match word.and_then(|w| w.strip_prefix("--policy")) {
            Some("") => words.get(at + 1).copied().flatten(),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        });
        for path in paths.filter(|path| !exists(path)) {
            match missing.iter_mut().find(|(p, _)| p == path) {
                Some((_, numbers)) => numbers.push(i + 1),
                None => missing.push((path.to_owned(), vec![i + 1])),
            }
        }
    }
    missing.into_iter().map(|(path, numbers)| Stop::FileMissing(path, numbers)).collect()
}

/// The programs a step starts: its commands' and its checks' first words, when they are
/// written out (a placeholder is the operator's to give).
fn programs(step: &sandbox_triage_core::Step) -> Vec<String> {
    use sandbox_triage_core::{Action, Part};
    let mut argvs: Vec<&Vec<sandbox_triage_core::Word>> = match &step.action {
        Action::Argv(argv) => vec![argv],
        Action::Pipeline(commands) => commands.iter().collect(),
        Action::Nothing => Vec::new(),
    };
    argvs.extend([&step.skip_if, &step.pre, &step.post].into_iter().flatten().map(|check| &check.argv));
    argvs
        .into_iter()
        .filter_map(|argv| match argv.first().map(|w| w.0.as_slice()) {
            Some([Part::Lit(program)]) => Some(program.clone()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use sandbox_triage_core::{Applicability, Check, Step, Word};

    use super::*;

    fn step(applicability: Applicability, program: &str) -> Step {
        Step::argv(applicability, program, vec![Word::lit(program), Word::lit("x")])
    }

    #[test]
    fn only_programs_from_the_first_change_on_must_be_installed() {
        let mut plan = Plan {
            kind: sandbox_triage_core::Kind::Unknown,
            headline: String::new(),
            notes: Vec::new(),
            context: None,
            steps: Vec::new(),
            alternatives: Vec::new(),
            placeholders: sandbox_triage_core::Placeholders::default(),
            mechanical: true,
            by_users_rule: None,
        };
        plan.steps = vec![
            step(Applicability::Probe, "inspect-tool"),
            step(Applicability::Confirm, "changer"),
            step(Applicability::Probe, "checker"),
            // Its check runs the same program: the step is named once.
            step(Applicability::Safe, "changer").with_post(Check::succeeds(vec![Word::lit("changer")], "it holds")),
        ];
        let nothing = |_: &str| false;
        assert_eq!(
            not_installed(&plan, &nothing),
            [Stop::NotInstalled("changer".to_owned(), vec![2, 4]), Stop::NotInstalled("checker".to_owned(), vec![3])]
        );
        assert_eq!(not_installed(&plan, &|_| true), []);
        assert_eq!(
            Stop::NotInstalled("mv".to_owned(), vec![4]).describe(),
            "step 4 runs `mv`, which is not installed here (not on PATH): install it, or carry the recovery out where it is"
        );
        plan.steps.truncate(1);
        assert_eq!(not_installed(&plan, &nothing), [], "no change, nothing half-way");
    }

    #[test]
    fn a_policy_file_a_later_step_names_must_be_here() {
        let create = |policy: &[&str]| {
            let words = ["openshell", "sandbox", "create", "--from", "img:1"].iter().chain(policy);
            Step::argv(Applicability::Confirm, "create", words.map(|w| Word::lit(*w)).collect())
        };
        let mut plan = Plan {
            kind: sandbox_triage_core::Kind::Unknown,
            headline: String::new(),
            notes: Vec::new(),
            context: None,
            steps: vec![step(Applicability::Probe, "look"), create(&["--policy", "./p.yaml"]), create(&["--policy=/etc/q.yaml"])],
            alternatives: Vec::new(),
            placeholders: sandbox_triage_core::Placeholders::default(),
            mechanical: true,
            by_users_rule: None,
        };
        let here = |path: &str| path == "/etc/q.yaml";
        assert_eq!(files_missing(&plan, &here), [Stop::FileMissing("./p.yaml".to_owned(), vec![2])]);
        assert_eq!(files_missing(&plan, &|_| false).len(), 2);
        assert_eq!(
            Stop::FileMissing("./p.yaml".to_owned(), vec![2]).describe(),
            "step 2 reads `./p.yaml`, which is not on this machine: pass the command with the file's right path after `--`"
        );
        // Before any change, nothing is named.
        plan.steps.truncate(1);
        assert_eq!(files_missing(&plan, &|_| false), []);
    }
}
