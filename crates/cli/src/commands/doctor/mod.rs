//! `sandbox-triage doctor`: the read-only checks of the host a create needs, each with
//! its result and, when it fails, its fix. Every check is bounded in time: a command is
//! run with a timeout, a gateway's endpoint has a few seconds to accept a connection,
//! so a hung engine or gateway is a failed check, not a hung doctor.

mod containers;
mod endpoint;
mod fixes;
mod gateways;
mod host;
mod human;
mod registry;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use sandbox_triage_core::{is_valid_name, printable, redact, Engine, SCHEMA_VERSION};
use sandbox_triage_recover::{Run, Runner};
use serde::Serialize;

use crate::args::{DoctorArgs, RecoverFormat};
use crate::exit::Exit;
use crate::output;
use crate::recover::process::Processes;
use crate::settings::Settings;

const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, Serialize)]
struct Finding {
    check: String,
    ok: bool,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<String>,
}

/// Runs `argv` quietly; its standard output when it succeeds.
fn probe(argv: &[&str]) -> Result<String, String> {
    let mut processes = Processes { stop: Arc::new(AtomicBool::new(false)) };
    let argv: Vec<String> = argv.iter().map(|s| (*s).to_owned()).collect();
    let finished = processes.run(&[argv], Run { timeout: TIMEOUT, secrets: &[], show: false }, &mut |_| {});
    match finished.first_failure() {
        None if finished.cut.is_none() => Ok(finished.stdout.trim().to_owned()),
        None => Err(format!("no answer within {} s", TIMEOUT.as_secs())),
        Some((_, end)) => Err(finished.tail.last().cloned().unwrap_or_else(|| end.describe())),
    }
}

/// A check's result. What the engine answers goes into it, so every field is made
/// printable: no escape sequence reaches a terminal, in either format.
fn finding(check: impl Into<String>, ok: bool, detail: impl Into<String>, fix: Option<String>) -> Finding {
    let shown = |text: String| printable(&text);
    Finding { check: shown(check.into()), ok, detail: shown(detail.into()), fix: fix.filter(|_| !ok).map(shown) }
}

/// A value read from a file or the environment, as it may be shown: secrets masked
/// (an endpoint may carry credentials), no control characters.
fn shown(text: &str) -> String {
    printable(&redact(text))
}

/// A path as it is shown: under `~` when it is in the home directory, which is shorter
/// and the same on every machine.
fn shown_path(path: &Path) -> String {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty() && h != "/");
    let relative = home.as_deref().and_then(|home| path.strip_prefix(home).ok());
    shown(&relative.map_or_else(|| path.display().to_string(), |rest| format!("~/{}", rest.display())))
}

pub(crate) fn run(args: &DoctorArgs, settings: &Settings) -> anyhow::Result<Exit> {
    // Like every gateway name, before anything is run with it; shown on one line.
    if let Some(gateway) = args.gateway.as_deref().filter(|g| !is_valid_name(g)) {
        anyhow::bail!(
            "--gateway '{}': not a valid name (1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit)",
            printable(&redact(gateway)).escape_debug()
        );
    }
    let engine = args.engine.unwrap_or_else(|| if probe(&["docker", "--version"]).is_ok() { Engine::Docker } else { Engine::Podman });
    let engine_check = host::engine_answers(engine, settings.host.os);
    // The CLI's era first: the gateway fixes depend on it. Its line comes later.
    let (openshell, era) = host::openshell_cli(settings);
    let host = gateways::Host { engine, engine_ok: engine_check.ok, os: settings.host.os, era };
    let found = gateways::check(&host, args.gateway.as_deref());
    let mut findings = vec![engine_check];
    findings.extend(found.findings);
    if host.engine_ok {
        findings.push(host::free_space(engine));
    }
    findings.push(openshell);
    findings.extend(host::gpu_cdi());
    let ok = findings.iter().all(|f| f.ok);
    let text = match args.format {
        RecoverFormat::Json => {
            serde_json::json!({
                "schema_version": SCHEMA_VERSION,
                "ok": ok,
                "engine": engine,
                "checks": findings,
                "gateways": found.gateways,
            })
            .to_string()
                + "\n"
        }
        RecoverFormat::Human => human::render(&findings, settings.style),
    };
    output::print(&text)?;
    Ok(if ok { Exit::Determined } else { Exit::Unknown })
}
