//! One rule of the catalogue: what it looks for, where it counts, and what it means.
//!
//! A rule is one of its roles, and each role holds only the fields it uses, so a rule
//! file cannot carry a field that would be silently ignored.

use crate::model::{Engine, Era, Kind, Phase, PhaseScope, Retry, Stage, Version};
use crate::rules::Pattern;

/// A checked rule, ready to run.
#[derive(Debug, Clone)]
pub struct Rule {
    /// The stable id (`transfer.connection-reset`).
    pub id: String,
    /// The file the rule was read from: `sandbox-create/transfer-reset.toml`, or a user's.
    pub file: String,
    /// Where the failure it recognises was met, and the release that added the rule.
    pub provenance: Provenance,
    /// The stage whose output the rule reads.
    pub stage: Stage,
    /// Among candidates in the same phase, the higher priority wins.
    pub priority: i32,
    /// The OpenShell releases that can print what the rule matches.
    pub openshell: Releases,
    /// What a match means, for people.
    pub explanation: String,
    /// The rule's own cases: inputs that must fire and near-misses that must not.
    pub cases: Vec<RuleCase>,
    /// What the rule does with a match, and the fields that role uses.
    pub role: Role,
}

/// Where a rule comes from, as its file says (both optional): the failure's `source` (an
/// issue's address, a log's name) and the release of this tool that `added` the rule.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Provenance {
    /// An issue's address or a log's name, as the file gives it (shown masked).
    pub source: Option<String>,
    /// The release of this tool the rule was added in.
    pub added: Option<Version>,
    /// Read from a user's rules directory (`--rules DIR`), not built in: an answer it
    /// decides is never carried out by the tool.
    pub users: bool,
}

/// The OpenShell releases a rule applies to; unbounded ends are open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Releases {
    /// The oldest release that can print the message.
    pub min: Option<Version>,
    /// The newest release that can print the message.
    pub max: Option<Version>,
}

/// How a rule's matches are used, with the fields each use needs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Role {
    /// A match is a candidate answer: the rule's kind, if its phase scope allows.
    Failure(LineRule),
    /// A match supports its kind's answer (shown as evidence) but never decides it
    /// alone, like Docker's platform-mismatch warning.
    Supporting(LineRule),
    /// A match moves the phase forward and records facts (built image, gateway, engine).
    Marker(MarkerRule),
    /// A match is evidence inside the current build step, used if that step fails.
    StepEvidence(StepEvidenceRule),
    /// A builder's failure summary: the run failed in the build phase.
    BuildSummary(BuildSummaryRule),
    /// Decides the kind of a failed build step from its command and the step's evidence.
    FailedCommand(FailedCommandRule),
    /// A decision from the exit status alone, scoped by the phase reached.
    ExitStatus(ExitStatusRule),
    /// A provider-validation rule: HTTP status, curl status and message.
    Provider(ProviderRule),
}

/// A failure or supporting rule: a kind, where it counts, and what it matches.
#[derive(Debug, Clone)]
pub struct LineRule {
    /// The kind a match stands for.
    pub kind: Kind,
    /// For [`Kind::UserKind`]: the kind of the user's own the rule names.
    pub user_kind: Option<std::sync::Arc<crate::model::UserKind>>,
    /// Phases in which a match counts; empty means every phase.
    pub phases: Vec<PhaseScope>,
    /// What it matches.
    pub matcher: LineMatcher,
    /// The engine the wording shows, recorded as a fact.
    pub engine: Option<Engine>,
    /// The phase the wording belongs to: a match places a run whose markers were cut
    /// there (`failed to upload image tar` is the export's).
    pub places_phase: Option<Phase>,
    /// The phrase is known to break across lines (a terminal's width, miette's gutter):
    /// it is also matched on a line joined with the next.
    pub wraps: bool,
}

/// What a failure or supporting rule matches.
#[derive(Debug, Clone)]
pub enum LineMatcher {
    /// One line.
    Line(Pattern),
    /// Every part, each on some line, within `within_lines` consecutive lines when set
    /// (miette wraps long messages onto a `│` gutter line).
    Parts {
        /// The parts, each matched on its own line.
        parts: Vec<Pattern>,
        /// How close the parts must be.
        within_lines: Option<u64>,
    },
}

/// What a marker's line says about the build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildLine {
    /// Nothing.
    Other,
    /// It starts a build step (`step` and `total` groups).
    StartsStep,
    /// It starts a builder's replay of a failed step's output after reporting the
    /// failure (BuildKit's ` > [2/8] RUN …:` block): the failure is that step's.
    ReplaysStep,
    /// It is a builder's last line of a successful build (`Successfully tagged`,
    /// BuildKit's `naming to … done`): until the next step, markers that may follow a
    /// build count as they would after OpenShell's own `Built image`.
    EndsBuild,
}

impl BuildLine {
    /// Whether a build step starts on the line.
    #[must_use]
    pub fn starts_step(self) -> bool {
        matches!(self, BuildLine::StartsStep | BuildLine::ReplaysStep)
    }
}

/// A phase marker: moves the phase and records facts.
#[derive(Debug, Clone)]
pub struct MarkerRule {
    /// Phases in which the marker counts; empty means every phase.
    pub phases: Vec<PhaseScope>,
    /// The line it matches; named groups are facts (`built_image`, `gateway`, …).
    pub pattern: Pattern,
    /// The phase the output has reached when it matches.
    pub sets_phase: Option<Phase>,
    /// What the line says about the build.
    pub build: BuildLine,
    /// The engine the wording shows.
    pub engine: Option<Engine>,
    /// Whether it proves the image reached the gateway.
    pub uploaded: bool,
    /// Whether it is searched for while the output streams. A marker whose lines come
    /// with the failure (its wording, the image it names) is looked for only where
    /// failures are: the failed step's lines and the last lines of the output.
    pub streamed: bool,
}

/// Evidence inside a build step, tagged for the failed-command rules.
// The rule file's switches, each read as is.
#[allow(clippy::struct_excessive_bools)]
#[derive(Debug, Clone)]
pub struct StepEvidenceRule {
    /// The tag its matches carry (`network`, `npm-network`, `npm`).
    pub tag: String,
    /// The line it matches.
    pub pattern: Pattern,
    /// Whether the wording is a build tool's (apt, pip, npm, curl): a match places a
    /// run with no markers in the build.
    pub places_build: bool,
    /// The phrase is known to break across lines: it is also matched on a line joined
    /// with the next.
    pub wraps: bool,
    /// A match can be the cause of a failed step (the tool's own first error).
    pub cause: bool,
    /// What such a cause usually means.
    pub hint: Option<String>,
    /// The programs whose failure such a cause reports (`apt-get`, `pip`): the command
    /// of a `&&` chain that runs one is the one that failed. A `program` group in the
    /// pattern names it instead.
    pub programs: Vec<String>,
    /// A weak cause (a line a script may print and go on after: a file command's
    /// error, an exception caught and logged) gives way to a later cause that is not.
    pub weak: bool,
}

/// A builder's failure summary.
#[derive(Debug, Clone)]
pub struct BuildSummaryRule {
    /// The summary; a `command` group captures the failed command.
    pub pattern: Pattern,
    /// For summaries that span lines (`The command '…` … `' returned a non-zero code`):
    /// the lowercase literal that ends them.
    pub continue_until: Option<String>,
    /// The engine the wording shows.
    pub engine: Option<Engine>,
}

/// Decides the kind of a failed build step.
#[derive(Debug, Clone)]
pub struct FailedCommandRule {
    /// The kind it decides.
    pub kind: Kind,
    /// The failed command must match this, when given (a pattern with no anchors).
    pub command: Option<Pattern>,
    /// One of these evidence tags must be in the failed step's output, when given.
    pub requires_evidence: Vec<String>,
    /// The npm evidence must concern the packages the command installs.
    pub correlate_packages: bool,
    /// The step's exit code must be one of these, when given (`curl` exits 6, 7, 28, 35
    /// or 56 on the network).
    pub exit_codes: Vec<i32>,
}

/// A decision from the exit status alone.
#[derive(Debug, Clone)]
pub struct ExitStatusRule {
    /// The kind it decides.
    pub kind: Kind,
    /// Phases in which it counts; empty means every phase.
    pub phases: Vec<PhaseScope>,
    /// The exit statuses it takes.
    pub statuses: Vec<i32>,
}

/// A provider-validation rule: every condition given must hold.
#[derive(Debug, Clone)]
pub struct ProviderRule {
    /// The kind it decides.
    pub kind: Kind,
    /// What it asks the operator to do next.
    pub retry: Retry,
    /// curl failed (a non-zero exit status).
    pub curl_nonzero: bool,
    /// The HTTP status is one of these.
    pub http_status: Vec<u16>,
    /// The HTTP status is in this inclusive range.
    pub http_status_range: Option<(u16, u16)>,
    /// The normalised message matches this (a pattern with no anchors).
    pub message: Option<Pattern>,
}

/// One of a rule's own cases.
#[derive(Debug, Clone)]
pub struct RuleCase {
    /// The input.
    pub text: String,
    /// Whether the rule must fire on it.
    pub fires: bool,
    /// The command's exit status, for rules that read it.
    pub exit_status: Option<i32>,
    /// Provider validation: the HTTP status.
    pub http_status: Option<u16>,
    /// Provider validation: curl's exit status.
    pub curl_status: Option<i32>,
}

impl Role {
    /// The phase the role's wording places a run in, for roles that have one.
    #[must_use]
    pub fn places_phase(&self) -> Option<Phase> {
        match self {
            Role::Failure(r) | Role::Supporting(r) => r.places_phase,
            Role::StepEvidence(r) if r.places_build => Some(Phase::Build),
            _ => None,
        }
    }
}

impl Rule {
    /// The kind of the user's own a failure rule names.
    #[must_use]
    pub fn user_kind(&self) -> Option<&std::sync::Arc<crate::model::UserKind>> {
        match &self.role {
            Role::Failure(r) => r.user_kind.as_ref(),
            _ => None,
        }
    }

    /// The kind a match stands for, for roles that decide or support one.
    #[must_use]
    pub fn kind(&self) -> Option<Kind> {
        match &self.role {
            Role::Failure(r) | Role::Supporting(r) => Some(r.kind),
            Role::FailedCommand(r) => Some(r.kind),
            Role::ExitStatus(r) => Some(r.kind),
            Role::Provider(r) => Some(r.kind),
            Role::Marker(_) | Role::StepEvidence(_) | Role::BuildSummary(_) => None,
        }
    }

    /// The role's name, as rule files spell it.
    #[must_use]
    pub fn role_name(&self) -> &'static str {
        match &self.role {
            Role::Failure(_) => "failure",
            Role::Supporting(_) => "supporting",
            Role::Marker(_) => "marker",
            Role::StepEvidence(_) => "step-evidence",
            Role::BuildSummary(_) => "build-summary",
            Role::FailedCommand(_) => "failed-command",
            Role::ExitStatus(_) => "exit-status",
            Role::Provider(_) => "provider",
        }
    }

    /// Whether a match in `phase` counts for this rule.
    #[must_use]
    pub fn in_scope(&self, phase: Option<Phase>) -> bool {
        let phases: &[PhaseScope] = match &self.role {
            Role::Failure(r) | Role::Supporting(r) => &r.phases,
            Role::Marker(r) => &r.phases,
            Role::ExitStatus(r) => &r.phases,
            _ => &[],
        };
        phases.is_empty() || phases.contains(&PhaseScope::of(phase))
    }

    /// Whether the rule applies to output of the given OpenShell version (unknown: yes).
    #[must_use]
    pub fn applies_to(&self, version: Option<Version>) -> bool {
        let Some(version) = version else { return true };
        self.openshell.max.is_none_or(|max| version <= max) && self.openshell.min.is_none_or(|min| version >= min)
    }

    /// The era a match proves: a rule only one era's releases can print.
    #[must_use]
    pub fn era_shown(&self) -> Option<Era> {
        let Releases { min, max } = self.openshell;
        match (min.map(Version::era), max.map(Version::era)) {
            (Some(Era::PackageManaged), _) => Some(Era::PackageManaged),
            (_, Some(Era::TarUpload)) => Some(Era::TarUpload),
            _ => None,
        }
    }

    /// Every pattern the rule runs on lines.
    #[must_use]
    pub fn line_patterns(&self) -> &[Pattern] {
        match &self.role {
            Role::Failure(r) | Role::Supporting(r) => match &r.matcher {
                LineMatcher::Line(pattern) => std::slice::from_ref(pattern),
                LineMatcher::Parts { parts, .. } => parts,
            },
            Role::Marker(r) => std::slice::from_ref(&r.pattern),
            Role::StepEvidence(r) => std::slice::from_ref(&r.pattern),
            Role::BuildSummary(r) => std::slice::from_ref(&r.pattern),
            Role::FailedCommand(_) | Role::ExitStatus(_) | Role::Provider(_) => &[],
        }
    }

    /// Whether the rule's phrase is also matched across a line break.
    #[must_use]
    pub fn wraps(&self) -> bool {
        match &self.role {
            Role::Failure(r) | Role::Supporting(r) => r.wraps,
            Role::StepEvidence(r) => r.wraps,
            _ => false,
        }
    }

    /// The engine a match shows, for roles that record one.
    #[must_use]
    pub fn engine(&self) -> Option<Engine> {
        match &self.role {
            Role::Failure(r) | Role::Supporting(r) => r.engine,
            Role::Marker(r) => r.engine,
            Role::BuildSummary(r) => r.engine,
            _ => None,
        }
    }
}
