//! `sandbox-triage run`: supervise a create live. Its output passes through untouched;
//! each stream is cut into lines on its own and the lines are classified as they come;
//! silence is explained; when the command fails, the diagnosis and plan follow its
//! output on stderr.

use std::io::{self, IsTerminal, Write};
use std::time::{Duration, Instant};

use sandbox_triage_core::{
    diagnosis_human, plan_human, plan_json, printable, redact, Classifier, CreateInvocation, Diagnosis, Kind, Options, Plan, StageRules,
    Style,
};

use crate::args::RunArgs;
use crate::exit::Exit;
use crate::json_out::JsonOut;
use crate::recover::{self, Narrator, Policy, PROBE_TIMEOUT};
use crate::settings::Settings;
use crate::spool::Empty;
use crate::supervise::{spawn, Ended, Event, Stream, Supervised, DRAIN};

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
}

/// Classifies the child's output as it comes, until it has exited and its pipes are
/// drained (or the drain's time is up): says what is running during silence, and (with
/// `early`) the diagnosis as soon as one is decisive.
fn watch(supervised: &Supervised, classifier: &mut Classifier<'_>, lines: &mut Lines, heartbeat: Option<Duration>, early: bool) -> Outcome {
    let tick = heartbeat.map_or(Duration::from_secs(3600), |h| h.min(Duration::from_secs(1)));
    let (mut last_output, mut last_beat) = (Instant::now(), Instant::now());
    let mut early_said = false;
    let mut open = 2;
    let mut outcome = Outcome { ended: None, stdout_closed: false };
    let mut deadline: Option<Instant> = None;
    while open > 0 || deadline.is_none() {
        // A success needs no diagnosis: once its output has passed through, whatever
        // classification has not caught up with is left.
        if !early && supervised.succeeded_and_passed_through() {
            outcome.ended = Some(Ended::Code(0));
            break;
        }
        let wait = deadline.map_or(tick, |d| d.saturating_duration_since(Instant::now()));
        match supervised.events.pop(wait) {
            Ok(Event::Chunk(stream, bytes)) => {
                lines.push(stream, &bytes, classifier);
                last_output = Instant::now();
                if early && !early_said {
                    early_said = say_early(classifier);
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
                if let Some(interval) = heartbeat.filter(|i| last_output.elapsed() >= *i && last_beat.elapsed() >= *i) {
                    last_beat = Instant::now();
                    let phase = classifier.phase().map_or_else(|| "the command is running".to_owned(), |p| p.description().to_owned());
                    say(&format!("sandbox-triage: no output for {}s: {phase}\n", last_output.elapsed().as_secs().max(interval.as_secs())));
                }
            }
            Err(Empty::Done) => break,
        }
    }
    outcome
}

/// Prints the diagnosis so far when it is decisive; whether it did.
fn say_early(classifier: &mut Classifier<'_>) -> bool {
    classifier.flush_lines();
    let so_far = classifier.peek();
    if matches!(so_far.kind, Kind::Unknown | Kind::None) {
        return false;
    }
    say(&format!("\nsandbox-triage: the command is failing (it has not exited yet)\n{}", diagnosis_human(&so_far, Style::default())));
    true
}

/// `--json-out` must be writable before the child runs: a create may take an hour, and
/// its result must not be lost to a typo. Nothing is left behind by the check.
pub(crate) fn run(args: &RunArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let json_out = args.json_out.as_deref().map(JsonOut::open).transpose()?;
    let catalogue = &settings.catalogue;
    // Live output is slow to arrive: with --early every rule is checked as each line
    // comes; otherwise the classification is exactly `classify`'s.
    let rules = if args.early { StageRules::streaming_all(catalogue, args.stage) } else { StageRules::new(catalogue, args.stage) };
    let options = Options { openshell_version: settings.openshell_version, ..Options::default() };
    let mut classifier = Classifier::new(&rules, options);
    let argv: Vec<String> = args.command.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let invocation = CreateInvocation::parse(&argv).ok().filter(|i| i.program.is_some());

    let supervised = match spawn(&args.command) {
        Ok(supervised) => supervised,
        Err(error) => {
            eprintln!("sandbox-triage: error: {}", printable(&redact(&error.to_string())));
            return Ok(Exit::Status(error.exit_status()));
        }
    };
    let heartbeat = match args.heartbeat {
        Some(0) => None,
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => io::stderr().is_terminal().then(|| Duration::from_secs(15)),
    };
    let mut lines = Lines::default();
    let outcome = watch(&supervised, &mut classifier, &mut lines, heartbeat, args.early);
    lines.finish(&mut classifier);
    let signal = supervised.finish();
    let status = outcome.ended.map_or(1, Ended::status);
    // Our own reader went away: the child stopped on SIGPIPE, as it would in a plain
    // pipe, and nothing failed.
    if status == 0 || (outcome.stdout_closed && status == 128 + 13) {
        // The report of this run, not an earlier one's: a success says `none`.
        if let (Some(out), Some(path)) = (json_out, &args.json_out) {
            let diagnosis = classifier.finish_with(Some(0), signal);
            let plan = settings.plan(&diagnosis, invocation.as_ref());
            if let Err(error) = out.write(&(plan_json(&diagnosis, &plan) + "\n")) {
                say(&printable(&redact(&format!("sandbox-triage: warning: cannot write {}: {error}\n", path.display()))));
            }
        }
        return Ok(Exit::Status(u8::try_from(status).unwrap_or(255)));
    }
    // The exit status is known only now; the classifier decides with it.
    let diagnosis = classifier.finish_with(Some(status), signal);
    let recovery = settings.plan(&diagnosis, invocation.as_ref());
    say(&format!("\n{}", plan_human(&diagnosis, &recovery, settings.style)));
    if let (Some(out), Some(path)) = (json_out, &args.json_out) {
        if let Err(error) = out.write(&(plan_json(&diagnosis, &recovery) + "\n")) {
            say(&printable(&redact(&format!("sandbox-triage: warning: cannot write {}: {error}\n", path.display()))));
        }
    }
    // An interrupted create is the operator's own stop: nothing is carried out after it.
    let stopped_by_operator = diagnosis.kind == Kind::Interrupted || signal.is_some();
    if args.recovery.recover && !stopped_by_operator && diagnosis.is_determined() && recovery.mechanical {
        return recover_now(args, &diagnosis, &recovery);
    }
    Ok(Exit::Status(u8::try_from(status).unwrap_or(255)))
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
