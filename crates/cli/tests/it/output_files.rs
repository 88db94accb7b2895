//! Every file a run writes (`--journal`, `--events`, `--json-out`) is opened and checked
//! before the create starts: a path that cannot be written, a FIFO nothing reads or a
//! device is refused at once, the create never starts, and nothing hangs. Once the create
//! has run, its exit status is never lost to a file.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::BIN;
use crate::stand_in::StandIn;

const CREATE: &[&str] = &["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"];

fn fifo(stand: &StandIn, name: &str) -> String {
    let path = stand.dir.path().join(name);
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    path.display().to_string()
}

/// Runs `sandbox-triage <args> -- <the create>`; its output and how long it took.
fn run(stand: &StandIn, args: &[&str]) -> (std::process::Output, Duration) {
    let all: Vec<&str> = args.iter().copied().chain(["--"]).chain(CREATE.iter().copied()).collect();
    run_for(stand.command(&all, &[]))
}

/// Runs `command`; its output and how long it took. A run that hangs is killed after
/// 15 s, and fails the test by its time.
fn run_for(mut command: Command) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("run");
    let pid = child.id();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(15));
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
    });
    let out = child.wait_with_output().expect("wait");
    drop(watchdog);
    (out, started.elapsed())
}

#[test]
fn a_fifo_nothing_reads_is_refused_at_once_and_the_create_never_starts() {
    for flag in [["run", "--recover", "--journal"], ["run", "--heartbeat", "--events"], ["run", "--heartbeat", "--json-out"]] {
        let stand = StandIn::new();
        let path = fifo(&stand, "pipe");
        let args: Vec<&str> = match flag {
            ["run", "--heartbeat", other] => vec!["run", "--heartbeat", "0", other, &path],
            [run, recover, journal] => vec![run, recover, journal, &path],
        };
        let (out, took) = run(&stand, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(took < Duration::from_secs(10), "{flag:?} hung for {took:?}");
        assert_eq!(out.status.code(), Some(2), "{flag:?}: {err}");
        assert!(err.contains("a FIFO nothing reads"), "{flag:?}: {err}");
        assert!(stand.log().is_empty(), "{flag:?}: the create ran: {}", stand.log());
    }
}

#[test]
fn recover_refuses_a_journal_fifo_nothing_reads_before_anything_runs() {
    let stand = StandIn::new();
    let path = fifo(&stand, "journal");
    let example = crate::common::workspace().join("examples/upload-404-podman.log").display().to_string();
    let (out, took) = run_for(stand.command(&["recover", &example, "--journal", &path], &[]));
    assert!(took < Duration::from_secs(10), "hung for {took:?}");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stand.log().is_empty(), "{}", stand.log());
}

#[test]
fn an_unwritable_path_or_a_device_is_refused_before_the_create_starts() {
    for (flag, path) in [
        ("--journal", "/nonexistent-dir/journal"),
        ("--events", "/nonexistent-dir/events"),
        ("--journal", "/dev/zero"),
        ("--events", "/dev/zero"),
    ] {
        let stand = StandIn::new();
        let args: Vec<&str> = if flag == "--journal" { vec!["run", "--recover", flag, path] } else { vec!["run", flag, path] };
        let (out, _) = run(&stand, &args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{flag} {path}: {err}");
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
        assert!(err.contains(flag) && err.contains(path), "{err}");
        assert!(stand.log().is_empty(), "{flag} {path}: the create ran: {}", stand.log());
    }
}

#[test]
fn a_fifo_something_reads_takes_the_events() {
    let stand = StandIn::new();
    stand.create_prints("Error:   × failed to connect to gateway 'nemoclaw' at https://127.0.0.1:8080\n");
    let path = fifo(&stand, "events");
    let reader = {
        let path = path.clone();
        std::thread::spawn(move || fs::read_to_string(path).expect("read the FIFO"))
    };
    // The reader opens the FIFO; give it a moment.
    std::thread::sleep(Duration::from_millis(200));
    let (out, took) = run(&stand, &["run", "--heartbeat", "0", "--events", &path]);
    assert!(took < Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let events = reader.join().expect("reader");
    let names: Vec<String> = events
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON")["event"].as_str().unwrap_or("").to_owned())
        .collect();
    assert_eq!(names.first().map(String::as_str), Some("started"), "{events}");
    assert_eq!(names.last().map(String::as_str), Some("diagnosis"), "{events}");
}

#[test]
fn the_creates_status_is_kept_when_its_report_cannot_be_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sub = dir.path().join("gone");
    fs::create_dir(&sub).expect("mkdir");
    let report = sub.join("report.json");
    let script = format!("rm -rf '{}'; echo 'Error: something'; exit 7", sub.display());
    let out = Command::new(BIN)
        .args(["run", "--heartbeat", "0", "--json-out", &report.display().to_string(), "--", "sh", "-c", &script])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(7), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: cannot write"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn event_times_only_go_forward_and_exited_follows_every_event() {
    let example = crate::common::workspace().join("examples/upload-404-podman.log");
    let dir = tempfile::tempdir().expect("tempdir");
    for round in 0..12 {
        let events = dir.path().join(format!("events-{round}"));
        // Both streams at once, the child gone the moment it has written them.
        let script = format!("cat '{0}' >&2 & cat '{0}'; wait; exit 1", example.display());
        let out = Command::new(BIN)
            .args(["run", "--heartbeat", "0", "--events", &events.display().to_string(), "--", "sh", "-c", &script])
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1));
        let lines: Vec<serde_json::Value> =
            fs::read_to_string(&events).expect("events").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
        let times: Vec<f64> = lines.iter().map(|e| e["at_secs"].as_f64().expect("a time")).collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "round {round}: times go back: {lines:#?}");
        let position = |name: &str| lines.iter().rposition(|e| e["event"] == name);
        let (exited, evidence) = (position("exited").expect("exited"), position("evidence").expect("evidence"));
        assert!(evidence < exited, "round {round}: {lines:#?}");
    }
}
