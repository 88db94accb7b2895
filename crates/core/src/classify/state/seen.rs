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
