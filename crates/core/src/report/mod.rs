//! Rendering, pure: a diagnosis and its plan for people ([`diagnosis_human()`],
//! [`plan_human()`]), for programs ([`diagnosis_json`], [`plan_json`], with
//! [`plan_json_schema`]) and as a POSIX script ([`plan_script()`]). The caller decides
//! where the text goes and whether the terminal takes colour.

mod clip;
mod diagnosis_human;
mod dockerfile_human;
mod json;
mod plan_human;
mod script;
mod shown;
mod style;
mod timeline_human;
mod wrap;

pub use diagnosis_human::diagnosis_human;
pub use json::{
    diagnosis_json, plan_json, plan_json_schema, plan_json_timed, plan_report, AlternativeReport, CheckReport, DiagnosisReport,
    PlaceholderReport, PlanOutput, PlanReport, ReportedKind, StepReport, UserKindId, SCHEMA_VERSION,
};
pub use plan_human::{hints_human, plan_human, recovery_human};
pub use script::plan_script;
pub use shown::{controls_marked, shown_action, shown_command, shown_words};
pub use style::{Look, Style};
pub use timeline_human::{duration_human, timeline_human};
