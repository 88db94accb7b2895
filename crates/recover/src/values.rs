//! The values of a plan's placeholders, and where each came from.
//!
//! A value the failed create carried (its argv's credential, its runtime environment,
//! its temporary policy file) is the create's own and is used as it was: the operator's
//! shell may hold a `PATH`, a `USER` or an API key of the same name, and none of those
//! is the create's. Only a value nobody gave is asked for: `--set NAME=VALUE`, or the
//! variable `SANDBOX_TRIAGE_<NAME>`, which nothing sets by accident. Every value, from
//! wherever, is checked as the argument it stands for before anything runs.

use std::collections::BTreeMap;

use sandbox_triage_core::{
    carries_secret, reads, step_words, variable, InvalidValue, Part, PathKind, Placeholder, Plan, Sensitivity, Step, ValueKind, Word,
};

/// Where a value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The failed create's own argv.
    Create,
    /// `--set NAME=VALUE`.
    Set,
    /// The variable `SANDBOX_TRIAGE_<NAME>`.
    Environment,
}

impl Origin {
    /// Where, for people.
    #[must_use]
    pub fn describe(self, name: &str) -> String {
        match self {
            Origin::Create => "the create's own argv".to_owned(),
            Origin::Set => format!("--set {name}=…"),
            Origin::Environment => format!("the variable {}", variable(name)),
        }
    }
}

/// One placeholder's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    /// The text.
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// How it may be shown: the placeholder's, raised to secret when the text holds a
    /// credential (`ssh://user:pass@host` given for an engine's address).
    pub sensitivity: Sensitivity,
    /// What it is.
    pub kind: ValueKind,
}

impl Value {
    fn new(text: String, origin: Origin, placeholder: &Placeholder) -> Value {
        let sensitivity = if carries_secret(&text) { Sensitivity::Secret } else { placeholder.sensitivity };
        Value { text, origin, sensitivity, kind: placeholder.kind }
    }

    /// Whether people may see it: a public value, or a path of this host's (the
    /// operator judges by it whether it is the file meant); never a secret.
    #[must_use]
    pub fn showable(&self) -> bool {
        match self.sensitivity {
            Sensitivity::Public => true,
            Sensitivity::HostSpecific => matches!(self.kind, ValueKind::File | ValueKind::Directory | ValueKind::Path),
            Sensitivity::Secret => false,
        }
    }

    /// The value as it may be shown: a secret or a host's detail masked.
    #[must_use]
    pub fn shown(&self) -> String {
        if self.showable() {
            sandbox_triage_core::printable(&sandbox_triage_core::redact(&self.text))
        } else {
            "****".to_owned()
        }
    }
}

/// Why a placeholder has no value to use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Nobody gave it.
    Missing {
        /// The placeholder.
        name: String,
        /// What it is.
        reason: String,
    },
    /// The value given is not what its argument must be.
    Invalid {
        /// The placeholder.
        name: String,
        /// Where the value came from.
        origin: Origin,
        /// Why not.
        why: InvalidValue,
    },
    /// The create's temporary file or directory is gone.
    Gone {
        /// The placeholder.
        name: String,
        /// What it was.
        reason: String,
    },
    /// `--set` names no placeholder of the plan.
    Unknown {
        /// The name given.
        name: String,
    },
    /// `--set` would replace a value the create carried.
    Replaces {
        /// The placeholder.
        name: String,
    },
}

impl Problem {
    /// The placeholder it is about.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Problem::Missing { name, .. }
            | Problem::Invalid { name, .. }
            | Problem::Gone { name, .. }
            | Problem::Unknown { name }
            | Problem::Replaces { name } => name,
        }
    }

    /// What is wrong and what to do, in one sentence (never the value: it may be secret).
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            Problem::Missing { name, reason } => {
                format!("{name} is not given ({reason}): pass --set {name}=VALUE, or set {}", variable(name))
            }
            Problem::Invalid { name, origin, why } => format!("{name} from {} {why}", origin.describe(name)),
            Problem::Gone { name, reason } => {
                format!("{name}: the create's own path is gone ({reason}); pass --set {name}=PATH with the one to use")
            }
            Problem::Unknown { name } => format!("--set {name}: the plan has no value of that name"),
            Problem::Replaces { name } => {
                format!("--set {name}: the create's own argv gives {name}, and the recovery uses the create's own value")
            }
        }
    }
}

/// Every value a plan's commands read, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Values {
    values: BTreeMap<String, Value>,
    /// The login session's own variables a command reads (`$USER`).
    session: BTreeMap<String, String>,
}

/// What the operator and the machine give: `--set` pairs, the environment, the file
/// system.
pub struct Given<'a> {
    /// `--set NAME=VALUE`, in order; a later one wins.
    pub set: &'a [(String, String)],
    /// Reads a variable of the environment.
    pub env: &'a dyn Fn(&str) -> Option<String>,
    /// Says what is at a path.
    pub path: &'a dyn Fn(&str) -> PathKind,
}

impl Values {
    /// The value of `name`.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Every value, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.values.iter()
    }

    /// The texts never to show: every value people may not see.
    #[must_use]
    pub fn secrets(&self) -> Vec<String> {
        self.values.values().filter(|v| !v.showable()).map(|v| v.text.clone()).collect()
    }

    /// A word with its placeholders filled; `None` when one has no value.
    #[must_use]
    pub fn fill(&self, word: &Word) -> Option<String> {
        word.0
            .iter()
            .map(|part| match part {
                Part::Lit(text) => Some(text.clone()),
                Part::Var(name) => self.values.get(name).map(|v| v.text.clone()),
                // Every login session has these (`USER` for a group to join): the
                // operator's own, by design.
                Part::Env(name) => self.session.get(name).cloned(),
            })
            .collect()
    }

    /// A command with its placeholders filled.
    #[must_use]
    pub fn fill_all(&self, argv: &[Word]) -> Option<Vec<String>> {
        argv.iter().map(|w| self.fill(w)).collect()
    }

    /// A word with its public values filled in; a secret, a host's detail or a value
    /// nobody gave stays a placeholder.
    #[must_use]
    pub fn concrete(&self, word: &Word) -> Word {
        Word(
            word.0
                .iter()
                .map(|part| match part {
                    Part::Var(name) => match self.values.get(name) {
                        Some(value) if value.showable() => Part::Lit(value.shown()),
                        _ => part.clone(),
                    },
                    other => other.clone(),
                })
                .collect(),
        )
    }

    /// A word as people may see it filled: secrets masked.
    #[must_use]
    pub fn show(&self, word: &Word) -> String {
        word.0
            .iter()
            .map(|part| match part {
                Part::Lit(text) => text.clone(),
                Part::Var(name) => self.values.get(name).map_or_else(|| format!("<{name}>"), Value::shown),
                Part::Env(name) => format!("${name}"),
            })
            .collect()
    }
}

/// The placeholders the steps read (the plan's alternatives are not carried out), each
/// once, and whether any of its uses is a word of its own.
#[must_use]
pub fn used(steps: &[Step]) -> Vec<(String, bool)> {
    reads(steps).into_iter().map(|r| (r.name, r.whole_word)).collect()
}

/// The value of each placeholder the plan's steps read, and what keeps any from being
/// used. `--set` names are checked against every placeholder of the plan.
#[must_use]
pub fn resolve(plan: &Plan, given: &Given<'_>) -> (Values, Vec<Problem>) {
    let mut values = Values::default();
    let mut problems = Vec::new();
    for (name, _) in given.set {
        match plan.placeholders.get(name) {
            None => problems.push(Problem::Unknown { name: name.clone() }),
            Some(p) if p.carried.as_ref().is_some_and(|c| !c.temporary) => problems.push(Problem::Replaces { name: name.clone() }),
            Some(_) => {}
        }
    }
    for step in &plan.steps {
        for part in step_words(step).into_iter().flat_map(|w| &w.0) {
            if let Part::Env(name) = part {
                if let Some(text) = (given.env)(name) {
                    values.session.insert(name.clone(), text);
                }
            }
        }
    }
    for (name, whole_word) in used(&plan.steps) {
        let Some(placeholder) = plan.placeholders.get(&name) else {
            problems.push(Problem::Missing { name, reason: "the plan does not say what it is".to_owned() });
            continue;
        };
        match choose(placeholder, given) {
            // The create's own word goes back where it was, as it was: it is not
            // judged again (empty, several lines, a leading `-` are the create's).
            Ok(value) if value.origin == Origin::Create && placeholder.carried.as_ref().is_some_and(|c| !c.temporary) => {
                values.values.insert(name, value);
            }
            Ok(value) => match placeholder.kind.check(&value.text, whole_word, given.path) {
                Ok(()) => {
                    values.values.insert(name, value);
                }
                Err(why) => problems.push(Problem::Invalid { name, origin: value.origin, why }),
            },
            Err(problem) => problems.push(problem),
        }
    }
    (values, problems)
}

/// Where a placeholder's value comes from: `--set` (nobody else gave it, or the create's
/// temporary path is to be replaced), else the create's own, else the variable.
fn choose(placeholder: &Placeholder, given: &Given<'_>) -> Result<Value, Problem> {
    let name = &placeholder.name;
    // A directory given with a trailing `/` (completion adds one) is the directory.
    let value = |text: String, origin| {
        let paths = matches!(placeholder.kind, ValueKind::Directory | ValueKind::Path | ValueKind::File);
        // `/` alone stays: the checks refuse it as the root.
        let text = match text.trim_end_matches('/') {
            trimmed if paths && !trimmed.is_empty() => trimmed.to_owned(),
            _ => text,
        };
        Value::new(text, origin, placeholder)
    };
    let set = given.set.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    match (&placeholder.carried, set) {
        (Some(carried), Some(text)) if carried.temporary => Ok(value(text, Origin::Set)),
        (Some(carried), _) => {
            if carried.temporary && (given.path)(&carried.value) == PathKind::Missing {
                Err(Problem::Gone { name: name.clone(), reason: placeholder.reason.clone() })
            } else {
                Ok(value(carried.value.clone(), Origin::Create))
            }
        }
        (None, Some(text)) => Ok(value(text, Origin::Set)),
        (None, None) => match (given.env)(&variable(name)).filter(|v| !v.is_empty()) {
            Some(text) => Ok(value(text, Origin::Environment)),
            None => Err(Problem::Missing { name: name.clone(), reason: placeholder.reason.clone() }),
        },
    }
}
