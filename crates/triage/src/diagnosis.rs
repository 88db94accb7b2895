//! What classification answers: the kind, the phase, the facts and the evidence.

use serde::Serialize;

use crate::image_ref::ImageRef;
use crate::kind::{Kind, Retry, Stage};
use crate::phase::Phase;
use crate::rule::Engine;

/// One line that proves the answer, with its 1-based number in the input. The text is
/// cleaned (no ANSI escapes), clipped, and has its secrets masked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    pub line: u64,
    pub text: String,
}

/// The build step that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FailedStep {
    pub number: Option<u32>,
    pub total: Option<u32>,
    pub command: Option<String>,
}

/// The classifier's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    pub stage: Stage,
    pub kind: Kind,
    /// The phase the failure is attributed to; for `none` and `unknown`, the furthest
    /// phase the output reached.
    pub phase: Option<Phase>,
    pub uploaded_to_gateway: bool,
    pub built_image_ref: Option<ImageRef>,
    pub gateway: Option<String>,
    /// The sandbox's name, when `Created sandbox: <name>` was printed.
    pub sandbox: Option<String>,
    pub engine: Option<Engine>,
    pub failed_step: Option<FailedStep>,
    pub exported_mib: Option<u64>,
    /// The id of the rule that decided the kind.
    pub rule: Option<String>,
    pub explanation: String,
    pub evidence: Vec<Evidence>,
    pub retry: Option<Retry>,
    /// Lines and bytes read.
    pub lines: u64,
    pub bytes: u64,
}

impl Diagnosis {
    /// Whether a failure kind (or `none`) was determined; `unknown` is not.
    #[must_use]
    pub fn is_determined(&self) -> bool {
        self.kind != Kind::Unknown
    }
}

/// Version of the JSON object `classify --format json` prints. Bumped on any change that
/// is not a pure addition.
pub const SCHEMA_VERSION: u32 = 1;

/// The diagnosis as programs read it (`classify --format json`, and `"diagnosis"` in a
/// plan): the contract of [`SCHEMA_VERSION`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiagnosisReport {
    pub schema_version: u32,
    pub stage: Stage,
    pub kind: Kind,
    pub phase: Option<Phase>,
    pub uploaded_to_gateway: bool,
    pub built_image_ref: Option<String>,
    pub gateway: Option<String>,
    pub engine: Option<Engine>,
    pub failed_step: Option<FailedStep>,
    pub rule: Option<String>,
    pub evidence: Vec<Evidence>,
    /// The sandbox's name, when the output shows it was created.
    pub sandbox: Option<String>,
    /// Provider validation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    pub exported_mib: Option<u64>,
    pub explanation: String,
}

impl Diagnosis {
    #[must_use]
    pub fn report(&self) -> DiagnosisReport {
        DiagnosisReport {
            schema_version: SCHEMA_VERSION,
            stage: self.stage,
            kind: self.kind,
            phase: self.phase,
            uploaded_to_gateway: self.uploaded_to_gateway,
            built_image_ref: self.built_image_ref.as_ref().map(|r| r.as_str().to_owned()),
            gateway: self.gateway.clone(),
            engine: self.engine,
            failed_step: self.failed_step.clone(),
            rule: self.rule.clone(),
            evidence: self.evidence.clone(),
            sandbox: self.sandbox.clone(),
            retry: if self.stage == Stage::ProviderValidation { Some(self.retry.unwrap_or(Retry::Selection)) } else { None },
            exported_mib: self.exported_mib,
            explanation: self.explanation.clone(),
        }
    }
}

impl Serialize for Diagnosis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.report().serialize(serializer)
    }
}
