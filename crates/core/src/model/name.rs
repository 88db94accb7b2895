//! Sandbox and gateway names: what may reach a command or a path. A name from the
//! output or the argv that is not one (`--all`, `../../..`, `x;rm`) is refused, so it can
//! never become a flag, a path or shell syntax.

/// Whether `name` is a sandbox or gateway name: 1 to 128 ASCII letters, digits, `.`,
/// `_` or `-`, starting with a letter or digit.
#[must_use]
pub fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_names() {
        for ok in ["demo", "my-assistant", "spark.1", "a_b"] {
            assert!(is_valid_name(ok), "{ok}");
        }
        for bad in ["", "--all", "-x", "../../..", "a/b", "x;rm", "a b", ".hidden"] {
            assert!(!is_valid_name(bad), "{bad}");
        }
    }
}
