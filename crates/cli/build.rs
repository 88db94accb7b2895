//! Records the commit the binary is built from, for `--version` (`unknown` outside a
//! git checkout, as from a published crate).

use std::process::Command;

fn main() {
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
