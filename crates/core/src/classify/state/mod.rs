//! The state the classifier keeps while the output streams by, one concern per type:
//! the [`Facts`], the phase [`Timeline`], the [`Build`] step and its summary, the rules'
//! [`RuleHits`] and the [`Lookback`] bookkeeping. Only anchored lines reach it, and it
//! keeps nothing per line, so memory stays bounded however long the log is.

mod build_events;
pub(crate) use build_events::BuildEnd;
mod build_step;
mod dockerfile_frame;
mod errors;
mod facts;
mod hits;
mod lookback;
mod matched;
mod seen;
mod step_cause;
mod timeline;
mod tty_frames;
mod warning;
mod windows;
mod wrapped;

pub(crate) use build_step::{Build, Step, COMMAND_CHARS};
pub(crate) use dockerfile_frame::BuilderFrame;
pub(crate) use facts::Facts;
pub(crate) use hits::{Hit, RuleHits};

use crate::classify::scanner::{Line, LineSink, Window};
use crate::classify::terminal_text::lossy;
use crate::model::{Phase, Version};
use crate::redact::keep_clipped;
use crate::rules::{scope_index, LineMatcher, PatternRef, Role, Rule, StageRules};
use build_step::Pending;
use errors::ErrorLines;
use facts::{capture, Groups};
use hits::Parts;
use lookback::Lookback;
use matched::reports_past_build;
use seen::evidence;
pub(crate) use seen::Seen;
use step_cause::Found;
use timeline::Timeline;
use tty_frames::Frames;
use warning::is_warning;

/// Lines examined before a build summary (back to its step's start) and at the end.
const LOOKBACK_LINES: usize = 512;
const TAIL_LINES: usize = 1000;
/// Line numbers of streamed lines remembered: more than any window holds.
const STREAMED_KEPT: usize = 2 * TAIL_LINES;

/// Which phase a match counts in.
#[derive(Debug, Clone, Copy)]
enum Attribution {
    /// The phase reached now: the line is streaming by.
    AsItStreams,
    /// The phase the line was printed in: it is examined late, from a window.
    PrintedIn(Option<Phase>),
}

/// The streaming state of one classification.
#[derive(Debug)]
pub(crate) struct Analysis<'r> {
    pub(crate) rules: &'r StageRules,
    version: Option<Version>,
    pub(crate) timeline: Timeline,
    pub(crate) facts: Facts,
    pub(crate) hits: Vec<RuleHits>,
    parts: Vec<Parts>,
    pub(crate) build: Build,
    lookback: Lookback,
    /// The last error-looking lines examined: what an unknown answer shows.
    pub(crate) errors: ErrorLines,
    /// The last line that shows the build still running (a step, a summary, the build's
    /// end): what a return to the build goes back to.
    last_build_line: u64,
    /// The first build step or summary: facts stated after it may be a step's output.
    build_started: Option<u64>,
    /// A builder reported the build finished, and no step started since.
    build_ended: bool,
    /// The line of the last end of a build that succeeded (0: none yet): the build's
    /// error-looking lines before it did not stop the run.
    build_ended_at: u64,
    /// A marker that places the output in a phase was seen: the output is this stage's
    /// own, not merely wording (a curl error, a pip retry) that other output prints too.
    marked: bool,
    /// The last lines examined while streaming, in order: a window does not examine
    /// them again.
    streamed: std::collections::VecDeque<u64>,
    /// BuildKit's terminal progress lines drawn lately.
    frames: Frames,
    scratch: Vec<PatternRef>,
    /// Each rule's capture positions, reused from line to line.
    locations: Vec<Option<regex::CaptureLocations>>,
    /// The rules by which OpenShell reports a failure past the build (asked about on
    /// every network line of a build with no marker: a few of hundreds).
    past_build_reports: Vec<usize>,
    /// The line being examined, and the phase its matches count in.
    current_line: u64,
    /// The line being examined only warns: it can never be a step's cause.
    current_warns: bool,
    attribution: Attribution,
    /// The first line a user's rule (`--rules DIR`) matched: from there it may have placed
    /// the phase, named a fact or the engine, or moved the build, whichever rule decides.
    pub(crate) users_match: Option<u64>,
}

impl<'r> Analysis<'r> {
    pub(crate) fn new(rules: &'r StageRules, version: Option<Version>) -> Analysis<'r> {
        let parts = rules
            .rules()
            .iter()
            .map(|rule| match &rule.role {
                Role::Failure(r) | Role::Supporting(r) => match &r.matcher {
                    LineMatcher::Parts { parts, .. } => Parts::new(parts.len()),
                    LineMatcher::Line(_) => Parts::default(),
                },
                _ => Parts::default(),
            })
            .collect();
        Analysis {
            rules,
            version,
            timeline: Timeline::default(),
            facts: Facts::default(),
            hits: vec![RuleHits::default(); rules.rules().len()],
            parts,
            build: Build::default(),
            lookback: Lookback::default(),
            errors: ErrorLines::default(),
            last_build_line: 0,
            build_started: None,
            build_ended: false,
            build_ended_at: 0,
            marked: false,
            streamed: std::collections::VecDeque::new(),
            frames: Frames::default(),
            scratch: Vec::new(),
            locations: vec![None; rules.rules().len()],
            past_build_reports: (0..rules.rules().len()).filter(|&ri| reports_past_build(&rules.rules()[ri])).collect(),
            current_line: 0,
            current_warns: false,
            attribution: Attribution::AsItStreams,
            users_match: None,
        }
    }

    /// The phase reached so far.
    pub(crate) fn phase(&self) -> Option<Phase> {
        self.timeline.phase
    }

    /// Whether a marker that places the output in a phase was seen.
    pub(crate) fn marked(&self) -> bool {
        self.marked
    }

    /// Whether line `number` was examined while streaming.
    fn was_streamed(&self, number: u64) -> bool {
        self.streamed.binary_search(&number).is_ok()
    }

    /// The OpenShell version the output was said to come from.
    pub(crate) fn version(&self) -> Option<Version> {
        self.version
    }

    /// A rule matched: what it means depends on its role.
    fn on_match(&mut self, ri: usize, caps: &Groups<'_>, rest: &str, ev: Vec<Seen>) {
        let rules: &'r StageRules = self.rules;
        let rule = &rules.rules()[ri];
        self.hits[ri].count += 1;
        if rule.provenance.users && self.users_match.is_none() {
            self.users_match = Some(self.current_line);
        }
        // A line a succeeded build's steps printed, examined late, says nothing about the
        // run (the build is over): what matched on it counts in the build, and states no
        // fact.
        let build_said = matches!(self.attribution, Attribution::PrintedIn(_)) && self.in_succeeded_build(self.current_line);
        if !build_said {
            self.record_wording(rule);
        }
        match &rule.role {
            Role::Marker(_) if build_said => {}
            Role::Marker(marker) => self.on_marker(marker, caps, rest, ev),
            Role::Failure(r) | Role::Supporting(r) => {
                // A failure's own words name facts too (the gateway it could not reach,
                // the image that could not be pulled, the status, the limit).
                if !build_said {
                    self.facts.record(caps, self.current_line, false);
                }
                self.on_failure(ri, r.places_phase, ev);
            }
            Role::StepEvidence(step) => {
                if step.places_build && self.timeline.phase.is_none() && !self.openshell_failed_past_build() {
                    self.advance(Phase::Build);
                }
                let text = caps.whole();
                if step.cause && !self.current_warns {
                    if let Some(first) = ev.first() {
                        self.build.add_cause(&Found { seen: first.clone(), rule: ri, weak: step.weak });
                    }
                }
                self.build.add_evidence(&step.tag, ev, text);
            }
            Role::BuildSummary(_) => {
                let command = capture(caps, "command").map(|s| keep_clipped(s.trim_end_matches(':'), 0, COMMAND_CHARS).0);
                let code = capture(caps, "code").and_then(|c| c.parse().ok());
                self.build_seen(true, true);
                self.build_ended = false;
                self.build.summarise(ri, command, code, ev);
            }
            Role::FailedCommand(_) | Role::ExitStatus(_) | Role::Provider(_) => {}
        }
    }

    fn advance(&mut self, phase: Phase) {
        self.timeline.advance(phase, self.current_line);
    }

    fn on_part(&mut self, ri: usize, pi: usize, ev: Seen) {
        let within = match &self.rules.rules()[ri].role {
            Role::Failure(r) | Role::Supporting(r) => match &r.matcher {
                LineMatcher::Parts { within_lines, .. } => *within_lines,
                LineMatcher::Line(_) => None,
            },
            _ => None,
        };
        if let Some(all) = self.parts[ri].see(pi, ev, within) {
            self.on_match(ri, &Groups::default(), "", all);
        }
    }

    fn continue_pending(&mut self, number: u64, text: &str, lower: &[u8], window: Option<&Window<'_>>) {
        let Some(pending) = &mut self.pending_mut() else { return };
        match pending.push(evidence(number, text, 0), text, lower) {
            Some(false) => {}
            None => self.build.pending = None,
            Some(true) => {
                let Some(mut pending) = self.build.pending.take() else { return };
                let rules: &'r StageRules = self.rules;
                let Some(pattern) = rules.rules()[pending.rule].line_patterns().first() else { return };
                let text = std::mem::take(&mut pending.text);
                if let Some(caps) = pattern.regex().captures(&text) {
                    // The summary begins on the line its match does: the lines before it
                    // only held the anchor's words.
                    let start = caps.get(0).map_or(0, |m| m.start());
                    let before = text[..start].bytes().filter(|b| *b == b'\n').count();
                    pending.lines.drain(..before.min(pending.lines.len().saturating_sub(1)));
                    self.look_back(window, pending.lines.first().map_or(number, |e| e.line));
                    let rule = pending.rule;
                    self.on_match(rule, &Groups::new(pattern.regex(), &caps), "", pending.into_evidence());
                }
            }
        }
    }

    fn pending_mut(&mut self) -> Option<&mut Pending> {
        self.build.pending.as_mut()
    }
}

impl Analysis<'_> {
    /// Whether a matched pattern counts here: the rule applies to the OpenShell version,
    /// a warning line decides nothing, and a marker counts only in its phases.
    fn counts(&self, rule: &Rule, warning: bool) -> bool {
        let marker = matches!(rule.role, Role::Marker(_));
        rule.applies_to(self.version)
            // A warning decides nothing, but it can say why a step failed (pip's
            // `WARNING: Retrying … NewConnectionError`).
            && (!warning || marker || matches!(rule.role, Role::Supporting(_) | Role::StepEvidence(_)))
            && (!marker || self.rules.in_scope(rule, self.marker_scope()))
    }

    /// The phase markers are scoped by: after a builder's successful end, what follows
    /// a build (OpenShell's `Built image`) does.
    /// A line examined late is scoped by the phase it was printed in.
    fn marker_scope(&self) -> Option<Phase> {
        let phase = match self.attribution {
            Attribution::PrintedIn(phase) => return phase,
            Attribution::AsItStreams => self.timeline.phase,
        };
        match phase {
            Some(Phase::Build) if self.build_ended => Some(Phase::Export),
            phase => phase,
        }
    }

    /// Runs the rules whose anchors `lower` holds on one line. `window` is the output
    /// before the line when it streams by, and `None` when the line itself comes from a
    /// window.
    fn examine(&mut self, number: u64, raw: &[u8], lower: &[u8], window: Option<&Window<'_>>) {
        let mut patterns = std::mem::take(&mut self.scratch);
        self.rules.patterns_in(raw, lower, &mut patterns);
        self.examine_patterns(number, raw, lower, window, patterns);
    }

    /// [`Analysis::examine`] once the line's patterns are known (in `patterns`, which
    /// becomes the scratch buffer again).
    fn examine_patterns(&mut self, number: u64, raw: &[u8], lower: &[u8], window: Option<&Window<'_>>, mut patterns: Vec<PatternRef>) {
        if patterns.is_empty() && self.build.pending.is_none() {
            self.scratch = patterns;
            return;
        }
        let text = lossy(raw);
        let warning = is_warning(lower);
        self.current_warns = warning;
        let was_pending = self.build.pending.is_some();
        // A step's network words on the line of OpenShell's own error are that error's:
        // its failure is seen first.
        let rules: &StageRules = self.rules;
        patterns.sort_by_key(|&(ri, _)| matches!(rules.rules()[ri as usize].role, Role::StepEvidence(_)));
        for &(ri, pi) in &patterns {
            let (ri, pi) = (ri as usize, pi as usize);
            let rules: &StageRules = self.rules;
            let rule = &rules.rules()[ri];
            if !self.counts(rule, warning) {
                continue;
            }
            match &rule.role {
                Role::Failure(r) | Role::Supporting(r) if matches!(r.matcher, LineMatcher::Parts { .. }) => {
                    if let Some(m) = rule.line_patterns()[pi].regex().find(&text) {
                        self.on_part(ri, pi, evidence(number, &text, m.start()));
                    }
                }
                _ => self.match_line(ri, number, &text, lower, window),
            }
        }
        if was_pending {
            self.continue_pending(number, &text, lower, window);
        }
        self.scratch = patterns;
    }
}

impl LineSink for Analysis<'_> {
    fn wants_every_line(&self) -> bool {
        self.build.pending.is_some() || self.build.frame.reading()
    }

    fn scope(&self) -> usize {
        scope_index(self.marker_scope())
    }

    fn line(&mut self, line: Line<'_>, window: &Window<'_>) {
        self.current_line = line.number;
        if self.streamed.len() == STREAMED_KEPT {
            self.streamed.pop_front();
        }
        self.streamed.push_back(line.number);
        if self.build.frame.reading() {
            self.build.frame.feed(&lossy(line.text));
        }
        if self.build.pending.is_some() {
            self.lookback.note_full(line.number);
        }
        if self.build.pending.is_none() && self.frames.drawn_again(line.lower) {
            return;
        }
        match line.patterns {
            Some(found) => {
                let mut patterns = std::mem::take(&mut self.scratch);
                patterns.clear();
                patterns.extend_from_slice(found);
                self.examine_patterns(line.number, line.text, line.lower, Some(window), patterns);
            }
            None => self.examine(line.number, line.text, line.lower, Some(window)),
        }
    }

    fn finish(&mut self, window: &Window<'_>) {
        // The error that stopped the run is at the end: examine the last lines in full.
        let after = self.lookback.window_upto;
        self.examine_window(window, after, window.next_line, TAIL_LINES);
    }
}
