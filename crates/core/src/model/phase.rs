//! The phases a sandbox create goes through, in order. The classifier tracks the furthest
//! phase the output reached, because a message means different things in different
//! phases: `Connection reset by peer` from `apt-get` in a `RUN` step is a build failure,
//! not an interrupted image transfer.

use std::str::FromStr;

/// A phase of a sandbox create, in the order they run.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::VariantNames,
)]
#[strum(serialize_all = "kebab-case", parse_err_ty = crate::model::UnknownId, parse_err_fn = Phase::unknown)]
#[non_exhaustive]
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

crate::model::id::string_id!(Phase, "phase");

impl Phase {
    /// Every phase, in order.
    pub fn all() -> impl Iterator<Item = Phase> {
        <Phase as strum::IntoEnumIterator>::iter()
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

/// A phase scope entry in a rule: a phase, or `none` for output before any phase marker
/// (most of NemoClaw's test inputs carry no markers at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PhaseScope {
    /// Output before any phase marker.
    Unmarked,
    /// Output in this phase.
    In(Phase),
}

impl PhaseScope {
    /// The scope a match in `phase` falls in.
    #[must_use]
    pub fn of(phase: Option<Phase>) -> Self {
        phase.map_or(PhaseScope::Unmarked, PhaseScope::In)
    }
}

impl FromStr for PhaseScope {
    type Err = crate::model::UnknownId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "none" {
            Ok(PhaseScope::Unmarked)
        } else {
            s.parse().map(PhaseScope::In)
        }
    }
}

impl<'de> serde::Deserialize<'de> for PhaseScope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
