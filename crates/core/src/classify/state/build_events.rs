//! What the build's own lines mean for the rest: a step, a failure summary or the end of
//! the build after an apparent export means the export's lines were printed by a build
//! step. Output between a step's marker and the builder's end of the build is the step's
//! for every builder, whoever's lines it imitates.

use super::Analysis;
use crate::model::Phase;

impl Analysis<'_> {
    /// The output shows the build running (a step) or failing (a summary). After an
    /// apparent export that means the export's lines were printed by a build step: a
    /// `RUN` step can print `Built image …`, `[progress] Exported …` and a 404. The run
    /// goes back to the build and what matched on those lines counts in the build. A
    /// failed build withdraws every fact stated since its first step: none of them can
    /// be trusted to come from OpenShell. A step once the sandbox is ready is the
    /// sandbox's own output; a failure summary never is.
    pub(super) fn build_seen(&mut self, step_or_summary: bool, summary: bool) {
        // A build line examined late (a builder's `Removing intermediate container`,
        // looked at in the window before the failure) that was printed before the run
        // moved on says nothing about where the run is now.
        if self.timeline.moved_after(self.current_line) {
            return;
        }
        if step_or_summary && self.build_started.is_none() {
            self.build_started = Some(self.current_line);
        }
        match self.timeline.phase {
            None | Some(Phase::Build) => {}
            Some(Phase::PostReady) if !summary => return,
            Some(_) => self.revert_to_build(),
        }
        if let (true, Some(started)) = (summary, self.build_started) {
            self.facts.withdraw_after(started);
        }
        self.advance(Phase::Build);
        self.last_build_line = self.current_line;
    }

    /// The builder ended the build it ran (`Successfully tagged`, `naming to … done`,
    /// `COMMIT`, the JSON stream's image id), or OpenShell, which prints `Built image`
    /// only after that, says it did. What moved the run past the build since the build
    /// was last seen running was the last step's output: the run goes back to the build,
    /// as a later step would take it. With no step seen, nothing was a step's output; once
    /// the sandbox is ready, a build's end is the sandbox's own output, as a step is. Until
    /// the next step, the lines that follow a build count as after `Built image`.
    pub(super) fn build_finished(&mut self) {
        if self.timeline.moved_after(self.current_line) {
            return;
        }
        match self.timeline.phase {
            Some(Phase::Build) => {}
            None | Some(Phase::PostReady) => return,
            Some(_) if self.build_started.is_none() => return,
            Some(_) => self.revert_to_build(),
        }
        self.build_ended = true;
        self.last_build_line = self.current_line;
        self.build_ended_at = self.current_line;
        // The build succeeded: its error-looking lines did not stop the run.
        let printed: Vec<u64> = self.errors.lines().map(|seen| seen.line).filter(|line| self.in_succeeded_build(*line)).collect();
        self.errors.forget(|line| printed.contains(&line));
    }

    /// Whether line `number` was printed by the steps of a build that then succeeded:
    /// examined late, it says nothing about the run, and its error-looking words (a
    /// step's `|| true`, a file it printed) did not stop it.
    pub(super) fn in_succeeded_build(&self, number: u64) -> bool {
        self.build_started.is_some_and(|first| first < number)
            && number < self.build_ended_at
            && self.timeline.phase_at(number) == Some(Phase::Build)
    }

    /// What the lines since the build was last seen running stated was the build's
    /// output too: their facts are withdrawn.
    fn revert_to_build(&mut self) {
        let since = self.last_build_line;
        self.facts.withdraw_after(since);
        self.timeline.revert_to_build(since);
        for hits in &mut self.hits {
            hits.move_to_build(since);
        }
        self.timeline.last_marker.clone_from(&self.build.step.marker);
    }
}

/// Where a build stood when no step of it was running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BuildEnd {
    /// The builder said it ended the build.
    Finished,
    /// Buildah was writing the image (`COMMIT`), after the last Dockerfile step.
    Committing,
}

impl Analysis<'_> {
    /// How the build stood where the output ends, when no step was running: its builder
    /// said it ended it, or the step running is buildah's own `COMMIT` (the image being
    /// written, no Dockerfile step left). A run that ends then did not fail in a step.
    pub(crate) fn build_end(&self) -> Option<BuildEnd> {
        let committing = self
            .build
            .step
            .instruction
            .as_deref()
            .and_then(|i| i.split_whitespace().next())
            .is_some_and(|w| w.eq_ignore_ascii_case("COMMIT"));
        if self.build_ended {
            Some(BuildEnd::Finished)
        } else if committing {
            Some(BuildEnd::Committing)
        } else {
            None
        }
    }
}
