//! Where a supervised create spent its time: how long each phase took, and the build's
//! slowest steps. Assembled from the moments a phase or a build step was first seen;
//! the clock is the caller's (the library reads none).

use std::time::Duration;

use serde::Serialize;

use crate::model::Phase;

/// How many of the build's steps the timeline names.
pub const SLOWEST_STEPS: usize = 5;

/// How long a create spent in each phase it reached, and its slowest build steps.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Timeline {
    /// Seconds from the start of the command to its end.
    pub total_secs: f64,
    /// Seconds before the first phase marker (the command starting up, its own checks).
    pub before_first_phase_secs: f64,
    /// Each phase reached, in the order reached.
    pub phases: Vec<PhaseSpan>,
    /// The build's slowest steps, slowest first (at most [`SLOWEST_STEPS`]).
    pub slowest_steps: Vec<StepSpan>,
}

/// One phase: when it started and how long it lasted.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PhaseSpan {
    /// The phase.
    pub phase: Phase,
    /// Seconds from the start of the command.
    pub started_secs: f64,
    /// Seconds it lasted (to the next phase, or to the end).
    pub secs: f64,
}

/// One build step: the step as the builder printed it, and how long it lasted.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct StepSpan {
    /// The step (`[2/7] RUN apt-get update …`), secrets masked.
    pub step: String,
    /// Seconds from the start of the command.
    pub started_secs: f64,
    /// Seconds it lasted (to the next step or phase, or to the end).
    pub secs: f64,
}

/// Collects the moments phases and steps begin, then makes the [`Timeline`].
#[derive(Debug, Clone, Default)]
pub struct TimelineBuilder {
    phases: Vec<(Phase, Duration)>,
    steps: Vec<(String, Duration)>,
    /// When the build phase ended (the step running then ends with it).
    build_ended: Option<Duration>,
}

impl TimelineBuilder {
    /// `phase` was first seen at `at` (from the start of the command). A phase seen
    /// again, or an earlier one after a later one, changes nothing: phases only advance.
    pub fn phase(&mut self, phase: Phase, at: Duration) {
        if self.phases.last().is_some_and(|(last, _)| *last >= phase) {
            return;
        }
        if self.phases.last().is_some_and(|(last, _)| *last == Phase::Build) {
            self.build_ended = Some(at);
        }
        self.phases.push((phase, at));
    }

    /// A build step (as shown to people) began at `at`.
    pub fn step(&mut self, step: String, at: Duration) {
        if self.build_ended.is_none() {
            self.steps.push((step, at));
        }
    }

    /// The timeline of a command that ended at `end`.
    #[must_use]
    pub fn finish(&self, end: Duration) -> Timeline {
        let secs = |from: Duration, to: Duration| to.saturating_sub(from).as_secs_f64();
        let phases = self
            .phases
            .iter()
            .enumerate()
            .map(|(i, &(phase, at))| {
                let until = self.phases.get(i + 1).map_or(end, |next| next.1);
                PhaseSpan { phase, started_secs: at.as_secs_f64(), secs: secs(at, until) }
            })
            .collect();
        let steps_end = self.build_ended.unwrap_or(end);
        let mut slowest: Vec<StepSpan> = self
            .steps
            .iter()
            .enumerate()
            .map(|(i, (step, at))| {
                let until = self.steps.get(i + 1).map_or(steps_end, |next| next.1);
                StepSpan { step: step.clone(), started_secs: at.as_secs_f64(), secs: secs(*at, until) }
            })
            .collect();
        slowest.sort_by(|a, b| b.secs.total_cmp(&a.secs).then(a.started_secs.total_cmp(&b.started_secs)));
        slowest.truncate(SLOWEST_STEPS);
        Timeline {
            total_secs: end.as_secs_f64(),
            before_first_phase_secs: self.phases.first().map_or(end, |p| p.1).as_secs_f64(),
            phases,
            slowest_steps: slowest,
        }
    }
}

#[cfg(test)]
// Whole seconds in, whole seconds out: exact.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn s(secs: u64) -> Duration {
        Duration::from_secs(secs)
    }

    #[test]
    fn each_phase_lasts_until_the_next_and_steps_end_with_the_build() {
        let mut b = TimelineBuilder::default();
        b.phase(Phase::Build, s(2));
        b.step("[1/3] FROM scratch".into(), s(2));
        b.step("[2/3] RUN make".into(), s(3));
        b.step("[3/3] COPY . .".into(), s(30));
        b.phase(Phase::Build, s(31));
        b.phase(Phase::Export, s(32));
        b.step("not a build step".into(), s(33));
        b.phase(Phase::Upload, s(40));
        b.phase(Phase::Export, s(41));
        let t = b.finish(s(100));
        assert_eq!(t.total_secs, 100.0);
        assert_eq!(t.before_first_phase_secs, 2.0);
        let spans: Vec<(Phase, f64, f64)> = t.phases.iter().map(|p| (p.phase, p.started_secs, p.secs)).collect();
        assert_eq!(spans, vec![(Phase::Build, 2.0, 30.0), (Phase::Export, 32.0, 8.0), (Phase::Upload, 40.0, 60.0)]);
        let steps: Vec<(&str, f64)> = t.slowest_steps.iter().map(|s| (s.step.as_str(), s.secs)).collect();
        assert_eq!(steps, vec![("[2/3] RUN make", 27.0), ("[3/3] COPY . .", 2.0), ("[1/3] FROM scratch", 1.0)]);
    }

    #[test]
    fn no_phase_is_all_before_the_first() {
        let t = TimelineBuilder::default().finish(s(5));
        assert_eq!((t.total_secs, t.before_first_phase_secs, t.phases.len()), (5.0, 5.0, 0));
    }
}
