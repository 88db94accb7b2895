//! The JSON contract: what `classify --format json` and `plan --format json` print, and
//! its JSON Schema. Additions keep [`SCHEMA_VERSION`]; anything else bumps it.

use serde::Serialize;

use crate::command::{render, render_pipeline, Placeholder, Sensitivity, Shell, ValueKind, Word};
use crate::model::{Cause, Diagnosis, DockerfileSpot, Engine, Era, Evidence, FailedStep, Kind, Phase, Retry, Stage, Timeline, UserKind};
use crate::plan::{Action, Applicability, Check, CreateContext, Holds, Plan, Sign, Step};

/// Version of the JSON objects `classify --format json` and `plan --format json` print.
pub const SCHEMA_VERSION: u32 = 1;

/// The diagnosis as programs read it (`classify --format json`, and `"diagnosis"` in a
/// plan): the contract of [`SCHEMA_VERSION`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DiagnosisReport {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Which command's output was classified.
    pub stage: Stage,
    /// The failure kind: the catalogue's, or the id of a kind of the user's own rules
    /// (`--rules DIR`), which `user_kind` then describes.
    pub kind: ReportedKind,
    /// Present only for a kind of the user's own rules: its id, title and fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_kind: Option<UserKind>,
    /// The phase the failure is attributed to.
    pub phase: Option<Phase>,
    /// NemoClaw's flag: an upload marker was seen.
    pub uploaded_to_gateway: bool,
    /// The image the create built.
    pub built_image_ref: Option<String>,
    /// The gateway's name.
    pub gateway: Option<String>,
    /// The container engine the wording shows.
    pub engine: Option<Engine>,
    /// The engine that built the image, when the builder's wording shows it.
    pub build_engine: Option<Engine>,
    /// The build step that failed.
    pub failed_step: Option<FailedStep>,
    /// The id of the rule that decided the kind.
    pub rule: Option<String>,
    /// Present, and true, only when a user's rules (`--rules DIR`) took part in the
    /// answer: the tool carries out nothing for it.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub by_users_rules: bool,
    /// For a failed build step: the line of its output that says why, and what such a
    /// line usually means.
    pub cause: Option<Cause>,
    /// For a failed build step: where its instruction is in the Dockerfile (`line` is
    /// null until placed: the builder's frame, or the file read from disk).
    pub dockerfile: Option<DockerfileSpot>,
    /// The lines that prove the answer.
    pub evidence: Vec<Evidence>,
    /// The sandbox's name, when the output shows it was created.
    pub sandbox: Option<String>,
    /// Provider validation only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry: Option<Retry>,
    /// The last `[progress] Exported N MiB`.
    pub exported_mib: Option<u64>,
    /// The image the gateway was to run the sandbox from, when the output names it.
    pub sandbox_image: Option<String>,
    /// Whether that image is one a create built locally (`openshell/sandbox-from:<ts>`).
    pub sandbox_image_local: bool,
    /// The sandbox's last reported status, masked.
    pub reported_status: Option<String>,
    /// The limit that ran out, in seconds.
    pub timeout_secs: Option<u64>,
    /// Which OpenShell releases the output comes from: `tar-upload` (0.0.36 and older)
    /// or `package-managed` (0.0.37 and newer); null when neither the version nor the
    /// wording shows it.
    pub era: Option<Era>,
    /// What the kind means, for people.
    pub explanation: String,
}

impl DiagnosisReport {
    /// The report of `diagnosis`.
    #[must_use]
    pub fn new(diagnosis: &Diagnosis) -> DiagnosisReport {
        DiagnosisReport {
            schema_version: SCHEMA_VERSION,
            stage: diagnosis.stage,
            kind: match &diagnosis.user_kind {
                Some(own) => ReportedKind::Own(UserKindId(own.id.clone())),
                None => ReportedKind::Catalogue(diagnosis.kind),
            },
            user_kind: diagnosis.user_kind.as_deref().cloned(),
            phase: diagnosis.phase,
            uploaded_to_gateway: diagnosis.uploaded_to_gateway,
            built_image_ref: diagnosis.built_image_ref.as_ref().map(|r| r.as_str().to_owned()),
            gateway: diagnosis.gateway.clone(),
            engine: diagnosis.engine,
            build_engine: diagnosis.build_engine,
            failed_step: diagnosis.failed_step.clone(),
            rule: diagnosis.rule.clone(),
            by_users_rules: diagnosis.by_users_rule,
            cause: diagnosis.cause.clone(),
            dockerfile: diagnosis.dockerfile.clone(),
            evidence: diagnosis.evidence.clone(),
            sandbox: diagnosis.sandbox.clone(),
            retry: if diagnosis.stage == Stage::ProviderValidation { Some(diagnosis.retry.unwrap_or(Retry::Selection)) } else { None },
            exported_mib: diagnosis.exported_mib,
            sandbox_image: diagnosis.sandbox_image.as_ref().map(|r| r.as_str().to_owned()),
            sandbox_image_local: diagnosis.sandbox_image_local,
            reported_status: diagnosis.reported_status.clone(),
            timeout_secs: diagnosis.timeout_secs,
            era: diagnosis.era,
            explanation: diagnosis.explanation.clone(),
        }
    }
}

/// A diagnosis's kind as programs read it: one of the catalogue's, or a user's own id.
/// Without `--rules DIR` naming kinds of its own, it is always the catalogue's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(untagged)]
pub enum ReportedKind {
    /// A kind of the catalogue.
    Catalogue(Kind),
    /// A kind of the user's own rules.
    Own(UserKindId),
}

/// The id of a kind of the user's own rules (lowercase letters, digits and `_`), never one
/// of the catalogue's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct UserKindId(pub String);

impl schemars::JsonSchema for UserKindId {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "UserKindId".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A kind of the user's own rules (`--rules DIR`): `user_kind` says what it is.",
            "type": "string",
            "pattern": "^[a-z][a-z0-9_]{0,63}$"
        })
    }
}

/// The diagnosis's JSON object (one line, no trailing newline).
#[must_use]
pub fn diagnosis_json(diagnosis: &Diagnosis) -> String {
    serde_json::to_string(&DiagnosisReport::new(diagnosis)).expect("a diagnosis always serialises")
}

/// A step as programs read it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StepReport {
    /// What it is for.
    pub purpose: String,
    /// How it may be run.
    pub applicability: Applicability,
    /// The command's words (placeholders as `<NAME>`), or null for a pipeline or advice.
    pub argv: Option<Vec<String>>,
    /// The commands of a pipeline, or null.
    pub pipeline: Option<Vec<Vec<String>>>,
    /// The command quoted for a POSIX shell, as the human and sh renderings show it.
    pub shell: Option<String>,
    /// What must hold before it runs.
    pub pre: Option<CheckReport>,
    /// What must hold after it ran.
    pub post: Option<CheckReport>,
    /// When this holds, the step's work is already done: it is skipped.
    pub skip_if: Option<CheckReport>,
    /// What else to know.
    pub note: Option<String>,
    /// The command that puts back what the step changed, run when a later step fails or
    /// the run is stopped (placeholders as `<NAME>`), or null.
    pub undo: Option<Vec<String>>,
    /// What shows there is something to put back, or null.
    pub undo_if: Option<CheckReport>,
    /// What must hold for putting back to be safe, or null.
    pub undo_safe: Option<CheckReport>,
    /// Why only a person may say yes to it (`--yes` does not), or null.
    pub in_person: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
/// What a failed check shows about the machine, and the way on.
pub struct ReadingReport {
    /// What in the check's output shows it.
    pub sign: Sign,
    /// The machine's state, in one sentence.
    pub state: String,
    /// The next command's words (placeholders as `<NAME>`), or null.
    pub next: Option<Vec<String>>,
    /// What else to know or do, or null.
    pub advice: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
/// A probe and its expectation.
pub struct CheckReport {
    /// The probe's words.
    pub argv: Vec<String>,
    /// What its output must show, for people.
    pub expect: String,
    /// When it holds, for programs: `{"kind": "succeeds"}` (exit 0), or
    /// `{"kind": "prints-line", "line": …}` (exit 0 and a line exactly that).
    pub holds: Holds,
    /// What its output shows when it does not hold, first match first.
    pub readings: Vec<ReadingReport>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
/// Another route.
pub struct AlternativeReport {
    /// What the route is.
    pub title: String,
    /// When it works.
    pub conditions: Vec<String>,
    /// Its steps.
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
/// A value the operator must supply, or the create carried.
pub struct PlaceholderReport {
    /// Its name, as commands show it (`<NAME>`).
    pub name: String,
    /// The variable a rendered command reads it from (`SANDBOX_TRIAGE_<NAME>`).
    pub variable: String,
    /// Why it is not printed.
    pub reason: String,
    /// What the value must be.
    pub kind: ValueKind,
    /// How it may be shown.
    pub sensitivity: Sensitivity,
    /// Whether the create's own argv carried it (`recover` and `run --recover` use that
    /// value; it is never printed).
    pub carried: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
/// The plan as programs read it.
pub struct PlanReport {
    /// The recovery in one sentence.
    pub headline: String,
    /// What else the operator should know.
    pub notes: Vec<String>,
    /// What the failed create asked for.
    pub context: Option<CreateContext>,
    /// The steps, in order.
    pub steps: Vec<StepReport>,
    /// Other routes.
    pub alternatives: Vec<AlternativeReport>,
    /// The values the operator must supply.
    pub placeholders: Vec<PlaceholderReport>,
}

/// `sandbox-triage plan --format json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PlanOutput {
    /// The schema version.
    pub schema_version: u32,
    /// The diagnosis.
    pub diagnosis: DiagnosisReport,
    /// Its recovery plan.
    pub plan: PlanReport,
    /// Where a supervised run (`run`) spent its time; absent for a captured log.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeline: Option<Timeline>,
}

fn display(words: &[Word]) -> Vec<String> {
    words.iter().map(Word::display).collect()
}

pub(crate) fn posix(action: &Action) -> Option<String> {
    match action {
        Action::Argv(argv) => render(argv, Shell::Posix).ok(),
        Action::Pipeline(commands) => render_pipeline(commands, Shell::Posix).ok(),
        Action::Nothing => None,
    }
}

fn check_report(check: &Check) -> CheckReport {
    CheckReport {
        argv: display(&check.argv),
        expect: check.expect.clone(),
        holds: check.holds.clone(),
        readings: check
            .readings
            .iter()
            .map(|r| ReadingReport {
                sign: r.sign.clone(),
                state: r.state.clone(),
                next: r.next.as_deref().map(display),
                advice: r.advice.clone(),
            })
            .collect(),
    }
}

fn step_report(step: &Step) -> StepReport {
    StepReport {
        purpose: step.purpose.clone(),
        applicability: step.applicability,
        argv: match &step.action {
            Action::Argv(argv) => Some(display(argv)),
            _ => None,
        },
        pipeline: match &step.action {
            Action::Pipeline(commands) => Some(commands.iter().map(|c| display(c)).collect()),
            _ => None,
        },
        shell: posix(&step.action),
        pre: step.pre.as_ref().map(check_report),
        post: step.post.as_ref().map(check_report),
        skip_if: step.skip_if.as_ref().map(check_report),
        note: step.note.clone(),
        undo: match &step.undo {
            Some(Action::Argv(argv)) => Some(display(argv)),
            _ => None,
        },
        undo_if: step.undo_if.as_ref().map(check_report),
        undo_safe: step.undo_safe.as_ref().map(check_report),
        in_person: step.in_person.clone(),
    }
}

/// The plan as programs read it.
#[must_use]
pub fn plan_report(plan: &Plan) -> PlanReport {
    PlanReport {
        headline: plan.headline.clone(),
        notes: plan.notes.clone(),
        context: plan.context.clone(),
        steps: plan.steps.iter().map(step_report).collect(),
        alternatives: plan
            .alternatives
            .iter()
            .map(|a| AlternativeReport {
                title: a.title.clone(),
                conditions: a.conditions.clone(),
                steps: a.steps.iter().map(step_report).collect(),
            })
            .collect(),
        placeholders: plan
            .placeholders
            .list()
            .iter()
            .map(|p: &Placeholder| PlaceholderReport {
                name: p.name.clone(),
                variable: p.variable(),
                reason: p.reason.clone(),
                kind: p.kind,
                sensitivity: p.sensitivity,
                carried: p.carried.is_some(),
            })
            .collect(),
    }
}

/// The JSON object (one line, no trailing newline).
#[must_use]
pub fn plan_json(diagnosis: &Diagnosis, plan: &Plan) -> String {
    plan_json_timed(diagnosis, plan, None)
}

/// [`plan_json`] of a supervised run, with its timeline.
#[must_use]
pub fn plan_json_timed(diagnosis: &Diagnosis, plan: &Plan, timeline: Option<&Timeline>) -> String {
    let output = PlanOutput {
        schema_version: SCHEMA_VERSION,
        diagnosis: DiagnosisReport::new(diagnosis),
        plan: plan_report(plan),
        timeline: timeline.cloned(),
    };
    serde_json::to_string(&output).expect("a plan always serialises")
}

/// The JSON Schema of [`PlanOutput`], pretty-printed.
#[must_use]
pub fn plan_json_schema() -> String {
    let schema = schemars::schema_for!(PlanOutput);
    serde_json::to_string_pretty(&schema).expect("a schema serialises") + "\n"
}
