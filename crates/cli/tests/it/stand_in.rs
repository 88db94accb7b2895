//! Stand-in programs on `PATH` that record every argv they are given, one line a call in
//! `$STUB_DIR/log`: what `sandbox-triage` runs, and what it never runs, seen from the
//! outside. `podman` answers as the example's gateway would (it runs, holds the image,
//! imports); `openshell` answers a create from `./Dockerfile` with what
//! `$STUB_DIR/create.out` holds (exit 1), or hangs until it is stopped.

// Each test file uses its own share of these.
#![allow(dead_code)]

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output, Stdio};

use crate::common::{workspace, BIN};

/// With `STUB_SAVE_SLEEP`, `save` writes its pid and hangs that many seconds;
/// `STUB_RUNNING` is what inspect prints; `STUB_GATEWAY_ABSENT` makes inspect fail as
/// Podman does for a container that does not exist.
const PODMAN: &str = r#"#!/bin/sh
echo "${0##*/} $*" >>"$STUB_DIR/log"
case "$1" in
  inspect)
    if [ -n "${STUB_GATEWAY_ABSENT:-}" ]; then echo "Error: inspecting object: no such object: \"$4\"" >&2; exit 125; fi
    echo "${STUB_RUNNING:-true}" ;;
  image|tag) echo sha256:0123 ;;
  save)
    if [ -n "${STUB_SAVE_SLEEP:-}" ]; then echo $$ >"$STUB_DIR/save.pid"; exec sleep "$STUB_SAVE_SLEEP"; fi
    # A helper left running in the background, holding stderr open.
    if [ -n "${STUB_SAVE_LINGERS:-}" ]; then sleep 60 & echo $! >"$STUB_DIR/lingering.pid"; fi
    echo 'an archive' ;;
  exec)
    case "$*" in
      *'images import'*) cat >"$STUB_DIR/imported" ;;
      *'images check'*) [ -s "$STUB_DIR/imported" ] && echo 'docker.io/openshell/sandbox-from:1786000000 x sha256:1 complete (1/1) 1 MiB/1 MiB true'; true ;;
    esac ;;
esac
"#;

/// A create from `./Dockerfile` prints `create.out` and fails, or hangs
/// (`STUB_CREATE_HANG`: until a signal ends it; `trap`: it exits 130 on SIGINT, as a
/// program that catches it does); `sandbox list` prints `list.out`.
const OPENSHELL: &str = r#"#!/bin/sh
echo "openshell $*" >>"$STUB_DIR/log"
case "$*" in
  *'sandbox create'*'--from ./Dockerfile'*)
    [ -f "$STUB_DIR/create.out" ] && cat "$STUB_DIR/create.out" >&2
    case "${STUB_CREATE_HANG:-}" in
      '') : >"$STUB_DIR/create-ended"; exit 1 ;;
      trap) trap 'exit 130' INT; : >"$STUB_DIR/hanging"; sleep 60 & wait; exit 1 ;;
      *) : >"$STUB_DIR/hanging"; exec sleep 60 ;;
    esac ;;
  *'sandbox list'*) [ -f "$STUB_DIR/list.out" ] && cat "$STUB_DIR/list.out" ;;
esac
exit 0
"#;

/// Records its words, and says them on stderr as a chatty tool would.
const RECORDER: &str = "#!/bin/sh\necho \"${0##*/} $*\" >>\"$STUB_DIR/log\"\necho \"${0##*/}: working on $*\" >&2\n";

/// A directory of stand-ins, first on `PATH`.
pub(crate) struct StandIn {
    pub(crate) dir: tempfile::TempDir,
}

impl StandIn {
    pub(crate) fn new() -> StandIn {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in [("podman", PODMAN), ("docker", PODMAN), ("openshell", OPENSHELL), ("systemctl", RECORDER)] {
            let path = dir.path().join(name);
            fs::write(&path, text).expect("stub");
            fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
        }
        StandIn { dir }
    }

    /// Replaces the stand-in `name` with a recorder that also exits `status`.
    pub(crate) fn failing(&self, name: &str, status: i32) {
        let path = self.dir.path().join(name);
        fs::write(&path, format!("{RECORDER}exit {status}\n")).expect("stub");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    }

    /// A corpus file's output (its header removed), written where `recover` reads it.
    pub(crate) fn corpus_input(&self, name: &str) -> String {
        let text = fs::read_to_string(workspace().join("tests/corpus").join(name)).expect("corpus file");
        self.input(text.split_once("# ---\n").map(|(_, b)| b).expect("a header"))
    }

    /// `text` written where a command reads it; its path.
    pub(crate) fn input(&self, text: &str) -> String {
        let path = self.dir.path().join("input.log");
        fs::write(&path, text).expect("input");
        path.display().to_string()
    }

    /// What the stand-in `openshell` prints when asked to create from `./Dockerfile`.
    pub(crate) fn create_prints(&self, text: &str) {
        fs::write(self.dir.path().join("create.out"), text).expect("create.out");
    }

    /// The pid a stub wrote to `file`.
    pub(crate) fn pid(&self, file: &str) -> i32 {
        fs::read_to_string(self.dir.path().join(file)).expect("pid").trim().parse().expect("a pid")
    }

    /// Every call, one line each.
    pub(crate) fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("log")).unwrap_or_default()
    }

    /// `PATH` with the stand-ins first.
    pub(crate) fn path(&self) -> String {
        format!("{}:{}", self.dir.path().display(), std::env::var("PATH").unwrap_or_default())
    }

    /// `sandbox-triage <args>` in a session of its own (no terminal to ask on).
    pub(crate) fn command(&self, args: &[&str], env: &[(&str, &str)]) -> Command {
        let mut command = Command::new("setsid");
        command
            .arg(BIN)
            .args(args)
            .env("PATH", self.path())
            .env("STUB_DIR", self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("SANDBOX_TRIAGE_GATEWAY_STATE_DIR")
            .stdin(Stdio::null());
        for (k, v) in env {
            command.env(k, v);
        }
        command
    }

    /// `sandbox-triage recover <args>`, with no terminal.
    pub(crate) fn run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let args: Vec<&str> = ["recover"].into_iter().chain(args.iter().copied()).collect();
        self.command(&args, env).output().expect("recover")
    }

    /// `sandbox-triage <args>`, with no terminal.
    pub(crate) fn run_any(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        self.command(args, env).output().expect("sandbox-triage")
    }
}
