//! The failure-log corpus format (`tests/corpus/README.md`): a header of `# key: value`
//! lines up to a line that is exactly `# ---`, then the captured output. Read by the test
//! suites and by `rules test`, which classifies every corpus log with and without a
//! user's rules.

use crate::model::{Stage, Version};

/// One corpus log: its name, header and captured output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusLog {
    /// The file name without `.log`.
    pub name: String,
    /// `# key: value` lines, in order.
    pub header: Vec<(String, String)>,
    /// The captured output, without the file's one final `\n`.
    pub payload: Vec<u8>,
}

impl CorpusLog {
    /// Parses a corpus file's bytes. The header ends at the first line that is exactly
    /// `# ---`: payload lines may start with `#` themselves (BuildKit's `#5 [...]`).
    #[must_use]
    pub fn parse(name: &str, bytes: &[u8]) -> CorpusLog {
        let mut header = Vec::new();
        let mut offset = 0;
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            offset += line.len();
            let line = String::from_utf8_lossy(line);
            let line = line.trim_end_matches('\n').trim_end_matches('\r');
            if line == "# ---" {
                break;
            }
            if let Some((key, value)) = line.strip_prefix("# ").and_then(|l| l.split_once(": ")) {
                header.push((key.to_owned(), value.trim().to_owned()));
            }
        }
        let mut payload = bytes[offset.min(bytes.len())..].to_vec();
        if payload.last() == Some(&b'\n') {
            payload.pop();
        }
        CorpusLog { name: name.to_owned(), header, payload }
    }

    /// A header value.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&str> {
        self.header.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// The stage the header names (`classifier:`), sandbox-create by default.
    #[must_use]
    pub fn stage(&self) -> Stage {
        self.get("classifier").and_then(|s| s.parse().ok()).unwrap_or(Stage::SandboxCreate)
    }

    /// The command's exit status, when the header gives it.
    #[must_use]
    pub fn exit_status(&self) -> Option<i32> {
        self.get("exit-status").and_then(|s| s.parse().ok())
    }

    /// The OpenShell version the log was captured with, when the header gives it.
    #[must_use]
    pub fn openshell_version(&self) -> Option<Version> {
        self.get("openshell-version").and_then(|v| v.parse().ok())
    }

    /// The provider's HTTP status, when it was given beside the message.
    #[must_use]
    pub fn http_status(&self) -> Option<u16> {
        self.get("http-status").and_then(|s| s.parse().ok())
    }

    /// curl's exit status, when it was given beside the message.
    #[must_use]
    pub fn curl_status(&self) -> Option<i32> {
        self.get("curl-exit").and_then(|s| s.parse().ok())
    }

    /// A value this project must answer: the `expected-improved-<key>` header, else
    /// `expected-<key>`.
    #[must_use]
    pub fn expected(&self, key: &str) -> Option<&str> {
        self.get(&format!("expected-improved-{key}")).or_else(|| self.get(&format!("expected-{key}")))
    }

    /// The kind this project must answer: `expected-improved`, else `expected`.
    #[must_use]
    pub fn expected_kind(&self) -> Option<&str> {
        self.get("expected-improved").or_else(|| self.get("expected"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_ends_at_its_marker_and_payload_hashes_stay() {
        let log =
            CorpusLog::parse("x", b"# expected: unknown\n# exit-status: 1\n# openshell-version: 0.0.36\n# ---\n#5 [2/3] RUN x\nlast\n");
        assert_eq!(log.expected_kind(), Some("unknown"));
        assert_eq!(log.exit_status(), Some(1));
        assert_eq!(log.openshell_version(), Some(Version { major: 0, minor: 0, patch: 36 }));
        assert_eq!(log.payload, b"#5 [2/3] RUN x\nlast");
        assert_eq!(log.stage(), Stage::SandboxCreate);
        let crlf = CorpusLog::parse("x", b"# expected: unknown\r\n# ---\r\nline\r\n");
        assert_eq!((crlf.expected_kind(), crlf.payload.as_slice()), (Some("unknown"), &b"line\r"[..]));
    }
}
