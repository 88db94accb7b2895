//! What NemoClaw's own functions answer, from this engine: the reconstructed create
//! command, the provider-validation verdict and the recovery hints. `index.js` gives them
//! NemoClaw's names and its input coercion.

use std::fmt::Write as _;

use napi::bindgen_prelude::{Buffer, Either};
use napi::Result;
use napi_derive::napi;
use sandbox_triage_core::{
    hints_human, plan, printable, reconstruct, redact, shown_command, Arch, CreateInvocation, Frontend, Os, PlanInput, ProviderFailure,
    Stage, Style, Triage, Word,
};

use crate::settings::{invalid, parsed, rules};

/// NemoClaw's `createArgs` (flags alone) as an invocation, or the caller's mistake.
fn nemoclaw_invocation(create_args: &[String]) -> Result<CreateInvocation> {
    CreateInvocation::nemoclaw_flags(create_args).map_err(|e| invalid(format!("createArgs: {e}")))
}

/// NemoClaw's create command with `--from` swapped for `registry_ref`: every word quoted
/// for a POSIX shell; a temporary policy file, a secret and the runtime environment
/// stand as `"${SANDBOX_TRIAGE_<NAME>?}"`, which a shell refuses to run unset.
#[napi]
pub fn reconstruct_image_ref_create_command(create_args: Vec<String>, registry_ref: String) -> Result<String> {
    let invocation = nemoclaw_invocation(&create_args)?;
    let image = Word::lit(redact(&registry_ref).into_owned());
    Ok(shown_command(&reconstruct(&invocation, Some(&image)).words))
}

/// NemoClaw's `{ kind, retry }` for a provider-validation failure.
#[napi(object)]
pub struct Validation {
    /// `transport`, `credential`, `model`, `endpoint` or `unknown`.
    pub kind: String,
    /// `retry`, `credential`, `model` or `selection`.
    pub retry: String,
}

/// A provider-validation failure's kind and what to do next.
#[napi]
pub fn classify_validation(http_status: Option<u32>, curl_status: Option<i32>, message: String) -> Result<Validation> {
    let failure = ProviderFailure {
        message: &message,
        // A status that is no HTTP status compares equal to none, as in NemoClaw.
        http_status: http_status.and_then(|s| u16::try_from(s).ok()),
        curl_status: curl_status.filter(|&s| s != 0),
    };
    let diagnosis = sandbox_triage_core::classify_provider(rules()?.get(Stage::ProviderValidation), &failure);
    let retry = diagnosis.retry.map_or("selection", |r| r.as_str());
    Ok(Validation { kind: diagnosis.kind.as_str().to_owned(), retry: retry.to_owned() })
}

/// NemoClaw's `createContext`: what the create asked for, without its environment.
#[napi(object)]
#[derive(Default)]
pub struct NemoClawCreateContext {
    /// The `--from` value.
    pub source_reference: Option<String>,
    /// Whether a policy was attached.
    pub policy_attached: Option<bool>,
    /// The providers attached.
    pub providers: Option<Vec<String>>,
    /// Whether a GPU was asked for.
    pub gpu_requested: Option<bool>,
    /// The GPU device asked for.
    pub gpu_device: Option<String>,
    /// CPU asked for.
    pub cpu: Option<String>,
    /// Memory asked for.
    pub memory: Option<String>,
}

/// The options of NemoClaw's `printSandboxCreateRecoveryHints`.
#[napi(object)]
#[derive(Default)]
pub struct HintOptions {
    /// Node's `process.platform`.
    pub platform: Option<String>,
    /// Node's `process.arch`.
    pub arch: Option<String>,
    /// The create's flags, as NemoClaw passes them.
    pub create_args: Option<Vec<String>>,
    /// What the create asked for, when the flags are not passed.
    pub create_context: Option<NemoClawCreateContext>,
}

/// The recovery for a failed create, as NemoClaw shows hints: our plan, every line
/// indented two spaces, for standard error.
#[napi]
pub fn nemoclaw_hints(output: Either<Buffer, String>, options: Option<HintOptions>) -> Result<String> {
    let options = options.unwrap_or_default();
    let os: Option<Os> = parsed("platform", options.platform.as_deref())?;
    let arch: Option<Arch> = parsed("arch", options.arch.as_deref())?;
    let invocation = match options.create_args.as_deref() {
        Some(args) if !args.is_empty() => Some(nemoclaw_invocation(args)?),
        _ => None,
    };
    let mut triage = Triage::new(
        rules()?,
        Some(Stage::SandboxCreate),
        sandbox_triage_core::Options { failed: true, ..sandbox_triage_core::Options::default() },
        None,
        None,
    );
    match &output {
        Either::A(bytes) => triage.feed(bytes),
        Either::B(text) => triage.feed(text.as_bytes()),
    }
    let diagnosis = triage.finish();
    let recovery = plan(&PlanInput {
        diagnosis: &diagnosis,
        host: sandbox_triage_host::host(os, arch),
        engine: None,
        openshell_version: None,
        frontend: Frontend::NemoClaw { cli: sandbox_triage_host::nemoclaw_cli() },
        invocation: invocation.as_ref(),
    });
    let mut text = String::new();
    // The flags' own context is in the plan; NemoClaw's summary stands in without them.
    if let (None, Some(context)) = (&invocation, &options.create_context) {
        context_block(context, &mut text);
        text.push('\n');
    }
    text.push_str(&hints_human(&diagnosis, &recovery, Style { color: false, width: 98, evidence_width: Some(98) }));
    // Every branch of NemoClaw's own hints ends with its way back: kept, unless the plan
    // already resumes.
    let cli = sandbox_triage_host::nemoclaw_cli();
    let resumes =
        recovery.steps.iter().any(|step| sandbox_triage_core::shown_action(&step.action).is_some_and(|c| c.contains(" onboard --resume")));
    if !resumes {
        let _ = writeln!(text, "\nTo let NemoClaw create the sandbox again instead (it builds the image again): {cli} onboard --resume");
    }
    Ok(text.lines().map(|line| if line.is_empty() { "\n".to_owned() } else { format!("  {line}\n") }).collect())
}

/// NemoClaw's create-context summary, every value masked.
fn context_block(context: &NemoClawCreateContext, out: &mut String) {
    let shown = |value: &str| printable(&redact(value));
    let _ = writeln!(out, "create context (secrets and the runtime environment omitted)");
    let _ = writeln!(out, "  source: {}", context.source_reference.as_deref().map_or_else(|| "unknown".to_owned(), shown));
    let _ = writeln!(out, "  policy: {}", if context.policy_attached == Some(true) { "attached" } else { "none" });
    let providers: Vec<String> = context.providers.iter().flatten().map(|p| shown(p)).collect();
    let _ = writeln!(out, "  providers: {}", if providers.is_empty() { "none".to_owned() } else { providers.join(", ") });
    let gpu = match (&context.gpu_device, context.gpu_requested) {
        (Some(device), _) => shown(device),
        (None, Some(true)) => "requested".to_owned(),
        (None, _) => "none".to_owned(),
    };
    let _ = writeln!(out, "  gpu: {gpu}");
    let resources: Vec<String> = [("cpu", &context.cpu), ("memory", &context.memory)]
        .iter()
        .filter_map(|(name, value)| value.as_deref().map(|v| format!("{name}={}", shown(v))))
        .collect();
    let _ = writeln!(out, "  resources: {}", if resources.is_empty() { "defaults".to_owned() } else { resources.join(", ") });
}
