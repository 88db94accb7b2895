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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmarked_output_ranks_first_then_each_phase_in_order() {
        let ranks: Vec<usize> = std::iter::once(None).chain(Phase::all().map(Some)).map(phase_rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]), "{ranks:?}");
    }
}
