//! What a supervised create has reached, followed as its output is classified: the phase
//! and build step it is in, and when each began (by when its output arrived), for the
//! timeline, the heartbeat and the events file.

use std::time::{Duration, Instant};

use sandbox_triage_core::{Begun, Classifier, Kind, Phase, Timeline, TimelineBuilder};

use super::events::Events;

/// While classification is behind (a burst of output), how often the classifier is asked
/// where the output has got to: often enough for a timeline in tenths of a second,
/// rarely enough to cost nothing.
const LOOK_EVERY: Duration = Duration::from_millis(100);

pub(crate) struct Progress {
    timeline: TimelineBuilder,
    phase: Option<Phase>,
    /// The last line whose beginnings were taken.
    seen: u64,
    /// The first decisive failure was reported to the events file.
    decisive: bool,
    last_look: Option<Instant>,
    pub(crate) events: Events,
}

impl Progress {
    pub(crate) fn new(events: Events) -> Progress {
        Progress { timeline: TimelineBuilder::default(), phase: None, seen: 0, decisive: false, last_look: None, events }
    }

    /// The phase the output has reached.
    pub(crate) fn phase(&self) -> Option<Phase> {
        self.phase
    }

    /// After output that arrived `at` (from the start): what began since the last look,
    /// when it is time to look again (or `now` says look now).
    pub(crate) fn after_output(&mut self, classifier: &mut Classifier<'_>, at: Duration, now: bool) {
        if !now && self.last_look.is_some_and(|last| last.elapsed() < LOOK_EVERY) {
            return;
        }
        self.last_look = Some(Instant::now());
        classifier.flush_lines();
        // Everything that began since the last look, in the order printed: a burst of
        // output can hold several steps and phases.
        for (line, begun) in classifier.begun_after(self.seen) {
            self.seen = self.seen.max(line);
            match begun {
                Begun::Phase(phase) if self.phase.is_none_or(|p| p < phase) => {
                    self.phase = Some(phase);
                    self.timeline.phase(phase, at);
                    self.events.phase(at, phase);
                }
                Begun::Step(step) if self.phase.is_none_or(|p| p == Phase::Build) => {
                    self.timeline.step(step.clone(), at);
                    self.events.step(at, &step);
                }
                Begun::Phase(_) | Begun::Step(_) => {}
            }
        }
        if self.events.enabled() && !self.decisive {
            let so_far = classifier.peek();
            if !matches!(so_far.kind, Kind::Unknown | Kind::None) {
                self.decisive = true;
                self.events.evidence(at, &so_far);
            }
        }
    }

    /// The timeline of a command that ended `end` after its start.
    pub(crate) fn timeline(&self, end: Duration) -> Timeline {
        self.timeline.finish(end)
    }
}
