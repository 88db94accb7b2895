//! Redaction of a stream in bounded memory, line by line: every byte that is not part
//! of a secret comes out unchanged, invalid UTF-8 included. A private key block and a
//! YAML block scalar under a secret's name (`password: |`) are masked across lines.

use std::sync::OnceLock;

use aho_corasick::packed;
use regex::bytes::Regex;

use crate::redact::keys::strength;
use crate::redact::spans::{apply, opens_private_key, private_key_end, secret_spans};

/// Lowercase literals one of which every line holding a secret contains (`@` aside: a
/// URL's userinfo is found through `memchr`, a one-byte literal would slow the search).
///
/// Their order matters for speed, not for what is found: fat Teddy puts the literal at
/// index `i` in bucket `15 - i % 16` (with any earlier one of the same low-nibble prefix),
/// and a bucket whose literals share few nibbles stops on fewer ordinary bytes. This
/// order keeps those false stops rare on build output (the benchmark's shapes and the
/// corpus): with a new trigger, compare the benchmark's `redact` figures before and after.
pub(crate) const TRIGGERS: &[&str] = &[
    // Stripe's, whole: `k_test_` alone would stop at every `mock_test_` of a test run.
    "sk_live_",
    "hf_",
    "akia",
    "sk-",
    "key",
    "eyj",
    "ghr_",
    "gsk_",
    "login",
    "mariadb",
    "nvapi-",
    "github_pat_",
    // `credential`, by its rarer tail (`cre` starts `create`).
    "dential",
    "basic",
    "auth",
    "rk_live_",
    "xapp-",
    "xox",
    "asia",
    "sk_test_",
    "aiza",
    "mysql",
    "ghs_",
    "gho_",
    "hooks.slack.com",
    "ya29.",
    "token",
    "rk_test_",
    "bearer",
    "pass",
    "curl",
    "r8_",
    // `npm_`, by its rarer tail: `npm http fetch` lines would start a check each.
    "pm_",
    "sg.",
    "pwd",
    "secret",
    "ghu_",
    "pypi-age",
    "glpat-",
    "ghp_",
    "dckr_pat_",
    // The formats that ignore case fold `ſ` (U+017F) to `s`, which lowercasing ASCII
    // leaves: `myſql`, `paſſword` (`basic` goes with `authorization`, `auth` above).
    "y\u{17f}q",
    "a\u{17f}s",
    "a\u{17f}\u{17f}",
    "s\u{17f}w",
];

/// Lines longer than this are redacted in pieces of about this size.
const LINE_MAX: usize = 1 << 20;
/// A long line is cut between words or elements within this many bytes of the piece's
/// end, so a token is never cut in two.
const CUT_SEARCH: usize = 64 * 1024;

fn searcher() -> &'static packed::Searcher {
    static S: OnceLock<packed::Searcher> = OnceLock::new();
    // Fat Teddy: with this many short triggers, slim Teddy's eight buckets stop on
    // nearly every word of ordinary output.
    S.get_or_init(|| {
        packed::Config::new().only_teddy_fat(Some(true)).builder().extend(TRIGGERS).build().expect("the packed searcher takes the triggers")
    })
}

/// Whether `text` holds a trigger, or a URL with userinfo: whether it can hold a secret.
pub(crate) fn may_hold_secret(text: &[u8]) -> bool {
    let lower = text.to_ascii_lowercase();
    searcher().find(&lower).is_some() || (memchr::memchr(b'@', text).is_some() && memchr::memmem::find(text, b"://").is_some())
}

/// `password: |`, `- token: >-`: a YAML block scalar under a secret's name; the column
/// its content must be indented past.
fn opens_secret_block(line: &[u8]) -> Option<usize> {
    static P: OnceLock<Regex> = OnceLock::new();
    let p = P.get_or_init(|| {
        Regex::new(
            r#"^(?P<indent>[ \t]*(?:-[ \t]+)?)["']?(?P<key>[A-Za-z0-9_.-]{1,256})["']?[ \t]*:[ \t]*[|>][+-]?[0-9]?[+-]?[ \t]*\r?\n?$"#,
        )
        .expect("valid regex")
    });
    let caps = p.captures(line)?;
    let key = std::str::from_utf8(caps.name("key")?.as_bytes()).ok()?;
    strength(key)?;
    caps.name("indent").map(|m| m.len())
}

/// Lines that are masked whole until the block they belong to ends.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Block {
    #[default]
    None,
    /// A private key, up to its END line.
    PrivateKey,
    /// A YAML block scalar's content: lines indented past this column (and blank ones).
    Scalar(usize),
}

/// Streams text through the maskers, line by line, in bounded memory.
#[derive(Debug, Default)]
pub struct Redactor {
    /// Bytes of an unfinished line.
    pending: Vec<u8>,
    lower: Vec<u8>,
    block: Block,
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
            region = if self.block == Block::None { self.plain_lines(region, out) } else { self.block_lines(region, out) };
        }
    }

    /// Masks the lines of a block up to its end; returns what follows it.
    fn block_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let mut pos = 0;
        while pos < region.len() {
            let end = memchr::memchr(b'\n', &region[pos..]).map_or(region.len(), |i| pos + i + 1);
            let line = &region[pos..end];
            let ending: &[u8] = if line.ends_with(b"\n") { b"\n" } else { b"" };
            match self.block {
                Block::None => break,
                Block::PrivateKey => {
                    if let Some(m) = private_key_end().find(line) {
                        self.block = Block::None;
                        // Indentation stays; key material before the END marker does not.
                        let before = &line[..m.start()];
                        out.extend_from_slice(if before.iter().all(u8::is_ascii_whitespace) { before } else { b"***" });
                        out.extend_from_slice(&line[m.start()..]);
                    } else {
                        out.extend_from_slice(b"***");
                        out.extend_from_slice(ending);
                    }
                }
                Block::Scalar(column) => {
                    let indent = line.iter().take_while(|b| **b == b' ' || **b == b'\t').count();
                    if line[indent..].iter().all(u8::is_ascii_whitespace) {
                        out.extend_from_slice(line);
                    } else if indent > column {
                        out.extend_from_slice(&line[..indent]);
                        out.extend_from_slice(b"***");
                        out.extend_from_slice(ending);
                    } else {
                        self.block = Block::None;
                        break;
                    }
                }
            }
            pos = end;
        }
        &region[pos..]
    }

    /// Copies lines, masking those that hold a secret, up to the end of a line that opens
    /// a block; returns what follows that line. A line is looked at when what a terminal
    /// shows of it holds a trigger or a URL's userinfo: colour codes, bells and the NULs
    /// of UTF-16 text can split a trigger, so a region holding them is searched as shown
    /// (its lines are the region's, one for one).
    fn plain_lines<'a>(&mut self, region: &'a [u8], out: &mut Vec<u8>) -> &'a [u8] {
        let hidden = memchr::memchr3(0, 0x1b, 0x07, region).is_some();
        let mut scan = std::mem::take(&mut self.lower);
        if hidden {
            crate::screen::visible_into(region, &mut scan);
            scan.make_ascii_lowercase();
        } else {
            scan.clear();
            scan.extend(region.iter().map(u8::to_ascii_lowercase));
        }
        let mut lines = RawLines { hidden, scan_counted: 0, index: 0, raw: 0 };
        let mut copied = 0;
        let mut pos = 0;
        let mut next_trigger: Option<usize> = None;
        let mut next_at: Option<usize> = None;
        let rest = loop {
            // The next trigger and the next `@` at or after `pos`, each searched again
            // only once `pos` has passed it.
            if next_trigger.is_none_or(|t| t < pos) {
                next_trigger = Some(searcher().find(&scan[pos..]).map_or(usize::MAX, |m| pos + m.start()));
            }
            if next_at.is_none_or(|t| t < pos) {
                next_at = Some(memchr::memchr(b'@', &scan[pos..]).map_or(usize::MAX, |i| pos + i));
            }
            let trigger = next_trigger.unwrap_or(usize::MAX);
            let at = trigger.min(next_at.unwrap_or(usize::MAX));
            if at == usize::MAX {
                break &[][..];
            }
            let start = memchr::memrchr(b'\n', &scan[..at]).map_or(0, |i| i + 1);
            let end = memchr::memchr(b'\n', &scan[at..]).map_or(scan.len(), |i| at + i + 1);
            pos = end;
            // An `@` alone matters only in a URL's userinfo (`scheme://user:pass@host`).
            if trigger >= end && !has_userinfo(&scan[start..end]) {
                continue;
            }
            let (start, end) = lines.raw_line(&scan, start, region);
            let line = &region[start..end];
            let spans = secret_spans(line);
            if !spans.is_empty() {
                out.extend_from_slice(&region[copied..start]);
                out.extend_from_slice(&apply(line, &spans));
                copied = end;
            }
            let block =
                if opens_private_key(line) { Block::PrivateKey } else { opens_secret_block(line).map_or(Block::None, Block::Scalar) };
            if block != Block::None {
                out.extend_from_slice(&region[copied..end]);
                copied = end;
                self.block = block;
                break &region[end..];
            }
        };
        if rest.is_empty() {
            out.extend_from_slice(&region[copied..]);
        }
        self.lower = scan;
        rest
    }
}

/// Finds the region's line that a line of the searched text is: the same bytes when
/// nothing was hidden, else the line with the same index.
struct RawLines {
    hidden: bool,
    /// Newlines in the searched text are counted up to here, and `index` of them seen.
    scan_counted: usize,
    index: usize,
    /// Where the region's line `index` starts.
    raw: usize,
}

impl RawLines {
    fn raw_line(&mut self, scan: &[u8], start: usize, region: &[u8]) -> (usize, usize) {
        let line_end = |from: usize| memchr::memchr(b'\n', &region[from..]).map_or(region.len(), |i| from + i + 1);
        if !self.hidden {
            return (start, line_end(start));
        }
        let target = self.index + memchr::memchr_iter(b'\n', &scan[self.scan_counted..start]).count();
        while self.index < target {
            self.raw = line_end(self.raw);
            self.index += 1;
        }
        self.scan_counted = start;
        (self.raw, line_end(self.raw))
    }
}

/// Whether a URL in `line` has userinfo: an `@` in the authority after a `://` (npm's
/// `https://registry.npmjs.org/@babel%2fcore` has none).
fn has_userinfo(line: &[u8]) -> bool {
    static SCHEME_END: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    let finder = SCHEME_END.get_or_init(|| memchr::memmem::Finder::new(b"://"));
    finder.find_iter(line).any(|i| {
        line[i + 3..]
            .iter()
            .take_while(|b| !matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>') && !b.is_ascii_whitespace())
            .any(|&b| b == b'@')
    })
}

/// Where to cut a long line, in its final stretch: after a space that does not join a
/// key or a secret flag to its value; else after a `,` between elements (minified JSON);
/// else after a bracket or a shell separator; else at the end.
fn safe_cut(piece: &[u8]) -> usize {
    let floor = piece.len().saturating_sub(CUT_SEARCH);
    let stretch = &piece[floor..];
    let joins_value = |i: usize| {
        let word_end = piece[..i].iter().rposition(|b| !b.is_ascii_whitespace()).map_or(0, |j| j + 1);
        let word_start = piece[..word_end].iter().rposition(u8::is_ascii_whitespace).map_or(0, |j| j + 1);
        let word = &piece[word_start..word_end];
        matches!(word.last(), Some(b':' | b'='))
            || word == b"-p"
            || std::str::from_utf8(word).is_ok_and(|w| w.starts_with("--") && strength(w).is_some())
    };
    let after = |found: Option<usize>| found.map(|i| floor + i + 1);
    let space =
        stretch.iter().enumerate().rev().filter(|(_, b)| b.is_ascii_whitespace()).map(|(i, _)| i).find(|&i| !joins_value(floor + i));
    after(space)
        .or_else(|| after(memchr::memrchr(b',', stretch)))
        .or_else(|| {
            after(stretch.iter().rposition(|b| matches!(b, b'{' | b'}' | b'[' | b']' | b'(' | b')' | b';' | b'|' | b'&' | b'<' | b'>')))
        })
        .unwrap_or(piece.len())
}
