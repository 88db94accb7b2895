//! A failed build on the real engines, placed in its Dockerfile end to end: Docker
//! Engine's classic builder and Podman build a Dockerfile of another name whose
//! continued `RUN` fails in its second command; `run` supervises the build and reports
//! the instruction's lines and the failed command, the human report shows them on its
//! first screen, and once the file is edited the kept log is said not to match it.

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::BIN;
use crate::recover_engine::images;

/// Comments and blank lines put the failing instruction (step 3) on lines 7-9.
const DOCKERFILE: &str = "# A comment and a blank line: lines are not steps.\n\nFROM sbxt-busybox:1\nLABEL sbxt.test=dockerfile-place\n\n# the failing step\nRUN echo one && \\\n    sbxt_missing_tool --flag && \\\n    echo three\nRUN echo never\n";
const LABEL: &str = "label=sbxt.test=dockerfile-place";

fn build_command(engine: &str) -> Vec<&'static str> {
    match engine {
        "docker" => vec!["env", "DOCKER_BUILDKIT=0", "docker", "build", "--no-cache", "--force-rm", "-f", "build/Custom.dockerfile", "."],
        _ => vec!["podman", "build", "--no-cache", "--pull=never", "--network", "none", "-f", "build/Custom.dockerfile", "."],
    }
}

fn sandbox_triage(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).args(args).current_dir(dir).env("COLUMNS", "80").stdin(Stdio::null()).output().expect("sandbox-triage runs")
}

/// The engine's intermediate images of this build (the classic builder and Podman keep
/// the steps that succeeded).
fn prune(engine: &str) {
    let _ = Command::new(engine).args(["image", "prune", "-f", "--filter", LABEL]).output();
}

fn placed_end_to_end(engine: &'static str) {
    images(engine);
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("build")).expect("build/");
    let dockerfile = dir.path().join("build/Custom.dockerfile");
    fs::write(&dockerfile, DOCKERFILE).expect("Dockerfile");
    let mut args = vec![
        "run",
        "--no-probe",
        "--quiet",
        "--dockerfile",
        "build/Custom.dockerfile",
        "--json-out",
        "plan.json",
        "--log",
        "build.log",
        "--",
    ];
    args.extend(build_command(engine));
    let out = sandbox_triage(dir.path(), &args);
    prune(engine);
    assert_eq!(out.status.code(), Some(127), "{engine}: the build's own status: {}", String::from_utf8_lossy(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&fs::read(dir.path().join("plan.json")).expect("plan.json")).expect("JSON");
    let diagnosis = &plan["diagnosis"];
    assert_eq!(diagnosis["kind"], "build_step_failed", "{engine}: {diagnosis}");
    assert_eq!(diagnosis["failed_step"]["number"], 3, "{engine}");
    assert!(diagnosis["cause"]["text"].as_str().is_some_and(|t| t.ends_with("sbxt_missing_tool: not found")), "{engine}: {diagnosis}");
    let spot = &diagnosis["dockerfile"];
    assert_eq!(spot["path"], "build/Custom.dockerfile", "{engine}: {spot}");
    assert_eq!((spot["line"].as_u64(), spot["end_line"].as_u64()), (Some(7), Some(9)), "{engine}: {spot}");
    assert_eq!(spot["failed_command"], "sbxt_missing_tool --flag", "{engine}: {spot}");
    assert_eq!(spot["placed_by"], "file", "{engine}");
    assert_eq!(spot["frame"][1]["underline"], serde_json::json!([4, 28]), "{engine}: {spot}");

    first_screen(engine, dir.path());
    stale(engine, dir.path(), &dockerfile);
}

/// The operator's first screen: the kind, the cause, the hint and the Dockerfile's lines
/// with the failed command underlined, before the facts and the evidence.
fn first_screen(engine: &str, dir: &Path) {
    let shown = sandbox_triage(dir, &["classify", "--exit-status", "127", "--dockerfile", "build/Custom.dockerfile", "build.log"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    let screen: Vec<&str> = text.lines().take(24).collect();
    assert!(screen.iter().all(|l| l.chars().count() <= 80), "{engine}: wider than 80:\n{text}");
    let at = |needle: &str| {
        screen.iter().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{engine}: {needle:?} not on the first screen:\n{text}"))
    };
    let order = [
        at("build_step_failed"),
        at("sbxt_missing_tool: not found"),
        at("hint: "),
        at("dockerfile build/Custom.dockerfile:7-9 (step 3/4)"),
        at("   8 │     sbxt_missing_tool --flag && \\"),
        at("│     ^^^^^^^^^^^^^^^^^^^^^^^^"),
        at("evidence"),
    ];
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{engine}: out of order {order:?}:\n{text}");
}

/// Edited after the build: the log's instruction is no longer in the file.
fn stale(engine: &str, dir: &Path, dockerfile: &Path) {
    fs::write(dockerfile, DOCKERFILE.replace("sbxt_missing_tool", "sbxt_renamed_tool")).expect("edit");
    let stale = sandbox_triage(
        dir,
        &["classify", "--format", "json", "--exit-status", "127", "--dockerfile", "build/Custom.dockerfile", "build.log"],
    );
    let stale: serde_json::Value = serde_json::from_slice(&stale.stdout).expect("JSON");
    assert_eq!(stale["dockerfile"]["line"], serde_json::Value::Null, "{engine}");
    let note = stale["dockerfile"]["note"].as_str().unwrap_or_default();
    assert!(
        note == "build/Custom.dockerfile changed since this build: its step 3 (line 7) no longer reads `RUN echo one && sbxt_missing_tool --flag && echo three`",
        "{engine}: {note}"
    );
}

#[test]
fn docker_classic_builder_failure_is_placed_in_its_dockerfile() {
    placed_end_to_end("docker");
}

#[test]
fn podman_build_failure_is_placed_in_its_dockerfile() {
    placed_end_to_end("podman");
}
