//! The maskers: one per secret format, each with the literals that trigger it.

use std::borrow::Cow;
use std::sync::OnceLock;

use aho_corasick::{packed, AhoCorasick};
use regex::bytes::Regex;

pub(crate) struct Masker {
    /// Lowercase literals one of which any match contains.
    triggers: &'static [&'static str],
    pattern: Regex,
    /// What replaces a match; `${name}` refers to the pattern's groups. Empty for a
    /// `key=value` masker, which keeps the key and the value's quotes.
    replacement: &'static [u8],
}

/// `key=value`, `key: "value"`, `"key": 'value'`: the key and quotes stay, the value goes.
fn mask_value(caps: &regex::bytes::Captures<'_>) -> Vec<u8> {
    let value = caps.name("v").map_or(&b""[..], |m| m.as_bytes());
    // A shell variable reference (`"${API_TOKEN:?}"`, a placeholder) holds no secret.
    if shell_reference().is_match(value) {
        return caps.get(0).map_or(Vec::new(), |m| m.as_bytes().to_vec());
    }
    let mut out = Vec::new();
    out.extend_from_slice(caps.name("k").map_or(&b""[..], |m| m.as_bytes()));
    out.extend_from_slice(caps.name("sep").map_or(&b""[..], |m| m.as_bytes()));
    let value = caps.name("v").map_or(&b""[..], |m| m.as_bytes());
    match value.first() {
        Some(&q @ (b'"' | b'\'')) => {
            out.push(q);
            out.extend_from_slice(b"***");
            out.push(q);
        }
        _ => out.extend_from_slice(b"***"),
    }
    out
}

pub(crate) struct Maskers {
    pub(crate) list: Vec<Masker>,
    /// Every trigger, for finding which maskers a text needs.
    pub(crate) triggers: AhoCorasick,
    /// For each trigger, the masker it belongs to.
    pub(crate) owner: Vec<usize>,
    /// The same triggers, less `@`, for searching whole lowercased chunks (a one-byte
    /// literal would slow the packed searcher down tenfold; `memchr` finds `@`).
    pub(crate) chunk: Option<packed::Searcher>,
    pub(crate) all_triggers: Vec<String>,
}

pub(crate) fn maskers() -> &'static Maskers {
    static M: OnceLock<Maskers> = OnceLock::new();
    M.get_or_init(|| {
        let m = |triggers: &'static [&'static str], pattern: &str, replacement: &'static str| Masker {
            triggers,
            pattern: Regex::new(pattern).expect("valid redaction regex"),
            replacement: replacement.as_bytes(),
        };
        let list = vec![
            m(&["nvapi-"], r"\b(?P<p>nvapi-)[A-Za-z0-9_-]{8,}", "${p}***"),
            m(&["sk-"], r"\b(?P<p>sk-(?:proj-|or-v1-|or-|ant-(?:api03-)?)?)[A-Za-z0-9_-]{16,}", "${p}***"),
            m(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], r"\b(?P<p>gh[pousr]_)[A-Za-z0-9]{16,}", "${p}***"),
            m(&["github_pat_"], r"\b(?P<p>github_pat_)[A-Za-z0-9_]{16,}", "${p}***"),
            m(&["xoxa-", "xoxb-", "xoxp-", "xoxo-", "xoxs-", "xoxr-", "xoxe-"], r"\b(?P<p>xox[abposre]-)[A-Za-z0-9-]{8,}", "${p}***"),
            m(&["dckr_pat_"], r"\b(?P<p>dckr_pat_)[A-Za-z0-9_-]{8,}", "${p}***"),
            m(&["hf_"], r"\b(?P<p>hf_)[A-Za-z0-9]{16,}", "${p}***"),
            m(&["akia", "asia"], r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", "AKIA***"),
            m(&["bearer"], r"(?i)\b(?P<p>bearer\s+)[A-Za-z0-9._~+/=-]{8,}", "${p}***"),
            m(&["@"], r"(?i)\b(?P<p>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", "${p}***@"),
            m(
                &["api_key", "apikey", "api-key", "token", "secret", "password", "passwd", "credential"],
                r#"(?i)\b(?P<k>[a-z0-9_-]*(?:api[_-]?key|token|secret|password|passwd|credentials?)[a-z0-9_]*)(?P<sep>["']?\s*[=:]\s*)(?P<v>"[^"]*"|'[^']*'|[^\s"';&|,}]+)"#,
                "",
            ),
        ];
        let mut all_triggers = Vec::new();
        let mut owner = Vec::new();
        for (i, masker) in list.iter().enumerate() {
            for t in masker.triggers {
                all_triggers.push((*t).to_owned());
                owner.push(i);
            }
        }
        all_triggers.push("private key".to_owned());
        owner.push(usize::MAX);
        let triggers = AhoCorasick::builder().ascii_case_insensitive(true).build(&all_triggers).expect("literal triggers");
        let chunk = packed::Config::new().builder().extend(all_triggers.iter().filter(|t| *t != "@")).build();
        Maskers { list, triggers, owner, chunk, all_triggers }
    })
}

fn shell_reference() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r#"^"?\$(?:\{[A-Za-z_][A-Za-z0-9_]*(?::\?)?\}|[A-Za-z_][A-Za-z0-9_]*)"?$"#).expect("valid regex"))
}

pub(crate) fn pem_begin() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----").expect("valid regex"))
}

pub(crate) fn pem_end() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"-----END [A-Z0-9 ]*PRIVATE KEY-----").expect("valid regex"))
}

/// `text` with every secret masked; borrowed when there was nothing to mask. A PEM
/// private key is masked from its `BEGIN` line to its `END` line (or the end of `text`).
#[must_use]
pub fn redact_bytes(text: &[u8]) -> Cow<'_, [u8]> {
    let maskers = maskers();
    let mut needed = vec![false; maskers.list.len()];
    let mut pem = false;
    for m in maskers.triggers.find_overlapping_iter(text) {
        match maskers.owner[m.pattern().as_usize()] {
            usize::MAX => pem = true,
            i => needed[i] = true,
        }
    }
    let mut out = Cow::Borrowed(text);
    for (i, masker) in maskers.list.iter().enumerate() {
        if needed[i] && masker.pattern.is_match(&out) {
            let replaced = if masker.replacement.is_empty() {
                masker.pattern.replace_all(&out, |caps: &regex::bytes::Captures<'_>| mask_value(caps)).into_owned()
            } else {
                masker.pattern.replace_all(&out, masker.replacement).into_owned()
            };
            out = Cow::Owned(replaced);
        }
    }
    if pem {
        if let Some(begin) = pem_begin().find(&out) {
            let end = pem_end().find_at(&out, begin.end()).map_or(out.len(), |m| m.start());
            let mut masked = out[..begin.end()].to_vec();
            masked.extend_from_slice(b" *** ");
            masked.extend_from_slice(&out[end..]);
            out = Cow::Owned(masked);
        }
    }
    out
}

/// [`redact_bytes`] for text.
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    match redact_bytes(text.as_bytes()) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        // Maskers replace whole matches with ASCII, so UTF-8 stays UTF-8.
        Cow::Owned(bytes) => Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())),
    }
}

/// The trigger literals (for benchmarks and docs).
#[must_use]
pub fn triggers() -> &'static [String] {
    &maskers().all_triggers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redact::Redactor;

    #[test]
    fn masks_every_format_and_keeps_images() {
        let cases = [
            ("NVIDIA_API_KEY=nvapi-abcdefghijklmnop1234", "nvapi-abcdefghijklmnop1234"),
            ("key sk-proj-abcdefghijklmnopqrstuv", "abcdefghijklmnopqrstuv"),
            ("token ghp_abcdefghijklmnopqrstuvwx", "abcdefghijklmnopqrstuvwx"),
            ("github_pat_11ABCDEFG0123456789_abcdef", "0123456789_abcdef"),
            ("slack xoxb-1234567890-abcdef", "1234567890-abcdef"),
            ("dckr_pat_abcdefghijkl", "abcdefghijkl"),
            ("hf_abcdefghijklmnopqrstu", "abcdefghijklmnopqrstu"),
            ("AKIAABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOP"),
            ("Authorization: Bearer abc.def.ghi-123", "abc.def.ghi-123"),
            ("https_proxy=http://user:hunter2@proxy:3128", "hunter2"),
            ("BRAVE_API_KEY=BSAsecretvalue", "BSAsecretvalue"),
            ("DB_PASSWORD='p a s s'", "p a s s"),
            ("{\"api_key\": \"k3y-in-json\"}", "k3y-in-json"),
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----", "MIIEabc"),
        ];
        for (input, secret) in cases {
            let out = redact(input);
            assert!(!out.contains(secret), "{input} -> {out}");
        }
        assert_eq!(redact("{\"api_key\": \"k3y\", \"n\": 1}"), "{\"api_key\": \"***\", \"n\": 1}");
        let placeholder = r#"env SLACK_BOT_TOKEN="${SLACK_BOT_TOKEN:?}" API_TOKEN=$API_TOKEN prog"#;
        assert_eq!(redact(placeholder), placeholder);
        assert_eq!(redact("DB_PASSWORD=$ecret-value"), "DB_PASSWORD=***");
        let keep = "Built image openshell/sandbox-from:1786000000 sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa localhost:5000/x:y npm:@openclaw/brave-plugin@1";
        assert_eq!(redact(keep), keep);
    }

    fn stream(input: &[u8], piece: usize) -> Vec<u8> {
        let mut redactor = Redactor::new();
        let mut out = Vec::new();
        for chunk in input.chunks(piece.max(1)) {
            redactor.push(chunk, &mut out);
        }
        redactor.finish(&mut out);
        out
    }

    #[test]
    fn streaming_keeps_every_other_byte() {
        let input = b"ok \xff\xfe line\nNVIDIA_API_KEY=nvapi-abcdefghijklmnop1234 tail\n-----BEGIN PRIVATE KEY-----\nAAAA\nBBBB\n-----END PRIVATE KEY-----\nafter\nno newline at end";
        let expected = b"ok \xff\xfe line\nNVIDIA_API_KEY=*** tail\n-----BEGIN PRIVATE KEY-----\n***\n***\n-----END PRIVATE KEY-----\nafter\nno newline at end".to_vec();
        for piece in [1, 3, 7, 64, 4096] {
            assert_eq!(String::from_utf8_lossy(&stream(input, piece)), String::from_utf8_lossy(&expected), "piece {piece}");
        }
    }
}
