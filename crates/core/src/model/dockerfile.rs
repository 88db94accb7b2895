//! Where a failed build step is in its Dockerfile.

use serde::Serialize;

/// One numbered line of a Dockerfile as shown around the failed instruction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FrameLine {
    /// The line's 1-based number in the Dockerfile.
    pub line: u32,
    /// The line's text, masked.
    pub text: String,
    /// Whether the line belongs to the failed instruction.
    pub failed: bool,
    /// The columns (0-based, in characters, end exclusive) of the command of a `&&`
    /// chain the output shows failed, when it is on this line.
    pub underline: Option<(usize, usize)>,
}

/// Who placed the failed instruction in the Dockerfile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacedBy {
    /// The builder printed the place itself (BuildKit's `Dockerfile:12` frame).
    Builder,
    /// The instruction the log shows was found in the Dockerfile read from disk.
    File,
}

/// The failed instruction's place in its Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DockerfileSpot {
    /// The Dockerfile, as the builder, OpenShell or the operator named it.
    pub path: Option<String>,
    /// The instruction's first line (null when it could not be placed).
    pub line: Option<u32>,
    /// The instruction's last line, for one continued over several lines.
    pub end_line: Option<u32>,
    /// The failed instruction as the build output shows it, masked.
    pub instruction: Option<String>,
    /// The command of a `&&` chain the output shows failed, when it shows one.
    pub failed_command: Option<String>,
    /// The lines to show: the instruction, and the builder's context lines.
    pub frame: Vec<FrameLine>,
    /// Who placed it.
    pub placed_by: Option<PlacedBy>,
    /// Why the instruction is not placed: the file on disk no longer matches the log,
    /// or the log does not say which of several equal instructions failed.
    pub note: Option<String>,
    /// The programs the cause names (for the underline), not reported.
    #[serde(skip)]
    pub(crate) programs: Vec<String>,
    /// The ways the output shows the instruction: the step header's (BuildKit expands
    /// build arguments in it), and the one the failed command implies (it does not).
    #[serde(skip)]
    pub(crate) shown_as: Vec<String>,
}
