//! The sandbox container's log, read when a create ends `ContainerExited`: by `run`
//! unless told not to, by `classify` only when asked; always the same two read-only
//! engine commands, and its lines in the evidence and the kept log.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::stand_in::StandIn;

/// The real CLI's ending when the sandbox's container exits while provisioning.
const EXITED: &str = "  Built image openshell/sandbox-from:1796505953\n\nCreated sandbox: lab\n\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.3s] Starting sandbox Waiting for supervisor relay\nError:   × sandbox entered error phase while provisioning: ContainerExited: Container\n  │ exited\n";

/// A `docker` that lists one container for the sandbox and prints the supervisor's log
/// (`STUB_NO_CONTAINER`: lists none).
const DOCKER: &str = r#"#!/bin/sh
echo "docker $*" >>"$STUB_DIR/log"
case "$1" in
  ps) [ -n "${STUB_NO_CONTAINER:-}" ] || echo 'openshell-default--lab-9e6eaf2c-37f5-41ff-b541-6280ab581112' ;;
  logs)
    echo '2026-12-05T21:29:29.424Z INFO openshell_sandbox: Fetching sandbox policy via gRPC'
    echo "Error:   × OCI USER 'root' selects root" >&2 ;;
esac
"#;

fn with_docker() -> StandIn {
    let stand_in = StandIn::new();
    let docker = stand_in.dir.path().join("docker");
    fs::write(&docker, DOCKER).expect("docker");
    fs::set_permissions(&docker, fs::Permissions::from_mode(0o755)).expect("chmod");
    stand_in
}

const READS: &str = "docker ps -a --filter label=openshell.ai/sandbox-name=lab --format {{.Names}}\ndocker logs --tail 40 openshell-default--lab-9e6eaf2c-37f5-41ff-b541-6280ab581112\n";

fn kind(json: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(json).expect("json");
    let diagnosis = value.get("diagnosis").unwrap_or(&value);
    diagnosis["kind"].as_str().expect("a kind").to_owned()
}

#[test]
fn classify_reads_the_log_only_when_asked() {
    let stand_in = with_docker();
    let input = stand_in.input(EXITED);
    let out = stand_in.run_any(&["classify", "--exit-status", "1", "--format", "json", &input], &[]);
    assert_eq!(kind(&String::from_utf8_lossy(&out.stdout)), "sandbox_create_incomplete");
    assert_eq!(stand_in.log(), "", "nothing is run without --probe");
    let out = stand_in.run_any(&["classify", "--probe", "--exit-status", "1", "--format", "json", &input], &[]);
    let json = String::from_utf8_lossy(&out.stdout);
    assert_eq!(kind(&json), "sandbox_image_unsuitable", "{json}");
    assert!(json.contains("sandbox container log: Error:   × OCI USER 'root' selects root"), "{json}");
    assert_eq!(stand_in.log(), READS);
    assert!(String::from_utf8_lossy(&out.stderr).contains("docker logs --tail 40 openshell-default--lab-"));
}

#[test]
fn run_reads_the_log_and_keeps_it_unless_told_not_to() {
    let stand_in = with_docker();
    stand_in.create_prints(EXITED);
    let dir = stand_in.dir.path();
    let (json, log) = (dir.join("report.json"), dir.join("kept.log"));
    let create = ["--", "openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "lab"];
    let mut args = vec!["run", "--json-out", json.to_str().expect("path"), "--log", log.to_str().expect("path")];
    args.extend(create);
    let out = stand_in.run_any(&args, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(kind(&fs::read_to_string(&json).expect("report")), "sandbox_image_unsuitable");
    assert!(stand_in.log().ends_with(READS), "{}", stand_in.log());
    let kept = fs::read_to_string(&log).expect("log");
    assert!(kept.starts_with("  Built image openshell/sandbox-from:1796505953\n"), "{kept}");
    assert!(kept.ends_with("\nsandbox container log: Error:   × OCI USER 'root' selects root\n"), "{kept}");
    // The kept log answers as the run did.
    let again = stand_in.run_any(&["classify", "--exit-status", "1", "--format", "json", log.to_str().expect("path")], &[]);
    assert_eq!(kind(&String::from_utf8_lossy(&again.stdout)), "sandbox_image_unsuitable");

    let quiet = with_docker();
    quiet.create_prints(EXITED);
    let json = quiet.dir.path().join("report.json");
    let mut args = vec!["run", "--no-probe", "--json-out", json.to_str().expect("path")];
    args.extend(create);
    quiet.run_any(&args, &[]);
    assert_eq!(kind(&fs::read_to_string(&json).expect("report")), "sandbox_create_incomplete");
    assert!(!quiet.log().contains("docker"), "{}", quiet.log());
}

#[test]
fn a_log_that_cannot_be_read_says_why_and_changes_nothing() {
    let stand_in = with_docker();
    let input = stand_in.input(EXITED);
    let out = stand_in.run_any(&["classify", "--probe", "--exit-status", "1", "--format", "json", &input], &[("STUB_NO_CONTAINER", "1")]);
    assert_eq!(kind(&String::from_utf8_lossy(&out.stdout)), "sandbox_create_incomplete");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("the sandbox container's log could not be read") && said.contains("lists no container"), "{said}");
    assert_eq!(stand_in.log(), "docker ps -a --filter label=openshell.ai/sandbox-name=lab --format {{.Names}}\n");
}

#[test]
fn a_build_step_that_prints_the_words_reads_nothing() {
    let stand_in = with_docker();
    let step = "  Step 2/2 : RUN echo 'ContainerExited: Container exited' && false\n ---> Running in 1\nContainerExited: Container exited\nError:   × Docker build stream error\n  ╰─▶ Docker stream error: The command '/bin/sh -c echo x && false' returned a non-zero code: 1\n";
    let input = stand_in.input(step);
    let out = stand_in.run_any(&["classify", "--probe", "--exit-status", "1", "--format", "json", &input], &[]);
    assert_eq!(kind(&String::from_utf8_lossy(&out.stdout)), "build_step_failed");
    assert_eq!(stand_in.log(), "");
}

#[test]
fn run_reads_nothing_after_the_operators_ctrl_c() {
    // The create printed that its container exited, then the operator stopped it.
    let stand_in = with_docker();
    stand_in.create_prints(EXITED);
    let args = "run --heartbeat 0 -- openshell sandbox create --from ./Dockerfile --name lab";
    let mut terminal = crate::recover_trust::on_terminal(&stand_in, args, &[("STUB_CREATE_HANG", "trap")]);
    crate::recover_trust::wait_for(&stand_in.dir.path().join("hanging"));
    terminal.expect("ContainerExited");
    terminal.type_in(b"\x03");
    assert_eq!(terminal.status_within(std::time::Duration::from_secs(20)), Some(130), "{}", terminal.text());
    assert!(!stand_in.log().contains("docker"), "{}", stand_in.log());
    assert!(!terminal.text().contains("sandbox container log"), "{}", terminal.text());
}
