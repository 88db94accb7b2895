//! What the narration and the journal say, word for word: step numbers, which side of a
//! pipeline failed, what was streamed, what is shown of a value, and each outcome's
//! status. Plans are built by hand where a real one would not show the case.

use std::time::Duration;

use sandbox_triage_core::{
    words, Applicability, Check, Frontend, Kind, PathKind, Placeholders, Plan, Sensitivity, Spec, Stage, Step, ValueKind, Word,
};
use sandbox_triage_recover::{rate, resolve, Given, Origin, Outcome};

use crate::support::{apply_yes, diagnose, fails, healthy, plan_for, recover, reply, Asked, Recorder, EXAMPLE};

#[test]
fn each_outcome_has_its_status_and_name() {
    let table = [
        (Outcome::Done, 0, "done"),
        (Outcome::CheckFailed, 3, "check-failed"),
        (Outcome::StepFailed, 4, "step-failed"),
        (Outcome::Stopped, 5, "stopped"),
        (Outcome::Interrupted, 130, "interrupted"),
    ];
    for (outcome, code, name) in table {
        assert_eq!((outcome.code(), outcome.as_str()), (code, name));
    }
}

#[test]
fn a_stream_is_said_in_mebibytes_seconds_and_its_rate() {
    assert_eq!(rate(3 << 20, Duration::from_secs(2)), "streamed 3.0 MiB in 2.0 s (1.5 MiB/s)");
    assert_eq!(rate(512 << 10, Duration::from_millis(250)), "streamed 0.5 MiB in 0.2 s (2.0 MiB/s)");
}

fn upload_with_argv() -> Plan {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"];
    plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell)
}

#[test]
fn the_side_of_a_pipeline_that_failed_is_named_and_journaled() {
    // The importer failed; `save` died of the broken pipe after it and is not the cause.
    let mut runner =
        healthy().answering("podman save", reply(141, "")).answering("images import", fails(1, "ctr: no space left on device"));
    let (outcome, heard) = recover(&upload_with_argv(), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    let import = "podman exec -i openshell-cluster-nemoclaw ctr -a /run/k3s/containerd/containerd.sock -n k8s.io images import -";
    assert!(heard.text().contains(&format!("failed: step 4 (pipeline command 2, `{import}`) exited 1")), "{}", heard.text());
    let entry = heard.entries.iter().find(|e| e.step == 4).expect("step 4's record");
    assert_eq!(entry.exit_codes, [141, 1]);
    assert_eq!(entry.failed.as_deref(), Some(format!("2: {import} (exited 1)").as_str()));
    assert_eq!(entry.streamed_bytes, Some(3 << 20));
    assert_eq!(
        entry.argv,
        [
            words(&["podman", "save", "docker.io/openshell/sandbox-from:1786000000"]).iter().map(Word::display).collect::<Vec<_>>(),
            import.split(' ').map(str::to_owned).collect()
        ]
    );
    assert!(entry.output_tail.iter().any(|l| l.contains("no space left on device")), "{:?}", entry.output_tail);
    // A single command's failure names no pipeline, and its record no stream.
    let mut runner = healthy().answering("podman tag", fails(125, "Error: tag failed"));
    let (_, heard) = recover(&upload_with_argv(), &apply_yes(), &mut runner, &mut Asked::default());
    assert!(heard.text().contains("failed: step 3 exited 125"), "{}", heard.text());
    assert_eq!(heard.entries.iter().find(|e| e.step == 3).and_then(|e| e.streamed_bytes), None);
}

#[test]
fn a_step_past_its_time_is_recorded_with_the_signal_that_ended_it() {
    let mut runner = healthy().hanging("podman tag");
    let (outcome, heard) = recover(&upload_with_argv(), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed);
    assert!(heard.text().contains("failed: step 3 ran past its 60 s timeout and was stopped"), "{}", heard.text());
    let entry = heard.entries.iter().find(|e| e.step == 3).expect("step 3");
    assert_eq!(entry.exit_codes, [143]);
    // A check that does not answer says so.
    let mut runner = Recorder::default().hanging("{{.State.Running}}");
    let (outcome, heard) = recover(&upload_with_argv(), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::CheckFailed, "{}", heard.text());
    assert!(heard.text().contains("openshell-cluster-nemoclaw` did not answer within 10 s"), "{}", heard.text());
}

#[test]
fn steps_output_is_shown_checks_output_is_not_and_only_a_pipeline_says_what_it_streamed() {
    let mut runner = healthy().answering("{{.State.Running}}", reply(0, "true\nCHECK-SAYS-THIS\n"));
    let (outcome, heard) = recover(&upload_with_argv(), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    let said = heard.text();
    // Step 1 is the probe (shown); step 4's condition runs the same command quietly.
    assert_eq!(said.matches("│ CHECK-SAYS-THIS").count(), 1, "{said}");
    assert!(said.contains("│ sha256:0123"), "{said}");
    assert_eq!(said.matches("→ streamed ").count(), 1, "{said}");
    assert!(said.contains("→ streamed 3.0 MiB"), "{said}");
    // A destructive step's command alone is shown filled before it runs.
    assert!(!said.contains("will run:"), "{said}");
}

#[test]
fn a_dry_run_runs_no_probe_past_the_first_change() {
    let mut runner = healthy();
    let (outcome, heard) = recover(&upload_with_argv(), &apply_yes().dry_run(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    // Step 3 (the tag) is the first change: nothing after it runs, not even a check.
    assert_eq!(runner.ran.len(), 2, "{:?}", runner.ran);
    assert_eq!(heard.statuses(), ["done", "done", "would-run", "would-run", "would-run", "would-run"]);
}

/// A plan made by hand: `mechanical`, with these steps and placeholders.
fn plan(mechanical: bool, steps: Vec<Step>, placeholders: Placeholders) -> Plan {
    Plan {
        kind: Kind::ImageUploadFailed,
        headline: "a plan".to_owned(),
        notes: Vec::new(),
        context: None,
        steps,
        alternatives: Vec::new(),
        placeholders,
        mechanical,
        by_users_rule: None,
    }
}

fn probe(argv: &[&str]) -> Step {
    Step::probe("Look", Check::succeeds(words(argv), "it answers"))
}

#[test]
fn a_dry_run_stops_at_a_step_only_a_person_can_do() {
    let steps = vec![
        probe(&["look"]),
        Step::advice("Edit the Dockerfile"),
        Step::argv(Applicability::Confirm, "Create", words(&["openshell", "sandbox", "create"])),
    ];
    let (outcome, heard) = recover(
        &plan(true, steps.clone(), Placeholders::default()),
        &apply_yes().dry_run(),
        &mut Recorder::default(),
        &mut Asked::default(),
    );
    assert_eq!(outcome, Outcome::Stopped);
    assert!(heard.text().contains("step 2 is yours to do: Edit the Dockerfile"), "{}", heard.text());
    assert!(heard.text().contains("stopped: step 2 is yours to do; nothing after it runs"), "{}", heard.text());
    assert!(!heard.text().contains("3. [confirm]"), "{}", heard.text());
    // Carried out, it stops before anything runs.
    let mut runner = Recorder::default();
    let (outcome, _) = recover(&plan(true, steps, Placeholders::default()), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped);
    assert!(runner.ran.is_empty());
}

#[test]
fn a_plan_of_choices_says_from_which_step_and_what_value_its_probe_lacks() {
    let mut placeholders = Placeholders::default();
    let gateway = placeholders.named("GATEWAY", Spec::asked(ValueKind::Name, "the gateway"));
    let steps = vec![
        probe(&["openshell", "gateway", "list"]),
        Step::probe(
            "Look at it",
            Check::succeeds(vec![Word::lit("openshell"), Word::lit("gateway"), Word::lit("info"), gateway], "it answers"),
        ),
        Step::argv(Applicability::Confirm, "Select it", words(&["openshell", "gateway", "select"])),
    ];
    let choices = plan(false, steps.clone(), placeholders.clone());
    let (outcome, heard) = recover(&choices, &apply_yes(), &mut Recorder::default(), &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped);
    assert!(heard.text().contains("step 2 needs a value: GATEWAY is not given"), "{}", heard.text());
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&choices, &apply_yes().set("GATEWAY", "spark"), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped);
    assert!(heard.text().contains("stopped: from step 3 on, this plan is choices for you to make"), "{}", heard.text());
    assert_eq!(runner.ran, ["openshell gateway list", "openshell gateway info spark"]);
}

#[test]
fn stops_name_their_steps_in_good_grammar() {
    let mut placeholders = Placeholders::default();
    let dir = placeholders.named("DIR", Spec::asked(ValueKind::Directory, "the directory"));
    let steps = vec![
        Step::probe("Look", Check::succeeds(vec![Word::lit("test"), Word::lit("-d"), dir.clone()], "a directory")),
        Step::argv(Applicability::Destructive, "Move it", vec![Word::lit("mv"), dir, Word::lit("/elsewhere")]),
    ];
    let start = apply_yes().set("NOPE", "x");
    let (_, heard) = recover(&plan(true, steps.clone(), placeholders.clone()), &start, &mut Recorder::default(), &mut Asked::default());
    let said = heard.text();
    assert!(said.contains("→ steps 1, 2 need a value: DIR is not given"), "{said}");
    assert!(said.contains("→ step 2 is destructive: run again with --allow-destructive"), "{said}");
    assert!(said.contains("→ --set NOPE: the plan has no value of that name"), "{said}");
    let one = plan(true, steps[1..].to_vec(), placeholders);
    let (_, heard) = recover(&one, &apply_yes(), &mut Recorder::default(), &mut Asked::default());
    assert!(heard.text().contains("→ step 1 needs a value: DIR is not given"), "{}", heard.text());
}

#[test]
fn the_creates_own_value_is_kept_whatever_set_says_and_values_list_where_each_came_from() {
    let mut placeholders = Placeholders::default();
    let key = placeholders.named("API_KEY", Spec::carried(ValueKind::Text, Sensitivity::Secret, "nvapi-create-0123456789", "a credential"));
    let name = placeholders.named("NAME", Spec::asked(ValueKind::Name, "a name"));
    let steps = vec![Step::argv(Applicability::Confirm, "Use them", vec![Word::lit("run"), key, name])];
    let plan = plan(true, steps, placeholders);
    let set = [("API_KEY".to_owned(), "other".to_owned()), ("NAME".to_owned(), "web".to_owned())];
    let (values, problems) = resolve(&plan, &Given { set: &set, env: &|_| None, path: &|_| PathKind::Missing });
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(values.get("API_KEY").map(|v| (v.text.as_str(), v.origin)), Some(("nvapi-create-0123456789", Origin::Create)));
    assert_eq!(values.get("NAME").map(|v| (v.text.as_str(), v.origin)), Some(("web", Origin::Set)));
    let names: Vec<&String> = values.iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["API_KEY", "NAME"]);
    assert_eq!(values.secrets(), ["nvapi-create-0123456789"]);
    assert_eq!(values.concrete(&Word::var("NAME")), Word::lit("web"));
    assert_eq!(values.concrete(&Word::var("API_KEY")), Word::var("API_KEY"));
}

#[test]
fn a_change_that_cannot_be_put_back_ends_what_can_be() {
    // Stop (undo: start), then a change with no undo, then a failure: the stop is not
    // put back, for the change after it made that unsafe.
    let steps = vec![
        Step::argv(Applicability::Confirm, "Stop", words(&["svc", "stop"])).with_undo(words(&["svc", "start"])),
        Step::argv(Applicability::Confirm, "Commit", words(&["commit"])),
        Step::argv(Applicability::Confirm, "Fail", words(&["fail"])),
    ];
    let mut runner = Recorder::default().answering("fail", fails(1, ""));
    let (outcome, _) = recover(&plan(true, steps, Placeholders::default()), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed);
    assert_eq!(runner.ran, ["svc stop", "commit", "fail"]);
}

#[test]
fn nothing_starts_once_the_operator_has_stopped_the_run() {
    let steps = vec![probe(&["look"]), probe(&["look", "again"]), Step::argv(Applicability::Confirm, "Change", words(&["change"]))];
    for runner in [Recorder::default().stopped_at("look"), Recorder::default().stopped_after("look")] {
        let mut runner = runner;
        let (outcome, heard) =
            recover(&plan(true, steps.clone(), Placeholders::default()), &apply_yes(), &mut runner, &mut Asked::default());
        assert_eq!(outcome, Outcome::Interrupted, "{}", heard.text());
        assert_eq!(runner.ran, ["look"]);
    }
    // A stop heard while the change's own condition was checked: the change never runs.
    let guarded =
        vec![Step::argv(Applicability::Confirm, "Change", words(&["change"])).with_pre(Check::succeeds(words(&["ready"]), "ready"))];
    let mut runner = Recorder::default().stopped_after("ready");
    let (outcome, _) = recover(&plan(true, guarded, Placeholders::default()), &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Interrupted);
    assert_eq!(runner.ran, ["ready"]);
}
