//! `run` in an interactive shell behaves as a job: Ctrl-Z stops it and gives the prompt
//! back, `fg` continues the command with the terminal, and the command's status is the
//! job's. A real bash runs under `script`, so it has a terminal and job control.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::BIN;
use crate::terminal::Terminal;

fn wait_for(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(started.elapsed() < Duration::from_secs(20), "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn ctrl_z_stops_the_job_and_fg_continues_it_with_the_terminal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (started, go) = (dir.path().join("started"), dir.path().join("go"));
    // The command waits for `go`, then reads the terminal: it must hold it after `fg`.
    let child = format!(
        "touch '{}'; while [ ! -e '{}' ]; do sleep 0.05; done; read answer </dev/tty; echo \"woke with $answer\"; exit 4",
        started.display(),
        go.display()
    );
    let script = dir.path().join("child.sh");
    std::fs::write(&script, child).expect("write the child");
    let mut session = Terminal::bash();
    session.type_in(format!("'{BIN}' run --heartbeat 0 -- sh '{}'\n", script.display()).as_bytes());
    wait_for(&started);
    session.type_in(b"\x1a");
    session.expect("Stopped");
    std::fs::write(&go, "").expect("go");
    session.type_in(b"fg\n");
    std::thread::sleep(Duration::from_millis(300));
    session.type_in(b"yes\n");
    session.expect("woke with yes");
    session.type_in(b"echo \"status=$?\"\n");
    session.expect("status=4");
    session.type_in(b"echo alive\n");
    session.expect("alive\r\n");
}
