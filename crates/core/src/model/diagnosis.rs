//! What classification answers: the kind, the phase, the facts and the evidence.

use serde::Serialize;

use crate::model::{Engine, Era, ImageRef, Kind, Phase, Retry, Stage, UserKind};

/// One line that proves the answer, with its 1-based number in the input. The text is
/// cleaned (no terminal escapes), has its secrets masked, and is clipped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct Evidence {
    /// The line's 1-based number in the input.
    pub line: u64,
    /// The line's text.
    pub text: String,
}

/// The line of a failed build step's own output that says why it failed: the first
/// error the step's tool printed, never a later consequence or a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Cause {
    /// The line's 1-based number in the input.
    pub line: u64,
    /// The line's text (cleaned, masked, clipped).
    pub text: String,
    /// What such a line usually means, when its rule says (never beyond the evidence).
    pub hint: Option<String>,
}

/// The build step that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct FailedStep {
    /// The step's number (`Step 4/35` is 4).
    pub number: Option<u32>,
    /// How many steps the build has.
    pub total: Option<u32>,
    /// The command the step ran, masked.
    pub command: Option<String>,
    /// The step's instruction as the builder's step header printed it (`RUN make`),
    /// masked.
    pub instruction: Option<String>,
}

/// The classifier's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnosis {
    /// Which command's output was classified.
    pub stage: Stage,
    /// The failure kind.
    pub kind: Kind,
    /// For [`Kind::UserKind`]: the user's kind its rule names.
    pub user_kind: Option<std::sync::Arc<UserKind>>,
    /// The phase the failure is attributed to; for `none` and `unknown`, the furthest
    /// phase the output reached.
    pub phase: Option<Phase>,
    /// NemoClaw's flag: an upload marker was seen (forced for `sandbox_create_incomplete`).
    pub uploaded_to_gateway: bool,
    /// The image the create built, when its output proves one.
    pub built_image_ref: Option<ImageRef>,
    /// The gateway's name.
    pub gateway: Option<String>,
    /// The sandbox's name, when `Created sandbox: <name>` was printed.
    pub sandbox: Option<String>,
    /// The container engine the gateway uses, as wording outside the build shows it (the
    /// last that does). Up to 0.0.36, when nothing else shows it, the engine that built
    /// (it ran the gateway too); from 0.0.37 the gateway's driver finds its own engine,
    /// which the build's wording does not tell.
    pub engine: Option<Engine>,
    /// The engine that built the image, when the builder's wording shows it.
    pub build_engine: Option<Engine>,
    /// The build step that failed, for build failures.
    pub failed_step: Option<FailedStep>,
    /// The last `[progress] Exported N MiB`.
    pub exported_mib: Option<u64>,
    /// The image the gateway was to run the sandbox from, when the output names it
    /// (`Pulling image <ref>`, `ImagePullFailed: pull Docker image '<ref>'`).
    pub sandbox_image: Option<ImageRef>,
    /// Whether that image is one a create built locally (`openshell/sandbox-from:<ts>`,
    /// or the built image), not a registry image.
    pub sandbox_image_local: bool,
    /// The sandbox's last reported status (`Last reported status: <reason>: <message>`,
    /// or the reason of an error phase), masked.
    pub reported_status: Option<String>,
    /// The limit that ran out, in seconds (the provisioning timeout, the build's
    /// no-output limit).
    pub timeout_secs: Option<u64>,
    /// Which OpenShell releases the output comes from: the `--openshell-version` given,
    /// else the wording (a message only one era prints).
    pub era: Option<Era>,
    /// The id of the rule that decided the kind.
    pub rule: Option<String>,
    /// Whether a user's rule (`--rules DIR`) took part in the answer: it decided it,
    /// matched a line of the output, or a user's file removed a built-in rule. The tool
    /// then carries out nothing for it.
    pub by_users_rule: bool,
    /// What the kind means, for people.
    pub explanation: String,
    /// For a failed build step: the line of its output that says why.
    pub cause: Option<Cause>,
    /// For a failed build step: where its instruction is in the Dockerfile.
    pub dockerfile: Option<crate::model::DockerfileSpot>,
    /// The lines that prove the answer.
    pub evidence: Vec<Evidence>,
    /// Provider validation: what to do next.
    pub retry: Option<Retry>,
    /// Lines read.
    pub lines: u64,
    /// Bytes read.
    pub bytes: u64,
}

impl Diagnosis {
    /// The `unknown` answer for `stage`, with no facts: the start of every answer.
    #[must_use]
    pub fn unknown(stage: Stage, explanation: impl Into<String>) -> Diagnosis {
        Diagnosis {
            stage,
            kind: Kind::Unknown,
            user_kind: None,
            phase: None,
            uploaded_to_gateway: false,
            built_image_ref: None,
            gateway: None,
            sandbox: None,
            engine: None,
            build_engine: None,
            failed_step: None,
            exported_mib: None,
            sandbox_image: None,
            sandbox_image_local: false,
            reported_status: None,
            timeout_secs: None,
            era: None,
            rule: None,
            by_users_rule: false,
            explanation: explanation.into(),
            cause: None,
            dockerfile: None,
            evidence: Vec::new(),
            retry: None,
            lines: 0,
            bytes: 0,
        }
    }

    /// The answer for output that plainly belongs to another stage than the one asked
    /// for: `unknown`, with a hint naming the stage it looks like.
    #[must_use]
    pub fn wrong_stage(asked: Stage, looks_like: Stage) -> Diagnosis {
        Diagnosis::unknown(
            asked,
            format!("This output looks like {looks_like} output (it shows a build or a sandbox being created), not {asked}: classify it with `--stage {looks_like}`."),
        )
    }

    /// Whether a failure kind (or `none`) was determined; `unknown` is not.
    #[must_use]
    pub fn is_determined(&self) -> bool {
        self.kind != Kind::Unknown
    }

    /// The kind's id as shown: the user's kind's own, else the catalogue's.
    #[must_use]
    pub fn kind_id(&self) -> &str {
        match &self.user_kind {
            Some(own) => &own.id,
            None => self.kind.as_str(),
        }
    }
}
