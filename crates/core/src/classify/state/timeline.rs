//! The phases the output went through: the furthest reached, when each began (to
//! attribute lines examined late to the phase they were printed in), and the last
//! marker line, which says where the run was when it failed.

use std::collections::VecDeque;

use crate::model::{Evidence, Phase};

/// Phase changes remembered for attributing lines examined late.
const TRANSITIONS: usize = 256;

/// The phase timeline.
#[derive(Debug, Clone, Default)]
pub(crate) struct Timeline {
    /// The phase reached now.
    pub(crate) phase: Option<Phase>,
    /// The last line that moved the phase or started a step.
    pub(crate) last_marker: Option<Evidence>,
    /// (first line, phase from then on), oldest first.
    transitions: VecDeque<(u64, Option<Phase>)>,
}

impl Timeline {
    /// Moves to `phase` at `line`. Phases only move forward, except back to the build
    /// from an export that has produced nothing yet: a `RUN` step can print a fake
    /// `Built image` line, but nothing can print a build step once the real export has
    /// produced output.
    pub(crate) fn advance(&mut self, phase: Phase, line: u64, exported: bool) {
        let next = match self.phase {
            Some(Phase::Export) if phase == Phase::Build && !exported => Some(Phase::Build),
            Some(current) => Some(current.max(phase)),
            None => Some(phase),
        };
        if next != self.phase {
            if self.transitions.len() == TRANSITIONS {
                self.transitions.pop_front();
            }
            self.transitions.push_back((line, next));
            self.phase = next;
        }
    }

    /// The phase the output was in at `line`.
    pub(crate) fn phase_at(&self, line: u64) -> Option<Phase> {
        self.transitions.iter().rev().find(|(from, _)| *from <= line).and_then(|(_, phase)| *phase)
    }
}
