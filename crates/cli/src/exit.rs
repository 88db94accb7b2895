//! The documented exit statuses.

use std::process::ExitCode;

use sandbox_triage_core::Diagnosis;

/// `0` a failure kind (or `none`) was determined; `1` the kind is `unknown`; `2` the
/// tool itself failed (usage, unreadable input, bad rules).
/// `run` exits with the command's own status instead (128 + the signal's number when a
/// signal killed it, 127 when it was not found, 126 when it could not be executed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exit {
    Determined,
    Unknown,
    ToolFailed,
    Status(u8),
}

impl Exit {
    /// The status a diagnosis exits with.
    pub(crate) fn of(diagnosis: &Diagnosis) -> Exit {
        if diagnosis.is_determined() {
            Exit::Determined
        } else {
            Exit::Unknown
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(match exit {
            Exit::Determined => 0,
            Exit::Unknown => 1,
            Exit::ToolFailed => 2,
            Exit::Status(status) => status,
        })
    }
}
