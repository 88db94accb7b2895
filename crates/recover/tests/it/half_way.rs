//! Never half-way: every stop that can be known is found before the first change, and a
//! change a later failure would leave broken (a stopped service, a moved directory) is
//! put back when a later step fails or the operator stops, newest first.

use sandbox_triage_core::{Frontend, PathKind, Stage};
use sandbox_triage_recover::{Answer, Outcome};

use crate::support::{apply_yes, diagnose, fails, plan_for, recover, Asked, Recorder, Start};

const MIGRATION: &str = "Error:   × execution error: migration error: migration 4 was previously applied but\n  │ has been modified\n";

const STATE: &str = "/srv/gw state";

fn plan(frontend: Frontend) -> sandbox_triage_core::Plan {
    plan_for(&diagnose(MIGRATION, Stage::GatewayStart), None, frontend)
}

/// `--apply --yes --allow-destructive`, the state directory given and there.
fn allowed() -> Start {
    apply_yes().destructive().set("GATEWAY_STATE_DIR", STATE).path(STATE, PathKind::Directory)
}

#[test]
fn a_migration_is_moved_aside_and_the_service_started_on_a_new_database() {
    let (mut runner, mut person) = (Recorder::default(), Asked::default());
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &allowed(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert_eq!(
        runner.ran,
        [
            "test -f /srv/gw state/openshell.db",
            "test ! -e /srv/gw state.incompatible",
            "systemctl --user stop openshell-gateway",
            "test ! -e /srv/gw state.incompatible",
            "mv /srv/gw state /srv/gw state.incompatible",
            "test -f /srv/gw state.incompatible/openshell.db",
            "systemctl --user start openshell-gateway",
        ]
    );
    assert!(heard.text().contains("→ will run: mv '/srv/gw state' '/srv/gw state.incompatible'"), "{}", heard.text());
}

#[test]
fn what_would_stop_it_part_way_stops_it_before_the_service_is_touched() {
    let cases: [(Start, &str); 4] = [
        (apply_yes().set("GATEWAY_STATE_DIR", STATE).path(STATE, PathKind::Directory), "step 4 is destructive"),
        (apply_yes().destructive(), "GATEWAY_STATE_DIR is not given"),
        (
            apply_yes().destructive().set("GATEWAY_STATE_DIR", "/nowhere"),
            "GATEWAY_STATE_DIR from --set GATEWAY_STATE_DIR=… is not an existing directory",
        ),
        (allowed().dry_run().destructive(), ""),
    ];
    for (start, why) in cases {
        let (mut runner, mut person) = (Recorder::default(), Asked::default());
        let mut start = start;
        if why.is_empty() {
            // No --yes, no terminal: every change needs a yes nobody can give.
            start.policy.apply = true;
            start.policy.yes = false;
        }
        let (outcome, heard) = recover(&plan(Frontend::OpenShell), &start, &mut runner, &mut person);
        assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
        assert!(runner.ran.is_empty(), "{why}: {:?}", runner.ran);
        assert!(heard.text().contains("stopped before any change"), "{}", heard.text());
        let why = if why.is_empty() { "steps 3, 4, 5 need a yes and there is no terminal to ask on" } else { why };
        assert!(heard.text().contains(why), "{why}: {}", heard.text());
    }
}

#[test]
fn a_failed_move_starts_the_service_it_stopped() {
    // The move failed: nothing was moved, so there is nothing at the new name.
    let mut runner =
        Recorder::default().answering("mv ", fails(1, "mv: cannot move: Device or resource busy")).answering("test -d", fails(1, ""));
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    assert_eq!(runner.ran.last().map(String::as_str), Some("systemctl --user start openshell-gateway"), "{:?}", runner.ran);
    assert!(runner.ran_with("mv /srv/gw state.incompatible").is_empty(), "nothing to move back: {:?}", runner.ran);
    assert_eq!(heard.statuses(), ["done", "done", "done", "failed", "undone"], "{}", heard.text());
    assert!(heard.text().contains("step 4 left nothing to put back"), "{}", heard.text());
}

#[test]
fn a_service_that_will_not_start_gets_its_old_state_back_and_is_started_on_it() {
    let mut runner = Recorder::default().answering("systemctl --user start", fails(1, "Job for openshell-gateway.service failed"));
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    let tail: Vec<&str> = runner.ran.iter().rev().take(5).rev().map(String::as_str).collect();
    assert_eq!(
        tail,
        [
            "systemctl --user start openshell-gateway",
            "test -d /srv/gw state.incompatible",
            "test ! -e /srv/gw state",
            "mv /srv/gw state.incompatible /srv/gw state",
            "systemctl --user start openshell-gateway",
        ],
        "{:?}",
        runner.ran
    );
    // Putting back stops at the first thing that cannot be put back, and says so.
    assert!(heard.text().contains("could not put back step 3"), "{}", heard.text());
}

#[test]
fn ctrl_c_while_a_step_runs_puts_back_what_was_changed() {
    // Stopped before the rename happened: nothing is at the new name.
    let mut runner = Recorder::default().stopped_at("mv ").answering("test -d", fails(1, ""));
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Interrupted, "{}", heard.text());
    assert_eq!(runner.ran.last().map(String::as_str), Some("systemctl --user start openshell-gateway"), "{:?}", runner.ran);
    assert!(runner.ran_with("mv /srv/gw state.incompatible").is_empty(), "the move never happened: {:?}", runner.ran);
}

#[test]
fn ctrl_c_at_a_question_ends_the_run_and_puts_back_what_was_changed() {
    let mut person = Asked::default();
    // Yes to stopping the service; Ctrl-C at the move's question.
    person.answers.extend([Answer::Yes, Answer::Interrupted]);
    let mut runner = Recorder::default();
    let start = Start { policy: sandbox_triage_recover::Policy { yes: false, terminal: true, ..allowed().policy }, ..allowed() };
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Interrupted, "{}", heard.text());
    assert_eq!(person.questions.len(), 2, "{:?}", person.questions);
    assert!(runner.ran_with("mv ").is_empty(), "{:?}", runner.ran);
    assert_eq!(runner.ran.last().map(String::as_str), Some("systemctl --user start openshell-gateway"), "{:?}", runner.ran);
    assert!(heard.text().contains("interrupted at the question for step 4"), "{}", heard.text());
    assert_eq!(heard.statuses(), ["done", "done", "done", "interrupted", "undone"], "{}", heard.text());
}

#[test]
fn a_no_at_a_question_puts_back_what_was_changed_too() {
    let mut person = Asked::default();
    person.answers.extend([Answer::Yes, Answer::No]);
    let mut runner = Recorder::default();
    let start = Start { policy: sandbox_triage_recover::Policy { yes: false, terminal: true, ..allowed().policy }, ..allowed() };
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert_eq!(runner.ran.last().map(String::as_str), Some("systemctl --user start openshell-gateway"), "{:?}", runner.ran);
    assert_eq!(heard.statuses(), ["done", "done", "done", "stopped", "undone"], "{}", heard.text());
}

#[test]
fn nemoclaw_stops_its_own_unit_and_resumes_onboarding() {
    let frontend = Frontend::NemoClaw { cli: "nemoclaw".to_owned() };
    let (mut runner, mut person) = (Recorder::default(), Asked::default());
    let (outcome, heard) = recover(&plan(frontend), &allowed(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert!(runner.ran.contains(&"systemctl --user stop nemoclaw-openshell-gateway".to_owned()), "{:?}", runner.ran);
    assert_eq!(runner.ran.last().map(String::as_str), Some("nemoclaw onboard --resume"), "{:?}", runner.ran);
}

#[test]
fn a_program_a_later_step_runs_that_is_not_installed_stops_it_before_any_change() {
    // `mv` runs after the service is stopped: without it, the gateway would stay down.
    let (mut runner, mut person) = (Recorder::default().without("mv"), Asked::default());
    let (outcome, heard) = recover(&plan(Frontend::OpenShell), &allowed(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.iter().all(|c| !c.starts_with("systemctl")), "a change was made: {:?}", runner.ran);
    assert!(heard.text().contains("step 4 runs `mv`, which is not installed here (not on PATH)"), "{}", heard.text());
}
