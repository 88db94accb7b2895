//! What a match does to the run: the engine and era its wording shows; a failure's phase;
//! a marker's build step (started or ended), facts and phase.

use super::build_step::Pending;
use super::seen::{copy_into, evidence};
use super::{Analysis, Attribution, Hit};
use crate::classify::scanner::Window;
use crate::classify::state::facts::{capture, Groups};
use crate::classify::state::Seen;
use crate::model::Phase;
use crate::rules::{BuildLine, MarkerRule, Role, Rule, StageRules};

/// Whether `rule` is OpenShell's own report of a failure past the build.
pub(super) fn reports_past_build(rule: &Rule) -> bool {
    let past_build = matches!(&rule.role, Role::Failure(r) if r.places_phase.is_some_and(|p| p > Phase::Build));
    past_build && rule.kind().is_some_and(crate::model::Kind::reported_by_openshell)
}

impl Analysis<'_> {
    /// What a rule's wording shows: the engine, and the era of its releases.
    pub(super) fn record_wording(&mut self, rule: &Rule) {
        if let Some(engine) = rule.engine() {
            // The builder's own wording says which engine built the image; other
            // wording, the engine the gateway uses.
            if self.timeline.phase == Some(Phase::Build) || matches!(&rule.role, Role::Marker(m) if m.build.starts_step()) {
                self.facts.build_engine = Some(engine);
            } else {
                self.facts.engine_on(engine, self.current_line);
            }
        }
        if let Some(era) = rule.era_shown() {
            self.facts.era_on(era, self.current_line);
        }
    }

    /// Whether, up to the current line, OpenShell itself reported a failure of a phase
    /// past the build (a sandbox's image pull, say): network words after it are that
    /// report's own detail (miette's continuation lines), not a build step's output, in
    /// output whose markers were cut.
    pub(super) fn openshell_failed_past_build(&self) -> bool {
        self.past_build_reports.iter().any(|&ri| self.hits[ri].last().is_some_and(|hit| hit.line <= self.current_line))
    }

    /// A failure or supporting rule's match, counted in the phase it happened in.
    pub(super) fn on_failure(&mut self, ri: usize, places_phase: Option<Phase>, ev: Vec<Seen>) {
        // Only a run whose later markers were cut: output with none at all keeps
        // NemoClaw's unmarked reading.
        let printed = match self.attribution {
            Attribution::AsItStreams => self.timeline.phase,
            Attribution::PrintedIn(phase) => phase,
        };
        // Examined late or not, the failure happened where its wording places it, unless
        // it was printed while the build ran (up to the build's last line seen): then it
        // is the build's, whatever it imitates.
        let in_build = printed == Some(Phase::Build) && self.current_line <= self.last_build_line;
        let placed = places_phase.filter(|p| !in_build && printed.is_some_and(|now| now < *p));
        if let Some(places) = placed.filter(|p| self.timeline.phase.is_some_and(|now| now < *p)) {
            self.advance(places);
        }
        let phase = placed.or(printed);
        self.hits[ri].push(Hit { evidence: ev, phase, line: self.current_line });
    }

    /// A phase marker: the build step it starts or the build it ends, the facts it
    /// states, the phase it moves to.
    pub(super) fn on_marker(&mut self, marker: &MarkerRule, caps: &Groups<'_>, rest: &str, ev: Vec<Seen>) {
        if self.facts.contradicts_announcement(caps) {
            return;
        }
        let starts_step = marker.build.starts_step();
        self.marked |= starts_step || marker.sets_phase.is_some();
        if starts_step || marker.sets_phase == Some(Phase::Build) {
            self.build_seen(starts_step, false);
        }
        // Before the facts on the line are recorded: going back to the build withdraws
        // what the lines before it stated, never what it states itself.
        if starts_step {
            self.build_ended = false;
        } else if marker.build == BuildLine::EndsBuild {
            self.build_finished();
        }
        self.facts.record(caps, self.current_line, self.build_started.is_none());
        // BuildKit places the failed instruction in its Dockerfile.
        if let (Some(path), Some(line)) = (capture(caps, "frame_path"), capture(caps, "frame_line").and_then(|l| l.parse().ok())) {
            self.build.frame.begin(path, line);
        }
        if marker.uploaded {
            self.facts.uploaded_on(self.current_line);
        }
        if let Some(phase) = marker.sets_phase {
            self.advance(phase);
        }
        let line = ev.into_iter().next();
        if starts_step {
            // The step keeps the line; the timeline a copy, in the buffer of the marker
            // it kept before (a long build has tens of thousands of steps).
            copy_into(&mut self.timeline.last_marker, line.as_ref());
            let number = capture(caps, "step").and_then(|s| s.parse().ok());
            let total = capture(caps, "total").and_then(|s| s.parse().ok());
            // A step marker's pattern ends where the instruction starts.
            let instruction = capture(caps, "instruction").unwrap_or(rest);
            self.build.start_step(line, number, total, instruction, marker.build == BuildLine::ReplaysStep);
        } else if marker.sets_phase.is_some() {
            self.timeline.last_marker = line;
        }
    }

    /// A one-line pattern on an anchored line; a summary that may span lines starts
    /// pending when its first line holds the anchor but not the terminator.
    pub(super) fn match_line(&mut self, ri: usize, number: u64, text: &str, lower: &[u8], window: Option<&Window<'_>>) {
        let rules: &StageRules = self.rules;
        let rule = &rules.rules()[ri];
        let Some(pattern) = rule.line_patterns().first() else { return };
        // Most patterns capture nothing; finding is cheaper than capturing.
        let found = if pattern.regex().captures_len() > 1 {
            // The positions are reused: capturing allocates nothing.
            let locations = self.locations[ri].get_or_insert_with(|| pattern.regex().capture_locations());
            pattern.regex().captures_read(locations, text).map(|m| (m.range(), Groups::from_locations(pattern.regex(), locations, text)))
        } else {
            pattern.regex().find(text).map(|m| (m.range(), Groups::default()))
        };
        let summary = match &rule.role {
            Role::BuildSummary(summary) => Some(summary),
            _ => None,
        };
        if let Some((range, caps)) = found {
            if summary.is_some() {
                self.look_back(window, number);
            }
            let ev = vec![evidence(number, text, range.start)];
            self.on_match(ri, &caps, &text[range.end..], ev);
        } else if let Some(terminator) = summary.and_then(|s| s.continue_until.as_ref()) {
            if self.build.pending.is_none() && memchr::memmem::find(lower, terminator.as_bytes()).is_none() {
                self.build.pending = Some(Pending {
                    rule: ri,
                    terminator: terminator.clone(),
                    lines: vec![evidence(number, text, 0)],
                    text: text.to_owned(),
                });
            }
        }
    }
}
