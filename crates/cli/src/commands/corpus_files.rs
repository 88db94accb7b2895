//! A user's corpus directory for `rules test`: read within bounds (regular `*.log` files,
//! each and all of them capped, read no further than the cap whatever the file claims),
//! and, with `--accept`, each changed answer recorded in its file's header. A file is
//! replaced whole by a rename from a temporary file made new beside it (never one that
//! already exists, nor a link), with the original's permissions.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use sandbox_triage_core::CorpusLog;

/// How many logs a corpus directory may hold, how large each may be, and all together.
const MAX_LOGS: usize = 4096;
const MAX_LOG_BYTES: u64 = 64 << 20;
const MAX_TOTAL_BYTES: u64 = 256 << 20;

/// The `*.log` files of a corpus directory (regular files only), sorted by name.
pub(crate) fn read_corpus_dir(dir: &Path) -> anyhow::Result<Vec<(PathBuf, CorpusLog)>> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read corpus directory {}", dir.display()))?;
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "log")).collect();
    paths.sort();
    if paths.len() > MAX_LOGS {
        bail!("corpus directory {}: more than {MAX_LOGS} logs", dir.display());
    }
    let mut total = 0u64;
    let mut logs = Vec::with_capacity(paths.len());
    for path in paths {
        let meta = fs::metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if !meta.is_file() {
            bail!("{}: not a regular file", path.display());
        }
        let mut bytes = Vec::new();
        let file = fs::File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        file.take(MAX_LOG_BYTES + 1).read_to_end(&mut bytes).with_context(|| format!("cannot read {}", path.display()))?;
        if bytes.len() as u64 > MAX_LOG_BYTES {
            bail!("{}: larger than {} MiB", path.display(), MAX_LOG_BYTES >> 20);
        }
        total += bytes.len() as u64;
        if total > MAX_TOTAL_BYTES {
            bail!("corpus directory {}: its logs hold more than {} MiB in all", dir.display(), MAX_TOTAL_BYTES >> 20);
        }
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let log = CorpusLog::parse(&name, &bytes);
        logs.push((path, log));
    }
    Ok(logs)
}

/// The header key that says what a log must be answered: `expected-improved` where the
/// header has one (it is the one checked), else `expected`.
fn expected_key(header: &[(String, String)]) -> &'static str {
    if header.iter().any(|(k, _)| k == "expected-improved") {
        "expected-improved"
    } else {
        "expected"
    }
}

/// Records `kind` in a header held in memory, as [`accept`] records it in the file.
pub(crate) fn set_expected(header: &mut Vec<(String, String)>, kind: &str) {
    let key = expected_key(header);
    match header.iter_mut().find(|(k, _)| k == key) {
        Some((_, value)) => kind.clone_into(value),
        None => header.insert(0, (key.to_owned(), kind.to_owned())),
    }
}

/// The file's bytes with `kind` recorded as what it must be answered: the header's key
/// line rewritten (or one added before `# ---`), every other byte as it was, line endings
/// (`\n` or `\r\n`) kept.
fn recorded(bytes: &[u8], kind: &str) -> Option<Vec<u8>> {
    let key = expected_key(&CorpusLog::parse("", bytes).header);
    let prefix = format!("# {key}: ");
    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut done = false;
    for this in bytes.split_inclusive(|b| *b == b'\n') {
        let text = this.strip_suffix(b"\n").unwrap_or(this);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let ending = &this[text.len()..];
        let line = |out: &mut Vec<u8>| {
            out.extend_from_slice(format!("{prefix}{kind}").as_bytes());
            out.extend_from_slice(if ending.is_empty() { b"\n" } else { ending });
        };
        if done {
            out.extend_from_slice(this);
        } else if text == b"# ---" {
            line(&mut out);
            done = true;
            out.extend_from_slice(this);
        } else if text.starts_with(prefix.as_bytes()) {
            line(&mut out);
            done = true;
        } else {
            out.extend_from_slice(this);
        }
    }
    // A header ends at `# ---`: with none, there is no header to record in.
    (done && bytes.split(|b| *b == b'\n').any(|l| l.strip_suffix(b"\r").unwrap_or(l) == b"# ---")).then_some(out)
}

/// Records `kind` in the corpus file at `path` (see [`recorded`]).
pub(crate) fn accept(path: &Path, kind: &str) -> anyhow::Result<()> {
    let meta = fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut bytes = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(MAX_LOG_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {}", path.display()))?;
    let Some(out) = recorded(&bytes, kind) else {
        bail!("{}: no header (a `# ---` line) to record the answer in", path.display());
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path.file_name().unwrap_or_default().to_string_lossy().into_owned();
    for attempt in 0..100 {
        let temporary = dir.join(format!(".{name}.accepting-{}-{attempt}", std::process::id()));
        // New, never followed: a link or a file already there is another name's.
        let created = OpenOptions::new()
            .write(true)
            .create_new(true)
            .custom_flags(nix::libc::O_NOFOLLOW)
            .mode(meta.permissions().mode() & 0o7777)
            .open(&temporary);
        let mut file = match created {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot write beside {}", path.display())),
        };
        let written = file.write_all(&out).and_then(|()| file.sync_all());
        if let Err(e) = written.and_then(|()| fs::rename(&temporary, path)) {
            let _ = fs::remove_file(&temporary);
            return Err(e).with_context(|| format!("cannot replace {}", path.display()));
        }
        return Ok(());
    }
    bail!("cannot write beside {}: no free temporary name", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_line_is_rewritten_or_added_and_every_other_byte_kept() {
        let at = |b: &[u8]| String::from_utf8(recorded(b, "disk_full").expect("a header")).expect("text");
        assert_eq!(at(b"# expected: unknown\n# ---\nx\n"), "# expected: disk_full\n# ---\nx\n");
        assert_eq!(at(b"# source: s\r\n# expected: unknown\r\n# ---\r\nx"), "# source: s\r\n# expected: disk_full\r\n# ---\r\nx");
        assert_eq!(at(b"# source: s\n# ---\n# expected: payload\n"), "# source: s\n# expected: disk_full\n# ---\n# expected: payload\n");
        assert_eq!(
            at(b"# expected-improved: unknown\n# expected: unknown\n# ---"),
            "# expected-improved: disk_full\n# expected: unknown\n# ---"
        );
        assert_eq!(recorded(b"no header at all\n", "disk_full"), None);
    }
}
