//! Finding every anchor in a line, overlapping ones included. A DFA walks a line one
//! byte at a time, each step waiting on the one before: two lines walked side by side
//! take about the time of one.

use aho_corasick::AhoCorasick;

use crate::rules::lazy_dfa::LazyDfa;

/// The automaton that finds every anchor in a line.
#[derive(Debug, Clone)]
pub(crate) enum LineAutomaton {
    /// A DFA, made as lines need it: lines are short, and this runs on every candidate
    /// line. No prefilter: on short lines it only slows the walk.
    Dfa(Box<LazyDfa>),
    /// Thousands of user anchors would make a DFA large: then the automaton picks its
    /// own kind.
    Any(AhoCorasick),
}

/// Anchors, and their bytes, up to which the automaton is a DFA.
const DFA_MAX: usize = 1024;
const DFA_BYTES_MAX: usize = 32 * 1024;

impl LineAutomaton {
    pub(crate) fn new(anchors: &[String]) -> LineAutomaton {
        let bytes: usize = anchors.iter().map(String::len).sum();
        let small = anchors.len() <= DFA_MAX && bytes <= DFA_BYTES_MAX;
        let built = small.then(|| LazyDfa::new(anchors)).flatten();
        built.map_or_else(
            || LineAutomaton::Any(AhoCorasick::new(anchors).expect("anchors are plain literals")),
            |dfa| LineAutomaton::Dfa(Box::new(dfa)),
        )
    }

    /// Calls `found` with the index of every anchor in `line`, once for each place it
    /// ends.
    pub(crate) fn each_in(&self, line: &[u8], mut found: impl FnMut(usize)) {
        match self {
            LineAutomaton::Dfa(dfa) => {
                let mut walk = Walk::new(dfa);
                for &byte in line {
                    walk.step(dfa, byte, &mut found);
                }
            }
            LineAutomaton::Any(any) => any.find_overlapping_iter(line).for_each(|m| found(m.pattern().as_usize())),
        }
    }

    /// [`LineAutomaton::each_in`] for two lines at once: `found(0, anchor)` for `first`'s,
    /// `found(1, anchor)` for `second`'s.
    pub(crate) fn each_in_two(&self, first: &[u8], second: &[u8], mut found: impl FnMut(usize, usize)) {
        let LineAutomaton::Dfa(dfa) = self else {
            self.each_in(first, |anchor| found(0, anchor));
            self.each_in(second, |anchor| found(1, anchor));
            return;
        };
        let (mut one, mut two) = (Walk::new(dfa), Walk::new(dfa));
        let both = first.len().min(second.len());
        for (&a, &b) in first[..both].iter().zip(&second[..both]) {
            one.step(dfa, a, &mut |anchor| found(0, anchor));
            two.step(dfa, b, &mut |anchor| found(1, anchor));
        }
        for &a in &first[both..] {
            one.step(dfa, a, &mut |anchor| found(0, anchor));
        }
        for &b in &second[both..] {
            two.step(dfa, b, &mut |anchor| found(1, anchor));
        }
    }
}

/// One walk of the DFA over a line: the state it is in.
struct Walk {
    state: u32,
}

impl Walk {
    fn new(dfa: &LazyDfa) -> Walk {
        // Anchors are never empty: the start state matches nothing.
        Walk { state: dfa.start() }
    }

    #[inline]
    fn step(&mut self, dfa: &LazyDfa, byte: u8, found: &mut impl FnMut(usize)) {
        self.state = dfa.next(self.state, byte);
        if LazyDfa::matches(self.state) {
            dfa.each_match(self.state, found);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk finds what the library's own overlapping search finds, for one line and
    /// for two side by side, with the DFA and without.
    #[test]
    fn the_walk_finds_every_anchor_the_overlapping_search_finds() {
        let anchors: Vec<String> =
            ["step ", "error", "ror", "err", "rror: ", "no such", "such container", "x"].iter().map(|a| (*a).to_owned()).collect();
        let lines: [&[u8]; 5] =
            [b"step 1/3 : run make", b"error: no such container", b"", b"xx errerror: step x", b"nothing to see here at all, none"];
        let reference = AhoCorasick::new(&anchors).expect("builds");
        let expected = |line: &[u8]| reference.find_overlapping_iter(line).map(|m| m.pattern().as_usize()).collect::<Vec<_>>();
        let dfa = LineAutomaton::new(&anchors);
        assert!(matches!(dfa, LineAutomaton::Dfa(_)));
        for automaton in [dfa, LineAutomaton::Any(AhoCorasick::new(&anchors).expect("builds"))] {
            for first in lines {
                let mut one = Vec::new();
                automaton.each_in(first, |a| one.push(a));
                assert_eq!(one, expected(first), "{:?}", String::from_utf8_lossy(first));
                for second in lines {
                    let mut two = [Vec::new(), Vec::new()];
                    automaton.each_in_two(first, second, |which, a| two[which].push(a));
                    assert_eq!(two, [expected(first), expected(second)]);
                }
            }
        }
    }
}
