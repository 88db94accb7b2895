//! Finding the rare lines worth a closer look.
//!
//! Running every rule's regex on every line is an order of magnitude too slow for
//! multi-GiB build logs (`performance.md`). Every line rule names lowercase literals that
//! any line it matches must contain; the scanner lowercases each chunk once and searches
//! it for all anchors at once with a SIMD packed searcher (Teddy), so the regexes run
//! only on the few lines that hold an anchor.

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};

/// The anchors of one stage's rules, and which anchors each line holds.
#[derive(Debug, Clone)]
pub struct AnchorSet {
    anchors: Vec<String>,
    fast: Fast,
    /// Finds every anchor in one line, overlapping ones included (the chunk search only
    /// needs the first one per line).
    all_in_line: AhoCorasick,
}

#[derive(Debug, Clone)]
enum Fast {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl AnchorSet {
    /// Builds the set; `anchors` must be lowercase.
    #[must_use]
    pub fn new(anchors: Vec<String>) -> AnchorSet {
        let packed = packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder().extend(&anchors).build();
        let fast = match packed {
            Some(searcher) => Fast::Packed(searcher),
            // More anchors than Teddy takes, or no SIMD: a DFA is slower but still linear.
            None => Fast::Automaton(
                AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostFirst).build(&anchors).expect("anchors are plain literals"),
            ),
        };
        let all_in_line = AhoCorasick::builder().build(&anchors).expect("anchors are plain literals");
        AnchorSet { anchors, fast, all_in_line }
    }

    #[must_use]
    pub fn anchors(&self) -> &[String] {
        &self.anchors
    }

    /// The offset of the first anchor in `lower`, a lowercased haystack.
    #[inline]
    #[must_use]
    pub fn find(&self, lower: &[u8]) -> Option<usize> {
        if self.anchors.is_empty() {
            return None;
        }
        match &self.fast {
            Fast::Packed(searcher) => searcher.find(lower).map(|m| m.start()),
            Fast::Automaton(ac) => ac.find(lower).map(|m| m.start()),
        }
    }

    /// Calls `found` with the index of every anchor that occurs in `lower`.
    pub fn each_in_line(&self, lower: &[u8], mut found: impl FnMut(usize)) {
        for m in self.all_in_line.find_overlapping_iter(lower) {
            found(m.pattern().as_usize());
        }
    }
}
