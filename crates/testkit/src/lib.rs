//! Test fixtures of `sandbox-triage`: the failure-log corpus format
//! (`tests/corpus/README.md`), a header of `# key: value` lines up to a line that is
//! exactly `# ---`, then the captured output; and [`secrets`], fake secrets of every
//! format masking knows and ordinary text that must stay as it is.

pub mod secrets;

use std::path::{Path, PathBuf};

use sandbox_triage_core::Stage;

/// One corpus file.
#[derive(Debug, Clone)]
pub struct CorpusCase {
    /// The file name without `.log`.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// `# key: value` lines, in order.
    pub header: Vec<(String, String)>,
    /// The captured output, without the file's one final `\n`.
    pub payload: Vec<u8>,
}

impl CorpusCase {
    /// Parses a corpus file's bytes. The header ends at the first line that is exactly
    /// `# ---`: payload lines may start with `#` themselves (BuildKit's `#5 [...]`).
    #[must_use]
    pub fn parse(name: &str, bytes: &[u8]) -> CorpusCase {
        let mut header = Vec::new();
        let mut offset = 0;
        for line in bytes.split_inclusive(|&b| b == b'\n') {
            offset += line.len();
            let line = String::from_utf8_lossy(line);
            let line = line.trim_end_matches('\n');
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
        CorpusCase { name: name.to_owned(), path: PathBuf::new(), header, payload }
    }

    /// The `*.log` files of a directory, sorted by name; none when it does not exist.
    pub fn load_dir(dir: &Path) -> std::io::Result<Vec<CorpusCase>> {
        let Ok(entries) = std::fs::read_dir(dir) else { return Ok(Vec::new()) };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "log")).collect();
        paths.sort();
        paths
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path)?;
                let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
                let mut case = CorpusCase::parse(&name, &bytes);
                case.path = path;
                Ok(case)
            })
            .collect()
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
        let case = CorpusCase::parse("x", b"# expected: unknown\n# exit-status: 1\n# ---\n#5 [2/3] RUN x\nlast\n");
        assert_eq!(case.expected_kind(), Some("unknown"));
        assert_eq!(case.exit_status(), Some(1));
        assert_eq!(case.payload, b"#5 [2/3] RUN x\nlast");
        assert_eq!(case.stage(), Stage::SandboxCreate);
    }
}
