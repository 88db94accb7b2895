//! `sandbox-triage run` around real child processes: output passed through byte for
//! byte, exit statuses, signals, start-up errors, silence, early diagnosis, and the same
//! diagnosis as `classify` on the same output.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::common::{corpus, BIN};
use sandbox_triage_core::Stage;

fn run(args: &[&str]) -> Output {
    crate::common::run(args, b"")
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    Command::new("chmod").arg("+x").arg(&path).status().expect("chmod");
    path
}

#[test]
fn replayed_corpus_logs_pass_through_and_are_diagnosed_as_classify_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    for case in corpus().into_iter().filter(|c| c.stage() == Stage::SandboxCreate) {
        let (name, payload) = (case.name.clone(), case.payload.clone());
        let status = case.exit_status().unwrap_or(1);
        let log = dir.path().join(format!("{name}.out"));
        fs::write(&log, &payload).expect("write payload");
        let half = payload.len() / 2;
        // The log in two pieces on stderr, as OpenShell prints it, with a pause between.
        let child = script(
            dir.path(),
            &format!("{name}.sh"),
            &format!("head -c {half} '{0}' >&2\nsleep 0.05\ntail -c +{1} '{0}' >&2\nexit {status}", log.display(), half + 1),
        );
        let json = dir.path().join(format!("{name}.json"));
        // An earlier run's report is never left in place.
        fs::write(&json, "{\"stale\": true}").expect("an earlier report");
        let out = run(&[
            "run",
            "--os",
            "linux",
            "--arch",
            "x86_64",
            "--json-out",
            json.to_str().expect("path"),
            "--",
            child.to_str().expect("path"),
        ]);
        assert_eq!(out.status.code(), Some(status), "{name}");
        assert!(out.stdout.is_empty(), "{name}");
        assert!(out.stderr.starts_with(&payload), "{name}: the child's stderr comes first, unchanged");
        let classify = Command::new(BIN)
            .args([
                "classify",
                "--stage",
                "sandbox-create",
                "--format",
                "json",
                "--exit-status",
                &status.to_string(),
                log.to_str().expect("path"),
            ])
            .output()
            .expect("classify");
        let expected: serde_json::Value = serde_json::from_slice(&classify.stdout).expect("classify JSON");
        let got: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).expect("--json-out written")).expect("run JSON");
        assert!(got.get("stale").is_none(), "{name}: the earlier report was left");
        if status == 0 {
            assert_eq!(got["diagnosis"]["kind"], "none", "{name}: a success says none");
            assert_eq!(out.stderr, payload, "{name}: nothing is added to a success");
            continue;
        }
        for key in ["kind", "phase", "uploaded_to_gateway", "built_image_ref", "gateway", "engine", "failed_step", "rule"] {
            assert_eq!(got["diagnosis"][key], expected[key], "{name}: {key}");
        }
    }
}

#[test]
fn both_streams_pass_through_byte_for_byte_with_invalid_utf8_and_endless_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out_bytes = b"progress 10%\rprogress 90%\r\xff\xfe not utf-8 \xc3\x28\n".to_vec();
    out_bytes.extend(std::iter::repeat_n(b'x', 5 << 20));
    let err_bytes = b"warning: \x1b[33mcolour\x1b[0m\nno newline at the end".to_vec();
    fs::write(dir.path().join("out"), &out_bytes).expect("write");
    fs::write(dir.path().join("err"), &err_bytes).expect("write");
    let child = script(dir.path(), "both.sh", &format!("cat '{0}/out'\ncat '{0}/err' >&2\nexit 3", dir.path().display()));
    let out = run(&["run", "--", child.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(3));
    assert!(out.stdout == out_bytes, "stdout differs");
    assert!(out.stderr.starts_with(&err_bytes), "stderr differs");
}

/// On Linux the output is spliced to a pipe, and written to a file (appended to or
/// not): the bytes are the same every way, and so is the answer.
#[test]
fn output_to_a_file_an_appended_file_and_a_pipe_is_the_same() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut out_bytes = b"  Step 2/3 : RUN curl -fsSL https://example.invalid/x | sh\n\xff\xfe\n".to_vec();
    out_bytes.extend(b"  Get:1 http://deb.debian.org/debian bookworm InRelease\n".repeat(40_000));
    out_bytes.extend(b"curl: (6) Could not resolve host: example.invalid\nThe command '/bin/sh -c curl -fsSL https://example.invalid/x | sh' returned a non-zero code: 6\n");
    let out_file = dir.path().join("out");
    fs::write(&out_file, &out_bytes).expect("write");
    let child = script(dir.path(), "child.sh", &format!("cat '{}'\nexit 1", out_file.display()));
    let (plain, appended) = (dir.path().join("plain"), dir.path().join("appended"));
    fs::write(&appended, b"before\n").expect("write");
    let (child, bin) = (child.display(), BIN);
    let shell = format!(
        "'{bin}' run --json-out '{0}.json' -- '{child}' >'{0}' 2>/dev/null; echo $? >'{0}.status'
         '{bin}' run --json-out '{1}.json' -- '{child}' >>'{1}' 2>/dev/null; echo $? >'{1}.status'",
        plain.display(),
        appended.display()
    );
    let status = Command::new("sh").args(["-c", &shell]).stdin(Stdio::null()).status().expect("sh");
    assert!(status.success());
    let piped_json = dir.path().join("piped.json");
    let piped = run(&["run", "--json-out", piped_json.to_str().expect("path"), "--", &child.to_string()]);
    assert_eq!(piped.status.code(), Some(1));
    assert!(piped.stdout == out_bytes, "through a pipe, stdout differs");
    assert!(fs::read(&plain).expect("plain") == out_bytes, "to a file, stdout differs");
    assert!(fs::read(&appended).expect("appended") == [&b"before\n"[..], &out_bytes].concat(), "appended, stdout differs");
    let diagnosis = |json: &Path| -> serde_json::Value {
        let value: serde_json::Value = serde_json::from_slice(&fs::read(json).expect("--json-out")).expect("JSON");
        value["diagnosis"].clone()
    };
    let answer = diagnosis(&piped_json);
    assert_eq!(answer["kind"], "build_step_network_failed");
    for path in [&plain, &appended] {
        assert_eq!(diagnosis(&path.with_extension("json")), answer, "{}", path.display());
        assert_eq!(fs::read_to_string(path.with_extension("status")).expect("status").trim(), "1");
    }
}

/// Both streams into one log file (`>log 2>&1`), as operators keep a create's output:
/// every line arrives whole and once, however the two streams' chunks interleave.
#[test]
fn both_streams_into_one_file_lose_and_overwrite_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let child = script(
        dir.path(),
        "both.sh",
        "i=0; while [ $i -lt 20000 ]; do echo \"out line $i of the build's own output\"; echo \"err line $i\" >&2; i=$((i+1)); done",
    );
    let log = dir.path().join("create.log");
    let shell = format!("'{BIN}' run -- '{}' >'{}' 2>&1", child.display(), log.display());
    let status = Command::new("sh").args(["-c", &shell]).stdin(Stdio::null()).status().expect("sh");
    assert!(status.success());
    let text = fs::read_to_string(&log).expect("the log");
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("out line ") {
            out.push(rest.strip_suffix(" of the build's own output").expect("a whole line").parse::<u32>().expect("a number"));
        } else {
            err.push(line.strip_prefix("err line ").expect("a whole line").parse::<u32>().expect("a number"));
        }
    }
    assert_eq!(out, (0..20000).collect::<Vec<_>>(), "stdout's lines, each once and in order");
    assert_eq!(err, (0..20000).collect::<Vec<_>>(), "stderr's lines, each once and in order");
}

#[test]
fn exit_statuses_are_the_commands_own() {
    let out = run(&["run", "--", "sh", "-c", "echo fine; exit 0"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(out.stdout, b"fine\n");
    assert!(out.stderr.is_empty(), "nothing extra on success");
    assert_eq!(run(&["run", "--", "sh", "-c", "exit 3"]).status.code(), Some(3));
    assert_eq!(run(&["run", "--", "sh", "-c", "kill -KILL $$"]).status.code(), Some(128 + 9));
    assert_eq!(run(&["run", "--", "sh", "-c", "kill -TERM $$"]).status.code(), Some(128 + 15));
}

#[test]
fn a_command_that_cannot_start_is_a_clear_error() {
    let out = run(&["run", "--", "/nonexistent/openshell", "sandbox", "create"]);
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "sandbox-triage: error: /nonexistent/openshell: no such file\n");
    // A name looked up on PATH is not found; a path names no file: as a shell says each.
    let out = run(&["run", "--", "no-such-command-anywhere"]);
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "sandbox-triage: error: no-such-command-anywhere: command not found\n");
    let dir = tempfile::tempdir().expect("temp dir");
    let plain = dir.path().join("not-executable");
    fs::write(&plain, "#!/bin/sh\n").expect("write");
    let out = run(&["run", "--", plain.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(126));
    assert!(String::from_utf8_lossy(&out.stderr).contains("permission denied"));
}

fn signal_is_forwarded(signal: Signal, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ready = dir.path().join("ready");
    let child = script(
        dir.path(),
        "trap.sh",
        &format!("trap 'echo got {name}; exit 42' {name}\ntouch '{}'\nwhile :; do sleep 0.05; done", ready.display()),
    );
    let process = Command::new(BIN)
        .args(["run", "--", child.to_str().expect("path")])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Wait (bounded) until the child has set its trap.
    for _ in 0..200 {
        if ready.exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(ready.exists(), "the child did not start");
    kill(Pid::from_raw(i32::try_from(process.id()).expect("pid")), signal).expect("send signal");
    let out = process.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(42), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("got {name}\n"));
}

#[test]
fn sigterm_and_sigint_are_forwarded_to_the_command() {
    signal_is_forwarded(Signal::SIGTERM, "TERM");
    signal_is_forwarded(Signal::SIGINT, "INT");
}

#[test]
fn silence_is_explained_with_the_phase() {
    let out = run(&["run", "--heartbeat", "1", "--", "sh", "-c", "printf '  [progress] Uploaded to gateway\\n' >&2; sleep 2.5; exit 1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sandbox-triage: no output for"), "{err}");
    assert!(err.contains("importing the image"), "{err}");
    let quiet = run(&["run", "--", "sh", "-c", "sleep 1.2; exit 1"]);
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("no output for"), "off when not on a terminal");
}

#[test]
fn early_diagnosis_comes_before_the_command_exits() {
    let out =
        run(&["run", "--early", "--", "sh", "-c", "echo 'invalid peer certificate: BadSignature' >&2; sleep 1; echo AFTER >&2; exit 1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    let early = err.find("the command is failing").expect("an early diagnosis");
    let after = err.find("AFTER").expect("the command's last line");
    assert!(early < after, "{err}");
    // The diagnosis once: the end says it stands and adds the plan.
    assert_eq!(err.matches("tls_cert_mismatch").count(), 1, "{err}");
    assert!(err[after..].contains("the command failed as diagnosed above\nrecovery\n"), "{err}");
    assert!(err[after..].contains("timeline"), "{err}");
}
