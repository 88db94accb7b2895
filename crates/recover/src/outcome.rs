//! How a recovery ended, each way with its own exit status.

/// How a recovery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every step ran (or, in a dry run, can run) and every check held.
    Done,
    /// A probe or a pre-condition did not hold: nothing was changed after it, and what
    /// was changed before it was put back.
    CheckFailed,
    /// A step, or the check after it, failed; what could be put back was.
    StepFailed,
    /// Stopped for a person: a confirmation not given, a value not given or not valid,
    /// a manual step, a destructive step not allowed. Found before the first change
    /// whenever it can be.
    Stopped,
    /// Stopped by the operator (Ctrl-C, SIGTERM, a hang-up): the current step's
    /// processes were stopped, and what was changed was put back.
    Interrupted,
}

impl Outcome {
    /// The documented exit status.
    #[must_use]
    pub fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::CheckFailed => 3,
            Outcome::StepFailed => 4,
            Outcome::Stopped => 5,
            Outcome::Interrupted => 130,
        }
    }

    /// The name, as the journal and JSON show it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::CheckFailed => "check-failed",
            Outcome::StepFailed => "step-failed",
            Outcome::Stopped => "stopped",
            Outcome::Interrupted => "interrupted",
        }
    }
}
