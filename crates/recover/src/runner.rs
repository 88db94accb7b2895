//! Running processes, behind a trait: the executor decides what runs, a [`Runner`] runs
//! it. The binary's runner spawns real processes; a test's answers from a script.

use std::time::Duration;

/// How one process of a step ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum End {
    /// It exited with this code.
    Exited(i32),
    /// A signal killed it.
    Signalled(i32),
    /// It could not be started (not found, not executable).
    NotStarted(String),
}

impl End {
    /// Whether it exited 0.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        *self == End::Exited(0)
    }

    /// The exit code a shell would report.
    #[must_use]
    pub fn code(&self) -> i32 {
        match self {
            End::Exited(code) => *code,
            End::Signalled(signal) => 128 + signal,
            End::NotStarted(_) => 127,
        }
    }

    /// Killed for writing to a pipe nobody reads: the process after it ended first.
    fn broken_pipe(&self) -> bool {
        matches!(self, End::Signalled(13) | End::Exited(141))
    }

    /// What happened, for people.
    #[must_use]
    pub fn describe(&self) -> String {
        match self {
            End::Exited(code) => format!("exited {code}"),
            End::Signalled(signal) => format!("was killed by signal {signal}"),
            End::NotStarted(why) => format!("could not start: {why}"),
        }
    }
}

/// Why a step's processes were stopped before they ended by themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Its time ran out.
    TimedOut,
    /// The operator stopped the run.
    Interrupted,
}

/// What a run of a step's processes came to.
#[derive(Debug, Clone, Default)]
pub struct Finished {
    /// One per process, in pipeline order.
    pub ends: Vec<End>,
    /// Why it was stopped, if it was.
    pub cut: Option<Cut>,
    /// The last process's standard output (bounded).
    pub stdout: String,
    /// Every process's standard error (bounded).
    pub stderr: String,
    /// The last lines of output, masked.
    pub tail: Vec<String>,
    /// How long it took.
    pub elapsed: Duration,
    /// Bytes pumped from the first process to the second.
    pub streamed: u64,
    /// The processes (their positions) in the order they ended.
    pub order: Vec<usize>,
}

impl Finished {
    /// The process whose failure ended the step, with its position (1-based): the
    /// first to fail, passing over those killed by a broken pipe (when the importer
    /// dies, `save` dies of SIGPIPE after it, and is not the cause).
    #[must_use]
    pub fn first_failure(&self) -> Option<(usize, &End)> {
        let failed: Vec<usize> = self.order.iter().copied().filter(|&i| self.ends.get(i).is_some_and(|e| !e.succeeded())).collect();
        let cause = failed.iter().copied().find(|&i| !self.ends[i].broken_pipe()).or_else(|| failed.first().copied())?;
        Some((cause + 1, &self.ends[cause]))
    }

    /// Every process exited 0 and nothing cut it short.
    #[must_use]
    pub fn succeeded(&self) -> bool {
        self.cut.is_none() && self.first_failure().is_none()
    }

    /// The exit status of a single command (`None`: it could not be started).
    #[must_use]
    pub fn status(&self) -> Option<i32> {
        match self.ends.last() {
            Some(End::NotStarted(_)) | None => None,
            Some(end) => Some(end.code()),
        }
    }
}

/// How to run a step's commands.
#[derive(Debug, Clone, Copy)]
pub struct Run<'a> {
    /// How long they may take.
    pub timeout: Duration,
    /// Values never to show, whatever they look like: masked in every line of output.
    pub secrets: &'a [String],
    /// Output is passed on as it comes (a step); else kept only (a check).
    pub show: bool,
}

/// What a run reports as it goes.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A line of output, masked.
    Line(&'a str),
    /// A pipeline's stream so far: bytes, time.
    Streamed(u64, Duration),
}

/// Runs commands: one, or several joined by pipes. Each is an argv, never a shell
/// string. A runner stops the processes when the operator does (it watches the same
/// stop the executor reads) or when their time is up.
pub trait Runner {
    /// Runs `commands` as a pipeline, reporting as it goes.
    fn run(&mut self, commands: &[Vec<String>], how: Run<'_>, progress: &mut dyn FnMut(Progress<'_>)) -> Finished;

    /// Whether `program` can be started here (found on `PATH`, or a path to a program).
    fn installed(&self, program: &str) -> bool {
        let _ = program;
        true
    }

    /// Whether there is a file at `path` here.
    fn exists(&self, path: &str) -> bool {
        let _ = path;
        true
    }
}

/// A person asked for a yes, and what they said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Yes.
    Yes,
    /// Anything but yes.
    No,
    /// Nobody can be asked.
    NoTerminal,
    /// Ctrl-C (or another stop) while the question waited.
    Interrupted,
}

/// Asks a person.
pub trait Person {
    /// Asks `question`; waits for the answer or a stop.
    fn ask(&mut self, question: &str) -> Answer;
}
