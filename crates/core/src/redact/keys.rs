//! Whether a key names a secret, and whether a value looks like one.
//!
//! A key names a secret by its last word (`GITHUB_TOKEN`, `db.password`, `apiKey`,
//! `X-Api-Key`), never by a substring: `TOKENIZERS_PARALLELISM`, `max_tokens` and
//! `tokenizer` hold no secret. A value is a secret unless it is plainly something else:
//! a boolean, a number, empty, a reference to a variable, or (after `key: `, where prose
//! is common) a plain word.

/// Last words that name a secret.
const SECRET_WORDS: &[&str] =
    &["password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "apikey", "credential", "credentials", "privatekey"];
/// `<qualifier>_key` pairs that name a secret.
const SECRET_KEY_QUALIFIERS: &[&str] = &["api", "access", "private", "secret", "signing", "encryption", "master", "client", "auth"];

/// The words of a key: split on `_`, `-`, `.` and lower-to-upper case changes.
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in key.chars() {
        let boundary = matches!(c, '_' | '-' | '.') || (c.is_ascii_uppercase() && previous_lower);
        if boundary && !word.is_empty() {
            out.push(std::mem::take(&mut word));
        }
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Whether a key (an environment variable, a flag, a JSON or YAML key, a header) names
/// a secret.
#[must_use]
pub fn secret_name(key: &str) -> bool {
    let words = words(key);
    let Some(last) = words.last() else { return false };
    if SECRET_WORDS.contains(&last.as_str()) {
        return true;
    }
    last == "key" && words.len() >= 2 && SECRET_KEY_QUALIFIERS.contains(&words[words.len() - 2].as_str())
}

/// A value that is plainly not a secret: empty, a boolean or null, a number, a
/// variable reference, or already masked.
pub(crate) fn plainly_not_secret(value: &[u8]) -> bool {
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || matches!(lower.as_slice(), b"true" | b"false" | b"yes" | b"no" | b"on" | b"off" | b"null" | b"none" | b"nil" | b"***")
        || value.iter().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
        || is_variable_reference(value)
}

/// `$NAME`, `${NAME}`, `${NAME:?}`: a placeholder, not a value.
fn is_variable_reference(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"$") else { return false };
    let name = match rest.strip_prefix(b"{").and_then(|r| r.strip_suffix(b"}")) {
        Some(inner) => inner.strip_suffix(b":?").unwrap_or(inner),
        None => rest,
    };
    !name.is_empty() && !name[0].is_ascii_digit() && name.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// A value that looks generated rather than written: a digit or a mix of cases or
/// symbols among letters, at least `min` bytes. `missing`, `unexpected`, `required`
/// do not; `hunter22`, `k3y-in-json`, `BSAsecretvalue` do.
pub(crate) fn looks_generated(value: &[u8], min: usize) -> bool {
    if value.len() < min || plainly_not_secret(value) {
        return false;
    }
    let digit = value.iter().any(u8::is_ascii_digit);
    let upper = value.iter().any(u8::is_ascii_uppercase);
    let lower = value.iter().any(u8::is_ascii_lowercase);
    let symbol = value.iter().any(u8::is_ascii_punctuation);
    (digit && (upper || lower)) || (upper && lower) || (symbol && (upper || lower || digit))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_secrets_by_their_last_word() {
        for key in [
            "GITHUB_TOKEN",
            "NVIDIA_API_KEY",
            "db.password",
            "apiKey",
            "X-Api-Key",
            "--password",
            "client_secret",
            "_authToken",
            "SMTP_PASS",
            "DB_PWD",
        ] {
            assert!(secret_name(key), "{key}");
        }
        for key in ["TOKENIZERS_PARALLELISM", "max_tokens", "tokenizer", "TOKEN_URL", "API_KEY_FILE", "key", "credential_helper", "passed"]
        {
            assert!(!secret_name(key), "{key}");
        }
    }

    #[test]
    fn values_that_are_plainly_something_else() {
        for value in ["false", "1", "4096", "", "${TOKEN:?}", "$TOKEN", "null"] {
            assert!(plainly_not_secret(value.as_bytes()), "{value}");
        }
        assert!(!looks_generated(b"missing", 6));
        assert!(!looks_generated(b"unexpected", 6));
        assert!(looks_generated(b"hunter22", 6));
        assert!(looks_generated(b"BSAsecretvalue", 6));
    }
}
