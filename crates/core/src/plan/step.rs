//! One step of a plan: what it runs, how safe that is, and what must hold around it.

use serde::Serialize;

use crate::command::Word;
use crate::plan::Reading;

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
    /// Not a command the tool can run (an edit, a choice, work elsewhere): shown, never
    /// run.
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

/// When a probe holds: what a script or an executor checks, not only shows. The words
/// it looks for may hold placeholders (the built image when the output does not name
/// it): they are filled like the probe's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Holds {
    /// The probe succeeds (exits 0).
    Succeeds,
    /// The probe succeeds and one line of its output is exactly this.
    PrintsLine {
        /// The line.
        #[serde(serialize_with = "shown")]
        #[schemars(with = "String")]
        line: Word,
    },
    /// The probe succeeds and prints a table row whose first column is `first` and whose
    /// last column is `last` (`ctr images check`: the image, then UNPACKED `true`).
    PrintsRow {
        /// The first column.
        #[serde(serialize_with = "shown")]
        #[schemars(with = "String")]
        first: Word,
        /// The last column.
        #[serde(serialize_with = "shown")]
        #[schemars(with = "String")]
        last: Word,
    },
    /// The probe succeeds and no row of its output has `first` as its first column
    /// (the sandbox list without the sandbox).
    LacksRow {
        /// The first column no row may have.
        #[serde(serialize_with = "shown")]
        #[schemars(with = "String")]
        first: Word,
    },
}

/// A word as people and programs read it: placeholders as `<NAME>`.
fn shown<S: serde::Serializer>(word: &Word, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&word.display())
}

impl Holds {
    /// Whether `output` (the probe's standard output) shows it, its words filled by
    /// `fill`; the exit status is checked apart. Colour codes are not part of a line
    /// (OpenShell paints its labels even into a pipe).
    #[must_use]
    pub fn shown_by(&self, output: &str, fill: impl Fn(&Word) -> String) -> bool {
        let mut plain = output.as_bytes().to_vec();
        let kept = crate::classify::terminal_text::strip_ansi_in_place(&mut plain);
        plain.truncate(kept);
        let output = String::from_utf8_lossy(&plain);
        match self {
            Holds::Succeeds => true,
            Holds::PrintsLine { line } => {
                let line = fill(line);
                output.lines().any(|l| l.trim_end_matches('\r') == line)
            }
            Holds::PrintsRow { first, last } => {
                let (first, last) = (fill(first), fill(last));
                output.lines().any(|l| {
                    let mut columns = l.split_whitespace();
                    columns.next() == Some(first.as_str()) && columns.next_back() == Some(last.as_str())
                })
            }
            Holds::LacksRow { first } => {
                let first = fill(first);
                !output.lines().any(|l| l.split_whitespace().next() == Some(first.as_str()))
            }
        }
    }
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
    /// What its output says when it does not hold: the machine's state and the way on.
    pub readings: Vec<Reading>,
}

impl Check {
    /// A probe that holds when it succeeds.
    #[must_use]
    pub fn succeeds(argv: Vec<Word>, expect: impl Into<String>) -> Check {
        Check { argv, expect: expect.into(), holds: Holds::Succeeds, readings: Vec::new() }
    }

    /// A probe that holds when one line of its output is `line`.
    #[must_use]
    pub fn prints_line(argv: Vec<Word>, line: impl Into<Word>) -> Check {
        let line = line.into();
        Check { argv, expect: format!("a line `{}`", line.display()), holds: Holds::PrintsLine { line }, readings: Vec::new() }
    }

    /// A probe that holds when a row of its output starts with `first` and ends with
    /// `last`.
    #[must_use]
    pub fn prints_row(argv: Vec<Word>, first: impl Into<Word>, last: impl Into<Word>, expect: impl Into<String>) -> Check {
        Check { argv, expect: expect.into(), holds: Holds::PrintsRow { first: first.into(), last: last.into() }, readings: Vec::new() }
    }

    /// With what its output says when it does not hold, first match first.
    #[must_use]
    pub fn with_readings(mut self, readings: Vec<Reading>) -> Check {
        self.readings = readings;
        self
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
    /// What puts back what the step changed (start a service it stopped, move back a
    /// directory it moved): run when a later step fails or the operator stops, so a
    /// recovery is never left half done.
    pub undo: Option<Action>,
    /// What shows there is something to put back (the moved directory is there); when
    /// it does not hold, the step changed nothing and its undo is skipped.
    pub undo_if: Option<Check>,
    /// What must hold for putting back to be safe (nothing new took the old place); when
    /// it does not, the undo is not run, and the putting back ends there.
    pub undo_safe: Option<Check>,
    /// Why only a person may say yes to it (`--yes` does not): the command lacks what
    /// only the operator knows.
    pub in_person: Option<String>,
}

impl Step {
    #[must_use]
    /// A step running `action`. Its risk and its placeholders are separate facts: a
    /// step with a placeholder runs once the variable is set.
    pub fn new(applicability: Applicability, purpose: impl Into<String>, action: Action) -> Step {
        Step {
            purpose: purpose.into(),
            applicability,
            action,
            pre: None,
            post: None,
            skip_if: None,
            note: None,
            undo: None,
            undo_if: None,
            undo_safe: None,
            in_person: None,
        }
    }

    #[must_use]
    /// A probe whose output must show what `check` expects: it is its own
    /// post-condition.
    pub fn probe(purpose: impl Into<String>, check: Check) -> Step {
        Step::argv(Applicability::Probe, purpose, check.argv.clone()).with_post(check)
    }

    /// Whether the post-condition is the probe's own output (a probe with an
    /// expectation), not a second command.
    #[must_use]
    pub fn expects_own_output(&self) -> bool {
        matches!((&self.action, &self.post), (Action::Argv(argv), Some(post)) if *argv == post.argv)
    }

    /// The placeholder variables the step's commands read, each once.
    #[must_use]
    pub fn placeholders(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for word in self.commands().into_iter().flatten() {
            for name in word.placeholders() {
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
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
    /// With `note` added after the note it has.
    pub fn and_note(mut self, note: impl Into<String>) -> Step {
        let note = note.into();
        self.note = Some(match self.note.take() {
            Some(first) => format!("{first}; {note}"),
            None => note,
        });
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
    /// With what undoes it.
    pub fn with_undo(mut self, undo: Vec<Word>) -> Step {
        self.undo = Some(Action::Argv(undo));
        self
    }

    #[must_use]
    /// With what undoes it, run when `needed` shows something to put back and only
    /// while `safe` holds.
    pub fn with_guarded_undo(mut self, undo: Vec<Word>, needed: Check, safe: Check) -> Step {
        self.undo = Some(Action::Argv(undo));
        self.undo_if = Some(needed);
        self.undo_safe = Some(safe);
        self
    }

    #[must_use]
    /// Asked of a person even under `--yes`, for `why`.
    pub fn in_person(mut self, why: impl Into<String>) -> Step {
        self.in_person = Some(why.into());
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
        if let Some(Action::Argv(undo)) = &self.undo {
            out.push(undo);
        }
        out.extend(self.undo_if.iter().chain(&self.undo_safe).map(|c| &c.argv));
        out
    }

    /// The question for a step only a person may allow (step `number`), asked before the
    /// run's first change; `None` for any other step.
    #[must_use]
    pub fn early_question(&self, number: usize) -> Option<String> {
        let why = self.in_person.as_ref()?;
        let mut purpose = self.purpose.chars();
        let purpose: String = purpose.next().map_or_else(String::new, |first| first.to_lowercase().chain(purpose).collect());
        Some(format!("Step {number} will {purpose}: allow it when its turn comes? ({why})"))
    }

    /// Whether it changes state (not a probe, not advice).
    #[must_use]
    pub fn changes_state(&self) -> bool {
        !matches!(self.applicability, Applicability::Probe | Applicability::Manual)
    }
}
