//! From what the stream showed to one answer.
//!
//! Precedence is by phase first, then by the rules' priority (their specificity): the
//! error that stopped the run is in the last phase the output reached, and a message
//! from an earlier phase (a reset `apt-get` retried through) did not stop it. Output
//! before any phase marker counts as unphased, and among unphased matches the
//! priorities keep NemoClaw's order (timeout, reset, TLS, upload 404, GPU, plugin,
//! incomplete), which is what its test inputs expect. When a builder reported a failed
//! step, unphased output belongs to that build.

use crate::analysis::{Analysis, Hit, Step};
use crate::correlate::plugin_failure_correlates;
use crate::diagnosis::{Diagnosis, Evidence, FailedStep};
use crate::kind::{Kind, Stage};
use crate::phase::Phase;
use crate::redact::redact;
use crate::rule::{Matcher, Role, Rule};

/// At most this many evidence lines are reported.
const EVIDENCE_MAX: usize = 12;

struct Candidate<'a> {
    rule: &'a Rule,
    phase: Option<Phase>,
    evidence: Vec<Evidence>,
}

fn phase_rank(phase: Option<Phase>) -> usize {
    phase.map_or(0, |p| 1 + Phase::ALL.iter().position(|&q| q == p).unwrap_or(0))
}

/// Decides the answer once the output has ended.
#[must_use]
pub fn decide(analysis: &Analysis<'_>, exit_status: Option<i32>, lines: u64, bytes: u64) -> Diagnosis {
    let stage = analysis.rules.stage();
    let facts = &analysis.facts;
    let mut diagnosis = Diagnosis {
        stage,
        kind: Kind::Unknown,
        phase: analysis.phase,
        uploaded_to_gateway: facts.uploaded,
        built_image_ref: facts.built_image.clone().or_else(|| facts.tagged_image.clone()),
        gateway: facts.gateway.clone(),
        sandbox: facts.sandbox.clone(),
        engine: facts.engine,
        failed_step: None,
        exported_mib: facts.exported_mib,
        rule: None,
        explanation: String::new(),
        evidence: Vec::new(),
        retry: None,
        lines,
        bytes,
    };
    if stage != Stage::SandboxCreate {
        diagnosis.phase = None;
    }
    if exit_status == Some(0) {
        diagnosis.kind = Kind::None;
        "The command exited 0: nothing failed.".clone_into(&mut diagnosis.explanation);
        return diagnosis;
    }

    let build_failed = analysis.summary.is_some() || (analysis.phase == Some(Phase::Build) && exit_status.is_some());
    let mut candidates: Vec<Candidate<'_>> = Vec::new();
    for (rule, hits) in analysis.rules.rules().iter().zip(&analysis.hits) {
        if rule.role != Role::Failure {
            continue;
        }
        let Some(hit) = hits.last() else { continue };
        let phase = effective_phase(hit, build_failed);
        if rule.in_scope(phase) {
            candidates.push(Candidate { rule, phase, evidence: hit.evidence.clone() });
        }
    }
    for rule in analysis.rules.rules() {
        if let Matcher::Exit(statuses) = &rule.matcher {
            if exit_status.is_some_and(|s| statuses.contains(&s)) && rule.in_scope(analysis.phase) {
                candidates.push(Candidate { rule, phase: analysis.phase, evidence: analysis.last_marker.iter().cloned().collect() });
            }
        }
    }
    if build_failed {
        let step = analysis.summary.as_ref().map_or(&analysis.step, |s| &s.step);
        let command = analysis.summary.as_ref().and_then(|s| s.command.clone()).or_else(|| step.instruction.clone());
        diagnosis.failed_step = Some(FailedStep { number: step.number, total: step.total, command: command.as_deref().map(masked) });
        diagnosis.phase = Some(Phase::Build);
        if let Some(candidate) = failed_command(analysis, step, command.as_deref().unwrap_or_default()) {
            candidates.push(candidate);
        }
    }

    let Some(best) = candidates.into_iter().max_by_key(|c| (phase_rank(c.phase), c.rule.priority)) else {
        diagnosis.explanation = unknown_explanation(analysis.phase, stage);
        diagnosis.evidence = analysis.last_marker.iter().map(mask_evidence).collect();
        return diagnosis;
    };
    let kind = best.rule.kind.unwrap_or(Kind::Unknown);
    diagnosis.kind = kind;
    diagnosis.rule = Some(best.rule.id.clone());
    diagnosis.explanation.clone_from(&best.rule.explanation);
    if stage == Stage::SandboxCreate {
        diagnosis.phase = best.phase.or(analysis.phase);
    }
    let mut evidence = best.evidence;
    // The last phase marker says where the run was when it failed.
    evidence.extend(analysis.last_marker.iter().cloned());
    // Supporting matches and other rules' matches of the same kind help prove it.
    for (rule, hits) in analysis.rules.rules().iter().zip(&analysis.hits) {
        if rule.kind == Some(kind) && matches!(rule.role, Role::Failure | Role::Supporting) && !std::ptr::eq(rule, best.rule) {
            if let Some(hit) = hits.last() {
                evidence.extend(hit.evidence.iter().cloned());
            }
        }
    }
    evidence.sort();
    evidence.dedup();
    if evidence.len() > EVIDENCE_MAX {
        evidence.drain(..evidence.len() - EVIDENCE_MAX);
    }
    diagnosis.evidence = evidence.iter().map(mask_evidence).collect();
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

/// Secrets are masked here, once, on what the answer shows.
fn masked(text: &str) -> String {
    redact(text).into_owned()
}

fn mask_evidence(evidence: &Evidence) -> Evidence {
    Evidence { line: evidence.line, text: masked(&evidence.text) }
}

/// The phase a match counts in: its own, or the build when a builder reported the
/// failure and the match came before any marker.
fn effective_phase(hit: &Hit, build_failed: bool) -> Option<Phase> {
    match hit.phase {
        None if build_failed => Some(Phase::Build),
        phase => phase,
    }
}

/// The kind of a failed build step, from the failed-command rules in priority order.
fn failed_command<'a>(analysis: &Analysis<'a>, step: &Step, command: &str) -> Option<Candidate<'a>> {
    let mut rules: Vec<&Rule> = analysis.rules.rules().iter().filter(|r| r.role == Role::FailedCommand).collect();
    rules.sort_by_key(|r| std::cmp::Reverse(r.priority));
    for rule in rules {
        let Matcher::Command(pattern) = &rule.matcher else { continue };
        if pattern.as_ref().is_some_and(|p| !p.is_match(command)) {
            continue;
        }
        let required: Vec<&Evidence> = if rule.requires_evidence.is_empty() {
            Vec::new()
        } else {
            let mut tagged: Vec<_> = step.evidence.iter().filter(|e| rule.requires_evidence.contains(&e.tag)).collect();
            tagged.sort_by_key(|e| e.evidence.line);
            if tagged.is_empty() {
                continue;
            }
            if rule.correlate_packages {
                let npm_lines: Vec<&str> = step.evidence.iter().filter(|e| e.tag.starts_with("npm")).map(|e| e.text.as_str()).collect();
                if !plugin_failure_correlates(command, &npm_lines) {
                    continue;
                }
            }
            tagged.into_iter().map(|e| &e.evidence).collect()
        };
        let mut evidence: Vec<Evidence> = step.marker.iter().cloned().collect();
        evidence.extend(required.into_iter().rev().take(6).cloned());
        if let Some(summary) = &analysis.summary {
            evidence.extend(summary.evidence.iter().cloned());
        }
        return Some(Candidate { rule, phase: Some(Phase::Build), evidence });
    }
    None
}

fn unknown_explanation(phase: Option<Phase>, stage: Stage) -> String {
    match (stage, phase) {
        (Stage::SandboxCreate, Some(Phase::Import)) => "No known failure signature. The output ended during the import: the gateway was importing the image (ctr images import prints nothing), so a stall or kill there leaves no message.".to_owned(),
        (Stage::SandboxCreate, Some(phase)) => format!("No known failure signature. The output ended in phase {phase}: {}.", phase.description()),
        _ => "No known failure signature in the output.".to_owned(),
    }
}
