//! Diagnose failed OpenShell sandbox creates (and gateway starts, and provider
//! validations) from their output, and plan the recovery.
//!
//! The pipeline is pure, in four steps, each a folder of its own:
//!
//! 1. **rules**: a [`Catalogue`] of rules as data, each with its own cases; one stage's
//!    rules compiled for scanning are [`StageRules`].
//! 2. **classify**: a [`Classifier`] streams the output in bounded memory, tracks the
//!    [`Phase`] the create reached and the facts it printed, runs the rules on the few
//!    lines that hold one of their anchors, and answers a [`Diagnosis`]: the [`Kind`],
//!    the phase, the facts and the [`Evidence`] lines that prove it.
//! 3. **plan**: [`plan()`] turns a diagnosis into a [`Plan`] of typed [`Step`]s for the
//!    engine, gateway, OpenShell version, host and front end, with every command made
//!    of [`Word`]s and what must not be printed left to [`Placeholders`].
//! 4. **report**: renderers for people ([`plan_human`]), programs ([`plan_json`]) and
//!    shells ([`plan_script`]).
//!
//! Secrets are masked by [`redact()`] before anything is shown. Reading files, running
//! processes, printing and exit codes belong to the binary.
//!
//! ```
//! use sandbox_triage_core::{classify, Catalogue, Kind, Options, Phase, Stage, StageRules};
//!
//! let catalogue = Catalogue::builtin().unwrap();
//! let rules = StageRules::new(&catalogue, Stage::SandboxCreate);
//! let output = b"  Step 4/35 : RUN apt-get update\n  E: Failed to fetch http://deb.debian.org/x.deb  Connection reset by peer\nThe command '/bin/sh -c apt-get update' returned a non-zero code: 100\n";
//! let diagnosis = classify(&rules, Options::default(), output);
//! assert_eq!(diagnosis.kind, Kind::BuildStepNetworkFailed);
//! assert_eq!(diagnosis.phase, Some(Phase::Build));
//! ```

mod classify;
mod command;
mod container_log;
mod corpus;
mod dockerfile;
mod draft;
mod examine;
mod model;
mod plan;
mod redact;
mod report;
mod rules;
mod screen;

pub use classify::{classify, classify_provider, Begun, Classifier, Options, ProviderFailure, Sifted, Sifter, StageSet, Triage};
pub use command::{
    reconstruct, reconstruct_among, render, render_bytes, render_pipeline, variable, words, Arg, Carried, CreateInvocation, EnvWrapper,
    Form, FromSource, InvalidValue, InvocationError, Part, PathKind, Placeholder, Placeholders, Reconstruction, RenderError, Sensitivity,
    Shell, Spec, TrailingCommand, ValueKind, Word, VARIABLE_PREFIX,
};
pub use container_log::{
    container_log_argv, container_log_lines, container_log_wanted, container_lookup_argv, looked_up_container, CONTAINER_LOG_LINES,
    CONTAINER_LOG_PREFIX,
};
pub use corpus::CorpusLog;
pub use dockerfile::place_in_dockerfile;
pub use draft::{cases_hold, draft_rule, Draft, DraftError, DraftRequest};
pub use examine::{changed_answers, examine, Answer, ChangedAnswer, Examination, FailingCase, Shadowed};
pub use model::{
    is_valid_name, Arch, Cause, Diagnosis, DockerfileSpot, Engine, Era, Evidence, FailedStep, FrameLine, Host, ImageRef, ImageRefError,
    InvalidVersion, Kind, Os, Phase, PhaseScope, PhaseSpan, PlacedBy, Retry, RuleKind, Stage, StepSpan, Timeline, TimelineBuilder,
    UnknownId, UserKind, UserKindError, Version, SLOWEST_STEPS,
};
pub use plan::{
    create_context, plan, read_failure, reads, step_words, Action, Alternative, Applicability, Check, CreateContext, Frontend, Holds, Plan,
    PlanInput, Read, Reading, Sign, Step,
};
pub use redact::{carries_secret, redact, redact_bytes, secret_name, triggers as redaction_triggers, Redactor};
pub use report::{
    controls_marked, diagnosis_human, diagnosis_json, duration_human, hints_human, plan_human, plan_json, plan_json_schema,
    plan_json_timed, plan_report, plan_script, recovery_human, shown_action, shown_command, shown_words, timeline_human, AlternativeReport,
    CheckReport, DiagnosisReport, Look, PlaceholderReport, PlanOutput, PlanReport, ReportedKind, StepReport, Style, UserKindId,
    SCHEMA_VERSION,
};
pub use rules::{
    fires, BuildLine, BuildSummaryRule, Catalogue, CatalogueError, ExitStatusRule, FailedCommandRule, LineMatcher, LineRule, MarkerRule,
    Pattern, Provenance, ProviderRule, Releases, Role, Rule, RuleCase, StageRules, StepEvidenceRule,
};
pub use screen::printable;
