//! Matches of the rules that decide or support a kind: a few of the newest per rule,
//! each with the phase it counts in, and the parts of multi-part rules seen so far.

use std::collections::VecDeque;

use crate::classify::state::Seen;
use crate::model::Phase;

/// Recent matches kept per rule.
const RECENT_HITS: usize = 3;

/// A rule match: where, what, and in which phase.
#[derive(Debug, Clone)]
pub(crate) struct Hit {
    pub(crate) evidence: Vec<Seen>,
    pub(crate) phase: Option<Phase>,
    pub(crate) line: u64,
}

/// One rule's matches.
#[derive(Debug, Clone, Default)]
pub(crate) struct RuleHits {
    /// Matches of any role, ever: what the self-check reads.
    pub(crate) count: u64,
    recent: VecDeque<Hit>,
}

impl RuleHits {
    /// Keeps the newest matches by line: matches found looking back arrive late.
    pub(crate) fn push(&mut self, hit: Hit) {
        self.recent.push_back(hit);
        if self.recent.len() > RECENT_HITS {
            if let Some(oldest) = self.recent.iter().enumerate().min_by_key(|(_, h)| h.line).map(|(i, _)| i) {
                self.recent.remove(oldest);
            }
        }
    }

    /// Matches after `since` count in the build: the lines that seemed to be in later
    /// phases were the build's own output.
    pub(crate) fn move_to_build(&mut self, since: u64) {
        for hit in self.recent.iter_mut().filter(|h| h.line > since) {
            hit.phase = Some(Phase::Build);
        }
    }

    /// The match on the latest line.
    pub(crate) fn last(&self) -> Option<&Hit> {
        self.last_where(|_| true)
    }

    /// The match on the latest line of those `keep` accepts.
    pub(crate) fn last_where(&self, keep: impl Fn(&Hit) -> bool) -> Option<&Hit> {
        self.recent.iter().filter(|h| keep(h)).max_by_key(|h| h.line)
    }
}

/// The newest line each part of a multi-part rule was seen on.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    seen: Vec<Option<Seen>>,
}

impl Parts {
    pub(crate) fn new(count: usize) -> Parts {
        Parts { seen: vec![None; count] }
    }

    /// Records part `index`; when every part has been seen within `within` lines, the
    /// evidence of all of them, in line order.
    pub(crate) fn see(&mut self, index: usize, evidence: Seen, within: Option<u64>) -> Option<Vec<Seen>> {
        self.seen[index] = Some(evidence);
        if self.seen.iter().any(Option::is_none) {
            return None;
        }
        let lines = self.seen.iter().flatten().map(|e| e.line);
        let (lo, hi) = (lines.clone().min().unwrap_or(0), lines.max().unwrap_or(0));
        if within.is_some_and(|within| hi - lo >= within) {
            return None;
        }
        let mut all: Vec<Seen> = self.seen.iter().flatten().cloned().collect();
        all.sort();
        all.dedup();
        Some(all)
    }
}
