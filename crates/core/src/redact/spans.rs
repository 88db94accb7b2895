//! Finding the secrets in one line: the spans that can be proven to be secret values,
//! each with what is shown instead. Nothing else in the line is touched, so a masked
//! line keeps its quotes, its keys and its shape. Secrets are looked for in the text a
//! terminal shows ([`Visible`]), so hidden bytes inside one cannot hide it.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::redact::assignments::{assignments, flag_values};
use crate::redact::formats::{formatted, url_userinfo};
use crate::redact::redactor::may_hold_secret;
use crate::screen::{has_hidden, Visible};

/// A secret's place in a line, and what replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) range: Range<usize>,
    pub(crate) replacement: &'static [u8],
}

const MASK: &[u8] = b"***";
const KEY_MASK: &[u8] = b" *** ";

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

/// Every secret in `line`, as non-overlapping spans in order.
pub(crate) fn secret_spans(line: &[u8]) -> Vec<Span> {
    if !has_hidden(line) {
        return spans_in(line);
    }
    let visible = Visible::of(line);
    if !may_hold_secret(&visible.text) {
        return Vec::new();
    }
    let spans = spans_in(&visible.text).into_iter().map(|s| Span { range: visible.origin(s.range), replacement: s.replacement });
    merge(spans.collect())
}

fn spans_in(line: &[u8]) -> Vec<Span> {
    let mut secrets = Vec::new();
    // Whatever a format finds holds one of the redactor's triggers, in ASCII text: an
    // ASCII line without one skips the formats' patterns (and a run whose answer shows
    // no such line never compiles them). Past ASCII, case folding reaches further (`ſ`
    // matches `s`), and every line is searched.
    if !line.is_ascii() || may_hold_secret(line) {
        formatted(line, &mut secrets);
    }
    url_userinfo(line, &mut secrets);
    assignments(line, &mut secrets);
    flag_values(line, &mut secrets);
    let mut spans: Vec<Span> = secrets.into_iter().map(|range| Span { range, replacement: MASK }).collect();
    private_keys(line, &mut spans);
    merge(spans)
}

/// Unions overlapping spans; a union of several shows the plain mask.
fn merge(mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| !s.range.is_empty());
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
            spans.push(Span { range: begin.end()..end, replacement: KEY_MASK });
        }
        at = end;
    }
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
