//! A real pseudo-terminal for a test: `script` runs a command on one, the test types
//! into it (Ctrl-C is `\x03`, as the terminal's line discipline turns it into SIGINT
//! for the foreground job) and reads what it shows.

// Each test file uses its own share of these.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A command on a terminal, and everything it has shown so far.
pub(crate) struct Terminal {
    process: Child,
    screen: Arc<Mutex<Vec<u8>>>,
}

impl Terminal {
    /// Runs `command` (a shell command line) on a new terminal, with `env`.
    pub(crate) fn start(command: &str, env: &[(&str, String)]) -> Terminal {
        let mut process = Command::new("script")
            .args(["-qfec", command, "/dev/null"])
            .env("NO_COLOR", "1")
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script (util-linux)");
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
        Terminal { process, screen }
    }

    /// An interactive bash, with job control.
    pub(crate) fn bash() -> Terminal {
        Terminal::start("bash --norc --noprofile -i", &[("PS1", "$ ".to_owned())])
    }

    pub(crate) fn type_in(&mut self, keys: &[u8]) {
        let stdin = self.process.stdin.as_mut().expect("stdin");
        stdin.write_all(keys).expect("type");
        stdin.flush().expect("flush");
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.screen.lock().expect("screen")).into_owned()
    }

    /// Waits until the screen shows `what`.
    pub(crate) fn expect(&self, what: &str) {
        let started = Instant::now();
        while !self.text().contains(what) {
            assert!(started.elapsed() < Duration::from_secs(20), "never saw {what:?}; the screen:\n{}", self.text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The command's exit status, once it ends within `limit` (`None`: it did not).
    pub(crate) fn status_within(&mut self, limit: Duration) -> Option<i32> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.process.try_wait().expect("wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}
