//! One step of a plan: what it runs, how safe that is, and what must hold around it.

use serde::Serialize;

use crate::command::Word;

/// How a step may be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
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
    /// The name, as the renderings show it.
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
    /// One command.
    Argv(Vec<Word>),
    /// Commands joined by pipes.
    Pipeline(Vec<Vec<Word>>),
    /// Advice with no command (`manual` steps).
    Nothing,
}

/// When a probe holds: what a script or an executor checks, not only shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Holds {
    /// The probe succeeds (exits 0).
    Succeeds,
    /// The probe succeeds and one line of its output is exactly this.
    PrintsLine {
        /// The line.
        line: String,
    },
}

/// A probe and what its output must show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// The probe.
    pub argv: Vec<Word>,
    /// What its output must show, for people.
    pub expect: String,
    /// When it holds, for programs.
    pub holds: Holds,
}

impl Check {
    /// A probe that holds when it succeeds.
    #[must_use]
    pub fn succeeds(argv: Vec<Word>, expect: impl Into<String>) -> Check {
        Check { argv, expect: expect.into(), holds: Holds::Succeeds }
    }

    /// A probe that holds when one line of its output is `line`.
    #[must_use]
    pub fn prints_line(argv: Vec<Word>, line: impl Into<String>) -> Check {
        let line = line.into();
        Check { argv, expect: format!("a line `{line}`"), holds: Holds::PrintsLine { line } }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
/// One step of a plan.
pub struct Step {
    /// What it is for.
    pub purpose: String,
    /// How it may be run.
    pub applicability: Applicability,
    /// What it runs.
    pub action: Action,
    /// What must hold before it runs.
    pub pre: Option<Check>,
    /// What must hold after it ran.
    pub post: Option<Check>,
    /// When this holds, the step's work is already done: it is skipped.
    pub skip_if: Option<Check>,
    /// What else to know.
    pub note: Option<String>,
}

impl Step {
    #[must_use]
    /// A step running `action`; a step whose command holds a placeholder is `manual`.
    pub fn new(applicability: Applicability, purpose: impl Into<String>, action: Action) -> Step {
        // A command with a placeholder cannot run as printed.
        let applicability = if action_has_placeholder(&action) { Applicability::Manual } else { applicability };
        Step { purpose: purpose.into(), applicability, action, pre: None, post: None, skip_if: None, note: None }
    }

    #[must_use]
    /// A step running one command.
    pub fn argv(applicability: Applicability, purpose: impl Into<String>, argv: Vec<Word>) -> Step {
        Step::new(applicability, purpose, Action::Argv(argv))
    }

    #[must_use]
    /// Advice with no command.
    pub fn advice(purpose: impl Into<String>) -> Step {
        Step::new(Applicability::Manual, purpose, Action::Nothing)
    }

    #[must_use]
    /// With a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Step {
        self.note = Some(note.into());
        self
    }

    #[must_use]
    /// With a pre-condition.
    pub fn with_pre(mut self, check: Check) -> Step {
        self.pre = Some(check);
        self
    }

    #[must_use]
    /// With a post-condition.
    pub fn with_post(mut self, check: Check) -> Step {
        self.post = Some(check);
        self
    }

    #[must_use]
    /// Skipped when `check` holds (its work is already done).
    pub fn with_skip_if(mut self, check: Check) -> Step {
        self.skip_if = Some(check);
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
        out.extend(self.skip_if.iter().map(|c| &c.argv));
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
