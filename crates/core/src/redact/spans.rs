//! Finding the secrets in one line: the spans that can be proven to be secret values,
//! each with what is shown instead. Nothing else in the line is touched, so a masked
//! line keeps its quotes, its keys and its shape.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::redact::keys::{looks_generated, plainly_not_secret, secret_name};

/// A secret's place in a line, and what replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) range: Range<usize>,
    pub(crate) replacement: &'static [u8],
}

const MASK: &[u8] = b"***";

/// A token format: the regex finds it, group `s` is the secret part (the rest, such as
/// a format's prefix, stays).
struct Format {
    pattern: Regex,
}

fn formats() -> &'static [Format] {
    static FORMATS: OnceLock<Vec<Format>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        [
            r"\bnvapi-(?P<s>[A-Za-z0-9_-]{8,})",
            r"\bsk-(?:proj-|or-v1-|or-|svcacct-|admin-|ant-(?:api03-|admin01-)?)?(?P<s>[A-Za-z0-9_-]{16,})",
            r"\bgh[pousr]_(?P<s>[A-Za-z0-9]{16,})",
            r"\bgithub_pat_(?P<s>[A-Za-z0-9_]{16,})",
            r"\bxox[abposre]-(?P<s>[A-Za-z0-9-]{8,})",
            r"\bdckr_pat_(?P<s>[A-Za-z0-9_-]{8,})",
            r"\bhf_(?P<s>[A-Za-z0-9]{16,})",
            r"\b(?:AKIA|ASIA)(?P<s>[A-Z0-9]{16})\b",
            r"\bglpat-(?P<s>[A-Za-z0-9_-]{20,})",
            r"\bnpm_(?P<s>[A-Za-z0-9]{36})\b",
            r"\b(?P<s>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})",
            r"(?i)\bbearer\s+(?P<s>[A-Za-z0-9._~+/=-]{8,})",
            r#"(?i)\bauthorization\s*[:=]\s*["']?basic\s+(?P<s>[A-Za-z0-9+/=]{8,})"#,
            r"(?i)\b[a-z][a-z0-9+.-]*://(?P<s>[^/\s:@]*:[^/\s@]+)@",
            r#"(?:^|[\s"'])--(?:password|passwd|token|api-key|apikey|secret|client-secret|access-token|auth-token)\s+(?P<s>[^\s"'-][^\s"']*)"#,
            r"(?i)\blogin\b[^|;&\n]*?\s-p\s+(?P<s>[^\s-]\S*)",
        ]
        .iter()
        .map(|p| Format { pattern: Regex::new(p).expect("valid secret format") })
        .collect()
    })
}

fn private_key_begin() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----").expect("valid regex"))
}

pub(crate) fn private_key_end() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----").expect("valid regex"))
}

/// Whether a line starts a private key block that it does not end.
pub(crate) fn opens_private_key(line: &[u8]) -> bool {
    private_key_begin().find_iter(line).last().is_some_and(|begin| private_key_end().find_at(line, begin.end()).is_none())
}

/// A token inside a path, a domain or a file name (`/models/hf_…`, `x.sk-…`,
/// `…/hf_abc.bin`) is a name, not a credential.
fn inside_a_name(line: &[u8], range: &Range<usize>) -> bool {
    let before = range.start.checked_sub(1).map(|i| line[i]);
    let after = line.get(range.end..).unwrap_or_default();
    matches!(before, Some(b'/' | b'.'))
        || after.first() == Some(&b'/')
        || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphabetic))
}

/// Every secret in `line`, as non-overlapping spans in order.
pub(crate) fn secret_spans(line: &[u8]) -> Vec<Span> {
    let mut spans = Vec::new();
    for format in formats() {
        for caps in format.pattern.captures_iter(line) {
            let (Some(whole), Some(secret)) = (caps.get(0), caps.name("s")) else { continue };
            if !inside_a_name(line, &whole.range()) {
                spans.push(Span { range: secret.range(), replacement: MASK });
            }
        }
    }
    assignments(line, &mut spans);
    private_keys(line, &mut spans);
    merge(spans)
}

/// Unions overlapping spans; a union of several shows the plain mask.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match out.last_mut() {
            Some(last) if span.range.start < last.range.end => {
                if span.range.end > last.range.end {
                    last.range.end = span.range.end;
                    last.replacement = MASK;
                }
            }
            _ => out.push(span),
        }
    }
    out
}

/// Private key blocks on one line: the header stays, everything to its end goes.
fn private_keys(line: &[u8], spans: &mut Vec<Span>) {
    let mut at = 0;
    let content_end = line.len() - line.iter().rev().take_while(|b| matches!(b, b'\n' | b'\r')).count();
    while let Some(begin) = private_key_begin().find_at(line, at) {
        let end = private_key_end().find_at(line, begin.end()).map_or(content_end, |m| m.start()).max(begin.end());
        // A block that goes on past the line is masked line by line by the redactor.
        if end > begin.end() {
            spans.push(Span { range: begin.end()..end, replacement: b" *** " });
        }
        at = end;
    }
}

/// `KEY=value`, `key: value`, `"key": "value"`, `key = 'value'` where the key names a
/// secret and the value is one.
fn assignments(line: &[u8], spans: &mut Vec<Span>) {
    for at in memchr::memchr2_iter(b'=', b':', line) {
        if let Some(range) = assignment_value(line, at) {
            spans.push(Span { range, replacement: MASK });
        }
    }
}

/// The secret value assigned by the separator at `sep`, when there is one.
fn assignment_value(line: &[u8], sep: usize) -> Option<Range<usize>> {
    let is_eq = line[sep] == b'=';
    // `==`, `!=`, `<=`, `>=`: comparisons and package pins, not assignments.
    if is_eq && (line.get(sep + 1) == Some(&b'=') || sep.checked_sub(1).is_some_and(|i| matches!(line[i], b'=' | b'!' | b'<' | b'>'))) {
        return None;
    }
    let key = key_before(line, sep)?;
    if !secret_name(std::str::from_utf8(&line[key.clone()]).ok()?) {
        return None;
    }
    let spaced = line.get(sep + 1).is_some_and(|b| *b == b' ' || *b == b'\t');
    let start = sep + 1 + line[sep + 1..].iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let (value, quoted) = value_at(line, start)?;
    let secret = if quoted {
        !plainly_not_secret(&line[value.clone()])
    } else if is_eq && !spaced {
        // An environment-style assignment: any real value is the secret.
        !plainly_not_secret(&line[value.clone()])
    } else {
        looks_generated(&line[value.clone()], 6)
    };
    secret.then_some(value)
}

/// The key that ends just before a separator: a quoted key (`"api_key":`) or a run of
/// key characters not inside a path, URL or image reference.
fn key_before(line: &[u8], sep: usize) -> Option<Range<usize>> {
    let mut end = sep;
    while end > 0 && matches!(line[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end > 0 && matches!(line[end - 1], b'"' | b'\'') {
        let quote = line[end - 1];
        let open = memchr::memrchr(quote, &line[..end - 1])?;
        return Some(open + 1..end - 1);
    }
    let start = line[..end].iter().rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))).map_or(0, |i| i + 1);
    let before = start.checked_sub(1).map(|i| line[i]);
    if start == end || matches!(before, Some(b'/' | b'@' | b':' | b'.')) {
        return None;
    }
    Some(start..end)
}

/// The value starting at `start`: inside its quotes when quoted (the closing quote on
/// the same line), else up to a space, a quote or a shell separator. Never crosses a
/// quote it did not open.
fn value_at(line: &[u8], start: usize) -> Option<(Range<usize>, bool)> {
    let first = *line.get(start)?;
    if matches!(first, b'"' | b'\'') {
        if let Some(close) = memchr::memchr(first, &line[start + 1..]) {
            return Some((start + 1..start + 1 + close, true));
        }
        let end = unquoted_end(line, start + 1);
        return (end > start + 1).then_some((start + 1..end, false));
    }
    // `${NAME}`: a reference runs to its brace.
    if line[start..].starts_with(b"${") {
        if let Some(close) = memchr::memchr(b'}', &line[start..]) {
            return Some((start..start + close + 1, false));
        }
    }
    let end = unquoted_end(line, start);
    (end > start).then_some((start..end, false))
}

fn unquoted_end(line: &[u8], start: usize) -> usize {
    start
        + line[start..]
            .iter()
            .take_while(|b| !(b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'&' | b'|' | b',' | b'}' | b')')))
            .count()
}

/// `line` with every span replaced.
pub(crate) fn apply(line: &[u8], spans: &[Span]) -> Vec<u8> {
    let mut out = Vec::with_capacity(line.len());
    let mut at = 0;
    for span in spans {
        out.extend_from_slice(&line[at..span.range.start]);
        out.extend_from_slice(span.replacement);
        at = span.range.end;
    }
    out.extend_from_slice(&line[at..]);
    out
}
