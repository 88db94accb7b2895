//! `diagnose`, `plan` and `redact`: what `classify`, `plan` and `redact` print.

use napi::bindgen_prelude::{Buffer, Either};
use napi::Result;
use napi_derive::napi;
use sandbox_triage_core::{
    diagnosis_human, diagnosis_json, plan_human, plan_json, plan_script, Arch, CreateInvocation, Diagnosis, Engine, Os, PlanInput, Style,
    Triage, Version,
};

use crate::settings::{invalid, parsed, rules, DiagnoseOptions, Reading};

/// A diagnosis, kept whole for [`plan`]: its JSON object is what `classify --format json`
/// prints.
#[napi]
pub struct Diagnosed {
    pub(crate) diagnosis: Diagnosis,
    /// The release the output was read as, for the plan.
    pub(crate) version: Option<Version>,
}

/// How a report for people looks.
#[napi(object)]
#[derive(Default)]
pub struct LookOptions {
    /// ANSI colour.
    pub color: Option<bool>,
    /// Prose is wrapped to this many columns (20 to 100; 80 when absent).
    pub width: Option<u32>,
}

fn style(look: Option<LookOptions>) -> Style {
    let look = look.unwrap_or_default();
    let width = look.width.map_or(80, |w| w as usize).clamp(20, 100);
    Style { color: look.color.unwrap_or(false), width, evidence_width: None }
}

#[napi]
impl Diagnosed {
    /// The object `classify --format json` prints, as one line of JSON.
    #[napi]
    #[must_use]
    pub fn json(&self) -> String {
        diagnosis_json(&self.diagnosis)
    }

    /// What `classify` prints for people.
    #[napi]
    #[must_use]
    pub fn human(&self, look: Option<LookOptions>) -> String {
        diagnosis_human(&self.diagnosis, style(look))
    }
}

/// Classifies a whole output, as `sandbox-triage classify` does.
#[napi]
pub fn diagnose(output: Either<Buffer, String>, options: Option<DiagnoseOptions>) -> Result<Diagnosed> {
    let reading = Reading::new(options)?;
    let mut triage = Triage::new(rules()?, reading.stage, reading.options, reading.http_status, reading.curl_status);
    let bytes: &[u8] = match &output {
        Either::A(bytes) => bytes,
        Either::B(text) => text.as_bytes(),
    };
    // Read as the command reads a file: a second thread cleans each chunk while the
    // first applies the rules to the one before.
    triage.read_from(bytes).map_err(|e| napi::Error::new(napi::Status::GenericFailure, format!("cannot read the output: {e}")))?;
    Ok(reading.answer(triage.finish()))
}

impl Reading {
    /// The answer, with its failed step placed in the Dockerfile when one can be read.
    pub(crate) fn answer(&self, mut diagnosis: Diagnosis) -> Diagnosed {
        sandbox_triage_host::place_dockerfile(&mut diagnosis, self.dockerfile.as_deref(), None);
        Diagnosed { diagnosis, version: self.options.openshell_version }
    }
}

/// What the plan is for: the options `sandbox-triage plan` takes.
#[napi(object)]
#[derive(Default)]
pub struct PlanOptions {
    /// The host's OS (`linux`, `darwin`/`macos`, `win32`/`windows`); this machine's when
    /// absent.
    pub platform: Option<String>,
    /// The host's CPU (`x64`/`x86_64`, `arm64`/`aarch64`); this machine's when absent.
    pub arch: Option<String>,
    /// The engine (`docker`, `podman`); from the output when absent.
    pub engine: Option<String>,
    /// The OpenShell release; the one the diagnosis was read as when absent.
    pub openshell_version: Option<String>,
    /// `openshell` or `nemoclaw`; NemoClaw when the create ran `nemoclaw-start`.
    pub frontend: Option<String>,
    /// The failed create's whole command line, for commands that keep its flags.
    pub argv: Option<Vec<String>>,
    /// `json` (the default), `human` or `sh`.
    pub format: Option<String>,
    /// For `human`: colour and width.
    pub look: Option<LookOptions>,
}

/// The recovery plan, as `sandbox-triage plan --format <format>` prints it.
#[napi]
pub fn plan(diagnosed: &Diagnosed, options: Option<PlanOptions>) -> Result<String> {
    let options = options.unwrap_or_default();
    let os: Option<Os> = parsed("platform", options.platform.as_deref())?;
    let arch: Option<Arch> = parsed("arch", options.arch.as_deref())?;
    let engine: Option<Engine> = parsed("engine", options.engine.as_deref())?;
    let version: Option<Version> = parsed("openshellVersion", options.openshell_version.as_deref())?;
    let invocation = match &options.argv {
        Some(argv) if !argv.is_empty() => Some(CreateInvocation::parse(argv).map_err(|e| invalid(format!("argv: {e}")))?),
        _ => None,
    };
    let nemoclaw = match options.frontend.as_deref() {
        None => None,
        Some("nemoclaw") => Some(true),
        Some("openshell") => Some(false),
        Some(other) => return Err(invalid(format!("frontend: unknown front end '{other}' (expected openshell or nemoclaw)"))),
    };
    let diagnosis = &diagnosed.diagnosis;
    let recovery = sandbox_triage_core::plan(&PlanInput {
        diagnosis,
        host: sandbox_triage_host::host(os, arch),
        engine,
        openshell_version: version.or(diagnosed.version),
        frontend: sandbox_triage_host::frontend(nemoclaw, invocation.as_ref()),
        invocation: invocation.as_ref(),
    });
    match options.format.as_deref().unwrap_or("json") {
        "json" => Ok(plan_json(diagnosis, &recovery)),
        "human" => Ok(plan_human(diagnosis, &recovery, style(options.look))),
        "sh" => Ok(plan_script(diagnosis, &recovery)),
        other => Err(invalid(format!("format: unknown format '{other}' (expected json, human or sh)"))),
    }
}

/// `text` with every secret masked, as every output of the tool is.
#[napi]
#[must_use]
pub fn redact(text: String) -> String {
    sandbox_triage_core::redact(&text).into_owned()
}
