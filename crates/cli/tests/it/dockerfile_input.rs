//! `--dockerfile` with what an operator may hand it: a directory, a file that is not
//! there, a FIFO, bytes that are not UTF-8, and a Dockerfile that holds a secret. The
//! report always comes, says what could not be read, and never shows the secret.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::BIN;

/// A classic build whose continued `RUN` fails in its second command (step 2 of 2).
const LOG: &str = "Step 1/2 : FROM base\n ---> 1a2b3c\nStep 2/2 : RUN curl -fsS -H \"Authorization: Bearer sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7\" https://example.invalid/x &&     sbxt_missing_tool\n ---> Running in 4d5e6f\n/bin/sh: 1: sbxt_missing_tool: not found\nThe command '/bin/sh -c curl -fsS -H \"Authorization: Bearer sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7\" https://example.invalid/x &&     sbxt_missing_tool' returned a non-zero code: 127\n";
const DOCKERFILE: &str = "FROM base\n# fetch, then the tool\nRUN curl -fsS -H \"Authorization: Bearer sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7\" https://example.invalid/x && \\\n    sbxt_missing_tool\n";

fn classify(dir: &Path, dockerfile: &str) -> (serde_json::Value, String) {
    fs::write(dir.join("build.log"), LOG).expect("log");
    let out = Command::new(BIN)
        .args(["classify", "--format", "json", "--exit-status", "127", "--dockerfile", dockerfile, "build.log"])
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "a kind was found: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    (serde_json::from_str(&text).expect("JSON"), text)
}

#[test]
fn a_directory_is_read_for_its_dockerfile_and_the_secret_stays_masked() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("Dockerfile"), DOCKERFILE).expect("Dockerfile");
    let (report, text) = classify(dir.path(), ".");
    let spot = &report["dockerfile"];
    assert_eq!((spot["line"].as_u64(), spot["end_line"].as_u64()), (Some(3), Some(4)), "{spot}");
    assert_eq!(spot["failed_command"], "sbxt_missing_tool", "{spot}");
    assert!(!text.contains("Ab3De5Fg7Hi9Jk1Lm3No5Pq7"), "the token is shown: {text}");
}

#[test]
fn what_cannot_be_read_is_said_and_the_report_still_comes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (report, _) = classify(dir.path(), "missing.Dockerfile");
    assert_eq!(report["kind"], "build_step_failed");
    let note = report["dockerfile"]["note"].as_str().unwrap_or_default();
    assert!(note.starts_with("cannot read missing.Dockerfile: No such file or directory"), "{note}");

    let fifo = dir.path().join("fifo.Dockerfile");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let (report, _) = classify(dir.path(), "fifo.Dockerfile");
    assert_eq!(report["dockerfile"]["note"], "cannot read fifo.Dockerfile: not a regular file");
}

#[test]
fn bytes_that_are_not_utf8_do_not_stop_the_placing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bytes = b"FROM base\n# caf\xe9 \xff\n".to_vec();
    bytes.extend_from_slice(DOCKERFILE.split_once('\n').expect("lines").1.as_bytes());
    fs::write(dir.path().join("Dockerfile"), bytes).expect("Dockerfile");
    let (report, _) = classify(dir.path(), "Dockerfile");
    assert_eq!(report["dockerfile"]["line"], 4, "{}", report["dockerfile"]);
}

#[test]
fn a_log_cannot_make_the_tool_read_a_file_that_is_not_a_dockerfile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let secret = dir.path().join("credentials");
    fs::write(&secret, "db.internal:5432:prod:admin:Tr0ub4dor-x93-Qq\n").expect("file");
    let log = format!("Building image openshell/sandbox-from:1 from {}\nStep 1/1 : RUN make\nmake: *** No rule to make target 'all'.  Stop.\nThe command '/bin/sh -c make' returned a non-zero code: 2\n", secret.display());
    fs::write(dir.path().join("build.log"), log).expect("log");
    let out = Command::new(BIN)
        .args(["classify", "--format", "json", "--exit-status", "2", "build.log"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("Tr0ub4dor"), "{text}");
    let report: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(report["dockerfile"]["note"], serde_json::Value::Null, "not read, so nothing said about it");
}
