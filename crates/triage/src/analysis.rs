//! The state the classifier keeps while the output streams by: the phase reached, the
//! facts, the current build step and its evidence, and a few matches per rule. Only
//! anchored lines reach it, and it keeps nothing per line, so memory stays bounded
//! however long the log is.

use std::collections::VecDeque;

use regex::Captures;

use crate::diagnosis::Evidence;
use crate::host::Version;
use crate::image_ref::ImageRef;
use crate::phase::Phase;
use crate::rule::{Engine, Matcher, Role};
use crate::scanner::{Line, LineSink, Window};
use crate::stage_rules::{PatternRef, StageRules};
use crate::text::{clip_around, visible_range};

/// Evidence lines are clipped to this many characters.
const EVIDENCE_CHARS: usize = 240;
/// Recent matches kept per rule.
const RECENT_HITS: usize = 3;
/// Evidence lines kept for the current build step.
const STEP_EVIDENCE: usize = 64;
/// A multi-line failure summary is given up after this many lines or bytes.
const SUMMARY_MAX_LINES: usize = 256;
const SUMMARY_MAX_BYTES: usize = 64 * 1024;
/// Failed commands are kept up to this many characters.
const COMMAND_CHARS: usize = 2000;
/// Lines examined before a build summary (back to its step's start) and at the end.
const LOOKBACK_LINES: usize = 512;
const TAIL_LINES: usize = 1000;
/// Phase changes remembered for attributing lines examined late.
const TRANSITIONS: usize = 256;
/// Ranges of lines already examined in full while collecting a summary.
const FULL_RANGES: usize = 64;

/// A rule match: where, what, and in which phase.
#[derive(Debug, Clone)]
pub struct Hit {
    pub evidence: Vec<Evidence>,
    pub phase: Option<Phase>,
    pub line: u64,
}

#[derive(Debug, Clone, Default)]
pub struct RuleHits {
    pub count: u64,
    pub recent: VecDeque<Hit>,
}

impl RuleHits {
    /// Keeps the newest matches by line: matches found looking back arrive late.
    fn push(&mut self, hit: Hit) {
        self.count += 1;
        self.recent.push_back(hit);
        if self.recent.len() > RECENT_HITS {
            if let Some(oldest) = self.recent.iter().enumerate().min_by_key(|(_, h)| h.line).map(|(i, _)| i) {
                self.recent.remove(oldest);
            }
        }
    }

    /// The match on the latest line.
    #[must_use]
    pub fn last(&self) -> Option<&Hit> {
        self.recent.iter().max_by_key(|h| h.line)
    }
}

/// A step-evidence match, tagged by its rule (`network`, `npm-network`, `npm`).
#[derive(Debug, Clone)]
pub struct TaggedEvidence {
    pub tag: String,
    pub evidence: Evidence,
    /// The whole line, unclipped (for package correlation), masked.
    pub text: String,
}

/// The build step being run.
#[derive(Debug, Clone, Default)]
pub struct Step {
    pub marker: Option<Evidence>,
    pub number: Option<u32>,
    pub total: Option<u32>,
    pub instruction: Option<String>,
    pub evidence: VecDeque<TaggedEvidence>,
}

/// A builder's failure summary and the step it ended.
#[derive(Debug, Clone)]
pub struct Summary {
    pub rule: usize,
    pub command: Option<String>,
    pub evidence: Vec<Evidence>,
    pub step: Step,
}

/// Which phase a match counts in.
#[derive(Debug, Clone, Copy)]
enum Attribution {
    /// The phase reached now: the line is streaming by.
    AsItStreams,
    /// The phase the line was printed in: it is examined late, from a window.
    PrintedIn(Option<Phase>),
}

#[derive(Debug, Clone)]
struct Pending {
    rule: usize,
    terminator: String,
    lines: Vec<Evidence>,
    text: String,
}

/// Facts gathered as they appear; the last valid value wins.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub built_image: Option<ImageRef>,
    pub tagged_image: Option<ImageRef>,
    pub gateway: Option<String>,
    pub engine: Option<Engine>,
    pub exported_mib: Option<u64>,
    pub uploaded: bool,
    pub sandbox: Option<String>,
}

#[derive(Debug)]
pub struct Analysis<'r> {
    pub rules: &'r StageRules,
    pub version: Option<Version>,
    pub phase: Option<Phase>,
    pub last_marker: Option<Evidence>,
    pub facts: Facts,
    pub hits: Vec<RuleHits>,
    parts: Vec<Vec<Option<Evidence>>>,
    pub step: Step,
    pub summary: Option<Summary>,
    pending: Option<Pending>,
    scratch: Vec<PatternRef>,
    /// The line being examined, and the phase its matches count in.
    current_line: u64,
    attribution: Attribution,
    /// (first line, phase from then on), oldest first.
    transitions: VecDeque<(u64, Option<Phase>)>,
    /// Lines up to this one were examined in a window.
    window_upto: u64,
    full_ranges: VecDeque<(u64, u64)>,
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

/// Lines that only warn: a kind needs an error that stopped the run.
fn is_warning(lower: &[u8]) -> bool {
    let trimmed = lower.trim_ascii_start();
    let trimmed = trimmed.strip_prefix(b"npm ").unwrap_or(trimmed);
    ["warning:", "warning[", "warn[", "warn:", "warn ", "[warning]", "! "].iter().any(|p| trimmed.starts_with(p.as_bytes()))
}

/// Evidence as it is kept while streaming: clipped, not yet masked. Masking runs once,
/// on the few lines that end up in the answer (`decide`).
fn evidence(number: u64, text: &str, focus: usize) -> Evidence {
    Evidence { line: number, text: clip_around(text, focus, EVIDENCE_CHARS) }
}

impl<'r> Analysis<'r> {
    #[must_use]
    pub fn new(rules: &'r StageRules, version: Option<Version>) -> Analysis<'r> {
        let parts = rules
            .rules()
            .iter()
            .map(|rule| match &rule.matcher {
                Matcher::Parts { parts, .. } => vec![None; parts.len()],
                _ => Vec::new(),
            })
            .collect();
        Analysis {
            rules,
            version,
            phase: None,
            last_marker: None,
            facts: Facts::default(),
            hits: vec![RuleHits::default(); rules.rules().len()],
            parts,
            step: Step::default(),
            summary: None,
            pending: None,
            scratch: Vec::new(),
            current_line: 0,
            attribution: Attribution::AsItStreams,
            transitions: VecDeque::new(),
            window_upto: 0,
            full_ranges: VecDeque::new(),
        }
    }

    fn on_match(&mut self, ri: usize, caps: Option<&Captures<'_>>, rest: &str, ev: Vec<Evidence>) {
        let rules: &'r StageRules = self.rules;
        let rule = &rules.rules()[ri];
        let capture = |name: &str| caps.and_then(|c| c.name(name)).map(|m| m.as_str().trim());
        if let Some(image) = capture("built_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.facts.built_image = Some(image);
        }
        if let Some(image) = capture("tagged_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.facts.tagged_image = Some(image);
        }
        if let Some(gateway) = capture("gateway").filter(|g| valid_name(g)) {
            self.facts.gateway = Some(gateway.to_owned());
        }
        if let Some(sandbox) = capture("sandbox").filter(|s| valid_name(s)) {
            self.facts.sandbox = Some(sandbox.to_owned());
        }
        if let Some(mib) = capture("mib").and_then(|s| s.parse().ok()) {
            self.facts.exported_mib = Some(mib);
        }
        if let Some(engine) = rule.effects.engine {
            self.facts.engine = Some(engine);
        }
        if rule.effects.uploaded {
            self.facts.uploaded = true;
        }
        if let Some(phase) = rule.effects.sets_phase {
            self.advance(phase);
        }
        if rule.effects.starts_step {
            self.step = Step {
                marker: ev.first().cloned(),
                number: capture("step").and_then(|s| s.parse().ok()),
                total: capture("total").and_then(|s| s.parse().ok()),
                // A step marker's pattern ends where the instruction starts.
                instruction: Some(capture("instruction").unwrap_or(rest.trim()))
                    .filter(|s| !s.is_empty())
                    .map(|s| clip_around(s, 0, COMMAND_CHARS)),
                evidence: VecDeque::new(),
            };
        }
        match rule.role {
            Role::Marker if rule.effects.sets_phase.is_some() || rule.effects.starts_step => {
                self.last_marker = ev.first().cloned();
            }
            Role::Failure | Role::Supporting => {
                let phase = match self.attribution {
                    Attribution::AsItStreams => self.phase,
                    Attribution::PrintedIn(phase) => phase,
                };
                self.hits[ri].push(Hit { evidence: ev, phase, line: self.current_line });
            }
            // Evidence printed after the summary belongs to no step that failed.
            Role::StepEvidence if self.summary.is_none() => {
                if self.step.evidence.len() == STEP_EVIDENCE {
                    self.step.evidence.pop_front();
                }
                let text = caps.and_then(|c| c.get(0)).map(|m| m.as_str()).unwrap_or_default();
                for e in ev {
                    self.step.evidence.push_back(TaggedEvidence {
                        tag: rule.tag.clone().unwrap_or_default(),
                        evidence: e,
                        text: clip_around(text, 0, COMMAND_CHARS),
                    });
                }
            }
            Role::BuildSummary => {
                let command = capture("command").map(|s| clip_around(s, 0, COMMAND_CHARS));
                self.advance(Phase::Build);
                match &mut self.summary {
                    None => self.summary = Some(Summary { rule: ri, command, evidence: ev, step: self.step.clone() }),
                    // A wrapper and the builder's own summary often describe one failure
                    // (`Docker build failed: The command '…'`): keep the first, add what
                    // it lacked.
                    Some(summary) => {
                        if summary.command.is_none() && command.is_some() {
                            summary.command = command;
                            summary.rule = ri;
                        }
                        for e in ev {
                            if !summary.evidence.contains(&e) && summary.evidence.len() < 4 {
                                summary.evidence.push(e);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// Moves to `phase`. Phases only move forward, except back to the build from the
    /// export: a `RUN` step can print a fake `Built image` line, but nothing can print a
    /// build step once the real export has produced output.
    fn advance(&mut self, phase: Phase) {
        let next = match self.phase {
            Some(Phase::Export) if phase == Phase::Build && self.facts.exported_mib.is_none() => Some(Phase::Build),
            Some(current) => Some(current.max(phase)),
            None => Some(phase),
        };
        if next != self.phase {
            if self.transitions.len() == TRANSITIONS {
                self.transitions.pop_front();
            }
            self.transitions.push_back((self.current_line, next));
            self.phase = next;
        }
    }

    /// The phase the output was in at `line`.
    fn phase_at(&self, line: u64) -> Option<Phase> {
        self.transitions.iter().rev().find(|(from, _)| *from <= line).and_then(|(_, phase)| *phase)
    }

    fn fully_examined(&self, line: u64) -> bool {
        line <= self.window_upto || self.full_ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&line))
    }

    fn note_full(&mut self, line: u64) {
        match self.full_ranges.back_mut() {
            Some((_, hi)) if *hi + 1 == line => *hi = line,
            _ => {
                if self.full_ranges.len() == FULL_RANGES {
                    self.full_ranges.pop_front();
                }
                self.full_ranges.push_back((line, line));
            }
        }
    }

    /// Examines the window's lines after `after` and before `before` that streaming
    /// skipped (they hold no streamed anchor), each in the phase it was printed in.
    fn examine_window(&mut self, window: &Window<'_>, after: u64, before: u64, max: usize) {
        let mut bytes = Vec::new();
        let lines = window.lines(after, max, &mut bytes);
        let mut lower = Vec::new();
        for (number, range) in lines {
            if number >= before || self.fully_examined(number) {
                continue;
            }
            let raw = &bytes[range];
            let (from, to) = visible_range(raw);
            let text = &raw[from..to];
            lower.clear();
            lower.extend(text.iter().map(u8::to_ascii_lowercase));
            if self.rules.anchors().find(&lower).is_some() {
                continue;
            }
            let saved = (self.current_line, self.attribution);
            self.current_line = number;
            self.attribution = Attribution::PrintedIn(self.phase_at(number));
            self.examine(number, text, &lower, None);
            (self.current_line, self.attribution) = saved;
        }
        self.window_upto = self.window_upto.max(before.saturating_sub(1));
    }

    /// Before a build summary: the failed step's own output, back to its step marker.
    fn look_back(&mut self, window: Option<&Window<'_>>, summary_line: u64) {
        let Some(window) = window else { return };
        let step_start = self.step.marker.as_ref().map_or(0, |m| m.line);
        let after = self.window_upto.max(step_start);
        self.examine_window(window, after, summary_line, LOOKBACK_LINES);
    }

    fn on_part(&mut self, ri: usize, pi: usize, ev: Evidence) {
        self.parts[ri][pi] = Some(ev);
        let parts = &self.parts[ri];
        if parts.iter().any(Option::is_none) {
            return;
        }
        let lines = parts.iter().flatten().map(|e| e.line);
        let (lo, hi) = (lines.clone().min().unwrap_or(0), lines.max().unwrap_or(0));
        if let Matcher::Parts { within_lines: Some(within), .. } = &self.rules.rules()[ri].matcher {
            let within = *within;
            if hi - lo >= within {
                return;
            }
        }
        let mut ev: Vec<Evidence> = parts.iter().flatten().cloned().collect();
        ev.sort();
        ev.dedup();
        self.on_match(ri, None, "", ev);
    }

    fn continue_pending(&mut self, number: u64, text: &str, lower: &[u8], window: Option<&Window<'_>>) {
        let Some(pending) = &mut self.pending else { return };
        pending.text.push('\n');
        pending.text.push_str(text);
        pending.lines.push(evidence(number, text, 0));
        if memchr::memmem::find(lower, pending.terminator.as_bytes()).is_some() {
            let pending = self.pending.take().expect("pending checked above");
            let rules: &'r StageRules = self.rules;
            let rule = &rules.rules()[pending.rule];
            if let Matcher::Line(pattern) = &rule.matcher {
                if let Some(caps) = pattern.regex.captures(&pending.text) {
                    self.look_back(window, pending.lines.first().map_or(number, |e| e.line));
                    let mut ev = pending.lines;
                    // A long summary is shown by its first and last lines.
                    if ev.len() > 2 {
                        ev.drain(1..ev.len() - 1);
                    }
                    self.on_match(pending.rule, Some(&caps), "", ev);
                }
            }
        } else if pending.lines.len() > SUMMARY_MAX_LINES || pending.text.len() > SUMMARY_MAX_BYTES {
            self.pending = None;
        }
    }
}

impl<'r> Analysis<'r> {
    /// Runs the rules whose anchors `lower` holds on one line. `window` is the output
    /// before the line when it streams by, and `None` when the line itself comes from a
    /// window.
    fn examine(&mut self, number: u64, raw: &[u8], lower: &[u8], window: Option<&Window<'_>>) {
        let mut patterns = std::mem::take(&mut self.scratch);
        self.rules.patterns_in(raw, lower, &mut patterns);
        if patterns.is_empty() && self.pending.is_none() {
            self.scratch = patterns;
            return;
        }
        let text = String::from_utf8_lossy(raw);
        let warning = is_warning(lower);
        let was_pending = self.pending.is_some();
        for &(ri, pi) in &patterns {
            let (ri, pi) = (ri as usize, pi as usize);
            let rules: &'r StageRules = self.rules;
            let rule = &rules.rules()[ri];
            if !rule.applies_to(self.version) || (warning && !matches!(rule.role, Role::Marker | Role::Supporting)) {
                continue;
            }
            if rule.role == Role::Marker && !rule.in_scope(self.phase) {
                continue;
            }
            match &rule.matcher {
                Matcher::Line(pattern) => {
                    // Most patterns capture nothing; finding is cheaper than capturing.
                    let found = if pattern.regex.captures_len() > 1 {
                        pattern.regex.captures(&text).map(|caps| (caps.get(0).map_or(0..0, |m| m.range()), Some(caps)))
                    } else {
                        pattern.regex.find(&text).map(|m| (m.range(), None))
                    };
                    if let Some((range, caps)) = found {
                        if rule.role == Role::BuildSummary {
                            self.look_back(window, number);
                        }
                        let ev = vec![evidence(number, &text, range.start)];
                        self.on_match(ri, caps.as_ref(), &text[range.end..], ev);
                    } else if let Some(terminator) = &rule.continue_until {
                        if self.pending.is_none() && memchr::memmem::find(lower, terminator.as_bytes()).is_none() {
                            self.pending = Some(Pending {
                                rule: ri,
                                terminator: terminator.clone(),
                                lines: vec![evidence(number, &text, 0)],
                                text: text.clone().into_owned(),
                            });
                        }
                    }
                }
                Matcher::Parts { parts, .. } => {
                    if let Some(m) = parts[pi].regex.find(&text) {
                        self.on_part(ri, pi, evidence(number, &text, m.start()));
                    }
                }
                _ => {}
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
        self.pending.is_some()
    }

    fn line(&mut self, line: Line<'_>, window: &Window<'_>) {
        self.current_line = line.number;
        if self.pending.is_some() {
            self.note_full(line.number);
        }
        self.examine(line.number, line.text, line.lower, Some(window));
    }

    fn finish(&mut self, window: &Window<'_>) {
        // The error that stopped the run is at the end: examine the last lines in full.
        let after = self.window_upto;
        self.examine_window(window, after, window.next_line, TAIL_LINES);
    }
}
