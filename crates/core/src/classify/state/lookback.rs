//! Which lines were already examined in full, so that a window looked back over (before
//! a build summary, at the end) examines each line once.

use std::collections::VecDeque;

/// Ranges of lines examined in full while collecting a summary.
const FULL_RANGES: usize = 64;

/// The look-back bookkeeping.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lookback {
    /// Lines up to this one were examined in a window.
    pub(crate) window_upto: u64,
    /// Inclusive ranges of lines streamed in full (a summary was pending).
    full_ranges: VecDeque<(u64, u64)>,
}

impl Lookback {
    /// Whether `line` was examined already.
    pub(crate) fn fully_examined(&self, line: u64) -> bool {
        line <= self.window_upto || self.full_ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&line))
    }

    /// Notes that `line` streamed by and was examined in full.
    pub(crate) fn note_full(&mut self, line: u64) {
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

    /// Notes that every line before `before` has been examined in a window.
    pub(crate) fn examined_until(&mut self, before: u64) {
        self.window_upto = self.window_upto.max(before.saturating_sub(1));
    }
}
