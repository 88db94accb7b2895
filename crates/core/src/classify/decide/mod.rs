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

use crate::classify::state::Analysis;
use crate::classify::terminal_text::printable;
use crate::model::{Diagnosis, FailedStep, Kind, Phase, Stage};
use crate::redact::redact;

/// Decides the answer once the output has ended (or, with no exit status, so far).
pub(crate) fn decide(analysis: &Analysis<'_>, exit_status: Option<i32>, lines: u64, bytes: u64) -> Diagnosis {
    let stage = analysis.rules.stage();
    let mut diagnosis = with_facts(analysis, lines, bytes);
    if exit_status == Some(0) {
        diagnosis.kind = Kind::None;
        "The command exited 0: nothing failed.".clone_into(&mut diagnosis.explanation);
        return diagnosis;
    }
    let build_failed = analysis.build.summary.is_some() || (analysis.phase() == Some(Phase::Build) && exit_status.is_some());
    let mut found = candidates::from_hits(analysis, build_failed);
    found.extend(candidates::from_exit_status(analysis, exit_status));
    if build_failed {
        let failed = candidates::failed_step(analysis);
        diagnosis.failed_step =
            Some(FailedStep { number: failed.number, total: failed.total, command: failed.command.as_deref().map(masked) });
        diagnosis.phase = Some(Phase::Build);
        found.extend(failed.candidate);
    }
    let Some(best) = choice::best(found) else {
        diagnosis.explanation = unknown_explanation(analysis.phase(), stage);
        diagnosis.evidence = analysis.timeline.last_marker.iter().map(evidence::masked).collect();
        return diagnosis;
    };
    let kind = best.rule.kind().unwrap_or(Kind::Unknown);
    diagnosis.kind = kind;
    diagnosis.rule = Some(best.rule.id.clone());
    diagnosis.explanation.clone_from(&best.rule.explanation);
    if stage == Stage::SandboxCreate {
        diagnosis.phase = best.phase.or(analysis.phase());
    }
    diagnosis.evidence = evidence::assemble(analysis, &best);
    if kind == Kind::SandboxCreateIncomplete {
        // NemoClaw's semantics: the sandbox request reached the gateway.
        diagnosis.uploaded_to_gateway = true;
    }
    if !matches!(kind, Kind::BuildStepFailed | Kind::BuildStepNetworkFailed | Kind::PluginInstallNetworkDenied)
        && diagnosis.phase != Some(Phase::Build)
    {
        diagnosis.failed_step = None;
    }
    diagnosis
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
    diagnosis.engine = facts.engine;
    diagnosis.exported_mib = facts.exported_mib.get().copied();
    diagnosis.lines = lines;
    diagnosis.bytes = bytes;
    diagnosis
}

/// Secrets are masked here, once, on what the answer shows, and nothing a terminal
/// would act on is left.
fn masked(text: &str) -> String {
    printable(&redact(text))
}

fn unknown_explanation(phase: Option<Phase>, stage: Stage) -> String {
    match (stage, phase) {
        (Stage::SandboxCreate, Some(Phase::Import)) => "No known failure signature. The output ended during the import: the gateway was importing the image (ctr images import prints nothing), so a stall or kill there leaves no message.".to_owned(),
        (Stage::SandboxCreate, Some(phase)) => format!("No known failure signature. The output ended in phase {phase}: {}.", phase.description()),
        _ => "No known failure signature in the output.".to_owned(),
    }
}
