//! Secrets by the name they are given: `KEY=value`, `key: value`, `"key": "value"`,
//! `{\"key\":\"value\"}` and `--flag value`, where the key names a secret and the value
//! is one. Every scan is bounded, and a separator inside a value already read is part
//! of that value, so a line costs time in proportion to its length.

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::Regex;

use crate::redact::keys::{looks_generated, plainly_not_secret, secret_source, strength, Strength};

/// Keys longer than this are not keys.
const KEY_MAX: usize = 256;
/// A closing quote or brace is looked for this far at most.
const VALUE_MAX: usize = 64 * 1024;

/// `KEY=value` and `key: value` assignments holding a secret.
pub(crate) fn assignments(line: &[u8], spans: &mut Vec<Range<usize>>) {
    let mut read_until = 0;
    for at in memchr::memchr2_iter(b'=', b':', line) {
        if at < read_until {
            continue;
        }
        if let Some((value, secret)) = assignment_value(line, at) {
            read_until = value.end;
            if secret {
                spans.push(value);
            }
        }
    }
}

/// `--db-password VALUE`, `--hf-token "VALUE"`: a flag whose name names a secret, and
/// its value (`--flag=VALUE` is an assignment).
pub(crate) fn flag_values(line: &[u8], spans: &mut Vec<Range<usize>>) {
    static FLAG: OnceLock<Regex> = OnceLock::new();
    let flag = FLAG.get_or_init(|| Regex::new(r#"(?:^|[\s"'(\[,])--(?P<name>[A-Za-z][A-Za-z0-9_-]{0,100})[ \t]+"#).expect("valid regex"));
    for caps in flag.captures_iter(line) {
        let (Some(name), Some(whole)) = (caps.name("name"), caps.get(0)) else { continue };
        let Some(strength) = std::str::from_utf8(name.as_bytes()).ok().and_then(strength) else { continue };
        let Some((value, quoted)) = value_at(line, whole.end()) else { continue };
        // `name` follows `--`.
        if (!quoted && line[value.start] == b'-') || secret_source(&line[name.start() - 2..name.end()], &line[value.clone()]) {
            continue;
        }
        if is_secret(&line[value.clone()], strength, true) {
            spans.push(value);
        }
    }
}

/// Whether a value under a secret's name is the secret. `plain` is whether prose cannot
/// be there: inside quotes, after `=` with no space, after a flag.
fn is_secret(value: &[u8], strength: Strength, plain: bool) -> bool {
    match strength {
        Strength::Weak => looks_generated(value, 8),
        Strength::Sure if plain => !plainly_not_secret(value),
        Strength::Sure => looks_generated(value, 6),
    }
}

/// The value assigned by the separator at `sep`, and whether it is a secret; `None`
/// when the key names no secret.
fn assignment_value(line: &[u8], sep: usize) -> Option<(Range<usize>, bool)> {
    let is_eq = line[sep] == b'=';
    // `==`, `!=`, `<=`, `>=`: comparisons and package pins, not assignments.
    if is_eq && (line.get(sep + 1) == Some(&b'=') || sep.checked_sub(1).is_some_and(|i| matches!(line[i], b'=' | b'!' | b'<' | b'>'))) {
        return None;
    }
    let key = std::str::from_utf8(&line[key_before(line, sep)?]).ok()?;
    let strength = strength(key)?;
    let spaced = line.get(sep + 1).is_some_and(|b| *b == b' ' || *b == b'\t');
    let start = sep + 1 + line[sep + 1..].iter().take(KEY_MAX).take_while(|b| **b == b' ' || **b == b'\t').count();
    let (value, quoted) = value_at(line, start)?;
    let secret =
        is_secret(&line[value.clone()], strength, quoted || (is_eq && !spaced)) && !secret_source(key.as_bytes(), &line[value.clone()]);
    Some((value, secret))
}

/// The key that ends just before a separator: a quoted key (`"api_key":`, `\"api_key\":`)
/// or a run of key characters not inside a path, URL or image reference.
fn key_before(line: &[u8], sep: usize) -> Option<Range<usize>> {
    let floor = sep.saturating_sub(KEY_MAX);
    let mut end = sep;
    while end > floor && matches!(line[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    if end > floor && matches!(line[end - 1], b'"' | b'\'') {
        let quote = line[end - 1];
        let escaped = end >= 2 && line[end - 2] == b'\\';
        let close = if escaped { end - 2 } else { end - 1 };
        let open = memchr::memrchr(quote, &line[floor..close])? + floor;
        return Some(open + 1..close);
    }
    let start = line[floor..end]
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')))
        .map_or(floor, |i| floor + i + 1);
    let before = start.checked_sub(1).map(|i| line[i]);
    if start == end || (start == floor && floor > 0) || matches!(before, Some(b'/' | b'@' | b':' | b'.')) {
        return None;
    }
    Some(start..end)
}

/// The value starting at `start`, and whether it was quoted: inside its quotes (plain or
/// escaped, `\"…\"`), a whole `${…}`, `{{…}}` or `$(…)` expression, else up to a space
/// or a quote, without trailing punctuation.
pub(crate) fn value_at(line: &[u8], start: usize) -> Option<(Range<usize>, bool)> {
    let rest = line.get(start..)?;
    let window = &rest[..rest.len().min(VALUE_MAX)];
    let first = *window.first()?;
    if matches!(first, b'"' | b'\'') {
        if let Some(close) = memchr::memchr(first, &window[1..]) {
            return Some((start + 1..start + 1 + close, true));
        }
        let end = unquoted_end(rest, 1);
        return (end > 1).then_some((start + 1..start + end, false));
    }
    if first == b'\\' && matches!(window.get(1), Some(b'"' | b'\'')) {
        let close = [b'\\', window[1]];
        if let Some(close) = memchr::memmem::find(&window[2..], &close) {
            return Some((start + 2..start + 2 + close, true));
        }
    }
    for (open, close) in [(b"${{".as_slice(), b"}}".as_slice()), (b"{{", b"}}"), (b"${", b"}"), (b"$(", b")")] {
        if window.starts_with(open) {
            if let Some(end) = memchr::memmem::find(window, close) {
                return Some((start..start + end + close.len(), false));
            }
        }
    }
    let end = unquoted_end(rest, 0);
    (end > 0).then_some((start..start + end, false))
}

/// Up to a space or a quote (a password may hold any other punctuation), without the
/// punctuation that closes what holds the value (`,`, `;`, `)`, `}`, `]`).
fn unquoted_end(text: &[u8], from: usize) -> usize {
    let stops = |i: usize| {
        let b = text[i];
        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'') || (b == b'\\' && matches!(text.get(i + 1), Some(b'"' | b'\'')))
    };
    let mut end = (from..text.len()).find(|&i| stops(i)).unwrap_or(text.len());
    while end > from && matches!(text[end - 1], b',' | b';' | b')' | b'}' | b']') {
        end -= 1;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn masked(line: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        assignments(line.as_bytes(), &mut spans);
        flag_values(line.as_bytes(), &mut spans);
        spans.into_iter().map(|r| &line[r]).collect()
    }

    #[test]
    fn values_under_secret_names() {
        assert_eq!(masked(r#"{\"password\":\"hunter2\"}"#), ["hunter2"]);
        assert_eq!(masked(r#"PASSWORD=\"hunter2xyz\""#), ["hunter2xyz"]);
        assert_eq!(masked("DB_PASSWORD=Abc;Def123"), ["Abc;Def123"]);
        assert_eq!(masked("x PASSWORD=abc; echo"), ["abc"]);
        assert_eq!(masked(r#"tool --password "hunter2" --verbose"#), ["hunter2"]);
        assert_eq!(masked("create --registry-password Hunter2a --db-password hunter2b"), ["Hunter2a", "hunter2b"]);
        assert_eq!(masked(r#"{"auths":{"nvcr.io":{"auth":"JG9hdXRodG9rZW46bnZhcGktc2VjcmV0"}}}"#), ["JG9hdXRodG9rZW46bnZhcGktc2VjcmV0"]);
        assert_eq!(masked("_auth=dXNlcjpodW50ZXIy"), ["dXNlcjpodW50ZXIy"]);
        assert_eq!(masked("PGPASSWORD=hunter2 psql -h db"), ["hunter2"]);
        assert_eq!(
            masked("    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ"),
            ["LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQ"]
        );
    }

    #[test]
    fn names_and_references_stay() {
        for line in [
            "credential: Missing",
            "password: Required",
            "RUN --mount=type=secret,id=tok TOKEN=$(cat /run/secrets/tok) npm ci",
            "password: ${{ secrets.DB_PASSWORD }}",
            r#"secret: "{{ .Values.secret }}""#,
            "GITHUB_TOKEN: ${GITHUB_TOKEN:-}",
            "  apiKey: process.env.OPENAI_API_KEY",
            "auth: ldap",
            "--password-stdin < file",
            "--token-file /run/token",
            "max_tokens=4096",
        ] {
            assert!(masked(line).is_empty(), "{line}: {:?}", masked(line));
        }
    }

    #[test]
    fn chains_of_assignments_are_read_once() {
        let line = "password=".repeat(50_000);
        let mut spans = Vec::new();
        assignments(line.as_bytes(), &mut spans);
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].start, "password=".len());
    }
}
