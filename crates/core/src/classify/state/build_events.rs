//! What the build's own lines mean for the rest: a step or a failure summary after an
//! apparent export means the export's lines were printed by a build step.

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
