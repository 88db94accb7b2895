//! `sandbox-triage run`: supervise a create live. Its output passes through untouched;
//! each stream is cut into lines on its own and the lines are classified as they come;
//! silence is explained; when the command fails, the diagnosis and plan follow its
//! output on stderr.

use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use anyhow::Context;
use sandbox_triage_core::{diagnosis_human, plan_human, plan_json, redact, Classifier, CreateInvocation, Kind, Options, StageRules, Style};

use crate::args::RunArgs;
use crate::exit::Exit;
use crate::settings::Settings;
use crate::supervise::{spawn, Stream, Supervised};

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

fn say(text: &str) {
    let _ = io::stderr().lock().write_all(redact(text).as_bytes());
}

/// Classifies the child's output as it comes until both its streams close: says what is
/// running during silence, and (with `early`) the diagnosis as soon as one is decisive.
fn watch(supervised: &Supervised, classifier: &mut Classifier<'_>, lines: &mut Lines, heartbeat: Option<Duration>, early: bool) {
    let tick = heartbeat.map_or(Duration::from_secs(3600), |h| h.min(Duration::from_secs(1)));
    let mut last_output = Instant::now();
    let mut last_beat = Instant::now();
    let mut early_said = false;
    loop {
        match supervised.chunks.recv_timeout(tick) {
            Ok(chunk) => {
                lines.push(chunk.stream, &chunk.bytes, classifier);
                last_output = Instant::now();
                if early && !early_said {
                    early_said = say_early(classifier);
                }
            }
            Err(RecvTimeoutError::Timeout) => {
                if let Some(interval) = heartbeat {
                    if last_output.elapsed() >= interval && last_beat.elapsed() >= interval {
                        last_beat = Instant::now();
                        let phase = classifier.phase().map_or_else(|| "the command is running".to_owned(), |p| p.description().to_owned());
                        say(&format!("sandbox-triage: no output for {}s: {phase}\n", last_output.elapsed().as_secs()));
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        }
    }
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

pub(crate) fn run(args: &RunArgs, settings: &Settings) -> anyhow::Result<Exit> {
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
            eprintln!("sandbox-triage: error: {error}");
            return Ok(Exit::Status(error.exit_status()));
        }
    };
    let heartbeat = match args.heartbeat {
        Some(0) => None,
        Some(seconds) => Some(Duration::from_secs(seconds)),
        None => io::stderr().is_terminal().then(|| Duration::from_secs(15)),
    };
    let mut lines = Lines::default();
    watch(&supervised, &mut classifier, &mut lines, heartbeat, args.early);
    lines.finish(&mut classifier);
    let ended = supervised.wait().context("cannot wait for the command")?;
    let status = ended.status();
    if status == 0 {
        return Ok(Exit::Status(0));
    }
    // The exit status is known only now; the classifier decides with it.
    let diagnosis = classifier.finish_with(Some(status));
    let recovery = settings.plan(&diagnosis, invocation.as_ref());
    say(&format!("\n{}", plan_human(&diagnosis, &recovery, settings.style)));
    if let Some(path) = &args.json_out {
        std::fs::write(path, plan_json(&diagnosis, &recovery) + "\n").with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(Exit::Status(u8::try_from(status).unwrap_or(255)))
}
