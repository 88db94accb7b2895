//! Finding the lines of a chunk that hold an anchor, with searchers tuned to the output.
//!
//! The same on the thread that reads ahead (which searches chunks before they are handed
//! over, when that side has the time) as on the one that sifts them.

use std::ops::Range;

use crate::classify::scanner::Cleaned;
use crate::classify::terminal_text::readable_range;
use crate::rules::{AnchorSet, PatternRef, StageRules};

/// The chunk searchers, tuned to this output.
#[derive(Debug, Default)]
pub(crate) struct ChunkSearch {
    /// The first bytes of this output, lowercased: what the chunk searchers are tuned on.
    sample: Vec<u8>,
    /// Each chunk searcher, tuned to this output.
    tuned: Vec<Tuning>,
    /// Two lines' patterns, before they join the chunk's.
    scratch: [Vec<PatternRef>; 2],
}

impl ChunkSearch {
    /// Takes the sample from a chunk's lowercased text; whether the searchers can be
    /// tuned now.
    pub(crate) fn see(&mut self, lower: &[u8], anchors: &AnchorSet, to_end: bool) -> bool {
        if self.sample.len() < TUNE_SAMPLE {
            let room = TUNE_SAMPLE - self.sample.len();
            self.sample.extend_from_slice(&lower[..room.min(lower.len())]);
        }
        if self.tuned.len() != anchors.searcher_count() {
            self.tuned = vec![Tuning::NotYet; anchors.searcher_count()];
        }
        self.sample.len() >= TUNE_SAMPLE || to_end
    }

    /// The start of the first line at or after `pos` that searcher `searcher` finds an
    /// anchor in (`ready`: the sample is complete enough to tune on).
    pub(crate) fn next_line(&mut self, anchors: &AnchorSet, searcher: usize, ready: bool, lower: &[u8], pos: usize) -> Option<usize> {
        if ready && matches!(self.tuned[searcher], Tuning::NotYet) {
            self.tuned[searcher] = anchors.tuned(searcher, &self.sample).map_or(Tuning::Default, Tuning::Own);
        }
        let found = match &self.tuned[searcher] {
            Tuning::Own(tuned) => tuned.find(&lower[pos..]).map(|m| m.start()),
            Tuning::NotYet | Tuning::Default => anchors.find(searcher, &lower[pos..]).map(|m| m.start),
        }?;
        Some(memchr::memrchr(b'\n', &lower[pos..pos + found]).map_or(pos, |nl| pos + nl + 1))
    }

    /// Every line of `chunk` that searcher `searcher` finds an anchor in, into `found`:
    /// where each is, the part the rules read, and the chunk's newlines before it.
    pub(crate) fn all_lines(&mut self, anchors: &AnchorSet, searcher: usize, ready: bool, chunk: Cleaned<'_>, found: &mut Found) {
        found.clear(searcher);
        let (raw, lower) = (chunk.raw, chunk.lower);
        let (mut pos, mut newlines) = (0, 0);
        while let Some(start) = self.next_line(anchors, searcher, ready, lower, pos) {
            newlines += bytecount::count(&lower[pos..start], b'\n') as u32;
            let end = memchr::memchr(b'\n', &lower[start..]).map_or(lower.len(), |nl| start + nl);
            let (from, to) = readable_range(&raw[start..end]);
            let text = (start + from) as u32..(start + to) as u32;
            found.lines.push(FoundLine { start: start as u32, end: end as u32, newlines, text, patterns: 0..0 });
            pos = (end + 1).min(lower.len());
            newlines += u32::from(end < lower.len());
        }
        found.newlines = Some(newlines + bytecount::count(&lower[pos..], b'\n') as u32);
    }

    /// Finds the patterns of the first `count` lines found in `chunk` (or of all of them).
    pub(crate) fn match_lines(&mut self, rules: &StageRules, chunk: Cleaned<'_>, found: &mut Found, count: usize) {
        let count = count.min(found.lines.len());
        let text = |line: &FoundLine| {
            let range = line.text.start as usize..line.text.end as usize;
            (&chunk.raw[range.clone()], &chunk.lower[range])
        };
        // Two lines at a time: the automaton walks them side by side.
        for pair in found.lines[..count].chunks_mut(2) {
            let [one, two] = &mut self.scratch;
            match pair {
                [first, second] => rules.patterns_in_two(text(first), text(second), [one, two]),
                [line] => rules.patterns_in(text(line).0, text(line).1, one),
                _ => {}
            }
            for (line, patterns) in pair.iter_mut().zip([&*one, &*two]) {
                let first = found.patterns.len() as u32;
                found.patterns.extend_from_slice(patterns);
                line.patterns = first..found.patterns.len() as u32;
            }
        }
        found.matched = count;
    }
}

/// The lines of a chunk found ahead of the rules.
#[derive(Debug, Default)]
pub(crate) struct Found {
    /// Each line holding an anchor, in order.
    pub lines: Vec<FoundLine>,
    /// The patterns of the lines matched, one after another.
    pub patterns: Vec<PatternRef>,
    /// The searcher that found them (none searched: `usize::MAX`).
    pub searcher: usize,
    /// How many lines, from the first, have their patterns found.
    pub matched: usize,
    /// The chunk's newlines, when it was searched.
    pub newlines: Option<u32>,
}

impl Found {
    /// Nothing found yet, by `searcher`.
    pub(crate) fn clear(&mut self, searcher: usize) {
        self.lines.clear();
        self.patterns.clear();
        (self.searcher, self.matched, self.newlines) = (searcher, 0, None);
    }

    /// The patterns of line `index`, when they were found.
    pub(crate) fn patterns_of(&self, index: usize) -> Option<&[PatternRef]> {
        let line = self.lines.get(index).filter(|_| index < self.matched)?;
        Some(&self.patterns[line.patterns.start as usize..line.patterns.end as usize])
    }
}

/// A line found ahead.
#[derive(Debug, Clone)]
pub(crate) struct FoundLine {
    /// Its first byte in the chunk, and its newline (or the chunk's end).
    pub start: u32,
    pub end: u32,
    /// The chunk's newlines before it.
    pub newlines: u32,
    /// The part of it the rules read ([`readable_range`]).
    pub text: Range<u32>,
    /// Its patterns in [`Found::patterns`].
    pub patterns: Range<u32>,
}

/// A chunk searcher's tuning to the output at hand.
#[derive(Debug, Clone)]
enum Tuning {
    /// Not enough output seen yet to tune on.
    NotYet,
    /// Tuned: the catalogue's own searcher is the best there is.
    Default,
    /// Tuned: a searcher on the rarest tails of the anchors in this output.
    Own(aho_corasick::packed::Searcher),
}

/// Bytes of output the chunk search is tuned on (a live stream tunes on what it has).
pub(crate) const TUNE_SAMPLE: usize = 16 * 1024;
