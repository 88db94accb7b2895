//! Redaction of a stream in bounded memory, line by line: every byte that is not part
//! of a secret comes out unchanged, invalid UTF-8 included.

use aho_corasick::packed;

use crate::redact::spans::{apply, opens_private_key, private_key_end, secret_spans};

/// Lowercase literals one of which every line holding a secret contains (`@` aside: a
/// URL's userinfo is found through `memchr`, a one-byte literal would slow the search).
pub(crate) const TRIGGERS: &[&str] = &[
    "nvapi-",
    "sk-",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "dckr_pat_",
    "hf_",
    "akia",
    "asia",
    "glpat-",
    "npm_",
    "eyj",
    "bearer",
    "basic",
    "pass",
    "pwd",
    "secret",
    "token",
    "key",
    "credential",
    "login",
];

/// Lines longer than this are redacted in pieces of about this size.
const LINE_MAX: usize = 1 << 20;
/// A long line is cut at a space within this many bytes of the piece's end, so a token
/// is never cut in two.
const CUT_SEARCH: usize = 64 * 1024;

fn searcher() -> &'static packed::Searcher {
    static S: std::sync::OnceLock<packed::Searcher> = std::sync::OnceLock::new();
    S.get_or_init(|| packed::Config::new().builder().extend(TRIGGERS).build().expect("the packed searcher takes the triggers"))
}

/// Streams text through the maskers, line by line, in bounded memory.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Bytes of an unfinished line.
    pending: Vec<u8>,
    lower: Vec<u8>,
    /// Inside a private key block: lines are masked until its END line.
    in_key: bool,
}

impl Redactor {
    /// A redactor at the start of a stream.
    #[must_use]
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Redacts the complete lines of `input` (with any earlier unfinished line) into
    /// `out`; the unfinished tail waits for more input or [`Redactor::finish`].
    pub fn push(&mut self, input: &[u8], out: &mut Vec<u8>) {
        let Some(last_nl) = memchr::memrchr(b'\n', input) else {
            self.pending.extend_from_slice(input);
            while self.pending.len() >= LINE_MAX {
                let cut = safe_cut(&self.pending[..LINE_MAX]);
                let rest = self.pending.split_off(cut);
                let piece = std::mem::replace(&mut self.pending, rest);
                self.lines(&piece, out);
            }
            return;
        };
        if self.pending.is_empty() {
            self.lines(&input[..=last_nl], out);
        } else {
            let mut joined = std::mem::take(&mut self.pending);
            joined.extend_from_slice(&input[..=last_nl]);
            self.lines(&joined, out);
        }
        self.pending.extend_from_slice(&input[last_nl + 1..]);
    }

    /// Redacts what is left.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let rest = std::mem::take(&mut self.pending);
        self.lines(&rest, out);
    }

    /// Complete lines (the last may lack its newline): unchanged stretches are copied
    /// whole; only lines holding a trigger are looked at.
    fn lines(&mut self, mut region: &[u8], out: &mut Vec<u8>) {
        while !region.is_empty() {
            region = if self.in_key { self.key_lines(region, out) } else { self.plain_lines(region, out) };
        }
    }

    /// Masks the lines of a private key up to its END line; returns what follows it.
    fn key_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let mut pos = 0;
        while self.in_key && pos < region.len() {
            let end = memchr::memchr(b'\n', &region[pos..]).map_or(region.len(), |i| pos + i + 1);
            let line = &region[pos..end];
            if let Some(m) = private_key_end().find(line) {
                self.in_key = false;
                // Indentation stays; key material before the END marker does not.
                let before = &line[..m.start()];
                if before.iter().all(u8::is_ascii_whitespace) {
                    out.extend_from_slice(before);
                } else {
                    out.extend_from_slice(b"***");
                }
                out.extend_from_slice(&line[m.start()..]);
            } else {
                out.extend_from_slice(if line.ends_with(b"\n") { b"***\n" } else { b"***" });
            }
            pos = end;
        }
        &region[pos..]
    }

    /// Copies lines, masking those that hold a secret, up to the end of a line that opens
    /// a private key block; returns what follows that line.
    fn plain_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        self.lower.clear();
        self.lower.extend(region.iter().map(u8::to_ascii_lowercase));
        let mut copied = 0;
        let mut pos = 0;
        let mut next_trigger: Option<usize> = None;
        let mut next_at: Option<usize> = None;
        while pos < region.len() {
            // The next trigger and the next `@` at or after `pos`, each searched again
            // only once `pos` has passed it.
            if next_trigger.is_none_or(|t| t < pos) {
                next_trigger = Some(searcher().find(&self.lower[pos..]).map_or(usize::MAX, |m| pos + m.start()));
            }
            if next_at.is_none_or(|t| t < pos) {
                next_at = Some(memchr::memchr(b'@', &region[pos..]).map_or(usize::MAX, |i| pos + i));
            }
            let at = next_trigger.unwrap_or(usize::MAX).min(next_at.unwrap_or(usize::MAX));
            if at == usize::MAX {
                break;
            }
            let start = memchr::memrchr(b'\n', &region[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &region[at..]).map_or(region.len(), |i| at + i + 1);
            let line = &region[start..end];
            let trigger = next_trigger.unwrap_or(usize::MAX);
            // An `@` alone matters only in a URL's userinfo (`scheme://user:pass@host`).
            if at < trigger && trigger >= end && memchr::memmem::find(line, b"://").is_none() {
                pos = end;
                continue;
            }
            let spans = secret_spans(line);
            if !spans.is_empty() {
                out.extend_from_slice(&region[copied..start]);
                out.extend_from_slice(&apply(line, &spans));
                copied = end;
            }
            pos = end;
            if opens_private_key(line) {
                out.extend_from_slice(&region[copied..end]);
                self.in_key = true;
                return &region[end..];
            }
        }
        out.extend_from_slice(&region[copied..]);
        &[]
    }
}

/// Where to cut a long line: after the last space in its final stretch that does not
/// follow a separator (`key: value` must stay together), else at the end.
fn safe_cut(piece: &[u8]) -> usize {
    let floor = piece.len().saturating_sub(CUT_SEARCH);
    let mut i = piece.len();
    while i > floor {
        i -= 1;
        if piece[i].is_ascii_whitespace() {
            let before = piece[..i].iter().rposition(|b| !b.is_ascii_whitespace()).map(|j| piece[j]);
            if !matches!(before, Some(b':' | b'=')) && !piece[..i].ends_with(b"--password") && !piece[..i].ends_with(b"--token") {
                return i + 1;
            }
        }
    }
    piece.len()
}
