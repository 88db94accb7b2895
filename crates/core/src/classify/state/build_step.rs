//! The build step being run, the evidence its output carries, and the builder's failure
//! summary (which may span lines) with the step it ended.

use std::collections::VecDeque;

use crate::classify::state::step_cause::{offer, vertex, Found, Vertices};
use crate::classify::state::Seen;
use crate::classify::terminal_text::clip_around;
use crate::redact::keep_clipped_into;
use crate::screen::{same_words, single_spaced};

/// Evidence lines kept for the current build step.
const STEP_EVIDENCE: usize = 64;
/// A multi-line failure summary is given up after this many lines or bytes.
const SUMMARY_MAX_LINES: usize = 256;
const SUMMARY_MAX_BYTES: usize = 64 * 1024;
/// Failed commands are kept up to this many characters.
pub(crate) const COMMAND_CHARS: usize = 2000;
/// A summary keeps at most this many evidence lines.
const SUMMARY_EVIDENCE: usize = 4;

/// A step-evidence match, tagged by its rule (`network`, `npm-network`, `npm`).
#[derive(Debug, Clone)]
pub(crate) struct TaggedEvidence {
    pub(crate) tag: String,
    pub(crate) evidence: Seen,
    /// The whole matched text, unclipped (for package correlation).
    pub(crate) text: String,
}

/// The build step being run.
#[derive(Debug, Clone, Default)]
pub(crate) struct Step {
    pub(crate) marker: Option<Seen>,
    pub(crate) number: Option<u32>,
    pub(crate) total: Option<u32>,
    pub(crate) instruction: Option<String>,
    pub(crate) evidence: VecDeque<TaggedEvidence>,
    /// The first line of the step's output a cause rule matched, and the rule.
    pub(crate) cause: Option<Found>,
    /// BuildKit's id of the step (`#7 [2/5] RUN …`).
    pub(crate) vertex: Option<u32>,
}

/// A step as people are shown it: `[2/7] RUN make`.
fn shown(number: Option<u32>, total: Option<u32>, instruction: Option<&str>) -> String {
    let number = match (number, total) {
        (Some(n), Some(t)) => format!("[{n}/{t}] "),
        (Some(n), None) => format!("[{n}] "),
        _ => String::new(),
    };
    format!("{number}{}", single_spaced(instruction.unwrap_or("(no instruction)")))
}

/// A step begun, as [`Build::begun`] keeps it: put into words only when a caller asks,
/// since a long build begins tens of thousands of steps nobody asks about.
#[derive(Debug, Clone, Default)]
pub(crate) struct BegunStep {
    /// The line of its marker.
    pub(crate) line: u64,
    number: Option<u32>,
    total: Option<u32>,
    instruction: Option<String>,
}

impl BegunStep {
    /// The step as people are shown it.
    pub(crate) fn shown(&self) -> String {
        shown(self.number, self.total, self.instruction.as_deref())
    }
}

/// Whether a replayed step is the one streamed before (or no step was seen then).
fn same_step(streamed: &Step, replayed: &Step) -> bool {
    match (&streamed.instruction, &replayed.instruction) {
        (Some(a), Some(b)) => streamed.number == replayed.number && same_words(a, b),
        (None, _) => streamed.marker.is_none(),
        (Some(_), None) => false,
    }
}

/// A builder's failure summary and the step it ended.
#[derive(Debug, Clone)]
pub(crate) struct Summary {
    pub(crate) rule: usize,
    pub(crate) command: Option<String>,
    /// The failed step's exit code, when the summary gives it.
    pub(crate) code: Option<i32>,
    pub(crate) evidence: Vec<Seen>,
    pub(crate) step: Step,
}

/// A summary whose first line has been seen, waiting for the line that ends it.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) rule: usize,
    pub(crate) terminator: String,
    pub(crate) lines: Vec<Seen>,
    pub(crate) text: String,
}

impl Pending {
    /// Adds a line; whether it ends the summary, or `None` when the summary grew too
    /// long to be one.
    pub(crate) fn push(&mut self, evidence: Seen, text: &str, lower: &[u8]) -> Option<bool> {
        self.text.push('\n');
        self.text.push_str(text);
        self.lines.push(evidence);
        if memchr::memmem::find(lower, self.terminator.as_bytes()).is_some() {
            Some(true)
        } else if self.lines.len() > SUMMARY_MAX_LINES || self.text.len() > SUMMARY_MAX_BYTES {
            None
        } else {
            Some(false)
        }
    }

    /// The summary's evidence: a long one is shown by its first and last lines.
    pub(crate) fn into_evidence(self) -> Vec<Seen> {
        let mut lines = self.lines;
        if lines.len() > 2 {
            lines.drain(1..lines.len() - 1);
        }
        lines
    }
}

/// The build as the output shows it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Build {
    pub(crate) step: Step,
    pub(crate) summary: Option<Summary>,
    pub(crate) pending: Option<Pending>,
    /// The builder is replaying the failed step's output after its summary: evidence
    /// goes to the summary's step.
    replaying: bool,
    /// The last steps begun (marker line, as shown), for a caller following the build
    /// live: several can begin in one piece of output.
    pub(crate) begun: VecDeque<BegunStep>,
    /// BuildKit's frame of the failed instruction in its Dockerfile.
    pub(crate) frame: super::dockerfile_frame::FrameReader,
    /// The first cause printed before any step header.
    unplaced_cause: Option<Found>,
    /// The first cause on the summary's own line.
    summary_cause: Option<Found>,
    /// BuildKit's steps by id.
    vertices: Vertices,
}

/// Steps remembered in [`Build::begun`].
const BEGUN_KEPT: usize = 64;

impl Build {
    /// A step marker: a new step begins. A replayed step after a summary is the step
    /// that failed (BuildKit reports `#8 ERROR`, then replays `> [4/6] RUN …:`).
    pub(crate) fn start_step(&mut self, marker: Option<Seen>, number: Option<u32>, total: Option<u32>, instruction: &str, replay: bool) {
        // The last step's buffers are reused: a long build begins tens of thousands.
        let Step { instruction: kept, mut evidence, .. } = std::mem::take(&mut self.step);
        let instruction = Some(instruction.trim().trim_end_matches(':')).filter(|s| !s.is_empty()).map(|s| {
            let mut kept = kept.unwrap_or_default();
            keep_clipped_into(s, COMMAND_CHARS, &mut kept);
            kept
        });
        evidence.clear();
        let vertex = marker.as_ref().and_then(|m| vertex(&m.text));
        if let Some(id) = vertex.filter(|_| !replay) {
            self.vertices.header(id, instruction.as_deref());
        }
        self.step = Step { marker, number, total, instruction, evidence, cause: None, vertex };
        self.replaying = replay && self.summary.is_some();
        if let (false, Some(marker)) = (self.replaying, &self.step.marker) {
            // The oldest entry's buffer is reused: no allocation per step once full.
            let mut begun = if self.begun.len() == BEGUN_KEPT { self.begun.pop_front().unwrap_or_default() } else { BegunStep::default() };
            (begun.line, begun.number, begun.total) = (marker.line, self.step.number, self.step.total);
            begun.instruction.clone_from(&self.step.instruction);
            self.begun.push_back(begun);
        }
        if let (true, Some(summary)) = (self.replaying, &mut self.summary) {
            // The replay is often cut short of the line the step streamed before its
            // summary: a cause seen then, in this step or before any step, still holds.
            let streamed = summary.step.cause.take().filter(|_| same_step(&summary.step, &self.step));
            summary.step = self.step.clone();
            summary.step.cause = streamed;
            if summary.command.is_none() {
                summary.command.clone_from(&self.step.instruction);
            }
        }
    }

    /// The step output goes to: the current one, or the failed one its builder replays.
    /// Output printed after the summary belongs to no step that failed.
    fn receiving(&mut self) -> Option<&mut Step> {
        match &mut self.summary {
            None => Some(&mut self.step),
            Some(summary) if self.replaying => Some(&mut summary.step),
            Some(_) => None,
        }
    }

    /// A line that can say why the step failed: the step keeps the first (a tool's
    /// first error; what follows it is its consequence).
    pub(crate) fn add_cause(&mut self, found: &Found) {
        // A summary can be its own cause (BuildKit's `failed to solve: … "/app.py": not
        // found` for a COPY), the last resort.
        if self.summary.as_ref().is_some_and(|s| s.evidence.iter().any(|e| e.line == found.seen.line)) {
            offer(&mut self.summary_cause, found);
            return;
        }
        // BuildKit interleaves its steps' output: a line with another step's id is
        // that step's.
        let id = vertex(&found.seen.text);
        if let Some(id) = id {
            self.vertices.cause(id, found);
        }
        let Some(step) = self.receiving() else { return };
        if id.is_some() && step.vertex.is_some() && id != step.vertex {
            return;
        }
        let unplaced = step.marker.is_none();
        offer(&mut step.cause, found);
        if unplaced {
            offer(&mut self.unplaced_cause, found);
        }
    }

    /// Why the failed step failed: the cause in its own output (or in its BuildKit
    /// id's); else, in a log cut before its step's header, the first cause before any
    /// header (that output is the failed build's); else the summary's own words.
    pub(crate) fn cause_of(&self, failed: &Step) -> Option<(Seen, usize)> {
        let found = failed.cause.as_ref().or_else(|| self.vertices.cause_of(failed.vertex, failed.instruction.as_deref()));
        found.or(self.unplaced_cause.as_ref()).or(self.summary_cause.as_ref()).map(|f| (f.seen.clone(), f.rule))
    }

    /// Evidence inside the current step.
    pub(crate) fn add_evidence(&mut self, tag: &str, evidence: Vec<Seen>, text: &str) {
        let Some(step) = self.receiving() else { return };
        if step.evidence.len() == STEP_EVIDENCE {
            step.evidence.pop_front();
        }
        for evidence in evidence {
            step.evidence.push_back(TaggedEvidence { tag: tag.to_owned(), evidence, text: clip_around(text, 0, COMMAND_CHARS) });
        }
    }

    /// A builder's failure summary. A wrapper and the builder's own summary often
    /// describe one failure (`Docker build failed: The command '…'`): the first is kept,
    /// with what it lacked added.
    pub(crate) fn summarise(&mut self, rule: usize, command: Option<String>, code: Option<i32>, evidence: Vec<Seen>) {
        // A summary on its step's own header line (BuildKit's `ERROR [2/8] RUN …:`) is
        // followed by that step's output.
        let line = evidence.first().map(|e| e.line);
        if line.is_some() && self.step.marker.as_ref().map(|m| m.line) == line {
            self.replaying = true;
        }
        match &mut self.summary {
            None => self.summary = Some(Summary { rule, command, code, evidence, step: self.step.clone() }),
            Some(summary) => {
                if summary.command.is_none() && command.is_some() {
                    summary.command = command;
                    summary.rule = rule;
                }
                summary.code = summary.code.or(code);
                for e in evidence {
                    if !summary.evidence.contains(&e) && summary.evidence.len() < SUMMARY_EVIDENCE {
                        summary.evidence.push(e);
                    }
                }
            }
        }
    }
}
