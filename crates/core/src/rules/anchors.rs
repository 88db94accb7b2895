//! Finding the rare lines worth a closer look.
//!
//! Running every rule's regex on every line is an order of magnitude too slow for
//! multi-GiB build logs (`performance.md`). Every line rule names lowercase literals that
//! any line it matches must contain; the scanner lowercases each chunk once and searches
//! it for all anchors at once with a SIMD packed searcher (Teddy), so the regexes run
//! only on the few lines that hold an anchor.

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, MatchKind};

/// The packed searcher takes at most this many literals.
const PACKED_MAX: usize = 64;
/// Up to this many literals the packed searcher runs its fastest variant (slim Teddy,
/// 32 bytes a step); above it, the fat variant halves the speed.
pub(super) const SLIM_MAX: usize = 32;

/// Up to this many literals, the merging below is done pair by pair (it is quadratic,
/// and exact); above it, by one prefix length for all, which is near-linear.
const PAIRWISE_MAX: usize = 256;

/// The literals the chunk search needs. An anchor that contains another anchor is found
/// through the shorter one, so only the shortest survive. When more remain than the
/// packed searcher takes (user rules add anchors), literals are replaced by their
/// prefixes (at least 5 bytes): a few more candidate lines, each still checked against
/// the real anchors, instead of a search several times slower.
#[must_use]
pub(super) fn scan_literals(anchors: &[String]) -> Vec<String> {
    let scan = minimal(anchors.to_vec());
    if scan.len() <= PACKED_MAX {
        scan
    } else if scan.len() <= PAIRWISE_MAX {
        merge_pairwise(scan)
    } else {
        merge_by_prefix(&scan)
    }
}

/// Repeatedly replaces the two literals sharing the longest prefix by that prefix.
fn merge_pairwise(mut scan: Vec<String>) -> Vec<String> {
    while scan.len() > PACKED_MAX {
        let best = scan.windows(2).enumerate().map(|(i, pair)| (common_prefix(&pair[0], &pair[1]), i)).max_by_key(|&(len, _)| len);
        match best {
            Some((len, i)) if len >= 5 => {
                let prefix = scan[i][..len].to_owned();
                scan.push(prefix);
                scan = minimal(scan);
            }
            _ => break,
        }
    }
    scan
}

/// Every literal cut to one length, the longest that leaves few enough (found by
/// bisection; never under 5 bytes).
fn merge_by_prefix(scan: &[String]) -> Vec<String> {
    let cut = |len: usize| minimal(scan.iter().map(|s| prefix(s, len).to_owned()).collect());
    let (mut lo, mut hi) = (5, scan.iter().map(String::len).max().unwrap_or(5).max(5));
    let mut best = cut(lo);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let merged = cut(mid);
        if merged.len() <= PACKED_MAX {
            (lo, best) = (mid, merged);
        } else {
            hi = mid - 1;
        }
    }
    best
}

fn prefix(s: &str, len: usize) -> &str {
    let len = (0..=len.min(s.len())).rev().find(|&l| s.is_char_boundary(l)).unwrap_or(0);
    &s[..len]
}

/// The literals no other literal is contained in, sorted: one automaton over all of
/// them finds, for each, whether a different one occurs inside it.
fn minimal(mut literals: Vec<String>) -> Vec<String> {
    literals.sort();
    literals.dedup();
    let Ok(all) = AhoCorasick::new(&literals) else { return literals };
    let keep: Vec<bool> = literals
        .iter()
        .enumerate()
        .map(|(i, literal)| !all.find_overlapping_iter(literal.as_str()).any(|m| m.pattern().as_usize() != i))
        .collect();
    literals.into_iter().zip(keep).filter_map(|(literal, keep)| keep.then_some(literal)).collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    let len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    (0..=len).rev().find(|&l| a.is_char_boundary(l)).unwrap_or(0)
}

/// The anchors of one stage's rules, and which anchors each line holds.
#[derive(Debug, Clone)]
pub(crate) struct AnchorSet {
    anchors: Vec<String>,
    scan_count: usize,
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
    /// Builds the set, streaming every anchor; `anchors` must be lowercase.
    #[cfg(test)]
    pub(crate) fn new(anchors: Vec<String>) -> AnchorSet {
        let streamed = anchors.clone();
        AnchorSet::with_streamed(anchors, &streamed)
    }

    /// Builds the set with the chunk search limited to `streamed` (a subset of
    /// `anchors`); lines holding only other anchors are examined later, in the windows
    /// the classifier looks back over.
    #[must_use]
    pub(crate) fn with_streamed(anchors: Vec<String>, streamed: &[String]) -> AnchorSet {
        let scan = scan_literals(streamed);
        let packed = packed::Config::new().match_kind(packed::MatchKind::LeftmostFirst).builder().extend(&scan).build();
        let fast = match packed {
            Some(searcher) => Fast::Packed(searcher),
            // More anchors than Teddy takes, or no SIMD: a DFA is slower but still linear.
            None => Fast::Automaton(
                AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostFirst).build(&scan).expect("anchors are plain literals"),
            ),
        };
        // A DFA: lines are short, and this runs on every candidate line. Thousands of
        // user anchors would make a DFA large: then the automaton picks its own kind.
        let kind = (anchors.len() <= PAIRWISE_MAX).then_some(aho_corasick::AhoCorasickKind::DFA);
        let all_in_line = AhoCorasick::builder().kind(kind).build(&anchors).expect("anchors are plain literals");
        AnchorSet { anchors, scan_count: scan.len(), fast, all_in_line }
    }

    #[must_use]
    pub(crate) fn anchors(&self) -> &[String] {
        &self.anchors
    }

    /// Whether the chunk search runs on the packed (SIMD) searcher.
    #[cfg(test)]
    pub(crate) fn is_packed(&self) -> bool {
        matches!(self.fast, Fast::Packed(_))
    }

    /// The offset of the first anchor in `lower`, a lowercased haystack.
    #[inline]
    #[must_use]
    pub(crate) fn find(&self, lower: &[u8]) -> Option<usize> {
        if self.scan_count == 0 {
            return None;
        }
        match &self.fast {
            Fast::Packed(searcher) => searcher.find(lower).map(|m| m.start()),
            Fast::Automaton(ac) => ac.find(lower).map(|m| m.start()),
        }
    }

    /// Calls `found` with the index of every anchor that occurs in `lower`.
    pub(crate) fn each_in_line(&self, lower: &[u8], mut found: impl FnMut(usize)) {
        for m in self.all_in_line.find_overlapping_iter(lower) {
            found(m.pattern().as_usize());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contained_anchors_are_searched_through_the_shorter_one() {
        let scan = scan_literals(&["step ".to_owned(), "building at step ".to_owned(), "killed".to_owned()]);
        assert_eq!(scan, vec!["killed".to_owned(), "step ".to_owned()]);
    }

    #[test]
    fn thousands_of_anchors_are_prepared_quickly_and_stay_packed() {
        let anchors: Vec<String> = (0..20_000).map(|i| format!("user failure {i:05} happened")).collect();
        let scan = scan_literals(&anchors);
        assert!(scan.len() <= PACKED_MAX && scan.iter().all(|s| s.len() >= 5), "{}", scan.len());
        for anchor in anchors.iter().step_by(997) {
            assert!(scan.iter().any(|s| anchor.contains(s.as_str())), "{anchor}");
        }
    }

    #[test]
    fn too_many_anchors_are_merged_by_prefix_and_stay_packed() {
        let anchors: Vec<String> = (0..150).map(|i| format!("failure number {i:03} happened")).collect();
        let set = AnchorSet::new(anchors.clone());
        assert!(set.is_packed());
        for anchor in &anchors {
            let line = format!("x {anchor} y");
            assert!(set.find(line.as_bytes()).is_some(), "{anchor}");
            let mut seen = Vec::new();
            set.each_in_line(line.as_bytes(), |i| seen.push(i));
            assert_eq!(seen.len(), 1);
        }
    }
}
