//! `sandbox-triage doctor`: the read-only checks of the host a create needs, each with
//! its result and, when it fails, its fix. Every check is a command run with a timeout:
//! a hung engine is a failed check, not a hung doctor.

use std::fmt::Write as _;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use sandbox_triage_core::{is_valid_name, printable, redact, Engine, Era, Os, Version};
use sandbox_triage_recover::{Run, Runner};
use serde::Serialize;

use crate::args::{DoctorArgs, RecoverFormat};
use crate::exit::Exit;
use crate::output;
use crate::recover::process::Processes;
use crate::settings::Settings;

const TIMEOUT: Duration = Duration::from_secs(20);
const CTR_SOCKET: &str = "/run/k3s/containerd/containerd.sock";
/// Free space below this where the engine keeps images fails the check: a sandbox
/// image and its export are several GiB.
const FREE_MIN_GIB: u64 = 10;

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

fn engine_start_fix(engine: Engine, os: Os) -> String {
    match (engine, os) {
        (Engine::Podman, Os::Linux) => "start it: `sudo systemctl start podman.socket` (or `systemctl --user start podman.socket`)".to_owned(),
        (Engine::Podman, _) => "start it: `podman machine start`".to_owned(),
        (_, Os::Macos) => "start it: `colima start`, or open Docker Desktop".to_owned(),
        (_, Os::Windows) => "start Docker Desktop".to_owned(),
        _ => "start it: `sudo systemctl start docker`; `permission denied` on the socket: add the user to the `docker` group and log in again".to_owned(),
    }
}

fn engine_answers(engine: Engine, os: Os) -> Finding {
    let template = if engine == Engine::Podman { "{{.Version.Version}}" } else { "{{.ServerVersion}}" };
    match probe(&[engine.as_str(), "info", "--format", template]) {
        Ok(version) => finding("engine", true, format!("{engine} {version} answers"), None),
        Err(why) => finding("engine", false, format!("{engine} does not answer: {why}"), Some(engine_start_fix(engine, os))),
    }
}

/// The gateway containers: the one named, or every `openshell-cluster-*`.
fn gateways(engine: Engine, only: Option<&str>) -> Vec<Finding> {
    let listed = probe(&[engine.as_str(), "ps", "-a", "--filter", "name=openshell-cluster-", "--format", "{{.Names}}\t{{.State}}"]);
    let Ok(listed) = listed else { return Vec::new() };
    let mut found: Vec<(String, String)> = listed
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(name, _)| name.starts_with("openshell-cluster-"))
        .map(|(name, state)| (name.to_owned(), state.to_owned()))
        .collect();
    if let Some(gw) = only {
        let wanted = format!("openshell-cluster-{gw}");
        found.retain(|(name, _)| *name == wanted);
        if found.is_empty() {
            let fix = format!("start the gateway: `openshell gateway start --name {gw}` (OpenShell 0.0.36 and older)");
            return vec![finding(format!("gateway {gw}"), false, format!("no container {wanted}"), Some(fix))];
        }
    }
    let mut out = Vec::new();
    for (name, state) in found {
        let gw = name.trim_start_matches("openshell-cluster-").to_owned();
        // Docker says `running`; Podman's `ps` says `Up 2 seconds ago`.
        let running = state.eq_ignore_ascii_case("running") || state.starts_with("Up");
        let fix = format!("start it: `{engine} start {name}` (or `openshell gateway start --name {gw}`)");
        out.push(finding(format!("gateway {gw}"), running, format!("{name} is {state}"), Some(fix)));
        if running {
            let answer = probe(&[engine.as_str(), "exec", &name, "ctr", "-a", CTR_SOCKET, "version"]);
            let fix = format!("restart the gateway: `{engine} restart {name}`");
            let detail = match &answer {
                Ok(_) => format!("its containerd answers on {CTR_SOCKET}"),
                Err(why) => format!("its containerd does not answer on {CTR_SOCKET}: {why}"),
            };
            out.push(finding(format!("gateway {gw} containerd"), answer.is_ok(), detail, Some(fix)));
        }
    }
    out
}

fn openshell_cli(settings: &Settings) -> Finding {
    let fix = Some("install the OpenShell CLI and put `openshell` on PATH".to_owned());
    let Ok(answer) = probe(&["openshell", "--version"]) else {
        return finding("openshell", false, "the `openshell` CLI is not found or does not run", fix);
    };
    let version: Option<Version> = answer.parse().ok().or(settings.openshell_version);
    let meaning = match version.map(Version::era) {
        Some(Era::TarUpload) => "0.0.36 or older: the CLI uploads the built image into the gateway container (the upload failures, and their stream-import recovery, apply)",
        Some(Era::PackageManaged) => "0.0.37 or newer: nothing is uploaded; the gateway must find the image in its engine's store",
        _ => "a version this tool cannot read",
    };
    finding("openshell", true, format!("{answer}: {meaning}"), None)
}

fn free_space(engine: Engine) -> Finding {
    let template = if engine == Engine::Podman { "{{.Store.GraphRoot}}" } else { "{{.DockerRootDir}}" };
    let Ok(root) = probe(&[engine.as_str(), "info", "--format", template]) else {
        return finding("free space", false, "the engine does not say where it stores images", None);
    };
    match nix::sys::statvfs::statvfs(root.as_str()) {
        Ok(stat) => {
            let free = (stat.blocks_available() * stat.fragment_size()) >> 30;
            let fix = format!("free space: `{engine} system df`, then `{engine} image prune` or `{engine} builder prune`");
            finding("free space", free >= FREE_MIN_GIB, format!("{free} GiB free in {root}"), Some(fix))
        }
        // On macOS and Windows the store is inside the engine's VM.
        Err(_) => finding("free space", true, format!("{root} is not on this host (the engine's VM): not checked"), None),
    }
}

fn gpu_cdi() -> Option<Finding> {
    let present = std::path::Path::new("/dev/nvidia0").exists() || probe(&["nvidia-smi", "-L"]).is_ok();
    if !present {
        return None;
    }
    let fix = Some("`sudo nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml`".to_owned());
    Some(match probe(&["nvidia-ctk", "cdi", "list"]) {
        Ok(list) if list.lines().any(|l| l.trim() == "nvidia.com/gpu=all") => {
            finding("gpu cdi", true, "nvidia.com/gpu=all is defined", None)
        }
        Ok(_) => finding("gpu cdi", false, "a GPU is present but no CDI device nvidia.com/gpu=all is defined", fix),
        Err(why) => finding("gpu cdi", false, format!("a GPU is present but `nvidia-ctk cdi list` fails: {why}"), fix),
    })
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
    let mut findings = vec![engine_answers(engine, settings.host.os)];
    if findings[0].ok {
        findings.extend(gateways(engine, args.gateway.as_deref()));
        findings.push(free_space(engine));
    }
    findings.push(openshell_cli(settings));
    findings.extend(gpu_cdi());
    let ok = findings.iter().all(|f| f.ok);
    let text = match args.format {
        RecoverFormat::Json => serde_json::json!({ "ok": ok, "engine": engine, "checks": findings }).to_string() + "\n",
        RecoverFormat::Human => human(&findings, ok),
    };
    output::print(&text)?;
    Ok(if ok { Exit::Determined } else { Exit::Unknown })
}

fn human(findings: &[Finding], ok: bool) -> String {
    let width = findings.iter().map(|f| f.check.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for f in findings {
        let mark = if f.ok { "✓" } else { "✗" };
        let _ = writeln!(out, "{mark} {:width$}  {}", f.check, f.detail);
        if let Some(fix) = &f.fix {
            let _ = writeln!(out, "  {:width$}  fix: {fix}", "");
        }
    }
    out.push_str(if ok { "all checks pass\n" } else { "some checks fail\n" });
    out
}
