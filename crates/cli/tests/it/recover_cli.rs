//! `recover`'s rules, carried out against stub commands on `PATH`: what runs only after
//! a yes, what needs `--allow-destructive` or a placeholder set, and how a step that
//! hangs ends (a timeout, Ctrl-C) with its processes stopped. The real engine's cases
//! are in `recover_engine`.

use std::fs;
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::workspace;
use crate::stand_in::StandIn as Stubs;

fn example() -> String {
    workspace().join("examples/upload-404-podman.log").display().to_string()
}

const CREATE: &[&str] = &["--", "openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"];

fn with_create<'a>(args: &[&'a str]) -> Vec<&'a str> {
    args.iter().chain(CREATE).copied().collect()
}

fn said(out: &Output) -> String {
    crate::common::read_as_prose(out)
}

#[test]
fn without_a_yes_and_no_terminal_nothing_is_changed() {
    let stubs = Stubs::new();
    let example = example();
    let out = stubs.run(&with_create(&[&example, "--apply"]), &[]);
    assert_eq!(out.status.code(), Some(5), "{}", said(&out));
    assert!(said(&out).contains("stopped before any change"), "{}", said(&out));
    assert!(said(&out).contains("steps 3, 4, 6 need a yes and there is no terminal to ask on"), "{}", said(&out));
    assert!(stubs.log().is_empty(), "{}", stubs.log());
}

#[test]
fn a_dry_run_in_json_says_what_each_step_would_do() {
    let stubs = Stubs::new();
    let example = example();
    let out = stubs.run(&with_create(&[&example, "--yes", "--format", "json"]), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(answer["mode"], "dry-run");
    assert_eq!(answer["outcome"], "done");
    assert_eq!(answer["stops"], serde_json::json!([]));
    let statuses: Vec<&str> = answer["steps"].as_array().expect("steps").iter().map(|s| s["status"].as_str().unwrap_or("")).collect();
    assert_eq!(statuses, ["done", "done", "would-run", "would-run", "would-run", "would-run"]);
    assert!(!stubs.log().contains("podman tag") && !stubs.log().contains("podman save"), "{}", stubs.log());
    // Started without --yes and with no terminal, it says --apply would stop, and why.
    let out = stubs.run(&with_create(&[&example, "--format", "json"]), &[]);
    assert_eq!(out.status.code(), Some(5), "{}", said(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!(answer["outcome"], "stopped");
    assert_eq!(
        answer["stops"],
        serde_json::json!(["steps 3, 4, 6 need a yes and there is no terminal to ask on: run again with --yes to carry them out"])
    );
    // Not recognised: still one JSON object.
    let input = stubs.input("nothing to see\n");
    let out = stubs.run(&[&input, "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(1), "{}", said(&out));
    let answer: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON object");
    assert_eq!((answer["outcome"].as_str(), answer["exit_status"].as_u64()), (Some("not-recognised"), Some(1)));
}

/// Whether the process runs (a zombie waiting for a parent that does not reap it
/// does not).
fn alive(pid: i32) -> bool {
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else { return false };
    let state = stat.rsplit_once(") ").and_then(|(_, rest)| rest.chars().next());
    state.is_some_and(|s| s != 'Z' && s != 'X')
}

/// Waits for the hanging `save` to write its pid.
fn save_pid(stubs: &Stubs, child: &mut Child) -> i32 {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(text) = fs::read_to_string(stubs.dir.path().join("save.pid")) {
            if let Ok(pid) = text.trim().parse() {
                return pid;
            }
        }
        assert!(child.try_wait().expect("wait").is_none(), "recover ended before the save started: {}", stubs.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("the save never started: {}", stubs.log());
}

#[test]
fn ctrl_c_stops_the_running_step_and_says_what_was_done() {
    let stubs = Stubs::new();
    let example = example();
    let journal = stubs.dir.path().join("journal");
    let journal_arg = journal.display().to_string();
    let mut child = stubs
        .command(&with_create(&["recover", &example, "--apply", "--yes", "--journal", &journal_arg]), &[("STUB_SAVE_SLEEP", "60")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("recover");
    let pid = save_pid(&stubs, &mut child);
    // SAFETY: a signal to the child this test started.
    #[allow(unsafe_code)]
    unsafe {
        libc::kill(i32::try_from(child.id()).expect("pid"), libc::SIGINT);
    }
    let out = child.wait_with_output().expect("recover");
    assert_eq!(out.status.code(), Some(130), "{}", said(&out));
    assert!(said(&out).contains("interrupted: the step's processes were stopped"), "{}", said(&out));
    assert!(!alive(pid), "the hanging save still runs");
    let entries: Vec<serde_json::Value> =
        fs::read_to_string(&journal).expect("journal").lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    let statuses: Vec<&str> = entries.iter().map(|e| e["status"].as_str().unwrap_or("")).collect();
    assert_eq!(statuses, ["done", "done", "done", "interrupted"], "{entries:?}");
    assert!(!stubs.log().contains("openshell sandbox"), "{}", stubs.log());
}

#[test]
fn a_step_past_its_timeout_is_stopped_and_fails() {
    let stubs = Stubs::new();
    let example = example();
    let started = Instant::now();
    let out = stubs.run(&with_create(&[&example, "--apply", "--yes", "--timeout", "1"]), &[("STUB_SAVE_SLEEP", "60")]);
    assert_eq!(out.status.code(), Some(4), "{}", said(&out));
    assert!(said(&out).contains("failed: step 4 ran past its 1 s timeout and was stopped"), "{}", said(&out));
    assert!(started.elapsed() < Duration::from_secs(30));
    let pid = stubs.pid("save.pid");
    assert!(!alive(pid), "the hanging save still runs");
}

#[test]
fn a_destructive_step_needs_its_flag_and_a_value_nobody_gave_its_set() {
    let stubs = Stubs::new();
    let input = stubs.corpus_input("database_migration_incompatible__has-been-modified-9293.log");
    let state = stubs.dir.path().join("gw state");
    fs::create_dir(&state).expect("state dir");
    fs::write(state.join("openshell.db"), "db").expect("database");
    let set = format!("GATEWAY_STATE_DIR={}", state.display());
    let base = [input.as_str(), "--stage", "gateway-start", "--apply", "--yes"];

    let refused = stubs.run(&[&base[..], &["--set", &set]].concat(), &[]);
    assert_eq!(refused.status.code(), Some(5), "{}", said(&refused));
    assert!(said(&refused).contains("step 4 is destructive: run again with --allow-destructive"), "{}", said(&refused));
    assert!(stubs.log().is_empty(), "{}", stubs.log());

    let allowed: Vec<&str> = base.iter().copied().chain(["--allow-destructive"]).collect();
    // The operator's own GATEWAY_STATE_DIR (any shell may have one) is not read.
    let unset = stubs.run(&allowed, &[("GATEWAY_STATE_DIR", &state.display().to_string())]);
    assert_eq!(unset.status.code(), Some(5), "{}", said(&unset));
    assert!(said(&unset).contains("GATEWAY_STATE_DIR is not given"), "{}", said(&unset));
    assert!(stubs.log().is_empty(), "{}", stubs.log());

    // The real `mv` and `test`; a stand-in `systemctl`.
    let done = stubs.run(&[&allowed[..], &["--set", &set]].concat(), &[]);
    assert_eq!(done.status.code(), Some(0), "{}", said(&done));
    assert_eq!(stubs.log(), "systemctl --user stop openshell-gateway\nsystemctl --user start openshell-gateway\n");
    assert!(state.with_file_name("gw state.incompatible").join("openshell.db").exists() && !state.exists());
    assert!(said(&done).contains(&format!("→ will run: mv '{0}' '{0}.incompatible'", state.display())), "{}", said(&done));
}

#[test]
fn a_helper_left_running_by_a_step_does_not_hold_the_step_open() {
    let stubs = Stubs::new();
    let example = example();
    let started = Instant::now();
    let out = stubs.run(&with_create(&[&example, "--apply", "--yes"]), &[("STUB_SAVE_LINGERS", "1")]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    let pid = stubs.pid("lingering.pid");
    assert!(!alive(pid), "the step's background helper still runs");
}

#[test]
fn a_plan_of_choices_runs_its_probes_only() {
    let stubs = Stubs::new();
    let input = stubs.corpus_input("sandbox_create_incomplete__created-sandbox.log");
    let out = stubs.run(
        &[
            &input,
            "--apply",
            "--yes",
            "--allow-destructive",
            "--",
            "openshell",
            "sandbox",
            "create",
            "--from",
            "x:1",
            "--name",
            "my-assistant",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(5), "{}", said(&out));
    assert!(said(&out).contains("this plan is choices for you to make"), "{}", said(&out));
    let log = stubs.log();
    assert!(log.contains("openshell sandbox list") && !log.contains("delete") && !log.contains("connect"), "{log}");
}

#[test]
fn a_taken_name_the_output_gives_another_sandbox_changes_nothing() {
    let stubs = Stubs::new();
    let input = stubs.corpus_input("sandbox_already_exists__after-dockerfile-rebuild-constructed.log");
    let argv = ["openshell", "sandbox", "create", "--from", "x:1", "--name", "my-assistant"];
    let out = stubs.run(&[&[input.as_str(), "--apply", "--yes", "--allow-destructive", "--"][..], &argv[..]].concat(), &[]);
    assert_eq!(out.status.code(), Some(5), "{}", said(&out));
    assert!(said(&out).contains("stopped before any change"), "{}", said(&out));
    assert!(said(&out).contains("names my-assistant"), "{}", said(&out));
    let log = stubs.log();
    assert!(!log.contains("delete") && !log.contains("create"), "{log}");
}

#[test]
fn a_dry_run_is_not_clear_when_a_later_step_needs_a_value() {
    let stubs = Stubs::new();
    let example = example();
    let out = stubs.run(
        &[
            &example,
            "--",
            "openshell",
            "sandbox",
            "create",
            "--from",
            "./Dockerfile",
            "--policy",
            "/tmp/nemoclaw-policy-gone-abc.yaml",
            "-g",
            "nemoclaw",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(5), "{}", said(&out));
    assert!(said(&out).contains("POLICY_FILE: the create's own path is gone"), "{}", said(&out));
    assert!(said(&out).contains("pass --set POLICY_FILE=PATH"), "{}", said(&out));
}
