//! Usage errors that say how to fix them, and the conveniences people expect of a
//! command line: `--json` for `--format json`, several logs classified in one call.

use std::fs;
use std::process::Command;

use crate::common::{run, stderr, stdout, workspace, BIN};

const EXAMPLE: &str = "examples/upload-404-podman.log";

fn in_workspace(args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).current_dir(workspace()).env("NO_COLOR", "1").env_remove("COLUMNS").output().expect("run")
}

#[test]
fn json_is_the_format_json_shorthand_of_every_command_with_a_format() {
    for args in [vec!["classify", "--json", EXAMPLE], vec!["plan", "--json", EXAMPLE], vec!["rules", "--json"]] {
        let long: Vec<&str> = args.iter().map(|a| if *a == "--json" { "--format=json" } else { a }).collect();
        let (short, long) = (in_workspace(&args), in_workspace(&long));
        assert_eq!(short.status.code(), Some(0), "{args:?}: {}", stderr(&short));
        assert_eq!(stdout(&short), stdout(&long), "{args:?}");
        let value: serde_json::Value = serde_json::from_slice(&short.stdout).expect("JSON");
        assert_eq!(value["schema_version"], 1, "{args:?}");
    }
    // `recover` on output it does not recognise carries nothing out: its JSON answer.
    let out = run(&["recover", "--json", "-"], b"nothing to see\n");
    assert_eq!(out.status.code(), Some(1));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["outcome"], "not-recognised");
    // Both at once is a usage error naming both.
    let out = in_workspace(&["classify", "--json", "--format", "human", EXAMPLE]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'--json' cannot be used with '--format <FORMAT>'"), "{}", stderr(&out));
    // And `--help` says what it is.
    let help = stdout(&in_workspace(&["classify", "--help"]));
    assert!(help.contains("--format <FORMAT>\n          The output's format"), "{help}");
    assert!(help.contains("--json\n          Shorthand for `--format json`"), "{help}");
}

#[test]
fn a_command_without_its_double_dash_is_not_run_and_the_error_says_where_the_dash_goes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("ran");
    let marker = marker.to_str().expect("UTF-8");
    let out = Command::new(BIN).args(["run", "touch", marker]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(!dir.path().join("ran").exists(), "the command ran");
    // The tip is the user's own line, with the `--` where it goes, ready to paste.
    let tip = format!("tip: put `--` before the command to run: `sandbox-triage run -- touch {marker}`");
    assert!(stderr(&out).contains(&tip), "{}", stderr(&out));
    let out = Command::new(BIN).args(["run", "--recover", "openshell", "sandbox", "create", "--name", "my box"]).output().expect("run");
    let tip = "`sandbox-triage run --recover -- openshell sandbox create --name 'my box'`";
    assert!(stderr(&out).contains(tip), "{}", stderr(&out));
    // With no command at all, the tip shows where it goes, the user's options kept.
    let out = Command::new(BIN).args(["run", "--quiet"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tip: put the command to run after `--`: `sandbox-triage run --quiet -- openshell"), "{}", stderr(&out));
    let out = Command::new(BIN).args(["run", "--recover", "--"]).output().expect("run");
    assert!(stderr(&out).contains("`sandbox-triage run --recover -- openshell sandbox create"), "{}", stderr(&out));
    // `plan` takes the create's words after `--` too.
    let out = in_workspace(&["plan", EXAMPLE, "openshell", "sandbox", "create"]);
    assert_eq!(out.status.code(), Some(2));
    let tip = format!("tip: put `--` before the create's own words: `sandbox-triage plan {EXAMPLE} -- openshell sandbox create`");
    assert!(stderr(&out).contains(&tip), "{}", stderr(&out));
    // A misspelt option of ours keeps clap's own suggestion, and no `--` tip.
    let out = Command::new(BIN).args(["run", "--recvoer", "--", "true"]).output().expect("run");
    assert!(stderr(&out).contains("a similar argument exists: '--recover'") && !stderr(&out).contains("put `--`"), "{}", stderr(&out));
}

#[test]
fn completions_without_a_shell_lists_the_shells() {
    let out = Command::new(BIN).arg("completions").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tip: name a shell: bash, elvish, fish, powershell, zsh"), "{}", stderr(&out));
}

#[test]
fn several_logs_and_a_directory_classify_in_one_call_one_line_each_with_the_worst_status() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(workspace().join(EXAMPLE), dir.path().join("a.log")).expect("copy");
    fs::write(dir.path().join("b.log"), "nothing an error rule knows\n").expect("write");
    fs::write(dir.path().join("notes.txt"), "not a log\n").expect("write");
    let logs = dir.path().display().to_string();
    let out = in_workspace(&["classify", "examples/plugin-install-blocked.log", &logs]);
    // b.log is unknown: the worst of the three is 1.
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(lines[0], ["FILE", "KIND", "PHASE", "RULE"]);
    assert_eq!(
        lines[1],
        ["examples/plugin-install-blocked.log", "plugin_install_network_denied", "build", "build.plugin-install-network-denied"]
    );
    assert_eq!(
        lines[2],
        [format!("{logs}/a.log").as_str(), "image_upload_container_missing", "upload", "upload.tar-failed-container-missing"]
    );
    assert_eq!(lines[3], [format!("{logs}/b.log").as_str(), "unknown", "-", "-"]);
    assert_eq!(lines.len(), 6, "notes.txt is not a log: {text}");
    assert_eq!(lines[4], Vec::<&str>::new());
    assert_eq!(lines[5].join(" "), "3 files: 2 answered, 1 unknown");

    // One that cannot be read: a line that says so, and the tool's status, 2.
    let missing = dir.path().join("gone.log").display().to_string();
    let out = in_workspace(&["classify", "--json", EXAMPLE, &missing]);
    assert_eq!(out.status.code(), Some(2));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["schema_version"], 1);
    // In the order a reader expects: the version first, each file's path first.
    let text = stdout(&out);
    assert!(text.starts_with(&format!("{{\"schema_version\":1,\"files\":[{{\"path\":\"{EXAMPLE}\",\"diagnosis\":{{")), "{text}");
    assert_eq!(value["files"][0]["path"], EXAMPLE);
    assert_eq!(value["files"][0]["diagnosis"]["kind"], "image_upload_container_missing");
    assert_eq!(value["files"][1]["path"], missing.as_str());
    assert!(value["files"][1]["error"].as_str().is_some_and(|e| e.starts_with("cannot open ")), "{value}");

    // A directory with no log in it is an error, not an empty answer.
    let empty = tempfile::tempdir().expect("tempdir");
    let out = in_workspace(&["classify", &empty.path().display().to_string()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("holds no `*.log` file"), "{}", stderr(&out));
}

#[test]
fn an_unknown_answer_without_an_exit_status_says_what_the_status_would_change() {
    let text = fs::read_to_string(workspace().join("tests/corpus/build_base_image_pull_failed__lab-build-base-image-unpullable.log"))
        .expect("log");
    let body = text.split_once("# ---\n").expect("a header").1.as_bytes();
    let out = run(&["classify", "-"], body);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("unknown (phase: build)"), "{}", stdout(&out));
    assert!(stderr(&out).contains("no exit status was given: if the command failed, pass it (`--exit-status N`)"), "{}", stderr(&out));
    // Given, the FROM step's failure is the answer, and nothing more is said.
    let out = run(&["classify", "--exit-status", "1", "-"], body);
    assert!(stdout(&out).starts_with("build_base_image_pull_failed (phase: build)"), "{}", stdout(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn a_usage_error_never_shows_a_token_or_an_escape_from_the_command_line() {
    let token = "nvapi-abcdefghijklmnopqrstuvwxyz0123456789ABCD";
    let assignment = format!("NVIDIA_API_KEY={token}");
    for args in [
        vec!["run", assignment.as_str(), "openshell", "sandbox", "create"],
        vec!["plan", "--engine", token, "x.log"],
        vec!["classify", "--stage", "\u{1b}]0;owned\u{7}"],
    ] {
        let out = Command::new(BIN).args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(!err.contains("abcdefghijklmnop") && !err.contains('\u{1b}') && !err.contains('\u{7}'), "{args:?}: {err:?}");
    }
    // The tip still puts the `--` where the masked word was.
    let out = Command::new(BIN).args(["run", assignment.as_str(), "openshell"]).output().expect("run");
    assert!(stderr(&out).contains("`sandbox-triage run -- 'NVIDIA_API_KEY=***' openshell`"), "{}", stderr(&out));
}

#[test]
fn a_success_without_its_status_and_an_unknown_with_a_release_say_what_would_change_the_answer() {
    let text = fs::read_to_string(workspace().join("tests/corpus/none__lab-create-succeeds.log")).expect("log");
    let body = text.split_once("# ---\n").expect("a header").1.as_bytes();
    let out = run(&["classify", "-"], body);
    assert!(stdout(&out).starts_with("sandbox_create_incomplete"), "{}", stdout(&out));
    assert!(stderr(&out).contains("a create that succeeded can end this way too; if it did, pass `--exit-status 0`"), "{}", stderr(&out));
    let out = run(&["classify", "--exit-status", "0", "-"], body);
    assert!(stdout(&out).starts_with("none") && stderr(&out).is_empty(), "{}", stderr(&out));
    // The 0.0.36 upload failure, read as 0.0.40's output: unknown, and why.
    let out = in_workspace(&["classify", "--exit-status", "1", "--openshell-version", "0.0.40", EXAMPLE]);
    assert!(stdout(&out).starts_with("unknown"), "{}", stdout(&out));
    assert!(stderr(&out).contains("read as OpenShell 0.0.40's output (`--openshell-version`)"), "{}", stderr(&out));
}

#[test]
fn a_build_steps_own_output_read_as_a_providers_message_says_so() {
    let text =
        fs::read_to_string(workspace().join("tests/corpus/build_step_network_failed__curl-7-glued-to-progress-meter.log")).expect("log");
    let body = text.split_once("# ---\n").expect("a header").1.as_bytes();
    let out = run(&["classify", "-"], body);
    assert!(stdout(&out).starts_with("transport"), "{}", stdout(&out));
    assert!(stderr(&out).contains("read as a provider's validation message: the output shows no build, create or gateway start; if it is a create's, pass `--stage sandbox-create`"), "{}", stderr(&out));
    let out = run(&["classify", "--stage", "sandbox-create", "--exit-status", "1", "-"], body);
    assert!(stdout(&out).starts_with("build_step_network_failed"), "{}", stdout(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}
