//! `sandbox-triage run`: supervise a create live. Its output passes through untouched;
//! each stream is cut into lines on its own and the lines are classified as they come;
//! silence is explained; when the command fails, the diagnosis and plan follow its
//! output on stderr.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use sandbox_triage_core::{
    diagnosis_human, plan_human, plan_json_timed, printable, recovery_human, redact, timeline_human, Classifier, CreateInvocation,
    Diagnosis, Kind, Options, Phase, Plan, StageRules, Style, Timeline,
};

use crate::args::RunArgs;
use crate::events::Events;
use crate::exit::Exit;
use crate::json_out::JsonOut;
use crate::progress::Progress;
use crate::recover::{self, Narrator, Policy, PROBE_TIMEOUT};
use crate::settings::Settings;
use crate::spool::Empty;
use crate::supervise::{spawn, Ended, Event, SpawnError, Stream, Supervised, DRAIN};

/// A partial line longer than this is classified as it is, so that an endless line
/// costs no more memory than a long one.
const PARTIAL_MAX: usize = 1 << 20;

/// Hands the classifier whole lines from two streams, never half a line of one with
/// the other's in between.
#[derive(Default)]
struct Lines {
    partial: [Vec<u8>; 2],
}

impl Lines {
    fn push(&mut self, stream: Stream, bytes: &[u8], classifier: &mut Classifier<'_>) {
        let partial = &mut self.partial[usize::from(stream == Stream::Err)];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                if !partial.is_empty() {
                    classifier.feed(partial);
                    partial.clear();
                }
                classifier.feed(&bytes[..=last]);
                partial.extend_from_slice(&bytes[last + 1..]);
            }
            None => partial.extend_from_slice(bytes),
        }
        if partial.len() >= PARTIAL_MAX {
            classifier.feed(partial);
            classifier.feed(b"\n");
            partial.clear();
        }
    }

    /// Whether a stream's last line has not ended yet.
    fn mid_line(&self) -> bool {
        self.partial.iter().any(|p| !p.is_empty())
    }

    fn finish(&mut self, classifier: &mut Classifier<'_>) {
        for partial in &mut self.partial {
            if !partial.is_empty() {
                classifier.feed(partial);
                classifier.feed(b"\n");
                partial.clear();
            }
        }
    }
}

/// Writes to our stderr; a stderr that is gone (a hung-up terminal) loses the text,
/// never the exit status.
fn say(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// How the watch ended.
struct Outcome {
    ended: Option<Ended>,
    /// Our stdout closed, and the child was cut off from it.
    stdout_closed: bool,
    /// The kind `--early` printed, if it printed one.
    early: Option<Kind>,
}

/// What the watch says while the command runs.
struct Watching {
    heartbeat: Option<Duration>,
    early: bool,
    /// Classify to the end even after a success (a timeline or events are wanted).
    to_the_end: bool,
}

/// Classifies the child's output as it comes, until it has exited and its pipes are
/// drained (or the drain's time is up): says which phase is running during silence, and
/// (with `early`) the diagnosis as soon as one is decisive.
fn watch(supervised: &Supervised, classifier: &mut Classifier<'_>, lines: &mut Lines, progress: &mut Progress, how: &Watching) -> Outcome {
    let tick = how.heartbeat.map_or(Duration::from_secs(1), |h| h.min(Duration::from_secs(1)));
    let (mut last_output, mut last_beat) = (Instant::now(), Instant::now());
    let mut open = 2;
    let mut outcome = Outcome { ended: None, stdout_closed: false, early: None };
    let mut deadline: Option<Instant> = None;
    while open > 0 || deadline.is_none() {
        // A success needs no diagnosis: once its output has passed through, whatever
        // classification has not caught up with is left.
        if !how.early && !how.to_the_end && supervised.succeeded_and_passed_through() {
            outcome.ended = Some(Ended::Code(0));
            break;
        }
        let wait = deadline.map_or(tick, |d| d.saturating_duration_since(Instant::now()));
        match supervised.events.pop(wait) {
            Ok(Event::Chunk(stream, bytes, at)) => {
                lines.push(stream, &bytes, classifier);
                last_output = Instant::now();
                // Caught up (live output): look at once, so each phase and step is timed
                // by the chunk that began it; behind (a burst), now and then.
                progress.after_output(classifier, at, !supervised.events.has_backlog());
                if how.early && outcome.early.is_none() {
                    outcome.early = say_early(classifier);
                }
            }
            Ok(Event::Closed(stream, ours)) => {
                open -= 1;
                outcome.stdout_closed |= ours && stream == Stream::Out;
            }
            Ok(Event::Exited(ended)) => {
                outcome.ended = Some(ended);
                deadline = Some(Instant::now() + DRAIN);
            }
            Err(Empty::Timeout) if deadline.is_some_and(|d| Instant::now() >= d) => break,
            Err(Empty::Timeout) => {
                let at = supervised.started().elapsed();
                progress.after_output(classifier, at, true);
                let silent = last_output.elapsed();
                if let Some(interval) = how.heartbeat.filter(|i| silent >= *i && last_beat.elapsed() >= *i) {
                    last_beat = Instant::now();
                    let phase = progress.phase().map_or("the command is running, before any phase it marks", Phase::description);
                    // On a line of its own, after a line the command left unfinished.
                    let fresh = if lines.mid_line() { "\n" } else { "" };
                    say(&format!("{fresh}sandbox-triage: no output for {}s: {phase}\n", silent.as_secs().max(interval.as_secs())));
                    progress.events.heartbeat(at, progress.phase(), silent);
                }
            }
            Err(Empty::Done) => break,
        }
    }
    outcome
}

/// Prints the diagnosis so far when it is decisive; the kind it printed.
fn say_early(classifier: &mut Classifier<'_>) -> Option<Kind> {
    classifier.flush_lines();
    let so_far = classifier.peek();
    if matches!(so_far.kind, Kind::Unknown | Kind::None) {
        return None;
    }
    say(&format!("\nsandbox-triage: the command is failing (it has not exited yet)\n{}", diagnosis_human(&so_far, Style::default())));
    Some(so_far.kind)
}

/// `--json-out` must be writable before the child runs: a create may take an hour, and
/// its result must not be lost to a typo. Nothing is left behind by the check.
pub(crate) fn run(args: &RunArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let json_out = args.json_out.as_deref().map(JsonOut::open).transpose()?;
    let mut progress = Progress::new(Events::open(args.events.as_deref())?);
    let catalogue = &settings.catalogue;
    // Live output is slow to arrive: with --early every rule is checked as each line
    // comes; otherwise the classification is exactly `classify`'s.
    let rules = if args.early { StageRules::streaming_all(catalogue, args.stage) } else { StageRules::new(catalogue, args.stage) };
    let options = Options { openshell_version: settings.openshell_version, supervised: true, ..Options::default() };
    let mut classifier = Classifier::new(&rules, options);
    let argv: Vec<String> = args.command.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let invocation = CreateInvocation::parse(&argv).ok().filter(|i| i.program.is_some());

    let supervised = match spawn(&args.command) {
        Ok(supervised) => supervised,
        Err(error) => return Ok(not_started(&error, &argv, &mut progress.events, json_out)),
    };
    progress.events.started(&argv);
    let heartbeat = match args.heartbeat {
        _ if args.quiet => None,
        Some(0) => None,
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => io::stderr().is_terminal().then(|| Duration::from_secs(15)),
    };
    let how = Watching { heartbeat, early: args.early, to_the_end: args.timeline || progress.events.enabled() || json_out.is_some() };
    let mut lines = Lines::default();
    let outcome = watch(&supervised, &mut classifier, &mut lines, &mut progress, &how);
    lines.finish(&mut classifier);
    let end = supervised.ended_after().unwrap_or_else(|| supervised.started().elapsed());
    progress.after_output(&mut classifier, end, true);
    let signal = supervised.finish();
    progress.events.exited(end, outcome.ended);
    let status = outcome.ended.map_or(1, Ended::status);
    let timeline = progress.timeline(end);
    // Our own reader went away: the child stopped on SIGPIPE, as it would in a plain
    // pipe, and nothing failed.
    let succeeded = status == 0 || (outcome.stdout_closed && status == 128 + 13);
    // The exit status is known only now; the classifier decides with it.
    let diagnosis = classifier.finish_with(Some(if succeeded { 0 } else { status }), signal);
    let recovery = settings.plan(&diagnosis, invocation.as_ref());
    report_end(
        args,
        settings,
        &Finished { diagnosis: &diagnosis, recovery: &recovery, timeline: &timeline, early: outcome.early, succeeded },
    );
    let report = plan_json_timed(&diagnosis, &recovery, Some(&timeline)) + "\n";
    progress.events.diagnosis(end, &report);
    // The report of this run, not an earlier one's: a success says `none`.
    if let (Some(out), Some(path)) = (json_out, &args.json_out) {
        if let Err(error) = out.write(&report) {
            say(&printable(&redact(&format!("sandbox-triage: warning: cannot write {}: {error}\n", path.display()))));
        }
    }
    if succeeded {
        return Ok(Exit::Status(u8::try_from(status).unwrap_or(255)));
    }
    // An interrupted create is the operator's own stop: nothing is carried out after it.
    let stopped_by_operator = diagnosis.kind == Kind::Interrupted || signal.is_some();
    if args.recovery.recover && !stopped_by_operator && diagnosis.is_determined() && recovery.mechanical {
        return recover_now(args, &diagnosis, &recovery);
    }
    Ok(Exit::Status(u8::try_from(status).unwrap_or(255)))
}

/// The command could not be started: said on stderr and in the events; no report.
fn not_started(error: &SpawnError, argv: &[String], events: &mut Events, json_out: Option<JsonOut>) -> Exit {
    let message = printable(&redact(&error.to_string()));
    eprintln!("sandbox-triage: error: {message}");
    events.started(argv);
    events.not_started(&message, error.exit_status());
    if let Some(out) = json_out {
        out.withdraw();
    }
    Exit::Status(error.exit_status())
}

/// How a run finished, for its report.
struct Finished<'a> {
    diagnosis: &'a Diagnosis,
    recovery: &'a Plan,
    timeline: &'a Timeline,
    /// The kind `--early` printed.
    early: Option<Kind>,
    succeeded: bool,
}

/// What people see after the command's output: a failure's diagnosis (once: after
/// `--early` printed the same kind, only the plan) and the timeline.
fn report_end(args: &RunArgs, settings: &Settings, end: &Finished<'_>) {
    if !end.succeeded {
        let shown = match end.early {
            Some(kind) if kind == end.diagnosis.kind => {
                format!("\nsandbox-triage: the command failed as diagnosed above\n{}", recovery_human(end.recovery, settings.style))
            }
            Some(_) => format!(
                "\nsandbox-triage: the diagnosis changed once the command ended\n{}",
                plan_human(end.diagnosis, end.recovery, settings.style)
            ),
            None => format!("\n{}", plan_human(end.diagnosis, end.recovery, settings.style)),
        };
        say(&shown);
    }
    if !args.quiet && (!end.succeeded || args.timeline) {
        say(&format!("\n{}", timeline_human(end.timeline, settings.style)));
    }
}

/// Goes straight on into the recovery, as `recover --apply` would.
fn recover_now(args: &RunArgs, diagnosis: &Diagnosis, plan: &Plan) -> anyhow::Result<Exit> {
    let policy = Policy {
        apply: true,
        yes: args.recovery.yes,
        allow_destructive: args.recovery.allow_destructive,
        step_timeout: Duration::from_secs(3600),
        probe_timeout: PROBE_TIMEOUT,
    };
    let (outcome, _) = recover::carry_out(diagnosis, plan, policy, args.recovery.journal.as_deref(), &mut Narrator::to_stderr())?;
    Ok(Exit::Status(outcome.code()))
}
