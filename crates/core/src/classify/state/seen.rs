//! Lines kept for evidence while the output streams by.

use crate::redact::keep_clipped;

/// Lines are kept for evidence up to this many characters around the match: enough
/// that masking (which runs on the answer's few lines) sees every secret the shown clip
/// could touch whole.
const SEEN_CHARS: usize = 4096;

/// A line as it is kept while streaming, for evidence: clipped wide around the match,
/// not yet masked. Masking, then the clip that is shown, run once, on the few lines
/// that end up in the answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Seen {
    pub(crate) line: u64,
    pub(crate) text: String,
    /// Where in `text` the match starts.
    pub(crate) focus: usize,
}

/// A line kept for evidence. One longer than is kept is masked whole before the cut:
/// a secret the cut would leave half of is still whole here.
pub(super) fn evidence(number: u64, text: &str, focus: usize) -> Seen {
    let (text, focus) = keep_clipped(text, focus, SEEN_CHARS);
    Seen { line: number, text, focus }
}

/// Puts a copy of `seen` in `slot`, in the buffer of the line `slot` held.
pub(super) fn copy_into(slot: &mut Option<Seen>, seen: Option<&Seen>) {
    match (slot.as_mut(), seen) {
        (Some(kept), Some(seen)) => {
            (kept.line, kept.focus) = (seen.line, seen.focus);
            kept.text.clone_from(&seen.text);
        }
        (_, seen) => *slot = seen.cloned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_replaces_what_the_slot_held() {
        let line = |n: u64, text: &str| Seen { line: n, text: text.to_owned(), focus: 1 };
        let mut slot = None;
        copy_into(&mut slot, Some(&line(3, "STEP 1/2: RUN x")));
        assert_eq!(slot, Some(line(3, "STEP 1/2: RUN x")));
        copy_into(&mut slot, Some(&line(9, "STEP 2/2")));
        assert_eq!(slot, Some(line(9, "STEP 2/2")));
        copy_into(&mut slot, None);
        assert_eq!(slot, None);
    }
}
