//! `--rules DIR` cannot hang or exhaust the tool: special files, links to them, links
//! to directories, oversized files and malformed rules are clear errors (exit 2).

use std::fs;
use std::os::unix::fs::symlink;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::run;

fn classify_with(dir: &std::path::Path) -> (Option<i32>, String) {
    let started = Instant::now();
    let out = run(&["classify", "--rules", dir.to_str().expect("path")], b"Connection reset by peer\n");
    assert!(started.elapsed() < Duration::from_secs(10), "it took {:?}", started.elapsed());
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn special_files_and_links_are_errors_naming_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("fifo.toml");
    assert!(Command::new("mkfifo").arg(&fifo).status().expect("mkfifo").success());
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("fifo.toml") && err.contains("not a regular file"), "{err}");
    fs::remove_file(&fifo).expect("rm");

    symlink("/dev/zero", dir.path().join("device.toml")).expect("symlink");
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("device.toml") && err.contains("a link to a FIFO, device or socket"), "{err}");
    fs::remove_file(dir.path().join("device.toml")).expect("rm");

    let inner = dir.path().join("inner");
    fs::create_dir(&inner).expect("mkdir");
    symlink(dir.path(), inner.join("loop.toml")).expect("symlink");
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("loop.toml") && err.contains("a link to a directory"), "{err}");
}

#[test]
fn oversized_and_malformed_rule_files_are_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(dir.path().join("big.toml"), "# padding\n".repeat(40_000)).expect("write");
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("big.toml") && err.contains("larger than"), "{err}");
    fs::remove_file(dir.path().join("big.toml")).expect("rm");

    fs::write(dir.path().join("zero.toml"), "id = 'x'\nstage = 'gateway-start'\nrole = 'failure'\nkind = 'docker_unreachable'\nexplanation = 'e'\nwithin_lines = 0\n[[parts]]\nanchors = ['abc']\npattern = 'abc'\n").expect("write");
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("zero.toml: field `within_lines`"), "{err}");
    fs::write(dir.path().join("zero.toml"), "id = 'x'\nstage = 'gateway-start'\nrole = 'marker'\nkind = 'docker_unreachable'\nexplanation = 'e'\nanchors = ['abc']\npattern = 'abc'\n").expect("write");
    let (code, err) = classify_with(dir.path());
    assert_eq!(code, Some(2));
    assert!(err.contains("zero.toml: field `kind`") && err.contains("does not use"), "{err}");
}
