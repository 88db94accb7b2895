//! `doctor -g NAME` takes a gateway name like every other command: one that is not a
//! name is a usage error, and nothing `doctor` prints holds a terminal's control bytes,
//! whether they come from the arguments or from what the engine answers.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use crate::common::BIN;

/// `doctor` with only `dir` on `PATH`: no real engine is ever asked.
fn doctor(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN).arg("doctor").args(args).env("PATH", dir).env("NO_COLOR", "1").output().expect("run doctor")
}

fn control_bytes(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    text.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn a_gateway_that_is_not_a_name_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    for bad in ["\u{1b}]0;x\u{7}", "--all", "../../..", "a;b", "x\u{9b}2Jy", ".hidden", "spark\u{1b}[2J", "a\nb"] {
        let attached = format!("--gateway={bad}");
        let mut cases = vec![vec![attached.as_str()], vec!["--format", "json", attached.as_str()]];
        if !bad.starts_with('-') {
            cases.extend([vec!["-g", bad], vec!["--gateway", bad]]);
        }
        for args in cases {
            let out = doctor(dir.path(), &args);
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
            assert!(out.stdout.is_empty(), "{args:?}: nothing is checked");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.starts_with("sandbox-triage: error: ") && err.contains("not a valid name"), "{args:?}: {err}");
            assert!(!control_bytes(&out.stderr), "{args:?}: {err:?}");
        }
    }
    // A flag where the name should be is clap's to refuse.
    let out = doctor(dir.path(), &["-g", "--all"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// A `docker` that answers, listing a gateway whose name and state hold escapes.
const STUB_DOCKER: &str = "#!/bin/sh
case \"$1\" in
  --version) echo 'Docker version 27.0.0' ;;
  info) echo '/var/lib/docker' ;;
  ps) printf 'openshell-cluster-spark\\033]0;pwned\\007\\tExited\\033[2J (1)\\n' ;;
  *) exit 1 ;;
esac
";

#[test]
fn what_the_engine_answers_is_shown_without_control_bytes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let docker = dir.path().join("docker");
    fs::write(&docker, STUB_DOCKER).expect("write the stub");
    Command::new("chmod").arg("+x").arg(&docker).status().expect("chmod");
    for format in ["human", "json"] {
        let out = doctor(dir.path(), &["--engine", "docker", "--format", format]);
        let shown = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(1), "{format}: {shown}{}", String::from_utf8_lossy(&out.stderr));
        assert!(shown.contains("openshell-cluster-spark"), "{format}: {shown}");
        assert!(!control_bytes(&out.stdout) && !control_bytes(&out.stderr), "{format}: {shown:?}");
        assert!(!shown.contains("\\u001b") && !shown.contains("\\u0007"), "{format}: escapes are removed, not encoded: {shown}");
    }
}
