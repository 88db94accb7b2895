//! The last error-looking lines: when no rule decides, they are what the operator is
//! shown, so an unknown answer still points at where to look.

use std::collections::VecDeque;

use super::{evidence, Seen};
use crate::classify::terminal_text::lossy;

/// Error-looking lines kept.
const KEPT: usize = 4;

/// The newest error-looking lines, oldest first.
#[derive(Debug, Clone, Default)]
pub(crate) struct ErrorLines {
    lines: VecDeque<Seen>,
}

/// Lowercase words that mark a line as an error a person should read.
const WORDS: &[&[u8]] = &[
    b"error",
    b"failed",
    b"failure",
    b"fatal",
    b"denied",
    b"refused",
    b"cannot ",
    b"could not",
    b"unable to",
    b"panic",
    b"\xc3\x97",
    b"timed out",
    b"is locked",
    b"invalid",
    b"not found",
    b"no such",
    b"exception",
    b"killed",
    b"abort",
];

/// One search for all the [`WORDS`]: a line is looked at once, not once a word.
fn words() -> &'static aho_corasick::AhoCorasick {
    static WORDS_SEARCH: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS_SEARCH.get_or_init(|| aho_corasick::AhoCorasick::new(WORDS).expect("the error words are plain literals"))
}

impl ErrorLines {
    /// Keeps `text` (line `number`, `lower` lowercased) when it looks like an error.
    pub(crate) fn see(&mut self, number: u64, text: &[u8], lower: &[u8]) {
        if self.lines.iter().any(|seen| seen.line == number) || words().find(lower).is_none() {
            return;
        }
        // Lines only warn; a line arriving late from a window is placed by its number.
        let at = self.lines.iter().position(|seen| seen.line > number).unwrap_or(self.lines.len());
        self.lines.insert(at, evidence(number, &lossy(text), 0));
        if self.lines.len() > KEPT {
            self.lines.pop_front();
        }
    }

    /// Forgets the lines `forgotten` holds (by line number).
    pub(crate) fn forget(&mut self, forgotten: impl Fn(u64) -> bool) {
        self.lines.retain(|seen| !forgotten(seen.line));
    }

    /// The lines, oldest first.
    pub(crate) fn lines(&self) -> impl Iterator<Item = &Seen> {
        self.lines.iter()
    }
}
