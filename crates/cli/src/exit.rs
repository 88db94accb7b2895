//! The documented exit statuses.

use std::process::ExitCode;

/// `0` a failure kind (or `none`) was determined; `1` the kind is `unknown`; `2` the
/// tool itself failed (usage, unreadable input, bad rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Determined = 0,
    Unknown = 1,
    ToolFailed = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}
