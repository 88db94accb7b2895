//! `plan --format sh` carried out by real shells against stub commands: its checks stop
//! it with the documented statuses, both sides of the pipeline are checked, a step whose
//! work is done is skipped, and only a yes lets a change run.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::common::{run, stdout, workspace};

/// A `podman` that answers as the gateway of the example would: `STUB_RUNNING` is what
/// inspect prints, `STUB_SAVE_FAILS` makes `save` fail, an import marks the image stored.
const PODMAN: &str = r#"#!/bin/sh
echo "podman $*" >>"$STUB_DIR/log"
case "$1" in
  inspect) echo "${STUB_RUNNING:-true}" ;;
  image) echo sha256:0123 ;;
  save)
    if [ -n "${STUB_SAVE_FAILS:-}" ]; then echo 'Error: no space left on device' >&2; exit 125; fi
    echo 'an archive' ;;
  exec)
    case "$*" in
      *'images import'*) cat >"$STUB_DIR/imported"; [ -s "$STUB_DIR/imported" ] || exit 1 ;;
      *'images check'*)
        echo 'REF TYPE DIGEST STATUS SIZE UNPACKED'
        { [ -s "$STUB_DIR/imported" ] || [ -n "${STUB_IMPORTED:-}" ]; } && echo 'docker.io/openshell/sandbox-from:1786000000 application/vnd.oci.image.manifest.v1+json sha256:1 complete (2/2) 1.0 MiB/1.0 MiB true'
        true ;;
    esac ;;
esac
"#;

const OPENSHELL: &str = "#!/bin/sh\necho \"openshell $*\" >>\"$STUB_DIR/log\"\n";

fn script() -> String {
    let log = fs::read(workspace().join("examples/upload-404-podman.log")).expect("example");
    let out = run(
        &[
            "plan",
            "--format",
            "sh",
            "-",
            "--",
            "openshell",
            "sandbox",
            "create",
            "--from",
            "./Dockerfile",
            "--name",
            "demo",
            "-g",
            "nemoclaw",
        ],
        &log,
    );
    stdout(&out)
}

fn stubs(dir: &Path) {
    for (name, text) in [("podman", PODMAN), ("openshell", OPENSHELL)] {
        let path = dir.join(name);
        fs::write(&path, text).expect("stub");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
}

/// Runs the script with `shell`, the stubs first on PATH, no terminal (a new session).
fn carry_out(shell: &str, args: &[&str], env: &[(&str, &str)]) -> (Output, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    stubs(dir.path());
    let path = dir.path().join("plan.sh");
    fs::write(&path, script()).expect("script");
    let mut command = Command::new("setsid");
    command
        .arg(shell)
        .arg(&path)
        .args(args)
        .env("PATH", format!("{}:{}", dir.path().display(), std::env::var("PATH").unwrap_or_default()))
        .env("STUB_DIR", dir.path())
        .stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().expect("run the script");
    let log = fs::read_to_string(dir.path().join("log")).unwrap_or_default();
    (out, log)
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_stopped_gateway_stops_the_script_at_the_probe() {
    for shell in ["sh", "bash"] {
        let (out, log) = carry_out(shell, &["--yes"], &[("STUB_RUNNING", "false")]);
        assert_eq!(out.status.code(), Some(3), "{shell}: {}", stderr_of(&out));
        let err = stderr_of(&out);
        assert!(err.contains("stopped: step 1 (Check the gateway container is running) did not show: a line `true`"), "{err}");
        // Never a dead end: what the probe showed, and the next command.
        assert!(err.contains("the machine: the gateway container openshell-cluster-nemoclaw exists but is stopped"), "{err}");
        assert!(err.contains("next: podman start openshell-cluster-nemoclaw"), "{err}");
        assert!(!log.contains("podman save") && !log.contains("openshell sandbox"), "{shell}: ran on: {log}");
    }
}

#[test]
fn a_failing_save_fails_the_step_though_the_import_side_succeeds() {
    for shell in ["sh", "bash"] {
        let (out, log) = carry_out(shell, &["--yes"], &[("STUB_SAVE_FAILS", "1")]);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(4), "{shell}: {err}");
        assert!(err.contains("pipeline command 1 (podman) exited 125"), "{shell}: {err}");
        assert!(!log.contains("openshell sandbox"), "{shell}: the create ran after a failed import: {log}");
    }
}

#[test]
fn with_yes_the_image_is_imported_and_the_create_runs_from_it() {
    for shell in ["sh", "bash"] {
        let (out, log) = carry_out(shell, &["--yes"], &[]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr_of(&out));
        assert!(log.contains("podman tag openshell/sandbox-from:1786000000 docker.io/openshell/sandbox-from:1786000000"), "{log}");
        assert!(log.contains("podman save docker.io/openshell/sandbox-from:1786000000"), "{log}");
        assert!(log.ends_with("openshell sandbox create --from openshell/sandbox-from:1786000000 --name demo -g nemoclaw\n"), "{log}");
    }
}

#[test]
fn without_a_yes_and_no_terminal_nothing_changes() {
    let (out, log) = carry_out("sh", &[], &[]);
    assert_eq!(out.status.code(), Some(5), "{}", stderr_of(&out));
    // Known before the first change: nothing ran, not even the tag.
    let err = stderr_of(&out);
    assert!(err.contains("stopped before any change"), "{err}");
    assert!(err.contains("steps 3, 4, 6 need a yes and there is no terminal to ask on: run with --yes"), "{err}");
    assert!(log.is_empty(), "{log}");
}

#[test]
fn an_unknown_argument_is_a_usage_error() {
    let (out, log) = carry_out("sh", &["--force"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(log.is_empty(), "{log}");
}

#[test]
fn an_image_already_in_the_gateway_is_not_imported_again() {
    let (out, log) = carry_out("sh", &["--yes"], &[("STUB_IMPORTED", "1")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(stderr_of(&out).contains("step 4 already done, skipped"), "{}", stderr_of(&out));
    assert!(!log.contains("podman save"), "{log}");
    assert!(log.contains("openshell sandbox create --from openshell/sandbox-from:1786000000"), "{log}");
}

/// The database plan's script with stand-ins for `systemctl` (recording) and `mv`
/// (recording, failing with `mv_status`), and a real state directory.
fn migration_script(shell: &str, mv_status: i32) -> (Output, String, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir").keep();
    let log = fs::read(workspace().join("tests/corpus/database_migration_incompatible__has-been-modified-9293.log")).expect("log");
    let script = stdout(&run(&["plan", "--format", "sh", "--stage", "gateway-start", "-"], &log));
    let recorder = "#!/bin/sh\necho \"${0##*/} $*\" >>\"$STUB_DIR/log\"\n";
    for (name, text) in [("systemctl", recorder.to_owned()), ("mv", format!("{recorder}exit {mv_status}\n"))] {
        let path = dir.join(name);
        fs::write(&path, text).expect("stub");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    let state = dir.join("gw state");
    fs::create_dir(&state).expect("state");
    fs::write(state.join("openshell.db"), "db").expect("db");
    let path = dir.join("plan.sh");
    fs::write(&path, script).expect("script");
    let out = Command::new("setsid")
        .args([shell, &path.display().to_string(), "--yes", "--allow-destructive"])
        .env("PATH", format!("{}:{}", dir.display(), std::env::var("PATH").unwrap_or_default()))
        .env("STUB_DIR", &dir)
        .env("SANDBOX_TRIAGE_GATEWAY_STATE_DIR", &state)
        .stdin(Stdio::null())
        .output()
        .expect("run the script");
    let calls = fs::read_to_string(dir.join("log")).unwrap_or_default();
    (out, calls, state)
}

#[test]
fn a_failed_move_starts_the_service_the_script_stopped() {
    for shell in ["sh", "bash"] {
        let (out, calls, state) = migration_script(shell, 1);
        let err = stderr_of(&out);
        assert_eq!(out.status.code(), Some(4), "{shell}: {err}");
        let mv = format!("mv {0} {0}.incompatible", state.display());
        assert_eq!(
            calls,
            format!("systemctl --user stop openshell-gateway\n{mv}\nsystemctl --user start openshell-gateway\n"),
            "{shell}: {err}"
        );
        assert!(err.contains("step 4 left nothing to put back"), "{shell}: {err}");
    }
}

#[test]
fn a_move_that_moved_nothing_is_caught_and_only_the_service_is_put_back() {
    let (out, calls, state) = migration_script("sh", 0);
    // The stand-in `mv` moved nothing: the check after it says so; there is nothing to
    // move back, and the service is started again.
    let err = stderr_of(&out);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(err.contains("after step 4 (Move the state directory aside), this did not hold"), "{err}");
    assert!(err.contains("step 4 left nothing to put back"), "{err}");
    assert!(state.join("openshell.db").exists());
    assert!(calls.ends_with("systemctl --user start openshell-gateway\n"), "{calls}");
}
