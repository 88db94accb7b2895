//! Secrets by their shape: tokens with a known prefix, credentials in a URL's userinfo,
//! and the password arguments of commands that take one (`docker login -p`, `mysql
//! -pPASS`, `curl -u user:pass`, `.netrc` lines).

use std::ops::Range;
use std::sync::OnceLock;

use regex::bytes::{Captures, Regex};

use crate::redact::keys::looks_generated;

/// A URL's authority is looked at this far at most.
const AUTHORITY_MAX: usize = 4096;

/// What a format's secret part must also be, beyond matching its pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Anything the pattern matches.
    Any,
    /// A key, not a name: with a known prefix (`sk-proj-`), or holding a digit or a
    /// capital (`sk-video-processing-toolkit` is a package).
    Key,
    /// A token, not a word of prose (`Bearer authentication required`).
    NotAWord,
}

/// Formats: the regex finds one, group `s` is the secret part (the rest, such as the
/// format's prefix or the command, stays).
fn formats() -> &'static [(Regex, Shape)] {
    static FORMATS: OnceLock<Vec<(Regex, Shape)>> = OnceLock::new();
    FORMATS.get_or_init(|| {
        [
            (r"\bnvapi-(?P<s>[A-Za-z0-9_-]{8,})", Shape::Any),
            (r"\bsk-(?P<p>proj-|or-v1-|or-|svcacct-|admin-|ant-(?:api03-|admin01-)?)?(?P<s>[A-Za-z0-9_-]{16,})", Shape::Key),
            (r"\bgh[pousr]_(?P<s>[A-Za-z0-9]{16,})", Shape::Any),
            (r"\bgithub_pat_(?P<s>[A-Za-z0-9_]{16,})", Shape::Any),
            // Slack: bot, user, app-level, refresh, client and cookie tokens.
            (r"\b(?:xoxe\.)?(?:xox[abcdeoprs]|xapp)-(?P<s>[A-Za-z0-9%-]{8,})", Shape::Any),
            (r"\bhttps?://hooks\.slack\.com/(?:services|workflows|triggers)/(?P<s>[A-Za-z0-9_/-]{8,})", Shape::Any),
            (r"\bdckr_pat_(?P<s>[A-Za-z0-9_-]{8,})", Shape::Any),
            (r"\bhf_(?P<s>[A-Za-z0-9]{16,})", Shape::Any),
            (r"\b(?:AKIA|ASIA)(?P<s>[A-Z0-9]{16})\b", Shape::Any),
            (r"\bglpat-(?P<s>[A-Za-z0-9_-]{20,})", Shape::Any),
            (r"\bnpm_(?P<s>[A-Za-z0-9]{36})\b", Shape::Any),
            // Stripe's secret and restricted keys, live and test.
            (r"\b[rs]k_(?:live|test)_(?P<s>[A-Za-z0-9]{16,})", Shape::Any),
            // Google: an API key, an OAuth access token.
            (r"\bAIza(?P<s>[A-Za-z0-9_-]{35})", Shape::Any),
            (r"\bya29\.(?P<s>[A-Za-z0-9_-]{20,})", Shape::Any),
            (r"\bSG\.(?P<s>[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})", Shape::Any),
            // PyPI's upload tokens are macaroons: `AgE` starts every one.
            (r"\bpypi-(?P<s>AgE[A-Za-z0-9_-]{50,})", Shape::Any),
            (r"\bgsk_(?P<s>[A-Za-z0-9]{20,})", Shape::Any),
            (r"\br8_(?P<s>[A-Za-z0-9]{20,})", Shape::Any),
            (r"\b(?P<s>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})", Shape::Any),
            (r#"(?i)\bbearer\s+["']?(?P<s>[A-Za-z0-9._~+/=-]{8,})"#, Shape::NotAWord),
            (r#"(?i)\bauthorization\s*[:=]\s*["']?basic\s+["']?(?P<s>[A-Za-z0-9+/=]{8,})"#, Shape::Any),
            // `docker login -u bot -p PASS` and `-pPASS`.
            (r"(?i)\blogin\b[^|;&\n]*?\s-p(?:[ \t]+|=)?(?P<s>[^\s\-]\S*)", Shape::Any),
            // MySQL and MariaDB take the password attached: `-pPASS`.
            (r"(?i)\b(?:mysql|mysqldump|mysqladmin|mariadb)\b[^|;&\n]*?\s-p(?P<s>[^\s\-]\S*)", Shape::Any),
            (r#"(?i)\bcurl\b[^|;&\n]*?\s(?:-u|--user)(?:[ \t]+|=)?["']?[^\s:"']*:(?P<s>[^\s"']+)"#, Shape::Any),
            // `.netrc`: `machine HOST login USER password PASS`.
            (r"(?i)\b(?:machine[ \t]+\S+|default)\b[^\n]*?\bpassword[ \t]+(?P<s>\S+)", Shape::Any),
        ]
        .iter()
        .map(|(p, shape)| (Regex::new(p).expect("valid secret format"), *shape))
        .collect()
    })
}

/// Whether what a format found has the shape its secrets have.
fn has_shape(shape: Shape, caps: &Captures<'_>, secret: &[u8]) -> bool {
    match shape {
        Shape::Any => true,
        Shape::Key => caps.name("p").is_some() || secret.iter().any(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        Shape::NotAWord => !is_word(secret),
    }
}

/// A word of prose: letters in one case, or capitalised, shorter than any token, and
/// perhaps the end of a sentence (`authentication`, `Tokenization.`).
fn is_word(text: &[u8]) -> bool {
    let word = text.strip_suffix(b".").unwrap_or(text);
    let Some((first, rest)) = word.split_first() else { return false };
    word.len() < 24
        && first.is_ascii_alphabetic()
        && (rest.iter().all(u8::is_ascii_lowercase) || (first.is_ascii_uppercase() && rest.iter().all(u8::is_ascii_uppercase)))
}

/// Every format's secrets in `line`.
pub(crate) fn formatted(line: &[u8], spans: &mut Vec<Range<usize>>) {
    for (format, shape) in formats() {
        for caps in format.captures_iter(line) {
            let (Some(whole), Some(secret)) = (caps.get(0), caps.name("s")) else { continue };
            if has_shape(*shape, &caps, secret.as_bytes()) && !inside_a_name(line, &whole.range()) {
                spans.push(secret.range());
            }
        }
    }
}

/// A token inside a path, a domain or a file name (`/models/hf_…`, `x.sk-…`,
/// `…/hf_abc.bin`) is a name, not a credential; right after `://` it is a URL's
/// userinfo.
fn inside_a_name(line: &[u8], range: &Range<usize>) -> bool {
    let before = range.start.checked_sub(1).map(|i| line[i]);
    let after = line.get(range.end..).unwrap_or_default();
    let in_userinfo = line[..range.start].ends_with(b"://");
    (!in_userinfo && matches!(before, Some(b'/' | b'.')))
        || after.first() == Some(&b'/')
        || (after.first() == Some(&b'.') && after.get(1).is_some_and(u8::is_ascii_alphabetic))
}

/// A URL's userinfo: `user:pass` (whole), or a token alone (`https://ghp_…@github.com`).
/// A plain user name (`ssh://git@host`) stays. An `@` in an unencoded password belongs
/// to it: the userinfo runs to the authority's last `@`.
pub(crate) fn url_userinfo(line: &[u8], spans: &mut Vec<Range<usize>>) {
    for scheme_end in memchr::memmem::find_iter(line, b"://") {
        if !scheme_end.checked_sub(1).is_some_and(|i| line[i].is_ascii_alphanumeric()) {
            continue;
        }
        let start = scheme_end + 3;
        let rest = &line[start..line.len().min(start + AUTHORITY_MAX)];
        let authority = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'?' | b'#' | b'"' | b'\'' | b'<' | b'>' | b'`' | b'\\'));
        let authority = &rest[..authority.unwrap_or(rest.len())];
        let Some(at) = memchr::memrchr(b'@', authority) else { continue };
        let info = &authority[..at];
        if !info.is_empty() && (info.contains(&b':') || looks_generated(info, 8)) {
            spans.push(start..start + at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(line: &str) -> Vec<&str> {
        let mut spans = Vec::new();
        formatted(line.as_bytes(), &mut spans);
        url_userinfo(line.as_bytes(), &mut spans);
        spans.sort_by_key(|r| r.start);
        spans.into_iter().map(|r| &line[r]).collect()
    }

    #[test]
    fn commands_that_take_a_password() {
        assert_eq!(found("docker login -u bot -phunter2 registry.io"), ["hunter2"]);
        assert_eq!(found("docker login -u bot -p hunter2 registry.io"), ["hunter2"]);
        assert_eq!(found("mysql -u root -phunter2 -h db"), ["hunter2"]);
        assert_eq!(found("curl -u admin:hunter2 https://x"), ["hunter2"]);
        assert_eq!(found("machine github.com login bob password hunter2"), ["hunter2"]);
        assert_eq!(found(r#"curl -H 'Authorization: Bearer "abcdefgh12345678"'"#), ["abcdefgh12345678"]);
        assert!(found("mkdir -p /opt/app && mysql --version").is_empty());
    }

    #[test]
    fn words_and_package_names_are_not_tokens() {
        assert!(found("401: Bearer authentication required").is_empty());
        assert!(found("bearer Tokenization.").is_empty());
        assert_eq!(found("Bearer abcdefghijklmnopqrstuvwxyzabcdef"), ["abcdefghijklmnopqrstuvwxyzabcdef"]);
        assert_eq!(found("Bearer abcdefgh1"), ["abcdefgh1"]);
        assert!(found("pip install sk-video-processing-toolkit").is_empty());
        assert_eq!(found("sk-proj-abcdefghijklmnopqrstuv"), ["abcdefghijklmnopqrstuv"]);
        assert_eq!(found("sk-4f9a1c2e7b8d4e6f9a0b1c2d3e4f5a6b"), ["4f9a1c2e7b8d4e6f9a0b1c2d3e4f5a6b"]);
    }

    #[test]
    fn userinfo_in_urls() {
        assert_eq!(found("git clone https://ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZ012345@github.com/org/repo.git").len(), 2);
        assert_eq!(found("https://user:p@ss@host.example.com/"), ["user:p@ss"]);
        assert_eq!(found("proxy http://admin:S3cret@proxy.corp:3128"), ["admin:S3cret"]);
        assert!(found("ssh://git@github.com/org/repo.git").is_empty());
        assert!(found("see https://example.com/@user and git@github.com:org/repo").is_empty());
        assert!(found("/models/hf_abcdefghijklmnopqrstu/config.json").is_empty());
    }
}
