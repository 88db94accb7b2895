//! The lines that prove an answer: the deciding match, the last phase marker (where the
//! run was), and the other matches of the same kind; in line order, masked, at most a
//! screenful.

use super::candidates::Candidate;
use crate::classify::state::Analysis;
use crate::model::Evidence;
use crate::redact::redact;
use crate::rules::Role;

/// At most this many evidence lines are reported.
pub(super) const EVIDENCE_MAX: usize = 12;

/// The evidence for `best`.
pub(super) fn assemble(analysis: &Analysis<'_>, best: &Candidate<'_>) -> Vec<Evidence> {
    let kind = best.rule.kind();
    let mut evidence = best.evidence.clone();
    evidence.extend(analysis.timeline.last_marker.iter().cloned());
    // Supporting matches and other rules' matches of the same kind help prove it.
    for (rule, hits) in analysis.rules.rules().iter().zip(&analysis.hits) {
        let same_kind = rule.kind() == kind && matches!(rule.role, Role::Failure(_) | Role::Supporting(_));
        if same_kind && !std::ptr::eq(rule, best.rule) {
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
    evidence.iter().map(masked).collect()
}

/// An evidence line with its secrets masked.
pub(super) fn masked(evidence: &Evidence) -> Evidence {
    Evidence { line: evidence.line, text: redact(&evidence.text).into_owned() }
}
