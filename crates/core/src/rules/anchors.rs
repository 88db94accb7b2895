//! Finding the rare lines worth a closer look.
//!
//! Running every rule's regex on every line is an order of magnitude too slow for
//! multi-GiB build logs (`performance.md`). Every line rule names lowercase literals that
//! any line it matches must contain; the scanner lowercases each chunk once and searches
//! it for all anchors at once with a SIMD packed searcher (Teddy), so the regexes run
//! only on the few lines that hold an anchor.

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::rules::line_automaton::LineAutomaton;
#[cfg(test)]
use crate::rules::rare_tails::TAIL_MIN;
use crate::rules::rare_tails::{rarest_tail, Trigrams};
use crate::rules::scan_literals::{merge_by_substring, minimal, scan_literals, SCAN_TARGET, SLIM_MAX};

/// How many marker scopes there are: output before any marker, then each phase.
pub(crate) const SCOPES: usize = 8;

/// The index of a marker scope: 0 before any marker, then one a phase.
#[must_use]
pub(crate) fn scope_index(phase: Option<crate::model::Phase>) -> usize {
    phase.map_or(0, |p| 1 + p as usize)
}

/// The anchors of one stage's rules, and which anchors each line holds.
#[derive(Debug, Clone)]
pub(crate) struct AnchorSet {
    anchors: Vec<String>,
    /// Chunk searchers, one for each distinct set of streamed anchors.
    searchers: Vec<Searcher>,
    /// Which searcher each marker scope uses.
    by_scope: [usize; SCOPES],
    /// Finds every anchor in one line, overlapping ones included (the chunk search only
    /// needs the first one per line).
    all_in_line: LineAutomaton,
}

/// One chunk searcher: the literals it looks for, and how.
#[derive(Debug, Clone)]
struct Searcher {
    /// The streamed anchors, none holding another.
    streamed: Vec<String>,
    scan: Vec<String>,
    fast: Fast,
}

impl Searcher {
    fn new(streamed: &[String]) -> Searcher {
        let streamed = minimal(streamed.to_vec());
        let scan = scan_literals(streamed.clone());
        let packed = packed_config(scan.len()).builder().extend(&scan).build();
        let fast = match packed {
            Some(searcher) => Fast::Packed(searcher),
            // More anchors than Teddy takes, or no SIMD: a DFA is slower but still linear.
            None => Fast::Automaton(
                AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostFirst).build(&scan).expect("anchors are plain literals"),
            ),
        };
        Searcher { streamed, scan, fast }
    }
}

/// Over [`FAT_FROM`] literals, the fat variant of Teddy: half the bytes a step, but
/// twice the buckets, so far fewer candidates to check in ordinary build output.
const FAT_FROM: usize = 17;

fn packed_config(literals: usize) -> packed::Config {
    let mut config = packed::Config::new();
    config.match_kind(packed::MatchKind::LeftmostFirst).only_teddy_fat(Some(literals >= FAT_FROM));
    config
}

#[derive(Debug, Clone)]
enum Fast {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl AnchorSet {
    /// Builds the set, streaming every anchor in every scope; `anchors` must be lowercase.
    #[cfg(test)]
    pub(crate) fn new(anchors: Vec<String>) -> AnchorSet {
        let streamed = anchors.clone();
        AnchorSet::with_streamed(anchors, &streamed)
    }

    /// Builds the set with the chunk search limited to `streamed` (a subset of
    /// `anchors`) in every scope.
    #[must_use]
    pub(crate) fn with_streamed(anchors: Vec<String>, streamed: &[String]) -> AnchorSet {
        AnchorSet::with_scopes(anchors, &std::array::from_fn(|_| streamed.to_vec()))
    }

    /// Builds the set with the chunk search in each marker scope limited to that scope's
    /// `streamed` anchors; lines holding only other anchors are examined later, in the
    /// windows the classifier looks back over.
    #[must_use]
    pub(crate) fn with_scopes(anchors: Vec<String>, streamed: &[Vec<String>; SCOPES]) -> AnchorSet {
        let mut lists: Vec<&Vec<String>> = Vec::new();
        let by_scope = std::array::from_fn(|scope| {
            let list = &streamed[scope];
            lists.iter().position(|l| *l == list).unwrap_or_else(|| {
                lists.push(list);
                lists.len() - 1
            })
        });
        let searchers = lists.into_iter().map(|l| Searcher::new(l)).collect();
        let all_in_line = LineAutomaton::new(&anchors);
        AnchorSet { anchors, searchers, by_scope, all_in_line }
    }

    #[must_use]
    pub(crate) fn anchors(&self) -> &[String] {
        &self.anchors
    }

    /// How many chunk searchers there are (scopes share identical ones).
    #[must_use]
    pub(crate) fn searcher_count(&self) -> usize {
        self.searchers.len()
    }

    /// The chunk searcher scope `scope` uses.
    #[must_use]
    pub(crate) fn searcher_of(&self, scope: usize) -> usize {
        self.by_scope[scope.min(SCOPES - 1)]
    }

    /// Whether the chunk search runs on the packed (SIMD) searcher.
    #[cfg(test)]
    pub(crate) fn is_packed(&self) -> bool {
        self.searchers.iter().all(|s| matches!(s.fast, Fast::Packed(_)))
    }

    /// The offset of the first anchor searcher `searcher` streams in `lower`, a lowercased
    /// haystack.
    #[inline]
    #[must_use]
    pub(crate) fn find(&self, searcher: usize, lower: &[u8]) -> Option<std::ops::Range<usize>> {
        let searcher = &self.searchers[searcher];
        if searcher.scan.is_empty() {
            return None;
        }
        match &searcher.fast {
            Fast::Packed(packed) => packed.find(lower).map(|m| m.start()..m.end()),
            Fast::Automaton(ac) => ac.find(lower).map(|m| m.range()),
        }
    }

    /// Searcher `searcher` tuned to one output, from a lowercased `sample` of it: each
    /// literal is searched through its longest tail whose first bytes are rarest in the
    /// sample (`mand '` for `the command '`). The SIMD searcher stops to check a candidate
    /// wherever a literal's first bytes occur, so common words there (`the`, `for`,
    /// `com`) would make it crawl through ordinary build output. A line holding an anchor
    /// holds every part of it, so no line is missed.
    #[must_use]
    pub(crate) fn tuned(&self, searcher: usize, sample: &[u8]) -> Option<packed::Searcher> {
        let searcher = &self.searchers[searcher];
        if !matches!(searcher.fast, Fast::Packed(_)) || searcher.scan.is_empty() {
            return None;
        }
        // Merged only through words this output does not use, the anchors themselves
        // when they are few enough; else the catalogue's own merged literals.
        let counts = Trigrams::count(&searcher.streamed, sample);
        let tails = minimal(searcher.streamed.iter().map(|literal| rarest_tail(literal, &counts).to_owned()).collect());
        let unused = |word: &str| memchr::memmem::find(sample, word.as_bytes()).is_none();
        let mut tails = merge_by_substring(tails, SCAN_TARGET, unused);
        if tails.len() > SLIM_MAX {
            let counts = Trigrams::count(&searcher.scan, sample);
            tails = minimal(searcher.scan.iter().map(|literal| rarest_tail(literal, &counts).to_owned()).collect());
        }
        packed_config(tails.len()).builder().extend(&tails).build()
    }

    /// Calls `found` with the index of every anchor that occurs in `lower`.
    pub(crate) fn each_in_line(&self, lower: &[u8], found: impl FnMut(usize)) {
        self.all_in_line.each_in(lower, found);
    }

    /// [`AnchorSet::each_in_line`] for two lines at once (`found(0, …)` for the first's,
    /// `found(1, …)` for the second's): about as fast as for one.
    pub(crate) fn each_in_two_lines(&self, first: &[u8], second: &[u8], found: impl FnMut(usize, usize)) {
        self.all_in_line.each_in_two(first, second, found);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_searched_through_their_rarest_tails() {
        let sample = b"the build for the component completed; the test ran".repeat(100);
        let counts = Trigrams::count(&["the command '".to_owned(), "step ".to_owned()], &sample);
        let tail = rarest_tail("the command '", &counts);
        assert!("the command '".ends_with(tail) && tail.len() >= TAIL_MIN, "{tail}");
        assert_eq!(counts.of(tail.as_bytes()), 0, "{tail}");
        assert!(counts.of(b"the") > 0 && counts.of(b"com") > 0);
        assert_eq!(rarest_tail("ab", &counts), "ab");
        let set = AnchorSet::new(vec!["the command '".to_owned(), "forwarding port".to_owned()]);
        let tuned = set.tuned(0, &sample).expect("a packed searcher");
        let line = b"x the command '/bin/sh -c make' returned";
        assert!(tuned.find(line).is_some_and(|m| m.start() > 0 && m.start() < line.len()));
        assert!(tuned.find(b"the build for the component").is_none());
    }

    #[test]
    fn too_many_anchors_are_merged_by_prefix_and_stay_packed() {
        let anchors: Vec<String> = (0..150).map(|i| format!("failure number {i:03} happened")).collect();
        let set = AnchorSet::new(anchors.clone());
        assert!(set.is_packed());
        for anchor in &anchors {
            let line = format!("x {anchor} y");
            assert!(set.find(0, line.as_bytes()).is_some(), "{anchor}");
            let mut seen = Vec::new();
            set.each_in_line(line.as_bytes(), |i| seen.push(i));
            assert_eq!(seen.len(), 1);
        }
    }
}
