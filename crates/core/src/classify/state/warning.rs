//! Lines that only warn, in the words builders and OpenShell use for them.

/// Lines that only warn: a kind needs an error that stopped the run.
pub(super) fn is_warning(lower: &[u8]) -> bool {
    let trimmed = lower.trim_ascii_start();
    let trimmed = trimmed.strip_prefix(b"npm ").unwrap_or(trimmed);
    // OpenShell's progress without a terminal: `  [12.3s] WARN Failed to pull image …`.
    let trimmed = elapsed_prefix(trimmed).unwrap_or(trimmed);
    ["warning:", "warning[", "warn[", "warn:", "warn ", "[warning]", "! "].iter().any(|p| trimmed.starts_with(p.as_bytes()))
}

/// The rest of a line after an elapsed-time prefix such as `[12.3s] `.
fn elapsed_prefix(line: &[u8]) -> Option<&[u8]> {
    let inner = line.strip_prefix(b"[")?;
    let close = memchr::memchr(b']', &inner[..inner.len().min(12)])?;
    let (time, rest) = (&inner[..close], &inner[close + 1..]);
    let number = time.strip_suffix(b"s")?;
    (!number.is_empty() && number.iter().all(|b| b.is_ascii_digit() || *b == b'.')).then(|| rest.trim_ascii_start())
}

#[cfg(test)]
mod tests {
    use super::is_warning;

    #[test]
    fn openshell_progress_warnings_are_warnings() {
        assert!(is_warning(b"  [12.3s] warn failed to pull image nvcr.io/x:1: backoff"));
        assert!(is_warning(b"[0.1s] warning: retrying"));
        assert!(!is_warning(b"[0.1s] pulling image nvcr.io/x:1"));
        assert!(!is_warning(b"[abc] warn x"));
        assert!(!is_warning(b"error: failed to pull image"));
    }
}
