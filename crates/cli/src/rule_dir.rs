//! Reading a user's rule directory (`--rules DIR`) without letting it hang or exhaust
//! the tool: only regular `*.toml` files are read (a FIFO, a device, a socket or a link
//! to one is an error naming it, as is a link to a directory, which could loop), and
//! the depth, the number of files, each file and all of them together have limits.

use std::fs;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// How deep directories may nest.
const MAX_DEPTH: usize = 8;
/// How many rule files a directory may hold.
const MAX_FILES: usize = 256;
/// How large one rule file may be.
const MAX_FILE_BYTES: u64 = 64 * 1024;
/// How large all of them may be together.
const MAX_TOTAL_BYTES: u64 = 1 << 20;

/// The rule files of `dir`, sorted by path: (path, contents).
pub(crate) fn read_rule_dir(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let meta = fs::metadata(dir).with_context(|| format!("cannot read rules directory {}", dir.display()))?;
    if !meta.is_dir() {
        bail!("rules directory {}: not a directory", dir.display());
    }
    let mut paths = Vec::new();
    collect(dir, 0, &mut paths)?;
    paths.sort();
    let mut total = 0;
    let mut files = Vec::with_capacity(paths.len());
    for path in paths {
        let text = read_limited(&path)?;
        total += text.len() as u64;
        if total > MAX_TOTAL_BYTES {
            bail!("rules directory {}: the rule files hold more than {} MiB in all", dir.display(), MAX_TOTAL_BYTES >> 20);
        }
        files.push((path.display().to_string(), text));
    }
    Ok(files)
}

fn collect(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    if depth > MAX_DEPTH {
        bail!("rules directory {}: nested more than {MAX_DEPTH} levels deep", dir.display());
    }
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read rules directory {}", dir.display()))?;
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read rules directory {}", dir.display()))?.path();
        let own = fs::symlink_metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if own.is_dir() {
            collect(&path, depth + 1, out)?;
            continue;
        }
        if path.extension().is_none_or(|ext| ext != "toml") {
            continue;
        }
        // What the name leads to: a link is followed once, to check what it is.
        let target = fs::metadata(&path).with_context(|| format!("cannot read rule file {}", path.display()))?;
        let link = if own.file_type().is_symlink() { "a link to " } else { "" };
        if target.is_dir() {
            bail!("rule file {}: {link}a directory", path.display());
        }
        if !target.is_file() {
            bail!("rule file {}: {link}a FIFO, device or socket, not a regular file", path.display());
        }
        out.push(path);
        if out.len() > MAX_FILES {
            bail!("rules directory {}: more than {MAX_FILES} rule files", dir.display());
        }
    }
    Ok(())
}

fn read_limited(path: &Path) -> anyhow::Result<String> {
    // Opened without blocking, then checked again: a FIFO swapped in after the check
    // above cannot hold the open.
    let file = fs::OpenOptions::new()
        .read(true)
        .custom_flags(nix::libc::O_NONBLOCK)
        .open(path)
        .with_context(|| format!("cannot read rule file {}", path.display()))?;
    if !file.metadata().with_context(|| format!("cannot read rule file {}", path.display()))?.is_file() {
        bail!("rule file {}: not a regular file", path.display());
    }
    let mut text = String::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read rule file {} as UTF-8", path.display()))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        bail!("rule file {}: larger than {} KiB", path.display(), MAX_FILE_BYTES >> 10);
    }
    Ok(text)
}
