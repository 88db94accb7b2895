//! Finding the rare lines worth a closer look.
//!
//! Running every rule's regex on every line is an order of magnitude too slow for
//! multi-GiB build logs (`performance.md`). Every line rule names lowercase literals that
//! any line it matches must contain; the scanner lowercases each chunk once and searches
//! it for all anchors at once with a SIMD packed searcher (Teddy), so the regexes run
//! only on the few lines that hold an anchor.

use aho_corasick::{packed, AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::rules::line_automaton::LineAutomaton;
#[cfg(test)]
use crate::rules::rare_tails::TAIL_MIN;
use crate::rules::rare_tails::{rarest_tail, Trigrams};

/// The packed searcher takes at most this many literals.
const PACKED_MAX: usize = 64;
/// The most literals the tuned search keeps before it falls back to the catalogue's
/// merged ones.
pub(super) const SLIM_MAX: usize = 32;
/// Literals the chunk search aims for: Teddy checks a candidate wherever the first bytes
/// of any literal in a bucket could match, and fewer literals mean fewer false ones.
const SCAN_TARGET: usize = 16;

/// Up to this many literals, the merging below is done pair by pair (it is quadratic,
/// and exact); above it, by one prefix length for all, which is near-linear.
const PAIRWISE_MAX: usize = 256;

/// The literals the chunk search needs, from the anchors it streams already made
/// [`minimal`]: an anchor that contains another anchor is found through the shorter one,
/// so only the shortest survive. When more remain than the packed searcher takes (user
/// rules add anchors), literals are replaced by their prefixes (at least 5 bytes): a few
/// more candidate lines, each still checked against the real anchors, instead of a
/// search several times slower.
fn scan_literals(scan: Vec<String>) -> Vec<String> {
    if scan.len() <= SCAN_TARGET {
        scan
    } else if scan.len() <= PAIRWISE_MAX {
        let shared = merge_by_substring(scan, SCAN_TARGET, |_| true);
        if shared.len() <= PACKED_MAX {
            shared
        } else {
            merge_pairwise(shared)
        }
    } else {
        merge_by_prefix(&scan)
    }
}

/// Shortest length of a shared substring that replaces the literals holding it.
const SHARED_MIN: usize = 6;

/// Until at most `target` remain: replaces the literals that share a word (of at least
/// [`SHARED_MIN`] bytes, and one `usable` accepts) by it, the word that saves most
/// literals and bytes first (`failed` for `copy failed:`, `docker build failed`,
/// `failed to solve`).
fn merge_by_substring(mut scan: Vec<String>, target: usize, usable: impl Fn(&str) -> bool) -> Vec<String> {
    let words_of = |literal: &str| {
        let mut words: Vec<String> =
            literal.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= SHARED_MIN && usable(w)).map(str::to_owned).collect();
        words.sort_unstable();
        words.dedup();
        words
    };
    // Every word the literals have, sorted; for each, how many literals hold it and how
    // many have it as a word. A merge changes only the counts of the literals it
    // replaces (the word they give way to is one of them already).
    let mut shared: Vec<Shared> = scan.iter().flat_map(|l| words_of(l)).map(|word| Shared { word, holders: 0, words_of: 0 }).collect();
    shared.sort_unstable_by(|a, b| a.word.cmp(&b.word));
    shared.dedup_by(|a, b| a.word == b.word);
    for literal in &scan {
        shared.iter_mut().filter(|s| literal.contains(s.word.as_str())).for_each(|s| s.holders += 1);
        for word in words_of(literal) {
            if let Ok(at) = shared.binary_search_by(|s| s.word.cmp(&word)) {
                shared[at].words_of += 1;
            }
        }
    }
    while scan.len() > target {
        let best =
            shared.iter().filter(|s| s.words_of > 0 && s.holders >= 2).max_by_key(|s| ((s.holders - 1) * s.word.len(), s.word.len()));
        let Some(best) = best else { break };
        let word = best.word.clone();
        let gone: Vec<String> = scan.iter().filter(|l| l.contains(word.as_str())).cloned().collect();
        for s in &mut shared {
            s.holders =
                s.holders + usize::from(word.contains(s.word.as_str())) - gone.iter().filter(|g| g.contains(s.word.as_str())).count();
        }
        for old in gone.iter().flat_map(|g| words_of(g)) {
            if let Ok(at) = shared.binary_search_by(|s| s.word.cmp(&old)) {
                shared[at].words_of -= 1;
            }
        }
        if let Ok(at) = shared.binary_search_by(|s| s.word.cmp(&word)) {
            shared[at].words_of += 1;
        }
        scan = giving_way(scan, word);
    }
    scan
}

/// A word some literals share, in [`merge_by_substring`].
struct Shared {
    word: String,
    /// Literals that hold it.
    holders: usize,
    /// Literals it is a word of (the merging replaces literals by their words only).
    words_of: usize,
}

/// `minimal` of `scan` and `word`, where `scan` is minimal and `word` is part of one of
/// its literals: those that hold `word` give way to it. (`word` holds none of them: the
/// literal it is part of would hold that one too.) Linear, where `minimal` is quadratic,
/// and the merging calls it once for each literal it replaces.
fn giving_way(mut scan: Vec<String>, word: String) -> Vec<String> {
    debug_assert!(scan.iter().any(|l| l.contains(word.as_str())));
    scan.retain(|l| !l.contains(word.as_str()));
    let at = scan.binary_search(&word).unwrap_or_else(|at| at);
    scan.insert(at, word);
    scan
}

/// How many literals the chunk search would need before any merging.
#[must_use]
pub(super) fn distinct_count(anchors: &[String]) -> usize {
    minimal(anchors.to_vec()).len()
}

/// Repeatedly replaces the two literals sharing the longest prefix by that prefix.
fn merge_pairwise(mut scan: Vec<String>) -> Vec<String> {
    while scan.len() > PACKED_MAX {
        let best = scan.windows(2).enumerate().map(|(i, pair)| (common_prefix(&pair[0], &pair[1]), i)).max_by_key(|&(len, _)| len);
        match best {
            Some((len, i)) if len >= 5 => {
                let prefix = scan[i][..len].to_owned();
                scan = giving_way(scan, prefix);
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
    // Few literals (the catalogue's, merged at every run's start): pairwise is quicker
    // than building an automaton.
    if literals.len() <= PAIRWISE_MAX {
        let keep: Vec<bool> = literals.iter().map(|l| !literals.iter().any(|o| o != l && l.contains(o.as_str()))).collect();
        return literals.into_iter().zip(keep).filter_map(|(literal, keep)| keep.then_some(literal)).collect();
    }
    // Searched once per literal: the NFA is quicker to build than what it would become.
    let all = AhoCorasickBuilder::new().kind(Some(AhoCorasickKind::NoncontiguousNFA)).build(&literals);
    let Ok(all) = all else { return literals };
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

    /// The merging as first written: every count made again after each merge.
    fn merge_by_substring_afresh(mut scan: Vec<String>, target: usize, usable: impl Fn(&str) -> bool) -> Vec<String> {
        while scan.len() > target {
            let mut words: Vec<&str> =
                scan.iter().flat_map(|l| l.split(|c: char| !c.is_alphanumeric())).filter(|w| w.len() >= SHARED_MIN && usable(w)).collect();
            words.sort_unstable();
            words.dedup();
            let best = words
                .into_iter()
                .map(|word| (scan.iter().filter(|l| l.contains(word)).count(), word))
                .filter(|(holders, _)| *holders >= 2)
                .max_by_key(|(holders, word)| ((holders - 1) * word.len(), word.len()));
            let Some((_, word)) = best else { break };
            let mut all = scan.clone();
            all.push(word.to_owned());
            scan = minimal(all);
        }
        scan
    }

    #[test]
    fn merging_keeps_its_counts_as_counting_afresh_would() {
        let catalogue = crate::rules::Catalogue::builtin().expect("built-in rules");
        let anchors = minimal(crate::rules::StageRules::new(&catalogue, crate::model::Stage::SandboxCreate).anchor_phrases().to_vec());
        assert!(anchors.len() > 100, "{}", anchors.len());
        for target in [1, SCAN_TARGET, 64, anchors.len()] {
            assert_eq!(merge_by_substring(anchors.clone(), target, |_| true), merge_by_substring_afresh(anchors.clone(), target, |_| true));
            let unused = |w: &str| !w.contains('e');
            assert_eq!(merge_by_substring(anchors.clone(), target, unused), merge_by_substring_afresh(anchors.clone(), target, unused));
        }
        // Words shared inside other words, and a word twice in one literal.
        let tricky =
            minimal(["unfailed build failed", "failedness", "failed to solve", "solvent build", "xbuildx"].map(str::to_owned).to_vec());
        assert_eq!(merge_by_substring(tricky.clone(), 1, |_| true), merge_by_substring_afresh(tricky, 1, |_| true));
        // A longer word merged first holds a shorter one, which then merges what is left.
        let nested = ["p1 abcdefghij", "p2 abcdefghij", "p3 abcdefghij", "p4 abcdef-xyz"].map(str::to_owned).to_vec();
        assert_eq!(merge_by_substring(nested, 1, |_| true), ["abcdef"]);
    }

    #[test]
    fn literals_give_way_to_a_part_of_them_as_they_would_in_the_minimal_set() {
        let scan = minimal(["copy failed:", "docker build failed", "failed to solve", "killed", "timeout"].map(str::to_owned).to_vec());
        for word in ["failed", "kill", "copy f", "docker build failed", "out"] {
            let mut all = scan.clone();
            all.push(word.to_owned());
            assert_eq!(giving_way(scan.clone(), word.to_owned()), minimal(all), "{word}");
        }
        assert_eq!(giving_way(scan.clone(), "failed".to_owned()), ["failed", "killed", "timeout"]);
    }

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
    fn contained_anchors_are_searched_through_the_shorter_one() {
        let scan = scan_literals(minimal(vec!["step ".to_owned(), "building at step ".to_owned(), "killed".to_owned()]));
        assert_eq!(scan, vec!["killed".to_owned(), "step ".to_owned()]);
    }

    #[test]
    fn thousands_of_anchors_are_prepared_quickly_and_stay_packed() {
        let anchors: Vec<String> = (0..20_000).map(|i| format!("user failure {i:05} happened")).collect();
        let scan = scan_literals(minimal(anchors.clone()));
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
            assert!(set.find(0, line.as_bytes()).is_some(), "{anchor}");
            let mut seen = Vec::new();
            set.each_in_line(line.as_bytes(), |i| seen.push(i));
            assert_eq!(seen.len(), 1);
        }
    }
}
