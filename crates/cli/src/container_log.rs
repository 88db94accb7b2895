//! Reading a failed sandbox container's log from the engine, read-only: the lookup of
//! the container by OpenShell's label, then the last lines of its log, both streams in
//! the order written. Each command is bounded in time and in what it keeps; a probe that
//! fails adds nothing and says why.

use std::io::{self, Read};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use sandbox_triage_core::{
    container_log_argv, container_log_lines, container_log_wanted, container_lookup_argv, looked_up_container, printable, redact,
    Diagnosis, Engine,
};

/// How long each engine command may take: a hung engine must not hold the answer.
const PROBE_TIME: Duration = Duration::from_secs(15);
/// What a command's output may hold: forty lines, however long each is.
const OUTPUT_MAX: u64 = 1 << 20;

/// The container's log, as lines to add to the output, with what was run to get it.
pub(crate) struct ContainerLog {
    /// `<engine> logs --tail N <container>`, to say what was read.
    pub(crate) command: String,
    pub(crate) lines: Vec<u8>,
}

/// When `so_far` is a create whose sandbox container exited (or never became ready),
/// its log's last lines as more output (after a line break: the output may have ended
/// mid-line), saying on stderr what was read or why nothing could be.
pub(crate) fn probe(so_far: &Diagnosis) -> Option<Vec<u8>> {
    let sandbox = container_log_wanted(so_far)?;
    let engine = so_far.engine.unwrap_or(Engine::Docker);
    match fetch(engine, sandbox) {
        Ok(log) => {
            eprintln!("sandbox-triage: the create does not say why sandbox {sandbox} failed; read its container's log: {}", log.command);
            let mut more = b"\n".to_vec();
            more.extend_from_slice(&log.lines);
            Some(more)
        }
        Err(why) => {
            eprint!("{}", printable(&redact(&format!("sandbox-triage: the sandbox container's log could not be read: {why}\n"))));
            None
        }
    }
}

/// The log of `sandbox`'s newest container, or why it could not be read.
pub(crate) fn fetch(engine: Engine, sandbox: &str) -> Result<ContainerLog, String> {
    let lookup = container_lookup_argv(engine, sandbox);
    let answer = output_of(&lookup)?;
    let answer = String::from_utf8_lossy(&answer);
    let container = looked_up_container(&answer).ok_or_else(|| format!("`{}` lists no container", lookup.join(" ")))?;
    let logs = container_log_argv(engine, container);
    let log = output_of(&logs)?;
    Ok(ContainerLog { command: logs.join(" "), lines: container_log_lines(&log) })
}

/// What `argv` printed on both streams, when it succeeded in time.
fn output_of(argv: &[String]) -> Result<Vec<u8>, String> {
    let shown = argv.join(" ");
    let (reader, writer) = nix::unistd::pipe().map_err(|e| format!("`{shown}`: {e}"))?;
    let mut reader = std::fs::File::from(reader);
    let both = writer.try_clone().map_err(|e| format!("`{shown}`: {e}"))?;
    let mut command = Command::new(&argv[0]);
    command.args(&argv[1..]).stdin(Stdio::null()).stdout(Stdio::from(writer)).stderr(Stdio::from(both));
    let mut child = command.spawn().map_err(|e| format!("`{shown}` cannot start: {e}"))?;
    // Our copies of the write end go with `command`: the read ends when the child's do.
    drop(command);
    let read = thread::spawn(move || {
        let mut out = Vec::new();
        let kept = (&mut reader).take(OUTPUT_MAX).read_to_end(&mut out);
        // Drain the rest so the child never blocks on a full pipe.
        let _ = io::copy(&mut reader, &mut io::sink());
        kept.map(|_| out)
    });
    let status = wait_bounded(&mut child).map_err(|e| format!("`{shown}`: {e}"))?;
    let out = read.join().map_err(|_| format!("`{shown}`: its output could not be read"))?.map_err(|e| format!("`{shown}`: {e}"))?;
    match status {
        Some(status) if status.success() => Ok(out),
        Some(status) => Err(format!("`{shown}` failed ({status}): {}", String::from_utf8_lossy(&out).trim())),
        None => Err(format!("`{shown}` took longer than {} s and was stopped", PROBE_TIME.as_secs())),
    }
}

/// The child's exit status, or `None` when it ran out of time (it is then killed).
fn wait_bounded(child: &mut Child) -> io::Result<Option<std::process::ExitStatus>> {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if started.elapsed() > PROBE_TIME {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        thread::sleep(Duration::from_millis(20));
    }
}
