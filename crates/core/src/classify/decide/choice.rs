//! Picking one answer: the latest phase first, then the rule's priority.

use super::candidates::Candidate;
use crate::model::Phase;

/// The order of phases: output before any marker first, then the phases in order.
pub(super) fn phase_rank(phase: Option<Phase>) -> usize {
    phase.map_or(0, |p| 1 + p as usize)
}

/// The candidate in the latest phase, by priority among those.
pub(super) fn best(candidates: Vec<Candidate<'_>>) -> Option<Candidate<'_>> {
    candidates.into_iter().max_by_key(|c| (phase_rank(c.phase), c.rule.priority))
}
