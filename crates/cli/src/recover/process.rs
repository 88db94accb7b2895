//! Running one step's command, or pipeline of commands: each spawned directly from its
//! argv (never a shell string) in a process group of its own, so a timeout or Ctrl-C
//! stops all of it and the terminal's Ctrl-C reaches only this tool. Output is read as
//! it comes: standard error of every process and standard output of the last are shown
//! line by line (masked) and their last lines kept; what flows between two processes is
//! pumped through a fixed buffer, counted for the progress line.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use nix::sys::signal::{killpg, Signal};
use nix::unistd::Pid;
use sandbox_triage_recover::{Cut, End, Finished, Progress, Run, Runner};

/// Lines of output kept for the journal and for checks' messages.
const TAIL_LINES: usize = 20;
/// Standard output kept for a check to read (a probe's answer is short; a listing of
/// every image in a busy gateway is not, and only its lines matter).
const CAPTURE_MAX: usize = 8 << 20;
/// How long processes get between SIGTERM and SIGKILL.
const GRACE: Duration = Duration::from_secs(2);

/// Standard error kept for a failed check to be read (its first lines say why).
const STDERR_MAX: usize = 64 << 10;

/// Spawns real processes; stops them when `stop` is set (the operator's Ctrl-C,
/// SIGTERM or hang-up) or their time is up.
pub(crate) struct Processes {
    pub(crate) stop: Arc<AtomicBool>,
}

impl Runner for Processes {
    fn run(&mut self, commands: &[Vec<String>], how: Run<'_>, progress: &mut dyn FnMut(Progress<'_>)) -> Finished {
        run(commands, how, &self.stop, progress)
    }

    /// As the process would be started: a path as it is, a name looked up on `PATH`.
    fn installed(&self, program: &str) -> bool {
        use std::os::unix::fs::PermissionsExt as _;
        let runs = |path: &std::path::Path| std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0);
        if program.contains('/') {
            return runs(std::path::Path::new(program));
        }
        std::env::var_os("PATH").is_some_and(|path| std::env::split_paths(&path).any(|dir| runs(&dir.join(program))))
    }

    fn exists(&self, path: &str) -> bool {
        std::path::Path::new(path).exists()
    }
}

enum Message {
    Line(String),
    Stdout(Vec<u8>),
    Stderr(Vec<u8>),
}

/// Runs `commands` as a pipeline (one command: just it).
/// The processes of a pipeline, started and connected.
struct Started {
    children: Vec<Option<Child>>,
    ends: Vec<Option<End>>,
    pumps: Vec<thread::JoinHandle<()>>,
}

fn start(commands: &[Vec<String>], tx: &mpsc::SyncSender<Message>, streamed: &Arc<AtomicU64>, secrets: &Arc<Vec<String>>) -> Started {
    let mut started = Started { children: Vec::new(), ends: Vec::new(), pumps: Vec::new() };
    let mut upstream: Option<ChildStdout> = None;
    for (i, argv) in commands.iter().enumerate() {
        let last = i + 1 == commands.len();
        match spawn(argv, upstream.is_some()) {
            Ok(mut child) => {
                if let (Some(from), Some(to)) = (upstream.take(), child.stdin.take()) {
                    let counter = (i == 1).then(|| Arc::clone(streamed));
                    started.pumps.push(thread::spawn(move || pump(from, to, counter.as_deref())));
                }
                if let Some(stderr) = child.stderr.take() {
                    forward_lines(stderr, tx.clone(), Arc::clone(secrets));
                }
                if last {
                    if let Some(stdout) = child.stdout.take() {
                        forward_stdout(stdout, tx.clone(), Arc::clone(secrets));
                    }
                } else {
                    upstream = child.stdout.take();
                }
                started.children.push(Some(child));
                started.ends.push(None);
            }
            Err(e) => {
                // Nothing reads what the process before would have written: it ends.
                upstream = None;
                started.children.push(None);
                started.ends.push(Some(End::NotStarted(e.to_string())));
            }
        }
    }
    started
}

/// Runs `commands` as a pipeline (one command: just it).
fn run(commands: &[Vec<String>], how: Run<'_>, stop: &AtomicBool, progress: &mut dyn FnMut(Progress<'_>)) -> Finished {
    let began = Instant::now();
    // Bounded: a process that floods its output waits for this loop, not memory.
    let (tx, rx) = mpsc::sync_channel::<Message>(1024);
    let streamed = Arc::new(AtomicU64::new(0));
    let secrets = Arc::new(how.secrets.iter().filter(|s| s.len() >= 4).cloned().collect::<Vec<_>>());
    let Started { mut children, mut ends, pumps } = start(commands, &tx, &streamed, &secrets);
    let mut order: Vec<usize> = (0..ends.len()).filter(|&i| ends[i].is_some()).collect();
    drop(tx);
    let mut watch = Watch { stdout: Vec::new(), stderr: Vec::new(), tail: Vec::new(), cut: None, last_progress: Instant::now() };
    loop {
        watch.drain(&rx, progress);
        for (i, (child, end)) in children.iter_mut().zip(ends.iter_mut()).enumerate() {
            if let (Some(c), None) = (child.as_mut(), end.as_ref()) {
                if let Ok(Some(status)) = c.try_wait() {
                    *end = Some(status.code().map_or_else(|| End::Signalled(status.signal().unwrap_or(0)), End::Exited));
                    order.push(i);
                    // What it left running in its group would hold the pipe to the next
                    // process open, and the pipeline with it.
                    if let Ok(pid) = i32::try_from(c.id()) {
                        let _ = killpg(Pid::from_raw(pid), Signal::SIGKILL);
                    }
                }
            }
        }
        if ends.iter().all(Option::is_some) {
            break;
        }
        let cut = if stop.load(Ordering::SeqCst) {
            Some(Cut::Interrupted)
        } else if began.elapsed() > how.timeout {
            Some(Cut::TimedOut)
        } else {
            None
        };
        if let (Some(cut), None) = (cut, watch.cut) {
            watch.cut = Some(cut);
            stop_all(&mut children, &ends);
        }
        if how.show && commands.len() > 1 && watch.last_progress.elapsed() >= Duration::from_secs(1) {
            watch.last_progress = Instant::now();
            progress(Progress::Streamed(streamed.load(Ordering::Relaxed), began.elapsed()));
        }
        thread::sleep(Duration::from_millis(20));
    }
    // The step is over: what it left running in its process groups goes too, so no
    // background child holds its pipes (and this step) open.
    stop_groups(&children);
    settle(&pumps, &rx, &mut watch, progress);
    Finished {
        ends: ends.into_iter().map(|e| e.unwrap_or(End::Signalled(9))).collect(),
        cut: watch.cut,
        stdout: String::from_utf8_lossy(&watch.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&watch.stderr).into_owned(),
        tail: watch.tail,
        elapsed: began.elapsed(),
        streamed: streamed.load(Ordering::Relaxed),
        order,
    }
}

/// A process that escaped its group (a daemon) may still hold a pipe: the readers and
/// pumps get a last moment, then are left behind.
fn settle(pumps: &[thread::JoinHandle<()>], rx: &mpsc::Receiver<Message>, watch: &mut Watch, progress: &mut dyn FnMut(Progress<'_>)) {
    let deadline = Instant::now() + Duration::from_secs(2);
    while !pumps.iter().all(thread::JoinHandle::is_finished) && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(10));
    }
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left.max(Duration::from_millis(1))) {
            Ok(message) => watch.take(message, progress),
            Err(_) => break,
        }
        if left.is_zero() {
            break;
        }
    }
}

struct Watch {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    tail: Vec<String>,
    cut: Option<Cut>,
    last_progress: Instant,
}

impl Watch {
    fn drain(&mut self, rx: &mpsc::Receiver<Message>, progress: &mut dyn FnMut(Progress<'_>)) {
        while let Ok(message) = rx.try_recv() {
            self.take(message, progress);
        }
    }

    fn take(&mut self, message: Message, progress: &mut dyn FnMut(Progress<'_>)) {
        match message {
            Message::Line(line) => {
                progress(Progress::Line(&line));
                if self.tail.len() == TAIL_LINES {
                    self.tail.remove(0);
                }
                self.tail.push(line);
            }
            Message::Stdout(bytes) => {
                let room = CAPTURE_MAX.saturating_sub(self.stdout.len());
                self.stdout.extend_from_slice(&bytes[..room.min(bytes.len())]);
            }
            Message::Stderr(bytes) => {
                let room = STDERR_MAX.saturating_sub(self.stderr.len());
                self.stderr.extend_from_slice(&bytes[..room.min(bytes.len())]);
            }
        }
    }
}

fn spawn(argv: &[String], piped_in: bool) -> io::Result<Child> {
    let (program, args) = argv.split_first().ok_or_else(|| io::Error::other("an empty command"))?;
    Command::new(program)
        .args(args)
        .stdin(if piped_in { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
}

/// Copies a pipeline link through a fixed buffer; memory stays bounded however large
/// the image.
fn pump(mut from: ChildStdout, mut to: std::process::ChildStdin, counter: Option<&AtomicU64>) {
    let mut buf = vec![0; 256 << 10];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        // The reader ended (failed): stop, and the writer gets EPIPE as with a shell.
        if to.write_all(&buf[..n]).is_err() {
            return;
        }
        if let Some(counter) = counter {
            counter.fetch_add(n as u64, Ordering::Relaxed);
        }
    }
}

/// The longest line kept; the rest of a longer one is skipped.
const LINE_MAX: usize = 64 << 10;

/// Reads one line of at most [`LINE_MAX`] bytes into `line`; 0 at the end.
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> usize {
    line.clear();
    let n = reader.by_ref().take(LINE_MAX as u64).read_until(b'\n', line).unwrap_or(0);
    if n == LINE_MAX && line.last() != Some(&b'\n') {
        let mut rest = Vec::new();
        loop {
            rest.clear();
            let m = reader.by_ref().take(LINE_MAX as u64).read_until(b'\n', &mut rest).unwrap_or(0);
            if m == 0 || rest.last() == Some(&b'\n') {
                break;
            }
        }
    }
    n
}

fn forward_lines(stream: impl Read + Send + 'static, tx: mpsc::SyncSender<Message>, secrets: Arc<Vec<String>>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while read_line(&mut reader, &mut line) > 0 {
            if tx.send(Message::Stderr(line.clone())).is_err() || tx.send(Message::Line(masked(&line, &secrets))).is_err() {
                return;
            }
        }
    });
}

/// The last process's standard output: kept for checks and shown line by line.
fn forward_stdout(stream: ChildStdout, tx: mpsc::SyncSender<Message>, secrets: Arc<Vec<String>>) {
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = Vec::new();
        while read_line(&mut reader, &mut line) > 0 {
            if tx.send(Message::Stdout(line.clone())).is_err() || tx.send(Message::Line(masked(&line, &secrets))).is_err() {
                return;
            }
        }
    });
}

/// A line as it may be shown: secrets masked, control characters made visible, at
/// most a screenful.
fn masked(line: &[u8], secrets: &[String]) -> String {
    let text = String::from_utf8_lossy(line);
    let mut text = text.trim_end_matches(['\n', '\r']).to_owned();
    for secret in secrets {
        text = text.replace(secret.as_str(), "****");
    }
    let clipped: String = text.chars().take(2000).collect();
    sandbox_triage_core::printable(&sandbox_triage_core::redact(&clipped))
}

/// The process group of each process started (its id: each leads its own group).
fn groups(children: &[Option<Child>]) -> Vec<Pid> {
    children.iter().flatten().filter_map(|c| i32::try_from(c.id()).ok()).map(Pid::from_raw).collect()
}

/// SIGTERM to every process group of the step, then SIGKILL after a grace period
/// (a group whose leader has ended may still hold its children).
fn stop_all(children: &mut [Option<Child>], ends: &[Option<End>]) {
    for pid in groups(children) {
        let _ = killpg(pid, Signal::SIGTERM);
    }
    let deadline = Instant::now() + GRACE;
    let running = |children: &mut [Option<Child>]| {
        children.iter_mut().zip(ends).any(|(c, e)| e.is_none() && c.as_mut().is_some_and(|c| matches!(c.try_wait(), Ok(None))))
    };
    while Instant::now() < deadline && running(children) {
        thread::sleep(Duration::from_millis(20));
    }
    for pid in groups(children) {
        let _ = killpg(pid, Signal::SIGKILL);
    }
}

/// Whatever is left in the step's process groups once their leaders have ended.
fn stop_groups(children: &[Option<Child>]) {
    for pid in groups(children) {
        if killpg(pid, Signal::SIGTERM).is_ok() {
            thread::sleep(Duration::from_millis(50));
            let _ = killpg(pid, Signal::SIGKILL);
        }
    }
}
