//! Only what the operator allowed runs: a delete only of a sandbox the output shows was
//! created and the list shows failed, its command shown filled first; a re-create the
//! tool cannot complete only with a person's own yes; a plan of choices only probes.

use sandbox_triage_core::{Frontend, Stage};
use sandbox_triage_recover::{Answer, Outcome};

use crate::support::{apply_yes, diagnose, plan_for, recover, reply, Asked, Recorder, EXAMPLE};

/// The image the gateway could not find, after `Created sandbox: web` (0.0.37 and newer).
const LEFT_IN_ERROR: &str = "Building image openshell/sandbox-from:1784738810 from ./Dockerfile
  STEP 1/2: FROM scratch
  STEP 2/2: COPY x /x
  COMMIT openshell/sandbox-from:1784738810
  --> 1a2b3c4d5e6f
  Successfully tagged localhost/openshell/sandbox-from:1784738810
✓ Image openshell/sandbox-from:1784738810 is available in the local Docker daemon
Created sandbox: web
[0.1s] Sandbox allocated
[0.4s] Pulling image openshell/sandbox-from:1784738810
Error:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'openshell/sandbox-from:1784738810' failed: pull access denied for openshell/sandbox-from, repository does not exist or may require 'docker login'
";

const ARGV: &[&str] = &["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "web", "-g", "spark"];

/// Podman built it; Docker (the gateway's) has it once loaded; the list shows `web`.
fn engines(phase: &str) -> Recorder {
    Recorder::default()
        .answering("podman image inspect", reply(0, "sha256:0123\n"))
        .answering("docker image inspect", reply(1, ""))
        .once("docker load", "docker image inspect", reply(0, "sha256:0123\n"))
        .answering("sandbox list", reply(0, &format!("NAME  CREATED  PHASE\nweb  2026-12-04 10:00:00  \u{1b}[31m{phase}\u{1b}[0m\n")))
}

#[test]
fn a_sandbox_left_in_error_is_deleted_once_the_list_shows_it_failed_its_command_shown_first() {
    let plan = plan_for(&diagnose(LEFT_IN_ERROR, Stage::SandboxCreate), Some(ARGV), Frontend::OpenShell);
    let (mut runner, mut person) = (engines("Error"), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert_eq!(runner.ran_with("sandbox delete"), ["openshell sandbox delete web -g spark"], "{:?}", runner.ran);
    assert!(heard.text().contains("→ will run: openshell sandbox delete web -g spark"), "{}", heard.text());
    let delete = runner.ran.iter().position(|c| c.contains("sandbox delete")).expect("a delete");
    let create = runner.ran.iter().position(|c| c.contains("sandbox create")).expect("a create");
    assert!(delete < create, "{:?}", runner.ran);
}

#[test]
fn a_sandbox_that_is_ready_or_absent_is_never_deleted() {
    let plan = plan_for(&diagnose(LEFT_IN_ERROR, Stage::SandboxCreate), Some(ARGV), Frontend::OpenShell);
    for phase in ["Ready", "Provisioning"] {
        let (mut runner, mut person) = (engines(phase), Asked::default());
        let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut person);
        assert_eq!(outcome, Outcome::CheckFailed, "{}", heard.text());
        assert!(runner.ran_with("sandbox delete").is_empty() && runner.ran_with("sandbox create").is_empty(), "{:?}", runner.ran);
    }
}

#[test]
fn a_create_that_may_never_have_reached_the_gateway_deletes_nothing() {
    // The same failure without `Created sandbox:`: nothing says a sandbox exists.
    let log = LEFT_IN_ERROR.replace("Created sandbox: web\n", "");
    let d = diagnose(&log, Stage::SandboxCreate);
    let plan = plan_for(&d, None, Frontend::OpenShell);
    let words: Vec<String> = plan.all_steps().flat_map(|s| s.commands()).flatten().map(sandbox_triage_core::Word::display).collect();
    assert!(!words.iter().any(|w| w == "delete"), "{words:?}");
    assert!(plan.placeholders.get("SANDBOX").is_none(), "{:?}", plan.placeholders);
}

#[test]
fn a_recreate_built_from_the_output_alone_needs_a_persons_own_yes() {
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), None, Frontend::OpenShell);
    let create = plan.steps.last().expect("steps");
    assert!(create.in_person.is_some(), "{create:?}");
    // --yes alone, no terminal: nothing at all runs.
    let (mut runner, mut person) = (crate::support::healthy(), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty(), "{:?}", runner.ran);
    assert!(heard.text().contains("step 6 needs a yes from a person (--yes does not give it"), "{}", heard.text());
    // On a terminal, --yes covers the rest, and the person is asked this one.
    for (answer, done) in [(Answer::Yes, true), (Answer::No, false)] {
        let (mut runner, mut person) = (crate::support::healthy(), Asked::default());
        person.answers.push_back(answer);
        let (outcome, heard) = recover(&plan, &apply_yes().terminal(), &mut runner, &mut person);
        assert_eq!(person.questions.len(), 1, "{:?}", person.questions);
        // Asked before the first change: a no changes nothing.
        assert!(person.questions[0].starts_with("Step 6 will create the sandbox from the built image"), "{:?}", person.questions);
        if !done {
            assert!(runner.ran.is_empty(), "{:?}", runner.ran);
        }
        assert_eq!(outcome == Outcome::Done, done, "{}", heard.text());
        assert_eq!(runner.ran_with("sandbox create").len(), usize::from(done), "{:?}", runner.ran);
    }
}

#[test]
fn a_plan_of_choices_runs_its_probes_and_stops_at_the_first_choice() {
    let log = "\nCreated sandbox: my-assistant\n\nError:   × sandbox provisioning timed out after 300s\n";
    let plan = plan_for(
        &diagnose(log, Stage::SandboxCreate),
        Some(&["openshell", "sandbox", "create", "--name", "my-assistant"]),
        Frontend::OpenShell,
    );
    assert!(!plan.mechanical);
    let (mut runner, mut person) = (Recorder::default(), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert_eq!(runner.ran, ["openshell sandbox list"], "{}", heard.text());
    assert!(heard.text().contains("this plan is choices for you to make"), "{}", heard.text());
}

const TAKEN: &str = "  Built image openshell/sandbox-from:1786000000\nError:   × sandbox 'my-assistant' already exists\n  │ hint: delete it first with: openshell sandbox delete <name>\n";

fn taken_name_recovery(listed: &str) -> (Outcome, Recorder, String) {
    let plan = plan_for(
        &diagnose(TAKEN, Stage::SandboxCreate),
        Some(&["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "my-assistant"]),
        Frontend::OpenShell,
    );
    assert!(plan.mechanical);
    let mut runner = Recorder::default()
        .answering("openshell sandbox list", reply(0, &format!("NAME  CREATED  PHASE\nmy-assistant  2026-12-05 21:00:00  {listed}\n")))
        .once("openshell sandbox delete", "openshell sandbox list", reply(0, "NAME  CREATED  PHASE\n"));
    let mut person = Asked::default();
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut person);
    (outcome, runner, heard.text())
}

#[test]
fn a_taken_name_left_in_error_is_freed_and_the_built_image_created_again() {
    let (outcome, runner, said) = taken_name_recovery("Error");
    assert_eq!(outcome, Outcome::Done, "{said}");
    assert_eq!(runner.ran_with("openshell sandbox delete my-assistant"), ["openshell sandbox delete my-assistant"], "{said}");
    // No rebuild: the image the failed create built.
    let created = runner.ran_with("sandbox create");
    assert_eq!(created, ["openshell sandbox create --from openshell/sandbox-from:1786000000 --name my-assistant"], "{said}");
}

#[test]
fn a_taken_name_of_a_ready_or_provisioning_sandbox_deletes_nothing() {
    for (phase, state) in [("Ready", "is Ready: it works"), ("Provisioning", "is still provisioning")] {
        let (outcome, runner, said) = taken_name_recovery(phase);
        assert_eq!(outcome, Outcome::CheckFailed, "{said}");
        assert!(runner.ran_with("delete").is_empty() && runner.ran_with("sandbox create").is_empty(), "{:?}", runner.ran);
        assert!(said.contains(state), "{said}");
    }
}

/// A user's rule naming a kind of its own, with a fix that reads like a command.
const OWN_RULE: &str = r#"
id = "local.quota"
stage = "sandbox-create"
role = "failure"
kind = "quota_refused"
title = "The quota service refused the sandbox"
fix = "docker system prune -af"
anchors = ["quota"]
pattern = 'quota service refused'
explanation = "The site's quota service refused the sandbox."
"#;

#[test]
fn a_kind_of_the_users_own_rules_runs_nothing_even_with_every_permission() {
    let catalogue = sandbox_triage_core::Catalogue::with_user_files(vec![("local.toml".to_owned(), OWN_RULE.to_owned())]).expect("loads");
    let rules = sandbox_triage_core::StageRules::new(&catalogue, Stage::SandboxCreate);
    let log = "  Built image openshell/sandbox-from:1786000000\nError: quota service refused sandbox demo\n";
    let options = sandbox_triage_core::Options { exit_status: Some(1), ..sandbox_triage_core::Options::default() };
    let diagnosis = sandbox_triage_core::classify(&rules, options, log.as_bytes());
    assert_eq!(diagnosis.kind_id(), "quota_refused");
    let mut plan = plan_for(&diagnosis, Some(ARGV), Frontend::OpenShell);
    // Even a plan of that kind that held commands (a probe, a delete) runs none of them.
    let commands = plan_for(&diagnose(LEFT_IN_ERROR, Stage::SandboxCreate), Some(ARGV), Frontend::OpenShell);
    for with_commands in [false, true] {
        if with_commands {
            plan.steps.clone_from(&commands.steps);
            plan.mechanical = true;
        }
        let (mut runner, mut person) = (engines("Error"), Asked::default());
        let (outcome, heard) = recover(&plan, &apply_yes().destructive().terminal(), &mut runner, &mut person);
        assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
        assert!(runner.ran.is_empty(), "{:?}", runner.ran);
        assert!(person.questions.is_empty(), "{:?}", person.questions);
        assert!(heard.text().contains("this tool runs nothing for it"), "{}", heard.text());
    }
}

/// A catalogue kind decided by a user's rule (here the built-in upload rule, as a user's
/// file): its plan is shown, and nothing runs, not even a probe.
#[test]
fn an_answer_a_users_rule_decides_runs_nothing_even_with_every_permission() {
    let text = include_str!("../../../core/rules/sandbox-create/upload.tar-failed-container-missing.toml");
    let catalogue = sandbox_triage_core::Catalogue::with_user_files(vec![("mine.toml".to_owned(), text.to_owned())]).expect("loads");
    let rules = sandbox_triage_core::StageRules::new(&catalogue, Stage::SandboxCreate);
    let options = sandbox_triage_core::Options { exit_status: Some(1), ..sandbox_triage_core::Options::default() };
    let diagnosis = sandbox_triage_core::classify(&rules, options, EXAMPLE.as_bytes());
    assert_eq!(diagnosis.kind, sandbox_triage_core::Kind::ImageUploadContainerMissing);
    let plan = plan_for(&diagnosis, None, Frontend::OpenShell);
    let (mut runner, mut person) = (crate::support::healthy(), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes().destructive().terminal(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty() && person.questions.is_empty(), "{:?}", runner.ran);
    assert!(
        heard.text().contains("your own rules took part in this answer (rule `upload.tar-failed-container-missing` decided it)"),
        "{}",
        heard.text()
    );
    // Built in, the same answer is a sequence the tool may carry out.
    let built_in = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), None, Frontend::OpenShell);
    assert!(built_in.mechanical && built_in.by_users_rule.is_none());
    assert_eq!(built_in.steps, plan.steps);
}
