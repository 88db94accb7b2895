//! Every secret format is masked by the binary wherever it can show one: `redact`, the
//! evidence of `classify --format json`, the create argv a plan shows, and what `run`
//! writes to its events and its report. Ordinary text that only looks like a secret
//! comes out of `redact` unchanged.

use std::fs;

use sandbox_triage_testkit::secrets::{SecretSample, ORDINARY_TEXTS, SECRET_FORMATS};

use crate::common::{run, stderr, stdout};

/// A line that is evidence of a failure, holding the secret.
fn evidence_line(sample: &SecretSample) -> String {
    format!("Error: Connection reset by peer {}", sample.line)
}

#[test]
fn redact_masks_every_format_and_nothing_else() {
    let input: String = SECRET_FORMATS.iter().flat_map(|s| [s.line, "\n"]).collect();
    let out = run(&["redact"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let shown = stdout(&out);
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(lines.len(), SECRET_FORMATS.len(), "{shown}");
    for (sample, line) in SECRET_FORMATS.iter().zip(lines) {
        assert_eq!(line, sample.masked, "{}", sample.format);
    }
}

#[test]
fn redact_leaves_ordinary_text_as_it_is() {
    let input: String = ORDINARY_TEXTS.iter().flat_map(|t| [*t, "\n"]).collect();
    let out = run(&["redact"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), input);
}

#[test]
fn classify_json_shows_the_evidence_line_masked() {
    for sample in SECRET_FORMATS {
        let out = run(&["classify", "--format", "json", "--exit-status", "1"], format!("{}\n", evidence_line(sample)).as_bytes());
        let shown = stdout(&out);
        assert!(!shown.contains(sample.hidden) && !stderr(&out).contains(sample.hidden), "{}: {shown}", sample.format);
        let json: serde_json::Value = serde_json::from_str(&shown).expect("classify JSON");
        let expected = format!("Error: Connection reset by peer {}", sample.masked);
        assert_eq!(json["evidence"][0]["text"], expected.as_str(), "{}", sample.format);
    }
}

/// A create whose plan shows the command again: every sample among its words, as an
/// `--env` value, in the runtime environment and as the sandbox program's arguments.
fn create_argv() -> Vec<String> {
    let mut argv: Vec<String> = ["openshell", "sandbox", "create", "--name", "demo", "--from", "./Dockerfile"].map(str::to_owned).to_vec();
    let mut program = vec!["agent".to_owned()];
    for (i, sample) in SECRET_FORMATS.iter().enumerate() {
        let words = sample.argv_words();
        if let [word] = words.as_slice() {
            let named = word
                .split_once('=')
                .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
            argv.extend(["--env".to_owned(), if named { (*word).to_owned() } else { format!("SAMPLE_{i}={word}") }]);
        }
        program.extend(words.iter().map(|w| (*w).to_owned()));
    }
    argv.extend(
        ["--", "env", "FOO_KEY=opensesame", "GROQ_API_KEY=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"].map(str::to_owned),
    );
    argv.extend(program);
    argv
}

#[test]
fn plan_never_shows_a_secret_from_the_create_argv() {
    let dir = tempfile::tempdir().expect("temp dir");
    let log = dir.path().join("create.log");
    fs::write(
        &log,
        "Error:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-x\n",
    )
    .expect("write the log");
    let argv = create_argv();
    for format in ["human", "json", "sh"] {
        let mut args = vec!["plan", "--format", format, log.to_str().expect("path"), "--"];
        args.extend(argv.iter().map(String::as_str));
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let shown = format!("{}{}", stdout(&out), stderr(&out));
        assert!(shown.contains("openshell sandbox create --name demo"), "{format}: the command is not shown again: {shown}");
        for sample in SECRET_FORMATS {
            assert!(!shown.contains(sample.hidden), "{format}: {}: {shown}", sample.format);
        }
    }
}

#[test]
fn run_writes_no_secret_to_its_events_or_its_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, sample) in SECRET_FORMATS.iter().enumerate() {
        let (events, report) = (dir.path().join(format!("events{i}.ndjson")), dir.path().join(format!("report{i}.json")));
        let script = format!("echo '{}'; exit 1", evidence_line(sample));
        let out = run(
            &["run", "--events", events.to_str().expect("path"), "--json-out", report.to_str().expect("path"), "--", "sh", "-c", &script],
            b"",
        );
        assert_eq!(out.status.code(), Some(1), "{}: {}", sample.format, stderr(&out));
        assert!(stdout(&out).contains(sample.hidden), "{}: the command's own output passes through", sample.format);
        let events = fs::read_to_string(&events).expect("the events file");
        let report = fs::read_to_string(&report).expect("the report");
        for (what, text) in [("stderr", stderr(&out)), ("events", events.clone()), ("report", report.clone())] {
            assert!(!text.contains(sample.hidden), "{}: {what}: {text}", sample.format);
        }
        let expected = evidence_line(sample).replace(sample.line, sample.masked);
        let report: serde_json::Value = serde_json::from_str(&report).expect("report JSON");
        assert_eq!(report["diagnosis"]["evidence"][0]["text"], expected.as_str(), "{}", sample.format);
        let last: serde_json::Value = serde_json::from_str(events.lines().last().expect("events")).expect("an event");
        assert_eq!(last["report"]["diagnosis"]["evidence"][0]["text"], expected.as_str(), "{}: {events}", sample.format);
    }
}
