//! Finding the lines of a chunk that hold an anchor, with searchers tuned to the output.
//!
//! The same on the thread that reads ahead (which searches chunks before they are handed
//! over, when that side has the time) as on the one that sifts them.

use crate::rules::AnchorSet;

/// The chunk searchers, tuned to this output.
#[derive(Debug, Default)]
pub(crate) struct ChunkSearch {
    /// The first bytes of this output, lowercased: what the chunk searchers are tuned on.
    sample: Vec<u8>,
    /// Each chunk searcher, tuned to this output.
    tuned: Vec<Tuning>,
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

    /// Every line of `lower` that searcher `searcher` finds an anchor in: their starts.
    pub(crate) fn all_lines(&mut self, anchors: &AnchorSet, searcher: usize, ready: bool, lower: &[u8], starts: &mut Vec<u32>) {
        starts.clear();
        let mut pos = 0;
        while let Some(start) = self.next_line(anchors, searcher, ready, lower, pos) {
            starts.push(start as u32);
            pos = memchr::memchr(b'\n', &lower[start..]).map_or(lower.len(), |nl| start + nl + 1);
        }
    }
}

/// A chunk's candidate lines, found ahead by searcher `searcher`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Presifted<'a> {
    pub searcher: usize,
    pub starts: &'a [u32],
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
