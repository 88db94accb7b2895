//! One rule of the catalogue: what it looks for, where it counts, and what it means.
//!
//! Rules are data (`rules/<stage>/<id>.toml`), each with its own cases: an input that must
//! fire and a near-miss that must not. The classifier is the machinery that runs them;
//! what a message means lives here, next to the text that proves it.

use regex::Regex;

use crate::host::Version;
use crate::kind::{Kind, Retry, Stage};
use crate::phase::{Phase, PhaseScope};

/// How a rule's matches are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A match is a candidate answer: the rule's kind, if its phase scope allows.
    Failure,
    /// A match supports its kind's answer (shown as evidence) but never decides it
    /// alone, like Docker's platform-mismatch warning.
    Supporting,
    /// A match moves the phase forward and records facts (built image, gateway, engine).
    Marker,
    /// A match is evidence inside the current build step, used if that step fails.
    StepEvidence,
    /// A builder's failure summary: the run failed in the build phase.
    BuildSummary,
    /// Decides the kind of a failed build step from its command and the step's evidence.
    FailedCommand,
    /// A decision from the exit status alone, scoped by the phase reached.
    ExitStatus,
    /// A provider-validation rule: HTTP status, curl status and message.
    Provider,
}

impl Role {
    pub(crate) fn parse(s: &str) -> Result<Role, String> {
        Ok(match s {
            "failure" => Role::Failure,
            "supporting" => Role::Supporting,
            "marker" => Role::Marker,
            "step-evidence" => Role::StepEvidence,
            "build-summary" => Role::BuildSummary,
            "failed-command" => Role::FailedCommand,
            "exit-status" => Role::ExitStatus,
            "provider" => Role::Provider,
            _ => {
                return Err(format!(
                    "unknown role '{s}' (expected failure, supporting, marker, step-evidence, build-summary, failed-command, exit-status or provider)"
                ))
            }
        })
    }

    /// Whether the rule is matched against output lines.
    #[must_use]
    pub fn matches_lines(self) -> bool {
        matches!(self, Role::Failure | Role::Supporting | Role::Marker | Role::StepEvidence | Role::BuildSummary)
    }
}

/// A regex with the lowercase literals that any line it matches must contain. The
/// anchors let the scanner skip the vast majority of lines without running the regex.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub anchors: Vec<String>,
    pub regex: Regex,
}

/// What a rule matches.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// One line.
    Line(Pattern),
    /// Every part, each on some line, within `within_lines` consecutive lines when set
    /// (miette wraps long messages onto a `│` gutter line).
    Parts { parts: Vec<Pattern>, within_lines: Option<u64> },
    /// The failed build step's command (may be empty when the builder did not say).
    Command(Option<Regex>),
    /// The exit status.
    Exit(Vec<i32>),
    /// Provider validation.
    Provider(ProviderCondition),
}

#[derive(Debug, Clone, Default)]
pub struct ProviderCondition {
    pub curl_nonzero: bool,
    pub http_status: Vec<u16>,
    pub http_status_range: Option<(u16, u16)>,
    pub message: Option<Regex>,
}

/// What a marker records when it matches.
#[derive(Debug, Clone, Default)]
pub struct Effects {
    pub sets_phase: Option<Phase>,
    pub starts_step: bool,
    pub engine: Option<Engine>,
    pub uploaded: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Docker,
    Podman,
}

impl Engine {
    pub fn parse(s: &str) -> Result<Engine, String> {
        match s {
            "docker" => Ok(Engine::Docker),
            "podman" => Ok(Engine::Podman),
            _ => Err(format!("unknown engine '{s}' (expected docker or podman)")),
        }
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Docker => "docker",
            Engine::Podman => "podman",
        }
    }
}

/// One of a rule's own cases.
#[derive(Debug, Clone)]
pub struct RuleCase {
    pub text: String,
    pub fires: bool,
    pub exit_status: Option<i32>,
    pub http_status: Option<u16>,
    pub curl_status: Option<i32>,
}

/// A checked rule, ready to run.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// Where the rule came from: `sandbox-create/transfer-reset.toml`, or a user file.
    pub source: String,
    pub stage: Stage,
    pub role: Role,
    pub kind: Option<Kind>,
    pub priority: i32,
    /// Phases in which a match counts; empty means every phase.
    pub phases: Vec<PhaseScope>,
    pub matcher: Matcher,
    /// For summaries that span lines (`The command '…` … `' returned a non-zero code`):
    /// the lowercase literal that ends them.
    pub continue_until: Option<String>,
    pub effects: Effects,
    /// The evidence tag a step-evidence rule gives its matches.
    pub tag: Option<String>,
    /// Failed-command rules: tags one of which the failed step's evidence must carry.
    pub requires_evidence: Vec<String>,
    /// Failed-command rules: the npm evidence must concern the packages the command
    /// installs (see `correlate`).
    pub correlate_packages: bool,
    /// The newest OpenShell that can print what the rule matches.
    pub max_openshell: Option<Version>,
    pub min_openshell: Option<Version>,
    pub retry: Option<Retry>,
    pub explanation: String,
    pub cases: Vec<RuleCase>,
}

impl Rule {
    /// Whether a match in `phase` counts for this rule.
    #[must_use]
    pub fn in_scope(&self, phase: Option<Phase>) -> bool {
        self.phases.is_empty() || self.phases.contains(&PhaseScope::of(phase))
    }

    /// Whether the rule applies to output of the given OpenShell version (unknown: yes).
    #[must_use]
    pub fn applies_to(&self, version: Option<Version>) -> bool {
        let Some(version) = version else { return true };
        self.max_openshell.is_none_or(|max| version <= max) && self.min_openshell.is_none_or(|min| version >= min)
    }

    /// Every pattern the rule runs on lines.
    #[must_use]
    pub fn line_patterns(&self) -> &[Pattern] {
        match &self.matcher {
            Matcher::Line(pattern) => std::slice::from_ref(pattern),
            Matcher::Parts { parts, .. } => parts,
            _ => &[],
        }
    }
}
