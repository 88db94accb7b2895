//! Whether a key names a secret, and whether a value looks like one.
//!
//! A key names a secret by its last word (`GITHUB_TOKEN`, `db.password`, `apiKey`,
//! `X-Api-Key`, `PGPASSWORD`, any `FOO_KEY` or `--foo-key`), never by a substring:
//! `TOKENIZERS_PARALLELISM`, `max_tokens`, `tokenizer` and `API_KEY_FILE` hold no
//! secret. A value is a secret unless it is plainly something else: a boolean, a
//! number, empty, a reference to a variable or an expression, or (after `key: `, where
//! prose is common) a plain word.

/// Last words that surely name a secret.
const SECRET_WORDS: &[&str] = &["password", "passwd", "pass", "pwd", "passphrase", "secret", "token", "apikey", "privatekey"];
/// Last words that name a secret only sometimes (`auth: ldap`, `credential: missing`):
/// their value must look generated.
const WEAK_WORDS: &[&str] = &["auth", "credential", "credentials"];
/// Endings of a last word that name a secret (`PGPASSWORD`, `authtoken`, `clientsecret`).
const SECRET_ENDINGS: &[&str] = &["password", "passwd", "secret", "token", "apikey"];
/// `<qualifier>_key` pairs that name a secret.
const SECRET_KEY_QUALIFIERS: &[&str] = &["api", "access", "private", "secret", "signing", "encryption", "master", "client", "auth"];

/// How surely a key names a secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strength {
    /// Any real value is the secret.
    Sure,
    /// Only a value that looks generated is.
    Weak,
}

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
    strength(key).is_some()
}

/// How surely a key names a secret, when it does.
pub(crate) fn strength(key: &str) -> Option<Strength> {
    let words = words(key);
    let last = words.last()?.as_str();
    let before = words.len().checked_sub(2).map(|i| words[i].as_str());
    // `FOO_KEY`, `--foo-key`: a word joined to `key` by `_` or `-` names a key, whatever it is.
    let bytes = key.as_bytes();
    let joined_key = before.is_some()
        && bytes.len() > 4
        && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"key")
        && matches!(bytes[bytes.len() - 4], b'_' | b'-');
    let sure = SECRET_WORDS.contains(&last)
        || SECRET_ENDINGS.iter().any(|ending| last.len() > ending.len() && last.ends_with(ending))
        || (last == "key" && (joined_key || before.is_some_and(|q| SECRET_KEY_QUALIFIERS.contains(&q))))
        // kubeconfig's `client-key-data`: a base64 private key.
        || (last == "data" && before == Some("key"));
    if sure {
        Some(Strength::Sure)
    } else if WEAK_WORDS.contains(&last) {
        Some(Strength::Weak)
    } else {
        None
    }
}

/// `--secret id=npmrc,src=/home/me/.npmrc`: the value of the `--secret` flag of
/// BuildKit, Podman and Buildah says where a secret is, never what it is: fields from a
/// known few (`id`, `src`, `env`, …), each `name=value`.
pub(crate) fn secret_source(flag: &[u8], value: &[u8]) -> bool {
    const FIELDS: &[&[u8]] = &[b"id", b"src", b"source", b"env", b"type", b"target", b"dst", b"required", b"mode", b"uid", b"gid"];
    flag == b"--secret"
        && value.split(|b| *b == b',').all(|field| memchr::memchr(b'=', field).is_some_and(|eq| FIELDS.contains(&&field[..eq])))
}

/// A value that is plainly not a secret: empty, a boolean or null, a number, a
/// reference to something else, or already masked.
pub(crate) fn plainly_not_secret(value: &[u8]) -> bool {
    let short = value.len() <= 8;
    value.is_empty()
        || (short
            && matches!(
                value.to_ascii_lowercase().as_slice(),
                b"true" | b"false" | b"yes" | b"no" | b"on" | b"off" | b"null" | b"none" | b"nil"
            ))
        || (value.len() >= 3 && value.iter().all(|b| *b == b'*'))
        || value.iter().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'))
        || is_reference(value)
}

/// A value that names another instead of being one: a shell variable or command
/// substitution, a template expression (GitHub Actions, Helm), a `<placeholder>`, a
/// code path such as `process.env.OPENAI_API_KEY`.
fn is_reference(value: &[u8]) -> bool {
    is_variable_reference(value)
        || [b"$(".as_slice(), b"`", b"{{", b"${{"].iter().any(|p| value.starts_with(p))
        || (value.len() > 2 && value.starts_with(b"<") && value.ends_with(b">"))
        || is_code_path(value)
}

fn is_identifier(word: &[u8]) -> bool {
    word.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') && word.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// `$NAME`, `${NAME}`, `${NAME:?message}`, `${NAME:-}`, `${NAME:-$OTHER}`: a
/// placeholder, not a value. A default that is a value (`${NAME:-abc}`) may be a secret.
fn is_variable_reference(value: &[u8]) -> bool {
    let Some(rest) = value.strip_prefix(b"$") else { return false };
    let Some(inner) = rest.strip_prefix(b"{").and_then(|r| r.strip_suffix(b"}")) else { return is_identifier(rest) };
    let name_end = inner.iter().position(|b| !(b.is_ascii_alphanumeric() || *b == b'_')).unwrap_or(inner.len());
    let (name, operation) = inner.split_at(name_end);
    if !is_identifier(name) {
        return false;
    }
    let operation = operation.strip_prefix(b":").unwrap_or(operation);
    match operation.first() {
        None | Some(b'?') => true,
        Some(b'-') => operation.len() == 1 || operation[1] == b'$',
        _ => false,
    }
}

/// `process.env.OPENAI_API_KEY`, `os.environ.get`: identifiers joined by dots, the
/// first a lowercase word.
fn is_code_path(value: &[u8]) -> bool {
    let mut parts = value.split(|b| *b == b'.');
    let first_lowercase = parts.next().is_some_and(|first| !first.is_empty() && first.iter().all(u8::is_ascii_lowercase));
    first_lowercase && memchr::memchr_iter(b'.', value).nth(1).is_some() && parts.all(is_identifier)
}

/// A value that looks generated rather than written: a digit or a mix of cases or
/// symbols among letters, at least `min` bytes. `missing`, `unexpected`, `required`
/// do not; `hunter22`, `k3y-in-json`, `BSAsecretvalue` do.
pub(crate) fn looks_generated(value: &[u8], min: usize) -> bool {
    if value.len() < min || plainly_not_secret(value) {
        return false;
    }
    // A capitalised word (`Missing`, `Required`) is prose.
    if value[0].is_ascii_uppercase() && value[1..].iter().all(u8::is_ascii_lowercase) {
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
            "PGPASSWORD",
            "client-key-data",
            "_auth",
            "authToken",
            "--registry-password",
            "--hf-token",
            "--secret-key",
            "FOO_KEY",
            "LICENSE_KEY",
            "--foo-key",
            "my-service-key",
        ] {
            assert!(secret_name(key), "{key}");
        }
        for key in [
            "TOKENIZERS_PARALLELISM",
            "max_tokens",
            "tokenizer",
            "TOKEN_URL",
            "API_KEY_FILE",
            "key",
            "credential_helper",
            "passed",
            "bypass",
            "oauth",
            "author",
            "KEY",
            "hotkey",
            "monkey",
            "--recv-keys",
            "FOO_KEYS",
        ] {
            assert!(!secret_name(key), "{key}");
        }
    }

    #[test]
    fn values_that_are_plainly_something_else() {
        for value in [
            "false",
            "1",
            "4096",
            "",
            "${TOKEN:?}",
            "$TOKEN",
            "null",
            "***",
            "$(cat",
            "${{",
            "{{",
            "${GITHUB_TOKEN:-}",
            "${A:-$B}",
            "<your-token>",
            "process.env.OPENAI_API_KEY",
        ] {
            assert!(plainly_not_secret(value.as_bytes()), "{value}");
        }
        for value in ["${A:-hunter2}", "hunter2", "abc.def", "Abc.def.ghi"] {
            assert!(!plainly_not_secret(value.as_bytes()), "{value}");
        }
        assert_eq!(strength("credential"), Some(Strength::Weak));
        assert_eq!(strength("PGPASSWORD"), Some(Strength::Sure));
        assert!(!looks_generated(b"missing", 6));
        assert!(!looks_generated(b"unexpected", 6));
        assert!(!looks_generated(b"Missing", 6));
        assert!(looks_generated(b"hunter22", 6));
        assert!(looks_generated(b"BSAsecretvalue", 6));
    }

    #[test]
    fn a_secret_flag_that_names_a_file_or_a_variable() {
        assert!(secret_source(b"--secret", b"id=npmrc,src=/home/me/.npmrc"));
        assert!(secret_source(b"--secret", b"id=gh,env=GH_TOKEN"));
        assert!(!secret_source(b"--secret", b"id=a,value=hunter2"));
        assert!(!secret_source(b"--secret", b"mysecret"));
        assert!(!secret_source(b"SECRET", b"id=abc"));
    }
}
