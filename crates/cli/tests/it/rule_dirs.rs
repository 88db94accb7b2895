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

/// A rule says where its failure was met and the release that added it; `rules --format
/// json` shows both, the source masked as everything printed is. Bad values name the
/// file and the field.
#[test]
fn a_rules_provenance_is_listed_masked_and_bad_values_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rule = |extra: &str| {
        format!(
            "id = 'site.proxy-denied'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'tls_cert_mismatch'\nanchors = ['zscaler']\npattern = '(?i)blocked by zscaler'\nexplanation = 'The proxy blocked it.'\n{extra}\n[[cases]]\nfires = true\ntext = 'Blocked by Zscaler'\n"
        )
    };
    let source = "https://reporter:hunter2secret@github.com/NVIDIA/OpenShell/issues/123";
    fs::write(dir.path().join("proxy.toml"), rule(&format!("source = '{source}'\nadded = '0.2.0'\n"))).expect("write rule");
    let rules = dir.path().to_str().expect("path");
    let out = run(&["rules", "--format", "json", "--rules", rules], b"");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!text.contains("hunter2secret"), "{text}");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let listed = |id: &str| value["rules"].as_array().expect("rules").iter().find(|r| r["id"] == id).cloned().expect("listed");
    let ours = listed("site.proxy-denied");
    let shown = ours["source"].as_str().expect("a source");
    assert!(shown.starts_with("https://") && shown.ends_with("@github.com/NVIDIA/OpenShell/issues/123"), "{shown}");
    assert_eq!(ours["added"], "0.2.0");
    let builtin = listed("transfer.connection-reset");
    assert!(builtin["source"].is_null() && builtin["added"].is_null(), "{builtin}");

    for (extra, field) in [("source = '''two\nlines'''\n", "source"), ("source = ' '\n", "source"), ("added = 'soon'\n", "added")] {
        fs::write(dir.path().join("proxy.toml"), rule(extra)).expect("write rule");
        let (code, err) = classify_with(dir.path());
        assert_eq!(code, Some(2), "{extra}");
        assert!(err.contains("proxy.toml") && err.contains(&format!("field `{field}`")), "{extra}: {err}");
    }
}
