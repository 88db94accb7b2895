//! `run` tells where a create went: the timeline of its phases and slowest build steps
//! (on stderr, in `--json-out` and in `--events`), the events as they happen, `--quiet`.

use std::fs;
use std::process::Output;

use serde_json::Value;

use crate::common::run;

/// A create replayed with delays: building 1.0 s (steps of 0.4 and 0.6 s), exporting
/// 0.8 s, then the upload fails at once.
const REPLAY: &str = r#"
echo 'Building image openshell/sandbox-from:1786000000 from ./Dockerfile'
echo 'Step 1/2 : FROM scratch'
sleep 0.4
echo 'Step 2/2 : RUN make'
sleep 0.6
echo 'Successfully built 1234567890ab'
echo 'Successfully tagged openshell/sandbox-from:1786000000'
echo '  Built image openshell/sandbox-from:1786000000'
echo '  Pushing image openshell/sandbox-from:1786000000 into gateway "nemoclaw"'
sleep 0.8
echo '  [progress] Exported 1862 MiB'
echo 'Error:   × failed to upload image tar into container' >&2
echo '  ╰─▶ Docker responded with status code 404: no container with name or ID "openshell-cluster-nemoclaw" found: no such container' >&2
exit 1
"#;

fn close(actual: &Value, expected: f64, what: &str) {
    let actual = actual.as_f64().unwrap_or_else(|| panic!("{what}: not a number"));
    assert!((actual - expected).abs() <= 0.3, "{what}: {actual} s, expected about {expected} s");
}

fn replay(extra: &[&str]) -> (Output, Vec<Value>, Value) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (events, report) = (dir.path().join("events.ndjson"), dir.path().join("report.json"));
    let mut args = vec!["run", "--events", events.to_str().expect("path"), "--json-out", report.to_str().expect("path")];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--", "sh", "-c", REPLAY]);
    let out = run(&args, b"");
    let events: Vec<Value> = fs::read_to_string(&events)
        .expect("the events file")
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let report = serde_json::from_str(&fs::read_to_string(&report).expect("the report")).expect("JSON");
    (out, events, report)
}

#[test]
fn a_replayed_create_with_delays_has_a_timeline_whose_durations_match_them() {
    let (out, events, report) = replay(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(report["diagnosis"]["kind"], "image_upload_container_missing");
    let timeline = &report["timeline"];
    let phases: Vec<&str> = timeline["phases"].as_array().expect("phases").iter().map(|p| p["phase"].as_str().expect("a phase")).collect();
    assert_eq!(phases, ["build", "export", "upload"]);
    close(&timeline["phases"][0]["secs"], 1.0, "build");
    close(&timeline["phases"][1]["secs"], 0.8, "export");
    close(&timeline["phases"][2]["secs"], 0.0, "upload");
    close(&timeline["total_secs"], 1.8, "total");
    assert_eq!(timeline["slowest_steps"][0]["step"], "[2/2] RUN make");
    close(&timeline["slowest_steps"][0]["secs"], 0.6, "the slowest step");
    close(&timeline["slowest_steps"][1]["secs"], 0.4, "the other step");
    // People see it too: an aligned table after the plan.
    let err = String::from_utf8_lossy(&out.stderr);
    let table = &err[err.rfind("timeline  ").expect("the timeline on stderr")..];
    for row in ["  build ", "  export ", "  upload ", "slowest build steps", "  [2/2] RUN make "] {
        assert!(table.contains(row), "{row:?} missing:\n{table}");
    }
    // The events file says the same, as it happened, in order.
    let names: Vec<&str> = events.iter().map(|e| e["event"].as_str().expect("an event name")).collect();
    assert_eq!(names.first(), Some(&"started"));
    assert_eq!(&names[names.len() - 2..], ["exited", "diagnosis"]);
    let event_phases: Vec<&str> = events.iter().filter(|e| e["event"] == "phase").map(|e| e["phase"].as_str().expect("phase")).collect();
    assert_eq!(event_phases, ["build", "export", "upload"]);
    let steps: Vec<&str> = events.iter().filter(|e| e["event"] == "step").map(|e| e["step"].as_str().expect("step")).collect();
    assert_eq!(steps, ["[1/2] FROM scratch", "[2/2] RUN make"]);
    let times: Vec<f64> = events.iter().map(|e| e["at_secs"].as_f64().expect("at_secs")).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let export = events.iter().find(|e| e["phase"] == "export").expect("export began");
    close(&export["at_secs"], 1.0, "export's start");
    let evidence = events.iter().find(|e| e["event"] == "evidence").expect("the decisive evidence");
    assert_eq!(evidence["kind"], "image_upload_container_missing");
    // Not a build step's failure: no cause line, and the key says so.
    assert_eq!(evidence.get("cause"), Some(&serde_json::Value::Null));
    assert_eq!(events.iter().find(|e| e["event"] == "exited").expect("exited")["status"], 1);
    assert_eq!(events.last().expect("events")["report"], report);
}

#[test]
fn quiet_adds_nothing_but_the_diagnosis() {
    let (out, events, report) = replay(&["--quiet"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("image_upload_container_missing") && err.contains("recovery"), "{err}");
    assert!(!err.contains("timeline") && !err.contains("no output for"), "{err}");
    // The programs' outputs are whole all the same.
    assert!(report["timeline"]["phases"].as_array().is_some_and(|p| p.len() == 3));
    assert_eq!(events.last().expect("events")["event"], "diagnosis");
    let clash = run(&["run", "--quiet", "--early", "--", "true"], b"");
    assert_eq!(clash.status.code(), Some(2), "--quiet and --early are opposites");
}

#[test]
fn a_success_adds_nothing_unless_the_timeline_is_asked_for() {
    let plain = run(&["run", "--", "sh", "-c", "echo 'Step 1/1 : FROM scratch'; sleep 0.3; echo 'Successfully built 1234567890ab'"], b"");
    assert_eq!(plain.status.code(), Some(0));
    assert!(plain.stderr.is_empty(), "{}", String::from_utf8_lossy(&plain.stderr));
    let timed = run(
        &["run", "--timeline", "--", "sh", "-c", "echo 'Step 1/1 : FROM scratch'; sleep 0.3; echo 'Successfully built 1234567890ab'"],
        b"",
    );
    assert_eq!(timed.status.code(), Some(0));
    let err = String::from_utf8_lossy(&timed.stderr);
    assert!(err.contains("timeline  ") && err.contains("  build ") && err.contains("[1/1] FROM scratch"), "{err}");
}

#[test]
fn a_heartbeat_names_the_phase_on_stderr_and_in_the_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("events.ndjson");
    let child = "printf '  [progress] Uploaded to gateway\\n' >&2; sleep 1.6; exit 1";
    let out = run(&["run", "--heartbeat", "1", "--events", events.to_str().expect("path"), "--", "sh", "-c", child], b"");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no output for 1s: the gateway is importing the image"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let beats: Vec<Value> = fs::read_to_string(&events)
        .expect("events")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
        .filter(|e| e["event"] == "heartbeat")
        .collect();
    assert!(!beats.is_empty());
    assert_eq!(beats[0]["phase"], "import");
    assert!(beats[0]["silent_secs"].as_u64().is_some_and(|s| s >= 1), "{}", beats[0]);
}

#[test]
fn a_burst_of_output_keeps_every_phase_and_step_in_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("events.ndjson");
    // Everything at once, then silence: one read holds it all.
    let child = r#"printf 'Step 1/2 : FROM scratch\nStep 2/2 : RUN true\n  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway "nemoclaw"\n  [progress] Exported 1862 MiB\n'; sleep 0.5; exit 1"#;
    let out = run(&["run", "--events", events.to_str().expect("path"), "--", "sh", "-c", child], b"");
    assert_eq!(out.status.code(), Some(1));
    let seen: Vec<String> = fs::read_to_string(&events)
        .expect("events")
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON"))
        .filter_map(|e| match e["event"].as_str() {
            Some("phase") => Some(format!("phase {}", e["phase"].as_str().unwrap_or_default())),
            Some("step") => Some(format!("step {}", e["step"].as_str().unwrap_or_default())),
            _ => None,
        })
        .collect();
    assert_eq!(seen, ["phase build", "step [1/2] FROM scratch", "step [2/2] RUN true", "phase export", "phase upload"]);
}

#[test]
fn a_command_that_cannot_start_leaves_no_stale_report_and_says_so_in_the_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (events, report) = (dir.path().join("events.ndjson"), dir.path().join("report.json"));
    fs::write(&report, "{\"an earlier run\": true}\n").expect("an earlier report");
    let (e, r) = (events.to_str().expect("path"), report.to_str().expect("path"));
    let out = run(&["run", "--events", e, "--json-out", r, "--", "/nonexistent/openshell"], b"");
    assert_eq!(out.status.code(), Some(127));
    assert!(!report.exists(), "an earlier run's report is left");
    let lines: Vec<Value> = fs::read_to_string(&events).expect("events").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_eq!((lines[0]["event"].as_str(), lines[1]["event"].as_str()), (Some("started"), Some("exited")));
    assert_eq!(lines[1]["status"], 127);
    assert!(lines[1]["error"].as_str().is_some_and(|e| e.contains("/nonexistent/openshell: no such file")), "{}", lines[1]);
}

#[test]
fn secrets_in_the_command_line_never_reach_the_events() {
    let dir = tempfile::tempdir().expect("temp dir");
    let events = dir.path().join("events.ndjson");
    let secrets = ["hunter2secret", "nvapi-abcdefghijklmnopqrstuvwxyz0123456789", "s3cr3t-in-url"];
    let key = format!("NVIDIA_API_KEY={}", secrets[1]);
    let url = format!("https://user:{}@example.com/x", secrets[2]);
    let e = events.to_str().expect("path");
    let out = run(&["run", "--events", e, "--", "sh", "-c", "exit 1", "--password", secrets[0], &key, &url], b"");
    let text = fs::read_to_string(&events).expect("events");
    for secret in secrets {
        assert!(!text.contains(secret), "{secret} in the events: {text}");
        assert!(!String::from_utf8_lossy(&out.stderr).contains(secret), "{secret} on stderr");
    }
    assert!(text.contains("--password"), "the command is still shown: {text}");
}

#[test]
fn a_heartbeat_after_an_unfinished_line_starts_a_line_of_its_own() {
    let out = run(&["run", "--heartbeat", "1", "--", "sh", "-c", "printf 'Downloading...' >&2; sleep 1.6; exit 1"], b"");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("Downloading...\nsandbox-triage: no output for 1s"), "{err}");
}

#[test]
fn a_command_that_prints_nothing_is_said_to_be_silent_and_its_signal_named() {
    let killed = run(&["run", "--", "sh", "-c", "kill -KILL $$"], b"");
    assert_eq!(killed.status.code(), Some(137));
    // Prose is wrapped: compare it as words.
    let words = |bytes: &[u8]| crate::common::flat(&String::from_utf8_lossy(bytes));
    let err = words(&killed.stderr);
    assert!(err.contains("printed nothing, on stdout or stderr, and exited with status 137"), "{err}");
    assert!(err.contains("killed by signal 9, SIGKILL"), "{err}");
    // `run` captured stderr itself: no advice to capture it; and no evidence to point at.
    assert!(!err.contains("2>&1"), "{err}");
    assert!(!err.contains("Read the evidence above"), "{err}");
    assert!(err.contains("The output is empty: run the create by hand to see what it does"), "{err}");
    let failed = run(&["run", "--", "sh", "-c", "exit 2"], b"");
    let err = words(&failed.stderr);
    assert!(err.contains("exited with status 2: nothing to classify") && !err.contains("killed"), "{err}");
    // Output with no error in it: `run` read stderr too, so no advice to capture it.
    let quiet = run(&["run", "--", "sh", "-c", "echo working; exit 2"], b"");
    let err = words(&quiet.stderr);
    assert!(err.contains("No line looks like an error, on stdout or stderr.") && !err.contains("2>&1"), "{err}");
    assert!(err.contains("No line of the output looks like an error: run the create again") && !err.contains("evidence above"), "{err}");
}
