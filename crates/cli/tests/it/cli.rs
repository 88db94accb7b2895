//! The `sandbox-triage` binary, run as a real process: its outputs (snapshots), exit
//! statuses, errors, and behaviour on bad input and closed pipes.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common::{classify_args, corpus, run, stderr, stdout, workspace, BIN};

#[test]
fn every_corpus_file_renders_as_its_snapshot_in_both_formats() {
    for case in corpus() {
        let case_args = classify_args(&case);
        let args: Vec<&str> = case_args.iter().map(String::as_str).collect();
        let human = run(&args, &case.payload);
        let mut json_args = args.clone();
        json_args.extend(["--format", "json"]);
        let json = run(&json_args, &case.payload);
        assert_eq!(human.status.code(), json.status.code(), "{}", case.name);
        let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
        // Only an empty input earns a word on stderr, a hint to capture it; and an unknown
        // create without its exit status, what the status would change.
        let no_status = case.exit_status().is_none();
        let unknown_create = value["kind"] == "unknown" && value["stage"] == "sandbox-create" && no_status;
        let hint = if case.payload.is_empty() {
            "sandbox-triage: the input is empty: pipe the create's output, stderr included (`2>&1`)\n"
        } else if unknown_create {
            "sandbox-triage: no exit status was given: if the command failed, pass it (`--exit-status N`): the step the output ended in is then read as failed (`sandbox-triage run` knows it)\n"
        } else if value["kind"] == "sandbox_create_incomplete" && no_status {
            "sandbox-triage: no exit status was given: a create that succeeded can end this way too; if it did, pass `--exit-status 0`\n"
        } else {
            ""
        };
        assert!(stderr(&human) == hint && stderr(&json) == hint, "{}: {}", case.name, stderr(&human));
        let pretty = serde_json::to_string_pretty(&value).expect("re-serialise");
        let snapshot = format!(
            "$ sandbox-triage {}\nexit status: {}\n--- human ---\n{}--- json ---\n{pretty}\n",
            args.join(" "),
            human.status.code().unwrap_or(-1),
            stdout(&human)
        );
        insta::assert_snapshot!(case.name.clone(), snapshot);
    }
}

#[test]
fn every_bundled_example_renders_as_its_snapshot() {
    let mut examples: Vec<PathBuf> = fs::read_dir(workspace().join("examples")).expect("examples/").flatten().map(|e| e.path()).collect();
    examples.sort();
    assert!(!examples.is_empty());
    for path in examples {
        let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let path = path.to_str().expect("utf-8 path");
        let human = run(&["classify", path], b"");
        let json = run(&["classify", path, "--format", "json"], b"");
        let snapshot = format!(
            "$ sandbox-triage classify examples/{name}.log\nexit status: {}\n--- human ---\n{}--- json ---\n{}",
            human.status.code().unwrap_or(-1),
            stdout(&human),
            stdout(&json)
        );
        insta::assert_snapshot!(format!("example__{name}"), snapshot);
    }
}

#[test]
fn every_snapshot_belongs_to_a_corpus_file_or_an_example() {
    let corpus: Vec<String> = corpus().into_iter().map(|c| c.log.name).collect();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    for entry in fs::read_dir(snapshots).expect("snapshots").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if ["it__plans_cli__", "it__doctor_output__", "it__terminal_widths__", "it__rules_test__", "it__user_kinds__"]
            .iter()
            .any(|p| file.starts_with(p))
        {
            // Checked by plans_cli.rs, doctor_output.rs, terminal_widths.rs, rules_test.rs
            // and user_kinds.rs (orphans: by .ci/run).
            continue;
        }
        if file.starts_with("it__safe_commands__") {
            assert!(
                ["recreate__sh", "recreate__fish", "recreate__powershell", "recreate__json", "redact__hostile_log"]
                    .iter()
                    .any(|n| file == format!("it__safe_commands__{n}.snap")),
                "orphaned snapshot {file}: delete it"
            );
            continue;
        }
        let Some(name) = file.strip_prefix("it__cli__").and_then(|f| f.strip_suffix(".snap")) else {
            panic!("unexpected file in snapshots: {file}");
        };
        let known = corpus.contains(&name.to_owned())
            || name.strip_prefix("example__").is_some_and(|e| workspace().join("examples").join(format!("{e}.log")).exists());

        assert!(known, "orphaned snapshot {file}: delete it");
    }
}

#[test]
fn the_json_object_keeps_its_contract() {
    let out =
        run(&["classify", "--format", "json"], b"  Step 4/10 : RUN make\nThe command '/bin/sh -c make' returned a non-zero code: 2\n");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for key in [
        "schema_version",
        "stage",
        "kind",
        "phase",
        "uploaded_to_gateway",
        "built_image_ref",
        "gateway",
        "engine",
        "failed_step",
        "rule",
        "evidence",
    ] {
        assert!(value.get(key).is_some(), "missing {key}: {value}");
    }
    assert_eq!(value["schema_version"], 1);
    assert_eq!(
        value["failed_step"],
        serde_json::json!({"number": 4, "total": 10, "command": "/bin/sh -c make", "instruction": "RUN make"})
    );
    // Not placed: no Dockerfile was read, and the output names none.
    assert_eq!(value["dockerfile"]["instruction"], "RUN make");
    assert_eq!(value["dockerfile"]["line"], serde_json::Value::Null);
    assert_eq!(value["evidence"][0], serde_json::json!({"line": 1, "text": "  Step 4/10 : RUN make"}));
    assert!(value.get("retry").is_none());

    let out = run(&["classify", "--stage", "provider-validation", "--http-status", "401", "--format", "json"], b"");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!((value["kind"].as_str(), value["retry"].as_str()), (Some("credential"), Some("credential")));
}

#[test]
fn exit_status_says_determined_unknown_or_failed() {
    assert_eq!(run(&["classify"], b"Connection reset by peer\n").status.code(), Some(0));
    assert_eq!(run(&["classify", "--exit-status", "0"], b"Created sandbox: x\n").status.code(), Some(0));
    assert_eq!(run(&["classify"], b"nothing relevant here\n").status.code(), Some(1));
    assert_eq!(run(&["classify", "-"], b"nothing relevant here\n").status.code(), Some(1));
    for bad in [
        &["classify", "--stage", "nope"][..],
        &["classify", "--os", "beos"],
        &["classify", "--arch", "sparc"],
        &["classify", "--openshell-version", "latest"],
        &["classify", "--format", "xml"],
        &["classify", "--http-status", "404"],
        &["frobnicate"],
    ] {
        let out = run(bad, b"");
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(!stderr(&out).is_empty(), "{bad:?}");
    }
}

#[test]
fn both_host_vocabularies_are_accepted() {
    for args in [
        ["--os", "darwin", "--arch", "arm64"],
        ["--os", "linux", "--arch", "x64"],
        ["--os", "win32", "--arch", "aarch64"],
        ["--os", "macos", "--arch", "x86_64"],
    ] {
        let mut all = vec!["classify"];
        all.extend(args);
        assert_eq!(run(&all, b"Connection reset by peer").status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn unreadable_input_is_one_clear_line_and_status_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("missing.log");
    // A directory stands for its logs: one without any is as clear an error.
    for path in [missing.as_path(), dir.path()] {
        let out = run(&["classify", path.to_str().expect("utf-8 path")], b"");
        assert_eq!(out.status.code(), Some(2));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("sandbox-triage: error: cannot ") || err.ends_with("holds no `*.log` file\n"), "{err}");
        assert!(stdout(&out).is_empty());
    }
}

#[test]
fn bad_bytes_and_huge_lines_are_classified_not_fatal() {
    let mut binary = vec![0u8, 0xff, 0xfe, 0x1b, b'[', 0x80];
    binary.extend(b"\nfailed to read image export stream\n\xc3\x28\n");
    let out = run(&["classify"], &binary);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("image_transfer_timeout"));

    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("one-line.log");
    let mut file = fs::File::create(&path).expect("create");
    let chunk = vec![b'x'; 1 << 20];
    for _ in 0..100 {
        file.write_all(&chunk).expect("write");
    }
    file.write_all(b" unresolvable CDI devices nvidia.com/gpu=all").expect("write");
    drop(file);
    let out = run(&["classify", "--format", "json", path.to_str().expect("utf-8 path")], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["kind"], "gpu_cdi_injection_failed");

    let out = run(&["classify"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("unknown"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(BIN)
        .args(["classify", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the reading end before the binary writes its answer.
    drop(child.stdout.take());
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(b"Connection reset by peer\n").expect("write");
    drop(input);
    let out = child.wait_with_output().expect("wait");
    assert_ne!(out.status.code(), Some(2));
    assert!(out.status.code().is_some(), "killed by a signal instead of exiting");
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

#[test]
fn colour_only_on_a_terminal_without_no_color() {
    let piped = Command::new(BIN).args(["classify"]).env_remove("NO_COLOR").stdin(Stdio::null()).output().expect("run");
    assert!(!piped.stdout.contains(&0x1b), "no escapes when piped");
    // A real terminal: `script` gives the binary a pseudo-terminal as stdout.
    let Ok(script) = Command::new("script").arg("--version").output() else {
        panic!("`script` (util-linux) is needed to test terminal output");
    };
    assert!(script.status.success());
    let tty = |no_color: Option<&str>| {
        let mut command = Command::new("script");
        command.args(["-qec", &format!("{BIN} classify /dev/null"), "/dev/null"]).stdin(Stdio::null());
        match no_color {
            Some(value) => command.env("NO_COLOR", value),
            None => command.env_remove("NO_COLOR"),
        };
        command.output().expect("run under script").stdout
    };
    assert!(tty(None).contains(&0x1b), "colour on a terminal");
    assert!(!tty(Some("1")).contains(&0x1b), "NO_COLOR turns colour off");
}

#[test]
fn user_rules_add_and_override_and_bad_ones_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    fs::write(
        dir.path().join("proxy.toml"),
        "id = 'site.proxy-denied'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'tls_cert_mismatch'\npriority = 55\nanchors = ['zscaler']\npattern = '(?i)blocked by zscaler'\nexplanation = 'The corporate proxy blocked the gateway connection.'\n\n[[cases]]\nfires = true\ntext = 'Blocked by Zscaler'\n\n[[cases]]\nfires = false\ntext = 'zscaler ok'\n",
    )
    .expect("write rule");
    let rules = dir.path().to_str().expect("utf-8 path");
    let out = run(&["classify", "--rules", rules, "--format", "json"], b"Error: request Blocked by Zscaler policy\n");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["rule"], "site.proxy-denied");
    let listed = run(&["rules", "--rules", rules], b"");
    assert_eq!(listed.status.code(), Some(0));
    assert!(stdout(&listed).contains("site.proxy-denied"));

    // Overriding a built-in rule by id: the reset rule now needs a different phrase.
    fs::write(
        dir.path().join("reset.toml"),
        "id = 'transfer.connection-reset'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'image_transfer_reset'\npriority = 60\nanchors = ['peer hung up']\npattern = 'peer hung up'\nexplanation = 'Reset.'\n",
    )
    .expect("write rule");
    assert_eq!(run(&["classify", "--rules", rules], b"Connection reset by peer\n").status.code(), Some(1));

    fs::write(dir.path().join("broken.toml"), "id = 'x'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = 'unknown'\nanchors = ['abc']\npattern = '(unclosed'\nexplanation = 'e'\n").expect("write rule");
    let out = run(&["classify", "--rules", rules], b"x\n");
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("broken.toml") && err.contains("field `pattern`"), "{err}");
}

#[test]
fn the_builtin_rules_pass_their_own_cases() {
    let out = run(&["rules"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).lines().count() > 50);
}
