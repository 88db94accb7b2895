//! `run` never hangs and never loses the status, with real processes: a daemon holding
//! the pipes, signals for a whole process group, a child reading the terminal, an
//! unwritable `--json-out`, a closed stdout, a hang-up.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;

use crate::common::BIN;

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("write script");
    Command::new("chmod").arg("+x").arg(&path).status().expect("chmod");
    path
}

fn start(args: &[&str]) -> Child {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sandbox-triage")
}

fn wait_for(path: &Path) {
    let start = Instant::now();
    while !path.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(path.exists(), "{} never appeared", path.display());
}

#[test]
fn a_daemon_holding_the_pipes_does_not_hold_run() {
    let started = Instant::now();
    let out = start(&["run", "--", "sh", "-c", "sleep 8 & exit 4"]).wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(4));
    assert!(started.elapsed() < Duration::from_secs(5), "run waited {:?} for the daemon", started.elapsed());
}

fn reaches_the_grandchild(signal: Signal, name: &str) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (ready, caught) = (dir.path().join("ready"), dir.path().join("caught"));
    let grandchild = script(
        dir.path(),
        "grandchild.sh",
        &format!(
            "trap 'echo {name} > \"{}\"; exit 7' {name}\ntouch \"{}\"\nwhile :; do sleep 0.05; done",
            caught.display(),
            ready.display()
        ),
    );
    // The child runs the grandchild and waits for it, as `openshell` waits for a build.
    let child = script(dir.path(), "child.sh", &format!("trap 'exit 3' {name}\n\"{}\"\nexit 5", grandchild.display()));
    let process = start(&["run", "--", child.to_str().expect("path")]);
    wait_for(&ready);
    kill(Pid::from_raw(i32::try_from(process.id()).expect("pid")), signal).expect("send the signal");
    let out = process.wait_with_output().expect("wait");
    assert_eq!(fs::read_to_string(&caught).unwrap_or_default(), format!("{name}\n"), "{name} did not reach the grandchild");
    assert!(matches!(out.status.code(), Some(3 | 5)), "{name}: {:?}", out.status);
}

#[test]
fn sigterm_sigint_and_sighup_reach_the_whole_process_group() {
    reaches_the_grandchild(Signal::SIGTERM, "TERM");
    reaches_the_grandchild(Signal::SIGINT, "INT");
    reaches_the_grandchild(Signal::SIGHUP, "HUP");
}

#[test]
fn a_hang_up_still_gives_the_diagnosis_and_the_childs_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ready = dir.path().join("ready");
    let child = script(
        dir.path(),
        "child.sh",
        &format!("echo 'Error:   × failed to upload image tar into container' >&2\ntrap 'exit 9' HUP\ntouch \"{}\"\nwhile :; do sleep 0.05; done", ready.display()),
    );
    let process = start(&["run", "--", child.to_str().expect("path")]);
    wait_for(&ready);
    kill(Pid::from_raw(i32::try_from(process.id()).expect("pid")), Signal::SIGHUP).expect("hang up");
    let out = process.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(9));
    assert!(String::from_utf8_lossy(&out.stderr).contains("image_upload_container_missing"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_child_reading_the_terminal_does_not_stop() {
    // `script` gives `run` a real terminal: the child must get its foreground.
    let command = format!("{BIN} run -- sh -c 'read answer </dev/tty; echo \"got $answer\"; exit 3'");
    let mut process = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux)");
    std::thread::sleep(Duration::from_millis(500));
    std::io::Write::write_all(process.stdin.as_mut().expect("stdin"), b"yes\n").expect("type an answer");
    let started = Instant::now();
    while process.try_wait().expect("poll").is_none() && started.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    let finished = process.try_wait().expect("poll").is_some();
    if !finished {
        let _ = process.kill();
    }
    let out: Output = process.wait_with_output().expect("wait");
    assert!(finished, "the child stopped reading the terminal");
    assert!(String::from_utf8_lossy(&out.stdout).contains("got yes"), "{}", String::from_utf8_lossy(&out.stdout));
    // Without a terminal at all, the child has none to read: it is not stopped either.
    let out = start(&["run", "--", "sh", "-c", "read answer </dev/tty; exit 6"]).wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(6));
}

#[test]
fn an_unwritable_json_out_is_a_usage_error_before_the_child_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ran = dir.path().join("ran");
    for target in [dir.path().to_path_buf(), dir.path().join("missing/x.json")] {
        let out = start(&["run", "--json-out", target.to_str().expect("path"), "--", "touch", ran.to_str().expect("path")])
            .wait_with_output()
            .expect("wait");
        assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(String::from_utf8_lossy(&out.stderr).contains("--json-out"));
        assert!(!ran.exists(), "the child ran");
    }
}

#[test]
fn a_json_out_that_fails_later_keeps_the_childs_status() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("sub");
    fs::create_dir(&target).expect("mkdir");
    let json = target.join("out.json");
    let script = format!("rm -rf '{}'; exit 4", target.display());
    let out = start(&["run", "--json-out", json.to_str().expect("path"), "--", "sh", "-c", &script]).wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: cannot write"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_closed_stdout_ends_the_run_as_a_plain_pipe_would() {
    let started = Instant::now();
    let out = Command::new("sh").args(["-c", &format!("'{BIN}' run -- yes | head -1")]).stdin(Stdio::null()).output().expect("sh");
    assert!(started.elapsed() < Duration::from_secs(10), "it took {:?}", started.elapsed());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "y\n");
    assert!(out.status.success());
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_run_stopped_with_ctrl_c_is_interrupted_whatever_status_the_child_chose() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ready = dir.path().join("ready");
    let child = script(
        dir.path(),
        "child.sh",
        &format!("echo '  Step 4/9 : RUN npm install' >&2\ntrap 'exit 1' INT\ntouch \"{}\"\nwhile :; do sleep 0.05; done", ready.display()),
    );
    let process = start(&["run", "--", child.to_str().expect("path")]);
    wait_for(&ready);
    kill(Pid::from_raw(i32::try_from(process.id()).expect("pid")), Signal::SIGINT).expect("interrupt");
    let out = process.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "the child's own status is kept");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("interrupted (phase: build)") && !err.contains("build_step_failed"), "{err}");
}

#[test]
fn an_unwritable_stderr_loses_only_what_could_not_be_written() {
    // A full disk under `2>>create.log` must not kill the create: it carries on and
    // keeps its status, as it would without `run`.
    let full = fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = Command::new(BIN)
        .args(["run", "--", "sh", "-c", "echo progress >&2; sleep 0.2; echo more >&2; echo done; exit 3"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(full)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "done\n");
}

#[test]
fn a_json_out_fifo_is_written_when_read_and_refused_when_not() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("report");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).expect("mkfifo");
    let ran = dir.path().join("ran");
    let started = Instant::now();
    let out = start(&["run", "--json-out", fifo.to_str().expect("path"), "--", "touch", ran.to_str().expect("path")])
        .wait_with_output()
        .expect("wait");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing reads") && !ran.exists());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).expect("read the FIFO"))
    };
    std::thread::sleep(Duration::from_millis(200));
    let out = start(&["run", "--json-out", fifo.to_str().expect("path"), "--", "sh", "-c", "exit 3"]).wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(3));
    let report: serde_json::Value = serde_json::from_str(&reader.join().expect("reader")).expect("the whole report, as JSON");
    assert_eq!(report["diagnosis"]["kind"], "unknown");
}

#[test]
fn error_messages_show_no_escape_and_no_secret() {
    let path = "/nonexist/\u{1b}]0;PWNED\u{7}\u{1b}[2J nvapi-ABCDEFGHIJKLMNOPQRST";
    for args in [vec!["classify", path], vec!["run", "--", path]] {
        let out = start(&args).wait_with_output().expect("wait");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}') && !err.contains("ABCDEFGHIJKLMNOPQRST"), "{err:?}");
        assert!(err.contains("/nonexist/") && err.contains("nvapi-***"), "{err:?}");
    }
}
