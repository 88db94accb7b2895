//! Records the commit the binary is built from, for `--version` (`unknown` outside a
//! git checkout, as from a published crate), and embeds the failure-log corpus
//! (`tests/corpus/*.log`), which `rules test` classifies with and without a user's rules.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::{env, fs};

/// Writes the corpus's files, sorted, as `(name, bytes)` pairs; none outside a checkout.
fn embed_corpus() {
    let dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("../../tests/corpus");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "log")).collect())
        .unwrap_or_default();
    files.sort();
    let mut code =
        String::from("/// The corpus's logs: (name without `.log`, contents).\npub(crate) static CORPUS: &[(&str, &[u8])] = &[\n");
    for file in &files {
        let name = file.file_stem().unwrap_or_default().to_string_lossy();
        let path = fs::canonicalize(file).expect("a corpus file's path");
        writeln!(code, "    ({name:?}, include_bytes!({:?})),", path.display().to_string()).expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_corpus.rs");
    fs::write(out, code).expect("write embedded_corpus.rs");
}

fn main() {
    embed_corpus();
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map_or_else(|| "unknown".to_owned(), |s| s.trim().to_owned());
    let dirty = Command::new("git").args(["status", "--porcelain", "--untracked-files=no"]).output().ok().filter(|o| o.status.success());
    let suffix = if dirty.is_some_and(|o| !o.stdout.is_empty()) { "-modified" } else { "" };
    println!("cargo:rustc-env=SANDBOX_TRIAGE_COMMIT={commit}{suffix}");
    for path in ["../../.git/HEAD", "../../.git/index"] {
        println!("cargo:rerun-if-changed={path}");
    }
}
