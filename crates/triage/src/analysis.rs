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
use crate::redact::redact;
use crate::rule::{Engine, Matcher, Role};
use crate::scanner::{Line, LineSink};
use crate::stage_rules::{PatternRef, StageRules};
use crate::text::clip_around;

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

/// A rule match: where, what, and in which phase.
#[derive(Debug, Clone)]
pub struct Hit {
    pub evidence: Vec<Evidence>,
    pub phase: Option<Phase>,
}

#[derive(Debug, Clone, Default)]
pub struct RuleHits {
    pub count: u64,
    pub recent: VecDeque<Hit>,
}

impl RuleHits {
    fn push(&mut self, hit: Hit) {
        self.count += 1;
        if self.recent.len() == RECENT_HITS {
            self.recent.pop_front();
        }
        self.recent.push_back(hit);
    }

    #[must_use]
    pub fn last(&self) -> Option<&Hit> {
        self.recent.back()
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

fn evidence(number: u64, text: &str, focus: usize) -> Evidence {
    Evidence { line: number, text: redact(&clip_around(text, focus, EVIDENCE_CHARS)).into_owned() }
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
        }
    }

    fn on_match(&mut self, ri: usize, caps: Option<&Captures<'_>>, ev: Vec<Evidence>) {
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
                instruction: capture("instruction").map(|s| redact(&clip_around(s, 0, COMMAND_CHARS)).into_owned()),
                evidence: VecDeque::new(),
            };
        }
        match rule.role {
            Role::Marker => {
                if rule.effects.sets_phase.is_some() || rule.effects.starts_step {
                    self.last_marker = ev.first().cloned();
                }
            }
            Role::Failure | Role::Supporting => self.hits[ri].push(Hit { evidence: ev, phase: self.phase }),
            Role::StepEvidence => {
                if self.summary.is_none() {
                    if self.step.evidence.len() == STEP_EVIDENCE {
                        self.step.evidence.pop_front();
                    }
                    let text = caps.and_then(|c| c.get(0)).map(|m| m.as_str()).unwrap_or_default();
                    for e in ev {
                        self.step.evidence.push_back(TaggedEvidence {
                            tag: rule.tag.clone().unwrap_or_default(),
                            evidence: e,
                            text: redact(&clip_around(text, 0, COMMAND_CHARS)).into_owned(),
                        });
                    }
                }
            }
            Role::BuildSummary => {
                let command = capture("command").map(|s| redact(&clip_around(s, 0, COMMAND_CHARS)).into_owned());
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
        self.phase = match self.phase {
            Some(Phase::Export) if phase == Phase::Build && self.facts.exported_mib.is_none() => Some(Phase::Build),
            Some(current) => Some(current.max(phase)),
            None => Some(phase),
        };
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
        self.on_match(ri, None, ev);
    }

    fn continue_pending(&mut self, number: u64, text: &str, lower: &[u8]) {
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
                    let mut ev = pending.lines;
                    // A long summary is shown by its first and last lines.
                    if ev.len() > 2 {
                        ev.drain(1..ev.len() - 1);
                    }
                    self.on_match(pending.rule, Some(&caps), ev);
                }
            }
        } else if pending.lines.len() > SUMMARY_MAX_LINES || pending.text.len() > SUMMARY_MAX_BYTES {
            self.pending = None;
        }
    }
}

impl<'r> LineSink for Analysis<'r> {
    fn wants_every_line(&self) -> bool {
        self.pending.is_some()
    }

    fn line(&mut self, line: Line<'_>) {
        let mut patterns = std::mem::take(&mut self.scratch);
        self.rules.patterns_in(line.lower, &mut patterns);
        if patterns.is_empty() && self.pending.is_none() {
            self.scratch = patterns;
            return;
        }
        let text = String::from_utf8_lossy(line.text);
        let warning = is_warning(line.lower);
        let was_pending = self.pending.is_some();
        for &(ri, pi) in &patterns {
            let (ri, pi) = (ri as usize, pi as usize);
            let rules: &'r StageRules = self.rules;
            let rule = &rules.rules()[ri];
            if !rule.applies_to(self.version) || (warning && !matches!(rule.role, Role::Marker | Role::Supporting)) {
                continue;
            }
            match &rule.matcher {
                Matcher::Line(pattern) => {
                    if let Some(caps) = pattern.regex.captures(&text) {
                        let focus = caps.get(0).map_or(0, |m| m.start());
                        let ev = vec![evidence(line.number, &text, focus)];
                        self.on_match(ri, Some(&caps), ev);
                    } else if let Some(terminator) = &rule.continue_until {
                        if self.pending.is_none() && memchr::memmem::find(line.lower, terminator.as_bytes()).is_none() {
                            self.pending = Some(Pending {
                                rule: ri,
                                terminator: terminator.clone(),
                                lines: vec![evidence(line.number, &text, 0)],
                                text: text.clone().into_owned(),
                            });
                        }
                    }
                }
                Matcher::Parts { parts, .. } => {
                    if let Some(m) = parts[pi].regex.find(&text) {
                        self.on_part(ri, pi, evidence(line.number, &text, m.start()));
                    }
                }
                _ => {}
            }
        }
        if was_pending {
            self.continue_pending(line.number, &text, line.lower);
        }
        self.scratch = patterns;
    }
}
