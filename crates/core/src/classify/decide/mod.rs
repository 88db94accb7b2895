//! From what the stream showed to one answer.
//!
//! Precedence is by phase first, then by the rules' priority (their specificity): the
//! error that stopped the run is in the last phase the output reached, and a message
//! from an earlier phase (a reset `apt-get` retried through) did not stop it. Output
//! before any phase marker counts as unphased, and among unphased matches the
//! priorities keep NemoClaw's order (timeout, reset, TLS, upload 404, GPU, plugin,
//! incomplete), which is what its test inputs expect. When a builder reported a failed
//! step, unphased output belongs to that build.
//!
//! [`candidates`] gathers the answers the matches allow, [`choice`] picks one, and
//! [`evidence`] assembles the lines that prove it.

mod candidates;
mod choice;
mod evidence;
mod refine;

use crate::classify::state::{Analysis, BuildEnd};
use crate::classify::Options;
use crate::model::{Cause, Diagnosis, Era, FailedStep, Kind, Phase, Stage};
use crate::redact::redact;
use crate::screen::printable;

/// Decides the answer once the output has ended (or, with no exit status, so far).
/// `ended`: what is known of how the command ended (its status, a signal passed on,
/// whether it failed, whether a supervisor captured both streams).
pub(crate) fn decide(analysis: &Analysis<'_>, ended: Options, lines: u64, bytes: u64) -> Diagnosis {
    let Options { exit_status, signal, supervised, failed, .. } = ended;
    let stage = analysis.rules.stage();
    let mut diagnosis = with_facts(analysis, lines, bytes);
    if exit_status == Some(0) {
        diagnosis.kind = Kind::None;
        "The command exited 0: nothing failed.".clone_into(&mut diagnosis.explanation);
        return diagnosis;
    }
    // A signal the supervisor passed on counts as the status it would have caused.
    let statuses: Vec<i32> = exit_status.into_iter().chain(signal.map(|s| 128 + s)).collect();
    let by_status = candidates::from_exit_status(analysis, &statuses);
    // A run that ends inside a build step failed in that step, unless it was stopped
    // from outside (then the step was still running) or the builder had ended the build.
    let interrupted = by_status.iter().any(|c| c.rule.kind() == Some(Kind::Interrupted));
    let ended_in_step = analysis.phase() == Some(Phase::Build) && analysis.build_end().is_none();
    let build_failed = analysis.build.summary.is_some() || (ended_in_step && (exit_status.is_some() || failed) && !interrupted);
    let mut found = candidates::from_hits(analysis, build_failed);
    found.extend(by_status);
    let mut cause = None;
    if build_failed {
        let failed = candidates::failed_step(analysis);
        diagnosis.failed_step = Some(reported_step(&failed));
        diagnosis.phase = Some(Phase::Build);
        found.extend(failed.candidate);
        cause = failed.cause;
    }
    let Some(best) = choice::best(found) else {
        let errors: Vec<_> = analysis.errors.lines().collect();
        diagnosis.explanation = match exit_status {
            // A supervised run captured both streams itself: the silence is the command's.
            Some(status) if lines == 0 && supervised => silent_exit(status),
            _ => unknown_explanation(analysis.phase(), analysis.build_end(), stage, lines, !errors.is_empty(), supervised),
        };
        let mut shown: Vec<_> = analysis.timeline.last_marker.iter().chain(errors).collect();
        shown.sort_by_key(|seen| seen.line);
        shown.dedup_by_key(|seen| seen.line);
        diagnosis.evidence = shown.into_iter().map(evidence::masked).collect();
        return diagnosis;
    };
    let kind = best.rule.kind().unwrap_or(Kind::Unknown);
    diagnosis.kind = kind;
    diagnosis.user_kind = best.rule.user_kind().cloned();
    diagnosis.rule = Some(best.rule.id.clone());
    // A user's rule decided, or shaped what the built-in one decided with (a phase, a fact,
    // the engine, a rule removed): the answer is not the built-in rules' alone.
    diagnosis.by_users_rule = best.rule.provenance.users || analysis.users_match.is_some() || analysis.rules.users_disabled();
    diagnosis.explanation.clone_from(&best.rule.explanation);
    if let Some((refined, why)) = refine::refine(kind, analysis) {
        diagnosis.kind = refined;
        why.clone_into(&mut diagnosis.explanation);
    }
    let kind = diagnosis.kind;
    if stage == Stage::SandboxCreate {
        diagnosis.phase = match (kind, best.rule.role.places_phase()) {
            // It failed somewhere after the sandbox was created: the furthest phase says where.
            (Kind::SandboxCreateIncomplete, _) => analysis.phase().or(best.phase),
            // A run whose markers were all cut is placed by the wording that decided it.
            (_, places) => best.phase.or(analysis.phase()).or(places),
        };
    }
    diagnosis.evidence = evidence::assemble(analysis, &best);
    if kind == Kind::SandboxCreateIncomplete && diagnosis.era != Some(Era::PackageManaged) {
        // NemoClaw's semantics: the sandbox request reached the gateway. From 0.0.37
        // nothing is uploaded at all.
        diagnosis.uploaded_to_gateway = true;
    }
    keep_failed_step(&mut diagnosis);
    let programs = attach_cause(&mut diagnosis, analysis, cause);
    place_from_output(&mut diagnosis, analysis, programs);
    diagnosis
}

/// Where the failed step is in its Dockerfile, as far as the output shows: BuildKit's
/// own frame, else the instruction and the file OpenShell announced (placed in it once
/// the file is read).
fn place_from_output(diagnosis: &mut Diagnosis, analysis: &Analysis<'_>, programs: Vec<String>) {
    let Some(spot) = crate::dockerfile::unplaced(diagnosis, analysis.facts.dockerfile.as_deref(), programs) else { return };
    diagnosis.dockerfile = match analysis.build.frame.of(&spot.shown_as) {
        Some(frame) => Some(crate::dockerfile::from_builder(frame, spot)),
        None if spot.instruction.is_none() && spot.path.is_none() => None,
        None => Some(spot),
    };
}

/// The failed step as reported, its command and instruction masked.
fn reported_step(failed: &candidates::FailedBuild<'_>) -> FailedStep {
    FailedStep {
        number: failed.number,
        total: failed.total,
        command: failed.command.as_deref().map(masked),
        instruction: failed.instruction.as_deref().map(masked),
    }
}

/// A failed step is reported for the build's own failures, and for another failure in
/// the build phase when the output shows which step was running.
fn keep_failed_step(diagnosis: &mut Diagnosis) {
    let step_shown = diagnosis.failed_step.as_ref().is_some_and(|s| s.number.is_some());
    if !matches!(diagnosis.kind, Kind::BuildStepFailed | Kind::BuildStepNetworkFailed | Kind::PluginInstallNetworkDenied)
        && (diagnosis.phase != Some(Phase::Build) || !step_shown)
    {
        diagnosis.failed_step = None;
    }
}

/// The line that says why, for a failure of the build itself: the first evidence. Its
/// rule's programs are returned (the failed command of a chain runs one).
fn attach_cause(diagnosis: &mut Diagnosis, analysis: &Analysis<'_>, cause: Option<(crate::classify::state::Seen, usize)>) -> Vec<String> {
    if diagnosis.phase != Some(Phase::Build) || diagnosis.kind.reported_by_openshell() {
        return Vec::new();
    }
    let Some((cause, programs)) = cause.map(|(seen, rule)| cause_of(analysis, &seen, rule)) else { return Vec::new() };
    diagnosis.evidence.retain(|e| e.line != cause.line);
    diagnosis.evidence.insert(0, crate::model::Evidence { line: cause.line, text: cause.text.clone() });
    diagnosis.cause = Some(cause);
    programs
}

/// The cause as reported: the line masked and clipped like evidence, with its rule's
/// hint; and the programs it names (its `program` group, else its rule's list).
fn cause_of(analysis: &Analysis<'_>, seen: &crate::classify::state::Seen, rule: usize) -> (Cause, Vec<String>) {
    let shown = evidence::masked(seen);
    let (hint, programs) = match &analysis.rules.rules()[rule].role {
        crate::rules::Role::StepEvidence(step) => {
            let named = step.pattern.regex().captures(&seen.text).and_then(|caps| caps.name("program").map(|m| m.as_str().to_owned()));
            (step.hint.clone(), named.map_or_else(|| step.programs.clone(), |p| vec![p]))
        }
        _ => (None, Vec::new()),
    };
    (Cause { line: shown.line, text: shown.text, hint }, programs)
}

/// The `unknown` answer with the facts the stream showed.
fn with_facts(analysis: &Analysis<'_>, lines: u64, bytes: u64) -> Diagnosis {
    let stage = analysis.rules.stage();
    let facts = &analysis.facts;
    let mut diagnosis = Diagnosis::unknown(stage, "");
    diagnosis.phase = if stage == Stage::SandboxCreate { analysis.phase() } else { None };
    diagnosis.uploaded_to_gateway = facts.uploaded.get().is_some();
    diagnosis.built_image_ref = facts.image();
    diagnosis.gateway = facts.gateway.get().cloned();
    diagnosis.sandbox = facts.sandbox.get().cloned();
    diagnosis.build_engine = facts.build_engine;
    diagnosis.exported_mib = facts.exported_mib.get().copied();
    // A repository named without its tag (`pull access denied for openshell/sandbox-from`)
    // is the image this create built, by that image's full name.
    diagnosis.sandbox_image = facts.sandbox_image.get().map(|image| match facts.image() {
        Some(built) if image.tag().is_none() && image.digest().is_none() && built.path() == image.path() => built,
        _ => image.clone(),
    });
    diagnosis.sandbox_image_local = diagnosis.sandbox_image.as_ref().is_some_and(|image| facts.is_local_build(image));
    diagnosis.reported_status = facts.status.get().map(|s| masked(s));
    diagnosis.timeout_secs = facts.timeout_secs.get().copied();
    diagnosis.era = analysis.version().map(crate::model::Version::era).or(facts.era.get().copied());
    // Up to 0.0.36 the CLI built with the engine that ran the gateway; from 0.0.37 the
    // gateway's driver finds its own, which the builder's wording does not show.
    diagnosis.engine = facts.engine.get().copied().or(facts.build_engine.filter(|_| diagnosis.era != Some(Era::PackageManaged)));
    diagnosis.lines = lines;
    diagnosis.bytes = bytes;
    diagnosis
}

/// Secrets are masked here, once, on what the answer shows, and nothing a terminal
/// would act on is left.
fn masked(text: &str) -> String {
    printable(&redact(text))
}

/// Why nothing was decided, and what to do: the phase the output ended in, and what was
/// missing.
fn unknown_explanation(
    phase: Option<Phase>,
    build_end: Option<BuildEnd>,
    stage: Stage,
    lines: u64,
    error_lines: bool,
    supervised: bool,
) -> String {
    if lines == 0 {
        return EMPTY_OUTPUT.to_owned();
    }
    let base = match (stage, phase) {
        (Stage::SandboxCreate, Some(Phase::Build)) if build_end == Some(BuildEnd::Finished) => "No known failure signature. The output ended just after the builder finished the build (its own last line), before OpenShell took the image further.".to_owned(),
        (Stage::SandboxCreate, Some(Phase::Build)) if build_end == Some(BuildEnd::Committing) => "No known failure signature. The output ended while the builder was writing the image (buildah's COMMIT, after the last Dockerfile step).".to_owned(),
        (Stage::SandboxCreate, Some(Phase::Import)) => "No known failure signature. The output ended during the import: the gateway was importing the image (ctr images import prints nothing), so a stall or kill there leaves no message.".to_owned(),
        (Stage::SandboxCreate, Some(phase)) => format!("No known failure signature. The output ended in phase {phase}: {}.", phase.description()),
        _ => "No known failure signature in the output.".to_owned(),
    };
    match (error_lines, supervised) {
        (true, _) => base + " The last lines that look like errors are shown.",
        // A supervisor read both streams: stderr was not lost.
        (false, true) => base + " No line looks like an error, on stdout or stderr.",
        (false, false) => base + " No line looks like an error: was stderr captured? OpenShell writes its errors there (`2>&1`).",
    }
}

/// A supervised command that printed nothing, on either stream, then failed.
fn silent_exit(status: i32) -> String {
    let how = match status - 128 {
        9 => " (killed by signal 9, SIGKILL: the kernel's out-of-memory killer sends it too)".to_owned(),
        6 => " (killed by signal 6, SIGABRT)".to_owned(),
        11 => " (killed by signal 11, SIGSEGV: it crashed)".to_owned(),
        15 => " (killed by signal 15, SIGTERM)".to_owned(),
        signal @ 1..=64 => format!(" (killed by signal {signal})"),
        _ => String::new(),
    };
    format!("The command printed nothing, on stdout or stderr, and exited with status {status}{how}: nothing to classify. Run it by hand to see what it does.")
}

/// What an empty input means.
pub(crate) const EMPTY_OUTPUT: &str =
    "The output is empty: nothing to classify. Was stderr captured? OpenShell writes its progress and errors there: run it with `2>&1`.";
