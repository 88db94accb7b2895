//! The literals the chunk search looks for: the anchors none of which holds another,
//! merged into few enough for the packed searcher (shared words, common prefixes).

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind};

/// The packed searcher takes at most this many literals.
const PACKED_MAX: usize = 64;
/// The most literals the tuned search keeps before it falls back to the catalogue's
/// merged ones.
pub(super) const SLIM_MAX: usize = 32;
/// Literals the chunk search aims for: Teddy checks a candidate wherever the first bytes
/// of any literal in a bucket could match, and fewer literals mean fewer false ones.
pub(super) const SCAN_TARGET: usize = 16;

/// Up to this many literals, the merging below is done pair by pair (it is quadratic,
/// and exact); above it, by one prefix length for all, which is near-linear.
const PAIRWISE_MAX: usize = 256;

/// The literals the chunk search needs, from the anchors it streams already made
/// [`minimal`]: an anchor that contains another anchor is found through the shorter one,
/// so only the shortest survive. When more remain than the packed searcher takes (user
/// rules add anchors), literals are replaced by their prefixes (at least 5 bytes): a few
/// more candidate lines, each still checked against the real anchors, instead of a
/// search several times slower.
pub(super) fn scan_literals(scan: Vec<String>) -> Vec<String> {
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
pub(super) fn merge_by_substring(mut scan: Vec<String>, target: usize, usable: impl Fn(&str) -> bool) -> Vec<String> {
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
pub(super) fn minimal(mut literals: Vec<String>) -> Vec<String> {
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
}
