//! Which line says why a step failed: the first its tool's error rules match in the
//! step's own output. A weak cause (a file command's or an exception's line, which a
//! script may print and go on) gives way to a later one of another kind; BuildKit's
//! interleaved output is told apart by its step ids (`#7 1.23 …`).

use std::collections::VecDeque;

use crate::classify::state::Seen;
use crate::screen::same_words;

/// A cause line, the rule that matched it, and whether a later cause replaces it.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub(crate) seen: Seen,
    pub(crate) rule: usize,
    pub(crate) weak: bool,
}

/// Offers `found` to a step's slot: the first stays, unless it is weak and this is not.
pub(crate) fn offer(slot: &mut Option<Found>, found: &Found) {
    if slot.as_ref().is_none_or(|held| held.weak && !found.weak) {
        *slot = Some(found.clone());
    }
}

/// BuildKit's step id at the start of a line of its plain progress (`#7 …`).
pub(crate) fn vertex(text: &str) -> Option<u32> {
    let rest = text.trim_start().strip_prefix('#')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    // No digits parse as no number.
    rest[digits..].starts_with(' ').then(|| rest[..digits].parse().ok()).flatten()
}

/// Steps BuildKit's ids name, with their instruction and cause.
const VERTICES_KEPT: usize = 64;

/// What each BuildKit step id printed: its instruction (from its header) and its cause.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vertices {
    kept: VecDeque<(u32, Option<String>, Option<Found>)>,
}

impl Vertices {
    fn entry(&mut self, id: u32) -> &mut (u32, Option<String>, Option<Found>) {
        let at = self.kept.iter().position(|v| v.0 == id).unwrap_or_else(|| {
            if self.kept.len() == VERTICES_KEPT {
                self.kept.pop_front();
            }
            self.kept.push_back((id, None, None));
            self.kept.len() - 1
        });
        &mut self.kept[at]
    }

    /// A step header with its id. The instruction is kept as printed: a long build has
    /// tens of thousands of headers, and it is compared only for a replayed step.
    pub(crate) fn header(&mut self, id: u32, instruction: Option<&str>) {
        let kept = &mut self.entry(id).1;
        match instruction {
            // A step's header comes again whenever its output resumes after another
            // step's: its buffer is reused.
            Some(instruction) => instruction.clone_into(kept.get_or_insert_with(String::new)),
            None => *kept = None,
        }
    }

    /// A cause printed with an id.
    pub(crate) fn cause(&mut self, id: u32, found: &Found) {
        offer(&mut self.entry(id).2, found);
    }

    /// The cause of the step with this id, or with this instruction (a replayed step
    /// shows no id).
    pub(crate) fn cause_of(&self, id: Option<u32>, instruction: Option<&str>) -> Option<&Found> {
        let same_instruction = |kept: Option<&str>| matches!((kept, instruction), (Some(a), Some(b)) if same_words(a, b));
        self.kept.iter().rev().find(|v| Some(v.0) == id || (id.is_none() && same_instruction(v.1.as_deref()))).and_then(|v| v.2.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(line: u64, weak: bool) -> Found {
        Found { seen: Seen { line, text: String::new(), focus: 0 }, rule: 0, weak }
    }

    #[test]
    fn the_first_cause_stays_unless_it_is_weak() {
        let mut slot = None;
        offer(&mut slot, &found(1, true));
        offer(&mut slot, &found(2, true));
        assert_eq!(slot.as_ref().map(|f| f.seen.line), Some(1));
        offer(&mut slot, &found(3, false));
        offer(&mut slot, &found(4, false));
        assert_eq!(slot.as_ref().map(|f| f.seen.line), Some(3));
    }

    #[test]
    fn a_step_id_is_read_from_buildkit_lines_only() {
        assert_eq!(vertex("#12 3.456 E: Unable to locate package x"), Some(12));
        assert_eq!(vertex("  #7 ERROR: process"), Some(7));
        assert_eq!(vertex("#12"), None);
        assert_eq!(vertex("# a comment"), None);
        assert_eq!(vertex("E: #12 x"), None);
    }

    #[test]
    fn a_replayed_step_finds_its_cause_by_instruction() {
        let mut vertices = Vertices::default();
        vertices.header(6, Some("RUN apt-get  install x"));
        vertices.header(7, Some("RUN pip install y"));
        vertices.cause(6, &found(5, false));
        assert_eq!(vertices.cause_of(None, Some("RUN apt-get install x")).map(|f| f.seen.line), Some(5));
        assert!(vertices.cause_of(None, Some("RUN pip install y")).is_none());
        assert_eq!(vertices.cause_of(Some(6), None).map(|f| f.seen.line), Some(5));
    }
}
