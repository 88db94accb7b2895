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
