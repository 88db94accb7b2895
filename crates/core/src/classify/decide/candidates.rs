//! The answers the matches allow: each failure rule's latest match in a phase it counts
//! in, the exit-status rules, and the failed build step's kind.

use crate::classify::correlate::plugin_failure_correlates;
use crate::classify::state::{Analysis, Hit, Seen, Step};
use crate::model::{Kind, Phase};
use crate::rules::{FailedCommandRule, Role, Rule};

/// A possible answer: the rule, the phase its match counts in, its evidence.
pub(super) struct Candidate<'a> {
    pub(super) rule: &'a Rule,
    pub(super) phase: Option<Phase>,
    pub(super) evidence: Vec<Seen>,
}

/// The phase a match counts in: its own, or the build when a builder reported the
/// failure and the match came before any marker.
fn effective_phase(hit: &Hit, build_failed: bool) -> Option<Phase> {
    match hit.phase {
        None if build_failed => Some(Phase::Build),
        phase => phase,
    }
}

/// Each failure rule's latest match, when it counts in its phase.
pub(super) fn from_hits<'a>(analysis: &Analysis<'a>, build_failed: bool) -> Vec<Candidate<'a>> {
    let mut out = Vec::new();
    for (rule, hits) in analysis.rules.rules().iter().zip(&analysis.hits) {
        if !matches!(rule.role, Role::Failure(_)) {
            continue;
        }
        // What OpenShell alone reports, printed inside the step a builder says failed,
        // is that step's output (a test of the step's own gRPC client, say).
        let openshells = rule.kind().is_some_and(Kind::reported_by_openshell);
        let Some(hit) = hits.last_where(|hit| !(openshells && inside_failed_step(analysis, hit.line))) else { continue };
        let phase = effective_phase(hit, build_failed);
        if rule.in_scope(phase) {
            out.push(Candidate { rule, phase, evidence: hit.evidence.clone() });
        }
    }
    out
}

/// Whether `line` lies between the marker of the step a builder's summary says failed
/// and that summary: the marker included, since it quotes the step's command, and the
/// summary when it quotes the command too. OpenShell's wording in a quoted command is
/// the step's, not OpenShell's report; a summary that quotes none (`Docker build failed:
/// …`) is OpenShell's own words.
fn inside_failed_step(analysis: &Analysis<'_>, line: u64) -> bool {
    let Some(summary) = &analysis.build.summary else { return false };
    let (Some(marker), Some(end)) = (&summary.step.marker, summary.evidence.first()) else { return false };
    marker.line <= line && (line < end.line || (line == end.line && summary.command.is_some()))
}

/// The exit-status rules that take one of these statuses in the phase reached.
pub(super) fn from_exit_status<'a>(analysis: &Analysis<'a>, statuses: &[i32]) -> Vec<Candidate<'a>> {
    let phase = analysis.phase();
    analysis
        .rules
        .rules()
        .iter()
        .filter(|rule| matches!(&rule.role, Role::ExitStatus(r) if r.statuses.iter().any(|s| statuses.contains(s))) && rule.in_scope(phase))
        .map(|rule| Candidate { rule, phase, evidence: analysis.timeline.last_marker.iter().cloned().collect() })
        .collect()
}

/// The build step that failed, and the kind its command and output give.
pub(super) struct FailedBuild<'a> {
    pub(super) number: Option<u32>,
    pub(super) total: Option<u32>,
    pub(super) command: Option<String>,
    /// The step header's instruction (`RUN make`).
    pub(super) instruction: Option<String>,
    pub(super) candidate: Option<Candidate<'a>>,
    /// The line of the step's output that says why, and the rule that found it.
    pub(super) cause: Option<(Seen, usize)>,
}

/// The failed step: the one the summary ended, else the one running at the end.
pub(super) fn failed_step<'a>(analysis: &Analysis<'a>) -> FailedBuild<'a> {
    let summary = analysis.build.summary.as_ref();
    let step = summary.map_or(&analysis.build.step, |s| &s.step);
    let command = summary.and_then(|s| s.command.clone()).or_else(|| step.instruction.clone());
    let code = summary.and_then(|s| s.code);
    let candidate = failed_command(analysis, step, command.as_deref().unwrap_or_default(), code);
    FailedBuild {
        number: step.number,
        total: step.total,
        command,
        instruction: step.instruction.clone(),
        candidate,
        cause: analysis.build.cause_of(step),
    }
}

/// The kind of a failed build step, from the failed-command rules in priority order.
fn failed_command<'a>(analysis: &Analysis<'a>, step: &Step, command: &str, code: Option<i32>) -> Option<Candidate<'a>> {
    let mut rules: Vec<(&Rule, &FailedCommandRule)> = analysis
        .rules
        .rules()
        .iter()
        .filter_map(|rule| match &rule.role {
            Role::FailedCommand(r) => Some((rule, r)),
            _ => None,
        })
        .collect();
    rules.sort_by_key(|(rule, _)| std::cmp::Reverse(rule.priority));
    rules.into_iter().find_map(|(rule, failed)| {
        if !failed.exit_codes.is_empty() && code.is_none_or(|c| !failed.exit_codes.contains(&c)) {
            return None;
        }
        let required = required_evidence(failed, step, command)?;
        let mut evidence: Vec<Seen> = step.marker.iter().cloned().collect();
        evidence.extend(required.into_iter().rev().take(6).cloned());
        if let Some(summary) = &analysis.build.summary {
            evidence.extend(summary.evidence.iter().cloned());
        }
        Some(Candidate { rule, phase: Some(Phase::Build), evidence })
    })
}

/// The step's evidence a failed-command rule needs, or `None` when the rule does not
/// apply to this command and output.
fn required_evidence<'s>(rule: &FailedCommandRule, step: &'s Step, command: &str) -> Option<Vec<&'s Seen>> {
    if rule.command.as_ref().is_some_and(|p| !p.regex().is_match(command)) {
        return None;
    }
    if rule.requires_evidence.is_empty() {
        return Some(Vec::new());
    }
    let mut tagged: Vec<_> = step.evidence.iter().filter(|e| rule.requires_evidence.contains(&e.tag)).collect();
    tagged.sort_by_key(|e| e.evidence.line);
    if tagged.is_empty() {
        return None;
    }
    if rule.correlate_packages {
        let npm_lines: Vec<&str> = step.evidence.iter().filter(|e| e.tag.starts_with("npm")).map(|e| e.text.as_str()).collect();
        if !plugin_failure_correlates(command, &npm_lines) {
            return None;
        }
    }
    Some(tagged.into_iter().map(|e| &e.evidence).collect())
}
