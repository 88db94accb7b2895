//! What every test of the binary needs: running it as a real process, and the corpus.

// Each test file uses its own share of these.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sandbox_triage_testkit::CorpusCase;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_sandbox-triage");

/// Runs the binary with `stdin` as input, colour off, no width or NemoClaw branding
/// inherited.
pub(crate) fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("COLUMNS")
        .env_remove("NEMOCLAW_INVOKED_AS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sandbox-triage");
    let mut input = child.stdin.take().expect("stdin");
    // The binary may exit before reading everything (usage errors): ignore EPIPE.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().expect("wait for sandbox-triage")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 output")
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("utf-8 errors")
}

pub(crate) fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The repository's corpus.
pub(crate) fn corpus() -> Vec<CorpusCase> {
    let cases = CorpusCase::load_dir(&workspace().join("tests/corpus")).expect("tests/corpus");
    assert!(cases.len() >= 75, "the corpus has only {} files", cases.len());
    cases
}

/// The `classify` arguments a corpus file's header asks for.
pub(crate) fn classify_args(case: &CorpusCase) -> Vec<String> {
    let mut args = vec!["classify".to_owned(), "--stage".to_owned(), case.stage().as_str().to_owned()];
    if let Some(status) = case.exit_status() {
        args.extend(["--exit-status".to_owned(), status.to_string()]);
    }
    args
}

/// Both streams as a person reads them: a sentence wrapped to the terminal's width reads
/// as one, so every run of whitespace (a line break and the next line's indent) is one
/// space.
pub(crate) fn read_as_prose(out: &Output) -> String {
    flat(&format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

/// `text` with every run of whitespace one space: wrapped prose read as written.
pub(crate) fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
