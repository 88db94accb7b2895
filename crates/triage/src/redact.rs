//! Masking secrets in any text we print. Build logs carry API keys (`-- env
//! BRAVE_API_KEY=…`), credentialed proxy URLs and tokens; none of that may leave in an
//! evidence line, a fact or a report. Image references and `sha256:` digests are kept.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

struct Masker {
    pattern: Regex,
    /// What replaces a match; `$name` refers to the pattern's groups.
    replacement: &'static str,
}

fn maskers() -> &'static [Masker] {
    static M: OnceLock<Vec<Masker>> = OnceLock::new();
    M.get_or_init(|| {
        let m = |pattern: &str, replacement: &'static str| Masker { pattern: Regex::new(pattern).expect("valid redaction regex"), replacement };
        vec![
            m(r"-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)", "-----BEGIN PRIVATE KEY----- *** -----END PRIVATE KEY-----"),
            m(r"\b(?P<p>nvapi-)[A-Za-z0-9_-]{8,}", "${p}***"),
            m(r"\b(?P<p>sk-(?:proj-|or-v1-|or-|ant-(?:api03-)?)?)[A-Za-z0-9_-]{16,}", "${p}***"),
            m(r"\b(?P<p>gh[pousr]_)[A-Za-z0-9]{16,}", "${p}***"),
            m(r"\b(?P<p>github_pat_)[A-Za-z0-9_]{16,}", "${p}***"),
            m(r"\b(?P<p>xox[abposre]-)[A-Za-z0-9-]{8,}", "${p}***"),
            m(r"\b(?P<p>dckr_pat_)[A-Za-z0-9_-]{8,}", "${p}***"),
            m(r"\b(?P<p>hf_)[A-Za-z0-9]{16,}", "${p}***"),
            m(r"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b", "AKIA***"),
            m(r"(?i)\b(?P<p>bearer\s+)[A-Za-z0-9._~+/=-]{8,}", "${p}***"),
            m(r"(?i)\b(?P<p>[a-z][a-z0-9+.-]*://)[^/\s:@]+:[^/\s@]+@", "${p}***@"),
            m(
                r#"(?i)\b(?P<k>[a-z0-9_]*(?:api_?key|token|secret|password|passwd|credentials?)[a-z0-9_]*)(?P<sep>\s*[=:]\s*)(?:"[^"]*"|'[^']*'|[^\s"';&|,}]+)"#,
                "${k}${sep}***",
            ),
        ]
    })
}

/// `text` with every secret masked; borrowed when there was nothing to mask.
#[must_use]
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    for masker in maskers() {
        if masker.pattern.is_match(&out) {
            out = Cow::Owned(masker.pattern.replace_all(&out, masker.replacement).into_owned());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----", "MIIEabc"),
        ];
        for (input, secret) in cases {
            let out = redact(input);
            assert!(!out.contains(secret), "{input} -> {out}");
        }
        let keep = "Built image openshell/sandbox-from:1786000000 sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa localhost:5000/x:y";
        assert_eq!(redact(keep), keep);
    }
}
