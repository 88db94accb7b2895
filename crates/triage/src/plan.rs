//! A recovery plan as data: ordered steps, each a command (or a pipeline) with its
//! purpose, how safe it is to run, and the probes that must hold before and after.
//! Renderers turn a plan into text, JSON or a script; they never re-derive it from text.

use serde::Serialize;

use crate::kind::Kind;
use crate::reconstruct::Placeholder;
use crate::shell::Word;

/// How a step may be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Read-only: safe at any time.
    Probe,
    /// Changes state without any chance of losing data.
    Safe,
    /// Changes state the operator may care about: run after confirmation.
    Confirm,
    /// Deletes or moves the operator's data.
    Destructive,
    /// Holds a placeholder the tool cannot fill, or is not a command: shown, never run.
    Manual,
}

impl Applicability {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Probe => "probe",
            Applicability::Safe => "safe",
            Applicability::Confirm => "confirm",
            Applicability::Destructive => "destructive",
            Applicability::Manual => "manual",
        }
    }
}

/// What a step runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Argv(Vec<Word>),
    Pipeline(Vec<Vec<Word>>),
    /// Advice with no command (`manual` steps).
    Nothing,
}

/// A probe and what its output must show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub argv: Vec<Word>,
    pub expect: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub purpose: String,
    pub applicability: Applicability,
    pub action: Action,
    pub pre: Option<Check>,
    pub post: Option<Check>,
    pub note: Option<String>,
}

impl Step {
    #[must_use]
    pub fn new(applicability: Applicability, purpose: impl Into<String>, action: Action) -> Step {
        // A command with a placeholder cannot run as printed.
        let applicability = if action_has_placeholder(&action) { Applicability::Manual } else { applicability };
        Step { purpose: purpose.into(), applicability, action, pre: None, post: None, note: None }
    }

    #[must_use]
    pub fn argv(applicability: Applicability, purpose: impl Into<String>, argv: Vec<Word>) -> Step {
        Step::new(applicability, purpose, Action::Argv(argv))
    }

    #[must_use]
    pub fn advice(purpose: impl Into<String>) -> Step {
        Step::new(Applicability::Manual, purpose, Action::Nothing)
    }

    #[must_use]
    pub fn with_note(mut self, note: impl Into<String>) -> Step {
        self.note = Some(note.into());
        self
    }

    #[must_use]
    pub fn with_pre(mut self, check: Check) -> Step {
        self.pre = Some(check);
        self
    }

    #[must_use]
    pub fn with_post(mut self, check: Check) -> Step {
        self.post = Some(check);
        self
    }

    /// Every command the step runs or checks.
    #[must_use]
    pub fn commands(&self) -> Vec<&Vec<Word>> {
        let mut out: Vec<&Vec<Word>> = match &self.action {
            Action::Argv(argv) => vec![argv],
            Action::Pipeline(commands) => commands.iter().collect(),
            Action::Nothing => Vec::new(),
        };
        out.extend(self.pre.iter().map(|c| &c.argv));
        out.extend(self.post.iter().map(|c| &c.argv));
        out
    }
}

fn action_has_placeholder(action: &Action) -> bool {
    match action {
        Action::Argv(argv) => argv.iter().any(|w| !w.placeholders().is_empty()),
        Action::Pipeline(commands) => commands.iter().flatten().any(|w| !w.placeholders().is_empty()),
        Action::Nothing => false,
    }
}

/// Another way out, with the conditions under which it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternative {
    pub title: String,
    pub conditions: Vec<String>,
    pub steps: Vec<Step>,
}

/// What the failed create asked for, NemoClaw-style, without anything secret or
/// host-specific and never the runtime environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CreateContext {
    pub source: String,
    pub policy: String,
    pub providers: Vec<String>,
    pub gpu: String,
    pub resources: Option<String>,
    pub runtime_environment: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub kind: Kind,
    pub headline: String,
    pub notes: Vec<String>,
    pub context: Option<CreateContext>,
    pub steps: Vec<Step>,
    pub alternatives: Vec<Alternative>,
    /// The values the operator must supply for placeholders in the steps.
    pub placeholders: Vec<Placeholder>,
}

impl Plan {
    /// Every step, the alternatives' included.
    pub fn all_steps(&self) -> impl Iterator<Item = &Step> {
        self.steps.iter().chain(self.alternatives.iter().flat_map(|a| &a.steps))
    }
}
