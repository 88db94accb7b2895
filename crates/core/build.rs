//! Embeds the rule catalogue (`rules/**/*.toml`) in the library, so the binary carries
//! its rules and `--rules DIR` only adds to or overrides them.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "toml") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &mut files);
    files.sort();
    let mut code = String::from(
        "/// The built-in rule files: (path below `rules/`, contents).\npub(super) static EMBEDDED_RULES: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        let relative = file.strip_prefix(&root).expect("collected below root").to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).expect("write to string");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_rules.rs");
    fs::write(out, code).expect("write embedded_rules.rs");
}
