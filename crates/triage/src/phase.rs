//! The phases a sandbox create goes through, in order. The classifier tracks the furthest
//! phase the output reached, because a message means different things in different
//! phases: `Connection reset by peer` from `apt-get` in a `RUN` step is a build failure,
//! not an interrupted image transfer.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The Dockerfile is being built (`Building image …`, `Step N/M`, `#N [...]`, `STEP N/M`).
    Build,
    /// The built image is exported from the local daemon (`Pushing image … into gateway`).
    Export,
    /// The archive is being uploaded into the gateway container.
    Upload,
    /// The gateway imports the archive (`ctr images import`); prints nothing.
    Import,
    /// The `CreateSandbox` request (`Created sandbox: <name>`).
    Create,
    /// Waiting for the sandbox to be ready (`Sandbox allocated`, `Pulling image`).
    Ready,
    /// After ready: file uploads, forwards, the trailing command.
    PostReady,
}

impl Phase {
    pub const ALL: [Phase; 7] = [Phase::Build, Phase::Export, Phase::Upload, Phase::Import, Phase::Create, Phase::Ready, Phase::PostReady];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Build => "build",
            Phase::Export => "export",
            Phase::Upload => "upload",
            Phase::Import => "import",
            Phase::Create => "create",
            Phase::Ready => "ready",
            Phase::PostReady => "post-ready",
        }
    }

    /// What the operator should know about the phase when nothing is printed during it.
    #[must_use]
    pub fn description(self) -> &'static str {
        match self {
            Phase::Build => "building the image",
            Phase::Export => "exporting the built image from the local daemon",
            Phase::Upload => "uploading the image archive into the gateway container",
            Phase::Import => "the gateway is importing the image (ctr images import prints nothing)",
            Phase::Create => "creating the sandbox",
            Phase::Ready => "waiting for the sandbox to become ready",
            Phase::PostReady => "after the sandbox became ready (uploads, forwards, command)",
        }
    }
}

impl FromStr for Phase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Phase::ALL.into_iter().find(|phase| phase.as_str() == s).ok_or_else(|| format!("unknown phase '{s}'"))
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Phase {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A phase scope entry in a rule: a phase, or `none` for output before any phase marker
/// (most of NemoClaw's test inputs carry no markers at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhaseScope {
    Unmarked,
    In(Phase),
}

impl PhaseScope {
    #[must_use]
    pub fn of(phase: Option<Phase>) -> Self {
        phase.map_or(PhaseScope::Unmarked, PhaseScope::In)
    }
}

impl FromStr for PhaseScope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "none" {
            Ok(PhaseScope::Unmarked)
        } else {
            s.parse().map(PhaseScope::In)
        }
    }
}

crate::kind::string_enum_schema!(Phase, "Phase", Phase::ALL.iter().map(|p| p.as_str()).collect());
