//! `rules test`: a user's rule directories tested with the built-in rules and every
//! corpus log, the embedded one and the user's; what it reports and how it exits.

use std::fs;
use std::path::Path;

use crate::common::{run, stderr, stdout};

/// A failure rule of sandbox-create for `kind`, matching `phrase`, with `extra` after it.
fn rule(id: &str, kind: &str, priority: i32, phrase: &str, extra: &str) -> String {
    format!(
        "id = '{id}'\nstage = 'sandbox-create'\nrole = 'failure'\nkind = '{kind}'\npriority = {priority}\nanchors = ['{phrase}']\npattern = '(?i){phrase}'\nexplanation = 'Mine.'\n\n[[cases]]\nfires = true\ntext = 'Error: {phrase}'\n{extra}"
    )
}

fn test_json(args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["rules", "test", "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all, b"");
    let value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (out.status.code(), value)
}

/// The report with its first line's counts hidden: they grow with the catalogue and the
/// corpus, and are asserted where they matter.
fn counts_hidden(report: &str) -> String {
    let (first, rest) = report.split_once('\n').expect("a first line");
    assert!(first.ends_with(" corpus logs"), "{first}");
    format!("N rules, N cases, N corpus logs\n{rest}")
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

#[test]
fn the_built_in_catalogue_passes_with_no_shadowed_rule() {
    let out = run(&["rules", "test"], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(stdout(&out).ends_with("every case passes, no rule is shadowed, no answer changed unless its header expects it\n"));
    let (code, value) = test_json(&[]);
    assert_eq!(code, Some(0));
    assert_eq!(value["passed"], true);
    assert!(value["logs"].as_u64().expect("logs") > 300, "the embedded corpus is classified: {value}");
    assert!(value["shadowed"].as_array().expect("shadowed").is_empty());
}

/// A new rule for a failure a user's own corpus log shows: the log's answer changes to
/// the kind its header expects, and nothing else changes.
#[test]
fn a_rule_for_a_new_log_changes_only_that_log_as_its_header_expects() {
    let rules = tempfile::tempdir().expect("temp dir");
    let corpus = tempfile::tempdir().expect("temp dir");
    fs::write(rules.path().join("frob.toml"), rule("mine.frobnicator", "sandbox_create_incomplete", 50, "frobnicator exploded", ""))
        .expect("write");
    fs::write(
        corpus.path().join("frob.log"),
        "# expected: sandbox_create_incomplete\n# ---\nCreated sandbox demo\nError: frobnicator exploded\n",
    )
    .expect("write");
    let (code, value) = test_json(&[path(rules.path()), "--corpus", path(corpus.path())]);
    assert_eq!(code, Some(0), "{value}");
    let changed = value["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{value}");
    assert_eq!(changed[0]["log"], "frob");
    assert_eq!(changed[0]["before"]["kind"], "unknown");
    assert_eq!(changed[0]["after"]["rule"], "mine.frobnicator");
    assert_eq!(changed[0]["after"]["text"], "Error: frobnicator exploded");
    assert_eq!(changed[0]["meant"], true);
    let out = run(&["rules", "test", path(rules.path()), "--corpus", path(corpus.path())], b"");
    insta::assert_snapshot!("rules_test__a_new_log_as_expected", counts_hidden(&stdout(&out)));
}

/// A rule that takes other kinds' logs: each is named with the answer before and after
/// and the line that now decides; the run fails.
#[test]
fn a_rule_that_steals_other_kinds_logs_fails_naming_each() {
    let rules = tempfile::tempdir().expect("temp dir");
    fs::write(rules.path().join("greedy.toml"), rule("mine.greedy", "sandbox_create_incomplete", 500, "error", "")).expect("write");
    let out = run(&["rules", "test", path(rules.path())], b"");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("Changed answers:\n"), "{text}");
    assert!(text.contains("-> sandbox_create_incomplete (mine.greedy), not as its header expects"), "{text}");
    assert!(text.contains("answers changed that their headers do not expect"), "{text}");
    let (code, value) = test_json(&[path(rules.path())]);
    assert_eq!(code, Some(1));
    assert_eq!(value["passed"], false);
    let changed = value["changed"].as_array().expect("changed");
    assert!(changed.iter().all(|c| c["after"]["rule"] == "mine.greedy"), "{value}");
    // Meant only where the log expects the rule's kind (another rule gave it before).
    assert!(changed.iter().filter(|c| c["meant"] == false).count() > 10, "{value}");
    assert!(changed.iter().filter(|c| c["meant"] == true).all(|c| c["before"]["kind"] == c["after"]["kind"]), "{value}");
}

#[test]
fn a_shadowed_rule_and_a_failing_case_are_named() {
    let rules = tempfile::tempdir().expect("temp dir");
    // Counting only where the built-in reset rule counts too.
    let reset = rule("mine.reset", "image_transfer_reset", 5, "connection reset by peer", "").replacen(
        "priority = 5\n",
        "priority = 5\nphases = ['upload']\n",
        1,
    );
    fs::write(rules.path().join("reset.toml"), reset).expect("write");
    fs::write(
        rules.path().join("proxy.toml"),
        rule("mine.proxy", "tls_cert_mismatch", 50, "blocked by zscaler", "\n[[cases]]\nfires = true\ntext = 'denied by the proxy'\n"),
    )
    .expect("write");
    let out = run(&["rules", "test", path(rules.path())], b"");
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(text.contains("mine.reset (") && text.contains("transfer.connection-reset wins on every case it fires on"), "{text}");
    assert!(text.contains("mine.proxy (") && text.contains("case 2, should fire: denied by the proxy"), "{text}");
    assert!(text.ends_with("1 failing case, 1 shadowed rule, 0 answers changed that their headers do not expect\n"), "{text}");
    insta::assert_snapshot!("rules_test__shadowed_and_failing", counts_hidden(&text.replace(path(rules.path()), "[DIR]")));
}

#[test]
fn a_malformed_rule_or_a_missing_corpus_is_an_error_naming_it() {
    let rules = tempfile::tempdir().expect("temp dir");
    fs::write(rules.path().join("broken.toml"), rule("mine.broken", "no_such_kind", 5, "x", "")).expect("write");
    let out = run(&["rules", "test", path(rules.path())], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("broken.toml") && stderr(&out).contains("field `kind`"), "{}", stderr(&out));
    let out = run(&["rules", "test", "--corpus", "/nonexistent/corpus"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("cannot read corpus directory /nonexistent/corpus"), "{}", stderr(&out));
}

/// From a log the built-in rules leave `unknown` to a tested rule: `rules new` drafts it,
/// `rules test` finds the log answered as its header expects and nothing else changed.
#[test]
fn rules_new_drafts_a_rule_that_rules_test_passes() {
    let work = tempfile::tempdir().expect("temp dir");
    let log = work.path().join("create.log");
    fs::write(&log, "Creating sandbox demo-4\nError: quota service refused sandbox demo-4 after 2.5s (limit 3)\n").expect("write");
    let out = run(&["classify", path(&log)], b"");
    assert_eq!(out.status.code(), Some(1), "unknown today: {}", stdout(&out));
    let rules = work.path().join("my-rules");
    let out = run(&["rules", "new", "--from", path(&log), "--kind", "sandbox_create_incomplete", "-o", path(&rules)], b"");
    assert_eq!(out.status.code(), Some(0), "{}{}", stdout(&out), stderr(&out));
    let file = rules.join("local.quota-service.toml");
    let text = stdout(&out);
    assert!(text.starts_with(&format!("wrote {}\n  decides on line 2: Error: quota service refused", file.display())), "{text}");
    assert!(text.ends_with(&format!("next: edit its explanation, then: sandbox-triage rules test {}\n", rules.display())), "{text}");
    let out = run(&["classify", "--rules", path(&rules), "--format", "json", path(&log)], b"");
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!((value["kind"].as_str(), value["rule"].as_str()), (Some("sandbox_create_incomplete"), Some("local.quota-service")));

    let corpus = work.path().join("corpus");
    fs::create_dir(&corpus).expect("mkdir");
    fs::write(
        corpus.join("quota.log"),
        format!("# expected: sandbox_create_incomplete\n# ---\n{}", fs::read_to_string(&log).expect("log")),
    )
    .expect("write");
    let (code, value) = test_json(&[path(&rules), "--corpus", path(&corpus)]);
    assert_eq!(code, Some(0), "{value}");
    assert_eq!(value["changed"].as_array().map(Vec::len), Some(1), "{value}");

    // A built-in rule's id is refused: the file would replace that rule.
    let builtin = run(
        &[
            "rules",
            "new",
            "--from",
            path(&log),
            "--kind",
            "sandbox_create_incomplete",
            "--id",
            "transfer.connection-reset",
            "-o",
            path(&rules),
        ],
        b"",
    );
    assert_eq!(builtin.status.code(), Some(2));
    assert!(stderr(&builtin).contains("a built-in rule's id"), "{}", stderr(&builtin));
    // A link where the file would go, even a dangling one, is never followed.
    let planted = work.path().join("planted.txt");
    std::os::unix::fs::symlink(&planted, rules.join("local.linked.toml")).expect("symlink");
    let linked = run(
        &["rules", "new", "--from", path(&log), "--kind", "sandbox_create_incomplete", "--id", "local.linked", "-o", path(&rules)],
        b"",
    );
    assert_eq!(linked.status.code(), Some(2));
    assert!(!planted.exists());
    // Drafted again into the same directory: the file is never overwritten.
    let again = run(&["rules", "new", "--from", path(&log), "--kind", "sandbox_create_incomplete", "-o", path(&rules)], b"");
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("exists already"), "{}", stderr(&again));
}

/// A draft that would decide other kinds' logs is refused, with why, and nothing written.
#[test]
fn rules_new_refuses_a_draft_that_would_decide_other_logs() {
    let work = tempfile::tempdir().expect("temp dir");
    let log = work.path().join("build.log");
    fs::write(&log, "The command '/bin/sh -c make' returned a non-zero code: 2\n").expect("write");
    let rules = work.path().join("my-rules");
    let out = run(&["rules", "new", "--from", path(&log), "--kind", "sandbox_create_incomplete", "--line", "1", "-o", path(&rules)], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("sandbox-triage: no rule drafted: the drafted pattern would also decide "), "{}", stdout(&out));
    assert!(!rules.exists());
}

/// Real logs the built-in rules leave `unknown` (copied from public issues; in the corpus
/// with their sources), each drafted into a rule with the kind it means: the rule decides
/// its log, and `rules test` finds that log's answer the only one changed.
#[test]
fn real_unknown_logs_become_rules_that_change_only_their_own_answer() {
    let cases = [
        ("unknown__real-fullsend-2795-supervisor-cap-drop-einval", "sandbox_image_unsuitable", None),
        ("unknown__real-nemoclaw-1028-spark-failed-switching-to-sandbox-eperm", "sandbox_create_incomplete", None),
        ("unknown__real-nemoclaw-3359-hermes-not-ready-180s", "provisioning_timeout", None),
        ("unknown__real-octoprint-rtmpstreamer-20-register-layer-unexpected-eof", "build_base_image_pull_failed", None),
        ("unknown__real-openshell-281-sandbox-supervisor-binary-missing", "sandbox_image_unsuitable", None),
    ];
    let corpus = crate::common::corpus();
    for (name, kind, line) in cases {
        let work = tempfile::tempdir().expect("temp dir");
        let case = corpus.iter().find(|c| c.name == name).unwrap_or_else(|| panic!("{name} is in the corpus"));
        assert_eq!(case.expected_kind(), Some("unknown"), "{name}");
        let log = work.path().join("create.log");
        fs::write(&log, &case.payload).expect("write");
        let rules = work.path().join("rules");
        let mut args = vec!["rules", "new", "--from", path(&log), "--kind", kind, "-o", path(&rules)];
        if let Some(line) = line {
            args.extend(["--line", line]);
        }
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{name}: {}{}", stdout(&out), stderr(&out));
        let out = run(&["classify", "--rules", path(&rules), "--format", "json", path(&log)], b"");
        let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(value["kind"], kind, "{name}: {value}");
        assert!(value["rule"].as_str().is_some_and(|r| r.starts_with("local.")), "{name}: {value}");
        let (code, report) = test_json(&[path(&rules)]);
        let changed: Vec<&str> = report["changed"].as_array().expect("changed").iter().filter_map(|c| c["log"].as_str()).collect();
        assert_eq!(changed, vec![name], "{name}: {report}");
        // Its own log's header still says `unknown`: until the header is updated with the
        // rule, that change is the one `rules test` reports.
        assert_eq!(code, Some(1), "{name}");
        assert!(
            report["failing_cases"].as_array().is_some_and(Vec::is_empty) && report["shadowed"].as_array().is_some_and(Vec::is_empty),
            "{name}: {report}"
        );
    }
}

/// `--accept` records each changed answer of the user's corpus logs in their headers, the
/// rest of each file kept byte for byte; the built-in corpus's changes stay findings.
#[test]
fn accept_records_the_changed_answers_of_the_users_corpus_only() {
    let rules = tempfile::tempdir().expect("temp dir");
    let corpus = tempfile::tempdir().expect("temp dir");
    fs::write(rules.path().join("frob.toml"), rule("mine.frobnicator", "sandbox_create_incomplete", 50, "frobnicator exploded", ""))
        .expect("write");
    let payload = "Created sandbox demo\nError: frobnicator exploded\n# not a header line\n";
    let file = corpus.path().join("frob.log");
    fs::write(&file, format!("# source: a user\n# expected: unknown\n# note: kept\n# ---\n{payload}")).expect("write");
    let (code, value) = test_json(&[path(rules.path()), "--corpus", path(corpus.path())]);
    assert_eq!((code, &value["changed"][0]["meant"]), (Some(1), &serde_json::json!(false)), "{value}");

    let (code, value) = test_json(&[path(rules.path()), "--corpus", path(corpus.path()), "--accept"]);
    assert_eq!(code, Some(0), "{value}");
    assert_eq!(value["changed"][0]["meant"], true);
    let text = fs::read_to_string(&file).expect("read");
    assert_eq!(text, format!("# source: a user\n# expected: sandbox_create_incomplete\n# note: kept\n# ---\n{payload}"));
    let (code, _) = test_json(&[path(rules.path()), "--corpus", path(corpus.path())]);
    assert_eq!(code, Some(0), "recorded: the change is meant from now on");
    assert!(!corpus.path().join("frob.log.accepting").exists());

    // A rule that changes built-in corpus answers: those are never accepted.
    fs::write(rules.path().join("greedy.toml"), rule("mine.greedy", "sandbox_create_incomplete", 500, "error", "")).expect("write");
    let (code, value) = test_json(&[path(rules.path()), "--corpus", path(corpus.path()), "--accept"]);
    assert_eq!(code, Some(1), "{value}");
}

/// An anchor that many lines of real build output hold makes a rule slow: reported with
/// the shape and the share of its lines, without failing the test (the answers are right).
#[test]
fn a_rule_whose_anchor_is_on_many_lines_is_reported_slow() {
    let rules = tempfile::tempdir().expect("temp dir");
    fs::write(rules.path().join("slow.toml"), rule("mine.slow", "disk_full", 50, "install of frobnicator refused", "")).expect("write");
    // The drafted anchor is the phrase; a hand-written one is often a common word.
    let text = fs::read_to_string(rules.path().join("slow.toml"))
        .expect("read")
        .replace("anchors = ['install of frobnicator refused']", "anchors = ['install']");
    fs::write(rules.path().join("slow.toml"), text).expect("write");
    let out = run(&["rules", "test", path(rules.path())], b"");
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let report = stdout(&out);
    assert!(report.contains("Slow (the regex runs on every line holding the anchor; more than 5% of a shape's lines do):"), "{report}");
    assert!(report.contains("mine.slow (") && report.contains("'install' on ") && report.contains("% of buildah's lines"), "{report}");
    let (_, value) = test_json(&[path(rules.path())]);
    let slow = &value["slow_anchors"][0];
    assert_eq!((slow["rule"].as_str(), slow["anchor"].as_str()), (Some("mine.slow"), Some("install")), "{value}");
    assert!(slow["share_of_lines"].as_f64().is_some_and(|s| s > 0.05), "{value}");
}
