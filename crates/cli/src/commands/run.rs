//! `sandbox-triage run`: supervise a create live. Its output passes through untouched;
//! each stream is cut into lines on its own and the lines are classified as they come;
//! silence is explained; when the command fails, the diagnosis and plan follow its
//! output on stderr.

use std::io::{self, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use sandbox_triage_core::{
    plan_human, plan_json_timed, printable, recovery_human, redact, timeline_human, Classifier, CreateInvocation, Diagnosis, Kind, Options,
    Plan, StageRules, Timeline,
};
use sandbox_triage_recover::{Policy, PROBE_TIMEOUT};

use crate::args::RunArgs;
use crate::container_log;
use crate::exit::Exit;
use crate::json_out::JsonOut;
use crate::output_file::OutputFile;
use crate::recover::{self, Journal, Narrator, Request};
use crate::settings::{Destination, Settings};
use crate::supervise::watch::say;
use crate::supervise::{spawn, watch, Ended, Events, Lines, Progress, SpawnError, Watching};

/// What the run writes besides the command's own output, each opened and checked before
/// the command starts: a create may take an hour, and neither its result nor its exit
/// status may be lost to a typo, a FIFO nothing reads or a device.
struct Outputs {
    json_out: Option<JsonOut>,
    /// `--log`: the command's output, copied as it comes.
    log: Option<OutputFile>,
    progress: Progress,
    /// With `--recover`: the recovery's journal, and the stop it heeds, set by a signal
    /// from the moment the run starts (one between the command's end and the
    /// recovery's start is not lost).
    recovery: Option<(Journal, Arc<AtomicBool>)>,
}

impl Outputs {
    fn open(args: &RunArgs) -> anyhow::Result<Outputs> {
        let json_out = args.json_out.as_deref().map(JsonOut::open).transpose()?;
        let log = args.log.as_deref().map(|path| OutputFile::open("--log", path, true)).transpose()?;
        let progress = Progress::new(Events::open(args.events.as_deref())?);
        let recovery =
            if args.recovery.recover { Some((Journal::open(args.recovery.journal.as_deref())?, recover::stop_flag()?)) } else { None };
        Ok(Outputs { json_out, log, progress, recovery })
    }
}

/// How the supervised command ended, once its output was classified.
struct Ending {
    diagnosis: Diagnosis,
    timeline: Timeline,
    /// Its exit status (128 + N for a signal).
    status: i32,
    succeeded: bool,
    /// The signal with which the operator stopped it, if they did.
    stop: Option<i32>,
    held_terminal: bool,
    /// The kind `--early` printed, by its id.
    early: Option<String>,
}

fn heartbeat(args: &RunArgs) -> Option<Duration> {
    match args.heartbeat {
        _ if args.quiet => None,
        Some(0) => None,
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => io::stderr().is_terminal().then(|| Duration::from_secs(15)),
    }
}

/// Runs the command, classifying its output as it comes; `Err` with our exit status
/// when it cannot start.
fn supervise(args: &RunArgs, settings: &Settings, outputs: &mut Outputs, argv: &[String]) -> Result<Ending, Exit> {
    let catalogue = &settings.catalogue;
    // Live output is slow to arrive: with --early every rule is checked as each line
    // comes; otherwise the classification is exactly `classify`'s.
    let rules = if args.early { StageRules::streaming_all(catalogue, args.stage) } else { StageRules::new(catalogue, args.stage) };
    let options = Options { openshell_version: settings.openshell_version, supervised: true, ..Options::default() };
    let mut classifier = Classifier::new(&rules, options);
    let progress = &mut outputs.progress;
    let supervised = match spawn(&args.command) {
        Ok(supervised) => supervised,
        Err(error) => return Err(not_started(&error, argv, &mut progress.events, outputs.json_out.take())),
    };
    progress.events.started(argv);
    let to_the_end = args.timeline || progress.events.enabled() || outputs.json_out.is_some() || outputs.log.is_some();
    let how = Watching { heartbeat: heartbeat(args), early: args.early, to_the_end };
    let mut lines = Lines::logged(outputs.log.take());
    let outcome = watch(&supervised, &mut classifier, &mut lines, progress, &how);
    let end = supervised.ended_after().unwrap_or_else(|| supervised.started().elapsed());
    progress.after_output(&mut classifier, end, true);
    let held_terminal = supervised.held_terminal();
    let signal = supervised.finish();
    let status = outcome.ended.map_or(1, Ended::status);
    let stop = operator_stop(outcome.ended, signal);
    // Stamped after every event its output caused: the events' times only go forward.
    progress.events.exited(end, outcome.ended, stop.is_some());
    // Our own reader went away: the child stopped on SIGPIPE, as it would in a plain
    // pipe, and nothing failed.
    let succeeded = status == 0 || (outcome.stdout_closed && status == 128 + 13);
    // A sandbox container that exited says why only in its own log: read it (read-only)
    // before deciding, unless the operator stopped the create.
    if !succeeded && stop.is_none() && !args.probe.no_probe {
        classifier.flush_lines();
        if let Some(log) = container_log::probe(&classifier.peek()) {
            classifier.feed(&log);
            // The kept log classifies as this run did.
            lines.log(&log);
        }
    }
    // The exit status is known only now; the classifier decides with it.
    let diagnosis = classifier.finish_with(Some(if succeeded { 0 } else { status }), signal);
    Ok(Ending { diagnosis, timeline: progress.timeline(end), status, succeeded, stop, held_terminal, early: outcome.early })
}

pub(crate) fn run(args: &RunArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let mut outputs = Outputs::open(args)?;
    let argv: Vec<String> = args.command.iter().map(|a| a.to_string_lossy().into_owned()).collect();
    let invocation = CreateInvocation::parse(&argv).ok().filter(|i| i.program.is_some());
    let mut end = match supervise(args, settings, &mut outputs, &argv) {
        Ok(end) => end,
        Err(exit) => return Ok(exit),
    };
    sandbox_triage_host::place_dockerfile(
        &mut end.diagnosis,
        args.dockerfile.as_deref(),
        invocation.as_ref().and_then(|i| i.value("--from")),
    );
    let recovery = settings.plan(&end.diagnosis, invocation.as_ref());
    report_end(args, settings, &end, &recovery);
    let report = plan_json_timed(&end.diagnosis, &recovery, Some(&end.timeline)) + "\n";
    outputs.progress.events.diagnosis(Duration::from_secs_f64(end.timeline.total_secs), &report);
    // The report of this run, not an earlier one's: a success says `none`.
    if let (Some(out), Some(path)) = (outputs.json_out, &args.json_out) {
        if let Err(error) = out.write(&report) {
            say(&printable(&redact(&format!("sandbox-triage: warning: cannot write {}: {error}\n", path.display()))));
        }
    }
    let child_status = Exit::Status(u8::try_from(end.status).unwrap_or(255));
    if end.succeeded || end.diagnosis.kind == Kind::Interrupted {
        return Ok(child_status);
    }
    // A create the operator stopped is theirs: nothing is carried out after it, whatever
    // it printed before the stop.
    if let Some(stop) = end.stop {
        say(&stopped_note(stop, end.held_terminal, args.recovery.recover));
        return Ok(child_status);
    }
    match outputs.recovery {
        Some((_, stop)) if stop.load(Ordering::SeqCst) => {
            say("\nsandbox-triage: stopped after the command ended: --recover carries nothing out after a stop\n");
            Ok(child_status)
        }
        Some((journal, stop)) if end.diagnosis.is_determined() && recovery.mechanical => {
            Ok(recover_now(args, &end.diagnosis, &recovery, journal, &stop))
        }
        _ => Ok(child_status),
    }
}

/// How the operator stopped the command, if they did: it ended by SIGINT, SIGTERM, SIGHUP
/// or SIGQUIT (or exited 130, 143, 129 or 131, as a program that catches them does), or we
/// passed such a signal on. With the terminal in the command's hands, its Ctrl-C
/// reaches only the command: its end is the only sign.
fn operator_stop(ended: Option<Ended>, forwarded: Option<i32>) -> Option<i32> {
    const STOPS: [i32; 4] = [2, 15, 1, 3];
    let by_end = match ended {
        Some(Ended::Signal(signal)) => Some(signal),
        Some(Ended::Code(code)) => code.checked_sub(128),
        None => None,
    };
    by_end.into_iter().chain(forwarded).find(|s| STOPS.contains(s))
}

/// The last word of a stopped run.
fn stopped_note(signal: i32, held_terminal: bool, recover: bool) -> String {
    let name = match signal {
        2 => "Ctrl-C (SIGINT)",
        3 => "Ctrl-\\ (SIGQUIT)",
        15 => "SIGTERM",
        _ => "a hang-up (SIGHUP)",
    };
    let whose = if held_terminal { "the operator's" } else { "a" };
    let acted = if recover { "--recover carries nothing out after a stop; " } else { "" };
    format!(
        "\nsandbox-triage: the command was stopped by {whose} {name}: {acted}what it printed before the stop is shown above as what was seen, not acted on\n"
    )
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

/// What people see after the command's output: a failure's diagnosis (once: after
/// `--early` printed the same kind, only the plan) and the timeline.
fn report_end(args: &RunArgs, settings: &Settings, end: &Ending, recovery: &Plan) {
    if !end.succeeded {
        let shown = match end.early.as_deref() {
            Some(kind) if kind == end.diagnosis.kind_id() => {
                format!("\nsandbox-triage: the command failed as diagnosed above\n{}", recovery_human(recovery, settings.style))
            }
            Some(_) => format!(
                "\nsandbox-triage: the diagnosis changed once the command ended\n{}",
                plan_human(&end.diagnosis, recovery, settings.style)
            ),
            None => format!("\n{}", plan_human(&end.diagnosis, recovery, settings.style)),
        };
        say(&shown);
    }
    if !args.quiet && (!end.succeeded || args.timeline) {
        say(&format!("\n{}", timeline_human(&end.timeline, settings.style)));
    }
}

/// Goes straight on into the recovery, as `recover --apply` would, with the values the
/// create's own argv carried.
fn recover_now(args: &RunArgs, diagnosis: &Diagnosis, plan: &Plan, journal: Journal, stop: &Arc<AtomicBool>) -> Exit {
    let policy = Policy {
        apply: true,
        yes: args.recovery.yes,
        allow_destructive: args.recovery.allow_destructive,
        terminal: recover::terminal(),
        step_timeout: Duration::from_secs(3600),
        probe_timeout: PROBE_TIMEOUT,
    };
    let request = Request { diagnosis, plan, policy, set: &args.recovery.set };
    let outcome = recover::carry_out(&request, &mut Narrator::new(Destination::Stderr, journal), stop);
    Exit::Status(outcome.code())
}
