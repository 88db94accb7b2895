//! A runner that records every argv and answers from a script, a person who answers from
//! a list, and a listener that keeps what was said: the executor without processes.

use std::collections::VecDeque;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use sandbox_triage_core::{
    classify, plan, Arch, Catalogue, CreateInvocation, Diagnosis, Frontend, Host, Options, Os, PathKind, Plan, PlanInput, Stage, StageRules,
};
use sandbox_triage_recover::{
    carry_out, resolve, text, Answer, Cut, End, Entry, Finished, Given, Listener, Outcome, Parts, Person, Policy, Progress, Run, Runner,
    Said,
};

/// What a scripted command answers.
#[derive(Debug, Clone)]
pub(crate) struct Reply {
    pub(crate) code: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

/// Answers `code` with `stdout`.
pub(crate) fn reply(code: i32, stdout: &str) -> Reply {
    Reply { code, stdout: stdout.to_owned(), stderr: String::new() }
}

/// Answers `code` with `stderr`.
pub(crate) fn fails(code: i32, stderr: &str) -> Reply {
    Reply { code, stdout: String::new(), stderr: stderr.to_owned() }
}

/// Records every command; answers the first scripted reply whose words are all in the
/// command (in order), else exits 0 silently. `stop_at`: the command (by its words)
/// during which the operator stops the run.
#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) ran: Vec<String>,
    replies: Vec<(String, Reply)>,
    /// Replies that hold once a command holding the first words has run.
    later: Vec<(String, String, Reply)>,
    stop_at: Option<String>,
    /// Commands holding these words run past their time.
    hang: Vec<String>,
    /// The operator stops the run just as a command holding these words ends well.
    stop_after: Option<String>,
    pub(crate) stop: Option<&'static AtomicBool>,
    /// Programs not installed here.
    absent: Vec<String>,
}

impl Recorder {
    /// `program` is not installed here.
    pub(crate) fn without(mut self, program: &str) -> Recorder {
        self.absent.push(program.to_owned());
        self
    }

    /// A command holding `words` answers `reply`; the latest such rule wins.
    pub(crate) fn answering(mut self, words: &str, reply: Reply) -> Recorder {
        self.replies.insert(0, (words.to_owned(), reply));
        self
    }

    /// Once a command holding `trigger` has run, a command holding `words` answers `reply`.
    pub(crate) fn once(mut self, trigger: &str, words: &str, reply: Reply) -> Recorder {
        self.later.push((trigger.to_owned(), words.to_owned(), reply));
        self
    }

    fn reply_to(&self, line: &str) -> Reply {
        let later = self
            .later
            .iter()
            .find(|(trigger, words, _)| line.contains(words.as_str()) && self.ran.iter().any(|c| c.contains(trigger.as_str())));
        if let Some((_, _, reply)) = later {
            return reply.clone();
        }
        self.replies.iter().find(|(w, _)| line.contains(w.as_str())).map_or_else(|| reply(0, ""), |(_, r)| r.clone())
    }

    /// The operator stops the run while the command holding `words` runs.
    pub(crate) fn stopped_at(mut self, words: &str) -> Recorder {
        self.stop_at = Some(words.to_owned());
        self
    }

    /// The operator stops the run just as the command holding `words` ends, too late
    /// for the command to see it.
    pub(crate) fn stopped_after(mut self, words: &str) -> Recorder {
        self.stop_after = Some(words.to_owned());
        self
    }

    /// A command holding `words` runs past its time and is cut.
    pub(crate) fn hanging(mut self, words: &str) -> Recorder {
        self.hang.push(words.to_owned());
        self
    }

    /// Every command run that holds `words`.
    pub(crate) fn ran_with(&self, words: &str) -> Vec<&String> {
        self.ran.iter().filter(|c| c.contains(words)).collect()
    }
}

impl Runner for Recorder {
    fn installed(&self, program: &str) -> bool {
        !self.absent.iter().any(|p| p == program)
    }

    fn run(&mut self, commands: &[Vec<String>], how: Run<'_>, progress: &mut dyn FnMut(Progress<'_>)) -> Finished {
        let mut finished = Finished { elapsed: Duration::from_millis(1), ..Finished::default() };
        for (i, argv) in commands.iter().enumerate() {
            let line = argv.join(" ");
            let answer = self.reply_to(&line);
            self.ran.push(line.clone());
            if self.stop_at.as_ref().is_some_and(|w| line.contains(w.as_str())) {
                if let Some(stop) = self.stop {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
                finished.cut = Some(Cut::Interrupted);
                finished.ends.push(End::Signalled(15));
                finished.order.push(i);
                continue;
            }
            if self.hang.iter().any(|w| line.contains(w.as_str())) {
                finished.cut = Some(Cut::TimedOut);
                finished.ends.push(End::Signalled(15));
                finished.order.push(i);
                continue;
            }
            let reply = answer;
            for text in reply.stdout.lines().chain(reply.stderr.lines()) {
                let mut masked = text.to_owned();
                for secret in how.secrets {
                    masked = masked.replace(secret.as_str(), "****");
                }
                // As the real runner does: every line is reported; the executor shows
                // only a step's.
                progress(Progress::Line(&masked));
                finished.tail.push(masked);
            }
            if self.stop_after.as_ref().is_some_and(|w| line.contains(w.as_str())) {
                if let Some(stop) = self.stop {
                    stop.store(true, std::sync::atomic::Ordering::SeqCst);
                }
            }
            finished.stdout = reply.stdout;
            finished.stderr.push_str(&reply.stderr);
            if i == 0 && commands.len() > 1 {
                finished.streamed = 3 << 20;
            }
            finished.ends.push(End::Exited(reply.code));
            finished.order.push(i);
        }
        finished
    }
}

/// A person who answers from a list (no answers left: no terminal).
#[derive(Default)]
pub(crate) struct Asked {
    pub(crate) answers: VecDeque<Answer>,
    pub(crate) questions: Vec<String>,
}

impl Person for Asked {
    fn ask(&mut self, question: &str) -> Answer {
        self.questions.push(question.to_owned());
        self.answers.pop_front().unwrap_or(Answer::NoTerminal)
    }
}

/// What was said, as people read it, and every record.
#[derive(Default)]
pub(crate) struct Heard {
    pub(crate) lines: Vec<String>,
    pub(crate) entries: Vec<Entry>,
}

impl Heard {
    pub(crate) fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// The records' statuses, as the journal names them.
    pub(crate) fn statuses(&self) -> Vec<String> {
        self.entries.iter().map(|e| serde_json::to_value(e.status).expect("a status").as_str().unwrap_or_default().to_owned()).collect()
    }
}

impl Listener for Heard {
    fn said(&mut self, said: Said<'_>) {
        self.lines.extend(text(&said, sandbox_triage_core::Style { width: usize::MAX, ..Default::default() }));
    }
    fn record(&mut self, entry: &Entry) {
        self.entries.push(entry.clone());
    }
}

/// How a recovery is started.
#[derive(Clone)]
pub(crate) struct Start {
    pub(crate) policy: Policy,
    pub(crate) set: Vec<(String, String)>,
    pub(crate) env: Vec<(String, String)>,
    /// Paths that exist, and what they are.
    pub(crate) paths: Vec<(String, PathKind)>,
}

/// `--apply --yes`, no terminal, nothing set.
pub(crate) fn apply_yes() -> Start {
    Start {
        policy: Policy {
            apply: true,
            yes: true,
            allow_destructive: false,
            terminal: false,
            step_timeout: Duration::from_secs(60),
            probe_timeout: Duration::from_secs(10),
        },
        set: Vec::new(),
        env: Vec::new(),
        paths: Vec::new(),
    }
}

impl Start {
    pub(crate) fn destructive(mut self) -> Start {
        self.policy.allow_destructive = true;
        self
    }

    pub(crate) fn terminal(mut self) -> Start {
        self.policy.terminal = true;
        self
    }

    pub(crate) fn dry_run(mut self) -> Start {
        self.policy.apply = false;
        self
    }

    pub(crate) fn set(mut self, name: &str, value: &str) -> Start {
        self.set.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn env(mut self, name: &str, value: &str) -> Start {
        self.env.push((name.to_owned(), value.to_owned()));
        self
    }

    pub(crate) fn path(mut self, path: &str, kind: PathKind) -> Start {
        self.paths.push((path.to_owned(), kind));
        self
    }
}

/// A create's output classified (exit status 1).
pub(crate) fn diagnose(log: &str, stage: Stage) -> Diagnosis {
    let rules = StageRules::new(&Catalogue::builtin().expect("built-in rules load"), stage);
    classify(&rules, Options { exit_status: Some(1), ..Options::default() }, log.as_bytes())
}

/// The plan on a Linux host for `frontend`, with the create's argv when given.
pub(crate) fn plan_for(diagnosis: &Diagnosis, argv: Option<&[&str]>, frontend: Frontend) -> Plan {
    let invocation = argv.map(|a| CreateInvocation::parse(a).expect("a create argv"));
    plan(&PlanInput {
        diagnosis,
        host: Host { os: Os::Linux, arch: Arch::X86_64, wsl: false },
        engine: None,
        openshell_version: None,
        frontend,
        invocation: invocation.as_ref(),
    })
}

/// Carries `plan` out as `start` says, against `runner` and `person`.
pub(crate) fn recover(plan: &Plan, start: &Start, runner: &mut Recorder, person: &mut Asked) -> (Outcome, Heard) {
    let stop: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    runner.stop = Some(stop);
    let env = |name: &str| start.env.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    let path = |p: &str| start.paths.iter().find(|(q, _)| q == p).map_or(PathKind::Missing, |(_, k)| *k);
    let (values, problems) = resolve(plan, &Given { set: &start.set, env: &env, path: &path });
    let mut heard = Heard::default();
    let parts = Parts { runner, person, stop, listener: &mut heard };
    let outcome = carry_out(plan, &values, &problems, start.policy, parts);
    (outcome, heard)
}

/// The bundled example: a 404 from Podman's API on upload, 0.0.36.
pub(crate) const EXAMPLE: &str = include_str!("../../../../examples/upload-404-podman.log");

/// An upload failure whose output names no gateway.
pub(crate) const NAMELESS: &str = "  Built image openshell/sandbox-from:1786000000
  [progress] Exported 1862 MiB
Error:   × failed to upload image tar into container
  ╰─▶ Docker responded with status code 404: the container does not exist: no such container
";

/// A healthy gateway for the example: it runs, and holds the image once imported.
pub(crate) fn healthy() -> Recorder {
    Recorder::default().answering("{{.State.Running}}", reply(0, "true\n")).answering("image inspect", reply(0, "sha256:0123\n")).once(
        "images import",
        "images check",
        reply(0, "docker.io/openshell/sandbox-from:1786000000 x sha256:1 complete (1/1) 1 MiB/1 MiB true\n"),
    )
}
