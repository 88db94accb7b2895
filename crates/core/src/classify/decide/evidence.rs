//! The lines that prove an answer: the deciding match, the last phase marker (where the
//! run was), and the other matches of the same kind; in line order, masked, at most a
//! screenful.

use super::candidates::Candidate;
use crate::classify::state::{Analysis, Seen};
use crate::model::Evidence;
use crate::redact::mask_then_clip;
use crate::rules::Role;
use crate::screen::printable;

/// Evidence lines are shown clipped to this many characters.
const EVIDENCE_CHARS: usize = 240;

/// At most this many evidence lines are reported.
pub(super) const EVIDENCE_MAX: usize = 12;

/// The evidence for `best`.
pub(super) fn assemble(analysis: &Analysis<'_>, best: &Candidate<'_>) -> Vec<Evidence> {
    let kind = best.rule.kind();
    let mut evidence = best.evidence.clone();
    evidence.extend(analysis.timeline.last_marker.iter().cloned());
    // Supporting matches and other rules' matches of the same kind help prove it.
    for (rule, hits) in analysis.rules.rules().iter().zip(&analysis.hits) {
        // Kinds of the user's own are one `Kind` in the catalogue: their ids tell them apart.
        let same_kind =
            rule.kind() == kind && rule.user_kind() == best.rule.user_kind() && matches!(rule.role, Role::Failure(_) | Role::Supporting(_));
        if same_kind && !std::ptr::eq(rule, best.rule) {
            if let Some(hit) = hits.last() {
                evidence.extend(hit.evidence.iter().cloned());
            }
        }
    }
    evidence.sort();
    evidence.dedup_by_key(|seen| seen.line);
    // The last lines are the ones closest to the failure.
    if let Some(excess) = evidence.len().checked_sub(EVIDENCE_MAX) {
        evidence.drain(..excess);
    }
    evidence.iter().map(masked).collect()
}

/// A line as the answer shows it: secrets masked, then clipped, then stripped of
/// anything a terminal would act on.
pub(super) fn masked(seen: &Seen) -> Evidence {
    Evidence { line: seen.line, text: printable(&mask_then_clip(&seen.text, seen.focus, EVIDENCE_CHARS)) }
}
