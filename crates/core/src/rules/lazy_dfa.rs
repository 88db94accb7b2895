//! A DFA made as lines need it. Building the whole DFA of the catalogue's anchors took
//! about a third of every run's start; real lines take a small part of its transitions.
//! Each is found in the NFA the first time a line takes it, then kept, so the walk costs
//! what a DFA's does once the output's usual bytes have been seen.

use std::sync::atomic::{AtomicU32, Ordering};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, MatchKind};

/// Marks a kept transition whose state matches some anchor.
const MATCHES: u32 = 1 << 31;

/// The NFA of the anchors, and the transitions found so far.
pub(crate) struct LazyDfa {
    nfa: NFA,
    /// Each byte's class: one for each byte some anchor holds, one (0) for all others,
    /// which lead every state back to the start.
    classes: [u8; 256],
    stride: u32,
    /// At `state * stride + class`: the next state times `stride`, with [`MATCHES`] when
    /// it matches; 0 while not yet found (0 is the dead state, which an unanchored walk
    /// never reaches). Shared by the threads that walk: each writes what the other would.
    known: Vec<AtomicU32>,
    start: u32,
}

impl LazyDfa {
    /// `None` when the anchors make no NFA (never, for plain non-empty literals).
    pub(crate) fn new(anchors: &[String]) -> Option<LazyDfa> {
        let nfa = NFA::builder().match_kind(MatchKind::Standard).prefilter(false).build(anchors).ok()?;
        let mut classes = [0u8; 256];
        let mut stride = 1u32;
        for &byte in anchors.iter().flat_map(String::as_bytes) {
            if classes[usize::from(byte)] == 0 {
                classes[usize::from(byte)] = u8::try_from(stride).ok()?;
                stride += 1;
            }
        }
        // A state for each anchor byte at most (the trie), and the dead, fail and two
        // start states: a state past this is walked without keeping its transitions.
        let states = 4 + anchors.iter().map(String::len).sum::<usize>();
        let known = std::iter::repeat_with(|| AtomicU32::new(0)).take(states * stride as usize).collect();
        let start = nfa.start_state(Anchored::No).ok()?.as_u32() * stride;
        (start < MATCHES && u32::try_from(states).ok()?.checked_mul(stride)? < MATCHES).then_some(LazyDfa {
            nfa,
            classes,
            stride,
            known,
            start,
        })
    }

    /// Where every walk begins.
    pub(crate) fn start(&self) -> u32 {
        self.start
    }

    /// The state after `state` takes `byte`, with [`MATCHES`] when it matches.
    #[inline]
    pub(crate) fn next(&self, state: u32, byte: u8) -> u32 {
        let at = (state & !MATCHES) as usize + usize::from(self.classes[usize::from(byte)]);
        match self.known.get(at) {
            Some(slot) => match slot.load(Ordering::Relaxed) {
                0 => {
                    let next = self.find(state, byte);
                    slot.store(next, Ordering::Relaxed);
                    next
                }
                next => next,
            },
            None => self.find(state, byte),
        }
    }

    /// Calls `found` with each anchor `state` (one with [`MATCHES`]) matches.
    pub(crate) fn each_match(&self, state: u32, found: &mut impl FnMut(usize)) {
        let sid = self.state_id(state);
        for i in 0..self.nfa.match_len(sid) {
            found(self.nfa.match_pattern(sid, i).as_usize());
        }
    }

    /// Whether `state` (as [`LazyDfa::next`] gives it) matches some anchor.
    #[inline]
    pub(crate) fn matches(state: u32) -> bool {
        state & MATCHES != 0
    }

    fn state_id(&self, state: u32) -> StateID {
        // Every state given out is a valid NFA state times the stride.
        StateID::new(((state & !MATCHES) / self.stride) as usize).unwrap_or(StateID::ZERO)
    }

    /// The transition, from the NFA.
    #[cold]
    fn find(&self, state: u32, byte: u8) -> u32 {
        let next = self.nfa.next_state(Anchored::No, self.state_id(state), byte);
        let flag = if self.nfa.is_match(next) { MATCHES } else { 0 };
        (next.as_u32() * self.stride) | flag
    }
}

impl Clone for LazyDfa {
    /// The transitions found are a cache: a copy starts without them.
    fn clone(&self) -> LazyDfa {
        let known = std::iter::repeat_with(|| AtomicU32::new(0)).take(self.known.len()).collect();
        LazyDfa { nfa: self.nfa.clone(), classes: self.classes, stride: self.stride, known, start: self.start }
    }
}

impl std::fmt::Debug for LazyDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let found = self.known.iter().filter(|t| t.load(Ordering::Relaxed) != 0).count();
        f.debug_struct("LazyDfa")
            .field("classes", &self.stride)
            .field("transitions", &self.known.len())
            .field("found", &found)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    fn walk(dfa: &LazyDfa, line: &[u8]) -> Vec<usize> {
        let mut found = Vec::new();
        let mut state = dfa.start();
        for &byte in line {
            state = dfa.next(state, byte);
            if LazyDfa::matches(state) {
                dfa.each_match(state, &mut |anchor| found.push(anchor));
            }
        }
        found
    }

    /// Lines of anchor bytes and others (`Z`, a byte no anchor holds, invalid UTF-8),
    /// walked with no transition kept, then with all of them, then by a copy: each time
    /// what the library's overlapping search finds.
    #[test]
    fn kept_transitions_find_what_the_overlapping_search_finds() {
        let anchors: Vec<String> = ["error", "rror:", "err", "no such", "such", "é"].iter().map(|a| (*a).to_owned()).collect();
        let reference = AhoCorasick::new(&anchors).expect("builds");
        let alphabet: &[u8] = b"erorr: nosuchZ\xff\xc3\xa9";
        let mut seed = 7u32;
        let lines: Vec<Vec<u8>> = (0..200)
            .map(|_| {
                (0..seed % 40)
                    .map(|_| {
                        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                        alphabet[(seed >> 16) as usize % alphabet.len()]
                    })
                    .collect()
            })
            .collect();
        let dfa = LazyDfa::new(&anchors).expect("builds");
        for pass in 0..2 {
            let copy = dfa.clone();
            for line in &lines {
                let expected: Vec<usize> = reference.find_overlapping_iter(line).map(|m| m.pattern().as_usize()).collect();
                assert_eq!(walk(&dfa, line), expected, "pass {pass}: {:?}", String::from_utf8_lossy(line));
                assert_eq!(walk(&copy, line), expected);
            }
        }
        assert!(lines.iter().any(|l| !walk(&dfa, l).is_empty()) && lines.iter().any(|l| walk(&dfa, l).is_empty()));
        assert!(format!("{dfa:?}").contains("found"));
    }
}
