//! The phases the output went through: the furthest reached, when each began (to
//! attribute lines examined late to the phase they were printed in), and the last
//! marker line, which says where the run was when it failed.

use std::collections::VecDeque;

use crate::classify::state::Seen;
use crate::model::Phase;

/// Phase changes remembered for attributing lines examined late.
const TRANSITIONS: usize = 256;

/// The phase timeline.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timeline {
    /// The phase reached now.
    pub(crate) phase: Option<Phase>,
    /// The last line that moved the phase or started a step.
    pub(crate) last_marker: Option<Seen>,
    /// (first line, phase from then on), oldest first.
    transitions: VecDeque<(u64, Option<Phase>)>,
}

impl Timeline {
    /// Moves to `phase` at `line`. Phases only move forward: going back to the build
    /// is [`Timeline::revert_to_build`], decided by the caller.
    pub(crate) fn advance(&mut self, phase: Phase, line: u64) {
        let next = Some(self.phase.map_or(phase, |current| current.max(phase)));
        if next != self.phase {
            if self.transitions.len() == TRANSITIONS {
                self.transitions.pop_front();
            }
            self.transitions.push_back((line, next));
            self.phase = next;
        }
    }

    /// Back to the build: the lines after `since` that looked like later phases were
    /// the build's own output.
    pub(crate) fn revert_to_build(&mut self, since: u64) {
        while self.transitions.back().is_some_and(|(from, _)| *from > since) {
            self.transitions.pop_back();
        }
        if self.transitions.back().is_none_or(|(_, phase)| *phase != Some(Phase::Build)) {
            self.transitions.push_back((since, Some(Phase::Build)));
        }
        self.phase = Some(Phase::Build);
    }

    /// Whether the phase last changed after `line` (a line examined late).
    pub(crate) fn moved_after(&self, line: u64) -> bool {
        self.transitions.back().is_some_and(|(from, _)| *from > line)
    }

    /// The phases entered at lines after `line`, in order.
    pub(crate) fn entered_after(&self, line: u64) -> impl Iterator<Item = (u64, Phase)> + '_ {
        self.transitions.iter().filter(move |(from, _)| *from > line).filter_map(|(from, phase)| phase.map(|p| (*from, p)))
    }

    /// The phase the output was in at `line`.
    pub(crate) fn phase_at(&self, line: u64) -> Option<Phase> {
        self.transitions.iter().rev().find(|(from, _)| *from <= line).and_then(|(_, phase)| *phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The build from line 3, the upload from 10, the create from 20.
    fn through_create() -> Timeline {
        let mut timeline = Timeline::default();
        timeline.advance(Phase::Build, 3);
        timeline.advance(Phase::Upload, 10);
        timeline.advance(Phase::Create, 20);
        timeline
    }

    fn entered_after(timeline: &Timeline, line: u64) -> Vec<(u64, Phase)> {
        timeline.entered_after(line).collect()
    }

    #[test]
    fn phases_entered_after_a_line_exclude_the_line_itself() {
        let timeline = through_create();
        assert_eq!(entered_after(&timeline, 0), [(3, Phase::Build), (10, Phase::Upload), (20, Phase::Create)]);
        assert_eq!(entered_after(&timeline, 10), [(20, Phase::Create)]);
        assert_eq!(entered_after(&timeline, 9), [(10, Phase::Upload), (20, Phase::Create)]);
        assert!(entered_after(&timeline, 20).is_empty());
    }

    #[test]
    fn a_phase_moved_after_a_line_only_when_it_changed_on_a_later_one() {
        let timeline = through_create();
        assert!(timeline.moved_after(19));
        assert!(!timeline.moved_after(20), "the change on the line itself is not after it");
        assert!(!timeline.moved_after(21));
        assert!(!Timeline::default().moved_after(0));
    }

    #[test]
    fn a_phase_never_moves_back_by_advancing() {
        let mut timeline = through_create();
        timeline.advance(Phase::Build, 30);
        assert_eq!(timeline.phase, Some(Phase::Create));
        assert!(!timeline.moved_after(20));
    }

    #[test]
    fn going_back_to_the_build_forgets_only_the_phases_entered_after_it() {
        let mut timeline = through_create();
        timeline.revert_to_build(10);
        assert_eq!(timeline.phase, Some(Phase::Build));
        // The upload began on line 10 itself and stays; the build takes over from there.
        assert_eq!(entered_after(&timeline, 5), [(10, Phase::Upload), (10, Phase::Build)]);
        assert_eq!(timeline.phase_at(15), Some(Phase::Build));
        assert_eq!(timeline.phase_at(25), Some(Phase::Build));
        assert_eq!(timeline.phase_at(5), Some(Phase::Build));
    }

    #[test]
    fn going_back_to_the_build_while_in_it_adds_nothing() {
        let mut timeline = Timeline::default();
        timeline.advance(Phase::Build, 3);
        timeline.advance(Phase::Upload, 10);
        timeline.revert_to_build(5);
        assert_eq!(entered_after(&timeline, 0), [(3, Phase::Build)]);
        assert_eq!(timeline.phase_at(12), Some(Phase::Build));
    }
}
