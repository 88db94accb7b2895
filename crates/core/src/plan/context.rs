//! What the failed create asked for, for people: nothing secret, nothing host-specific,
//! never the runtime environment.

use serde::Serialize;

use crate::command::{CreateInvocation, FromSource, PathKind};
use crate::redact::redact;
use crate::screen::printable;

/// A value from the argv as the context may show it: masked, and without control
/// characters (JSON readers print it too).
fn shown(value: &str) -> String {
    printable(&redact(value))
}

/// What the failed create asked for, NemoClaw-style, without anything secret or
/// host-specific and never the runtime environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct CreateContext {
    /// What it built or pulled.
    pub source: String,
    /// Whether a policy was attached.
    pub policy: String,
    /// The providers it attached.
    pub providers: Vec<String>,
    /// Whether it asked for a GPU.
    pub gpu: String,
    /// CPU and memory, when given.
    pub resources: Option<String>,
    /// Always `omitted`: the runtime environment is never echoed.
    pub runtime_environment: String,
}

/// What the create asked for, from its argv.
#[must_use]
pub fn create_context(invocation: &CreateInvocation) -> CreateContext {
    let source = match invocation.value("--from") {
        None => "the gateway's default image".to_owned(),
        Some(from) => match FromSource::classify(from, |_| PathKind::Missing) {
            FromSource::Image(image) => image.to_string(),
            FromSource::Community { name, .. } => format!("community sandbox {}", shown(&name)),
            _ => "a local Dockerfile build".to_owned(),
        },
    };
    let gpu = match (invocation.has("--gpu"), invocation.value("--gpu")) {
        (false, _) => "no".to_owned(),
        (true, Some(count)) => format!("yes ({})", shown(count)),
        (true, None) => "yes".to_owned(),
    };
    let resources: Vec<String> = ["--cpu", "--memory"]
        .iter()
        .filter_map(|f| invocation.value(f).map(|v| format!("{}={}", f.trim_start_matches('-'), shown(v))))
        .collect();
    CreateContext {
        source,
        policy: if invocation.has("--policy") { "attached".to_owned() } else { "none".to_owned() },
        providers: invocation.values("--provider").into_iter().map(shown).collect(),
        gpu,
        resources: (!resources.is_empty()).then(|| resources.join(", ")),
        runtime_environment: "omitted".to_owned(),
    }
}
