//! `run` in an interactive shell behaves as a job: Ctrl-Z stops it and gives the prompt
//! back, `fg` continues the command with the terminal, and the command's status is the
//! job's. A real bash runs under `script`, so it has a terminal and job control.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::BIN;

/// An interactive bash on a terminal, and everything it has printed so far.
struct Session {
    process: Child,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Session {
    fn start() -> Session {
        let mut process = Command::new("script")
            .args(["-qfec", "bash --norc --noprofile -i", "/dev/null"])
            .env("PS1", "$ ")
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script (util-linux) and bash");
        let screen = Arc::new(Mutex::new(Vec::new()));
        let mut stdout = process.stdout.take().expect("stdout");
        let sink = Arc::clone(&screen);
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().expect("screen").extend_from_slice(&buf[..n]);
            }
        });
        Session { process, screen }
    }

    fn type_in(&mut self, keys: &[u8]) {
        let stdin = self.process.stdin.as_mut().expect("stdin");
        stdin.write_all(keys).expect("type");
        stdin.flush().expect("flush");
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().expect("screen")).into_owned()
    }

    /// Waits until the screen shows `what`.
    fn expect(&self, what: &str) {
        let started = Instant::now();
        while !self.text().contains(what) {
            assert!(started.elapsed() < Duration::from_secs(20), "never saw {what:?}; the screen:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

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
    let mut session = Session::start();
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
