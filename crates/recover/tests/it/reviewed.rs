//! Ways a recovery could still hurt the operator, each found by trying it, each now a
//! rule: an undo that would land in the wrong place, a stop begun but cut short, a value
//! that names another's, a delete of a sandbox the output never created, a question asked
//! after a change that cannot be put back.

use sandbox_triage_core::{Frontend, PathKind, Stage};
use sandbox_triage_recover::{Answer, Outcome};

use crate::support::{apply_yes, diagnose, fails, healthy, plan_for, recover, reply, Asked, Recorder, Start, EXAMPLE, NAMELESS};

const MIGRATION: &str = "Error:   × execution error: migration error: migration 4 was previously applied but\n  │ has been modified\n";

fn migration() -> sandbox_triage_core::Plan {
    plan_for(&diagnose(MIGRATION, Stage::GatewayStart), None, Frontend::OpenShell)
}

fn allowed() -> Start {
    apply_yes().destructive().set("GATEWAY_STATE_DIR", "/srv/gw").path("/srv/gw", PathKind::Directory)
}

#[test]
fn a_move_is_not_put_back_over_a_new_state_and_says_where_the_old_one_is() {
    // The service made a new state before failing: the old one stays where it was moved.
    let mut runner = Recorder::default().answering("systemctl --user start", fails(1, "failed")).once(
        "systemctl --user start",
        "test ! -e /srv/gw",
        fails(1, ""),
    );
    let (outcome, heard) = recover(&migration(), &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    assert!(runner.ran_with("mv /srv/gw.incompatible").is_empty(), "{:?}", runner.ran);
    let said = heard.text();
    assert!(said.contains("cannot put back step 4 safely (nothing new is at <GATEWAY_STATE_DIR> does not hold)"), "{said}");
    assert!(said.contains("not put back: step 3 (Stop the gateway service)"), "{said}");
    assert_eq!(heard.statuses().last().map(String::as_str), Some("undo-failed"), "{said}");
}

#[test]
fn a_service_stop_cut_short_is_started_again() {
    for (runner, how) in [
        (Recorder::default().stopped_at("systemctl --user stop"), Outcome::Interrupted),
        (Recorder::default().answering("systemctl --user stop", fails(1, "Job canceled")), Outcome::StepFailed),
        (Recorder::default().hanging("systemctl --user stop"), Outcome::StepFailed),
    ] {
        let mut runner = runner;
        let (outcome, heard) = recover(&migration(), &allowed(), &mut runner, &mut Asked::default());
        assert_eq!(outcome, how, "{}", heard.text());
        assert_eq!(runner.ran.last().map(String::as_str), Some("systemctl --user start openshell-gateway"), "{:?}", runner.ran);
        assert!(runner.ran_with("mv ").is_empty(), "{:?}", runner.ran);
    }
}

#[test]
fn a_value_the_create_carried_never_shares_a_name_with_one_nobody_gave() {
    // The output names no gateway; the create's runtime environment has its own GATEWAY.
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "--", "env", "GATEWAY=prod-gw", "agent"];
    let plan = plan_for(&diagnose(NAMELESS, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let names: Vec<&str> = plan.placeholders.iter().map(|p| p.name.as_str()).collect();
    assert!(names.contains(&"GATEWAY") && names.contains(&"GATEWAY_2"), "{names:?}");
    let mut runner = healthy();
    let (outcome, heard) = recover(&plan, &apply_yes().set("GATEWAY", "spark").set("GATEWAY_2", "x"), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped, "the create's own GATEWAY cannot be replaced: {}", heard.text());
    let mut runner = healthy();
    let (outcome, heard) = recover(&plan, &apply_yes().set("GATEWAY", "spark"), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    let create = runner.ran_with("sandbox create");
    assert_eq!(create, ["openshell sandbox create --from openshell/sandbox-from:1786000000 --name demo -- env GATEWAY=prod-gw agent"]);
    assert!(runner.ran.iter().any(|c| c.contains("openshell-cluster-spark")), "{:?}", runner.ran);
}

/// 0.0.37: the driver could not find the image, after `Created sandbox: my-assistant`.
const CREATED: &str = "  STEP 1/1: FROM scratch
  COMMIT openshell/sandbox-from:1784738810
Created sandbox: my-assistant
[0.4s] Pulling image openshell/sandbox-from:1784738810
Error:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'openshell/sandbox-from:1784738810' failed: pull access denied
";

#[test]
fn a_create_named_otherwise_than_the_sandbox_the_output_created_deletes_nothing() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "prod-debug"];
    let plan = plan_for(&diagnose(CREATED, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty(), "{:?}", runner.ran);
    assert!(heard
        .text()
        .contains("is yours to do: The output shows sandbox my-assistant created, but the create's command names prod-debug"));
}

#[test]
fn a_sandbox_already_gone_is_not_deleted_and_the_create_goes_on() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "my-assistant"];
    let plan = plan_for(&diagnose(CREATED, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let mut runner = Recorder::default()
        .answering("docker image inspect", fails(1, "Error: No such image"))
        .once("docker load", "docker image inspect", reply(0, "sha256:1\n"))
        .answering("sandbox list", reply(0, "NAME  CREATED  PHASE\nother  2026-12-04 10:00:00  Ready\n"));
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert!(runner.ran_with("sandbox delete").is_empty() && runner.ran_with("sandbox create").len() == 1, "{:?}", runner.ran);
}

#[test]
fn a_sandbox_that_turned_ready_is_said_to_work_with_the_command_to_reach_it() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "my-assistant"];
    let plan = plan_for(&diagnose(CREATED, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let mut runner =
        Recorder::default().answering("sandbox list", reply(0, "NAME  CREATED  PHASE\nmy-assistant  2026-12-04 10:00:00  Ready\n"));
    let (outcome, heard) = recover(&plan, &apply_yes().destructive(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::CheckFailed, "{}", heard.text());
    assert!(heard.text().contains("the machine: the sandbox my-assistant is Ready"), "{}", heard.text());
    assert!(heard.text().contains("next: openshell sandbox connect my-assistant"), "{}", heard.text());
}

#[test]
fn the_question_only_a_person_answers_comes_before_anything_that_cannot_be_put_back() {
    let plan = plan_for(&diagnose(CREATED, Stage::SandboxCreate), None, Frontend::OpenShell);
    let mut person = Asked::default();
    person.answers.push_back(Answer::No);
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&plan, &apply_yes().destructive().terminal(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty(), "the delete ran before the question: {:?}", runner.ran);
    assert!(heard.text().contains("stopped before any change: step 7 was not allowed"), "{}", heard.text());
}

#[test]
fn the_creates_own_empty_or_multi_line_value_goes_back_as_it_was() {
    let config = "{\n \"gpus\": [0]\n}";
    let argv = [
        "openshell",
        "sandbox",
        "create",
        "--from",
        "./Dockerfile",
        "-g",
        "nemoclaw",
        "--driver-config-json",
        config,
        "--",
        "env",
        "HTTPS_PROXY=",
        "agent",
    ];
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let mut runner = healthy();
    let (outcome, heard) = recover(&plan, &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    let create = runner.ran_with("sandbox create");
    assert!(create[0].contains(config) && create[0].contains("env HTTPS_PROXY= agent"), "{create:?}");
}

#[test]
fn a_directory_given_with_a_trailing_slash_is_the_directory_and_the_root_is_refused() {
    let start = apply_yes().destructive().set("GATEWAY_STATE_DIR", "/srv/gw/").path("/srv/gw", PathKind::Directory);
    let (mut runner, mut person) = (Recorder::default(), Asked::default());
    let (outcome, heard) = recover(&migration(), &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert!(runner.ran.contains(&"mv /srv/gw /srv/gw.incompatible".to_owned()), "{:?}", runner.ran);
    let start = apply_yes().destructive().set("GATEWAY_STATE_DIR", "/").path("/", PathKind::Directory);
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&migration(), &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(heard.text().contains("is the root directory") && runner.ran.is_empty(), "{}", heard.text());
}

#[test]
fn a_move_whose_new_name_is_taken_says_what_is_there_and_what_to_do() {
    let mut runner = Recorder::default().answering("test ! -e", fails(1, ""));
    let (outcome, heard) = recover(&migration(), &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::CheckFailed, "{}", heard.text());
    assert!(heard.text().contains("the machine: something is already at <GATEWAY_STATE_DIR>.incompatible"), "{}", heard.text());
    assert!(runner.ran_with("systemctl").is_empty(), "{:?}", runner.ran);
}

#[test]
fn an_import_that_did_not_unpack_says_to_look_at_the_gateways_space() {
    let plan = plan_for(
        &diagnose(EXAMPLE, Stage::SandboxCreate),
        Some(&["openshell", "sandbox", "create", "--from", "./Dockerfile"]),
        Frontend::OpenShell,
    );
    let mut runner = Recorder::default().answering("{{.State.Running}}", reply(0, "true\n")).answering("image inspect", reply(0, "sha256:0123\n")).once(
        "images import",
        "images check",
        reply(0, "REF TYPE DIGEST STATUS SIZE UNPACKED\ndocker.io/openshell/sandbox-from:1786000000 x sha256:1 complete (1/1) 1 MiB/1 MiB false\n"),
    );
    let (outcome, heard) = recover(&plan, &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    assert!(heard.text().contains("holds the image but did not unpack it"), "{}", heard.text());
    assert!(heard.text().contains("next: podman exec openshell-cluster-nemoclaw df -h /var/lib/rancher"), "{}", heard.text());
}

#[test]
fn a_credential_in_a_value_is_never_shown() {
    let log = "  STEP 1/1: FROM scratch\n  COMMIT openshell/sandbox-from:1784738810\nCreated sandbox: web\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull access denied for openshell/sandbox-from\n";
    let plan = plan_for(&diagnose(log, Stage::SandboxCreate), None, Frontend::OpenShell);
    let set = [("GATEWAY_ENGINE_HOST".to_owned(), "ssh://alice:S3cretPw@gpu-box".to_owned())];
    let (values, problems) =
        sandbox_triage_recover::resolve(&plan, &sandbox_triage_recover::Given { set: &set, env: &|_| None, path: &|_| PathKind::Missing });
    assert!(problems.iter().all(|p| p.name() != "GATEWAY_ENGINE_HOST"), "{problems:?}");
    let word = sandbox_triage_core::Word::var("GATEWAY_ENGINE_HOST");
    // Public by its kind, secret by what it holds: masked wherever it is shown.
    assert_eq!(values.show(&word), "****");
    assert_eq!(values.concrete(&word), word);
    assert_eq!(values.secrets(), ["ssh://alice:S3cretPw@gpu-box"]);
    assert_eq!(values.fill(&word).as_deref(), Some("ssh://alice:S3cretPw@gpu-box"));
    // Carried out, the step's output echoing it is masked too.
    let mut runner =
        Recorder::default().answering("gpu-box image inspect", fails(125, "Error: ssh://alice:S3cretPw@gpu-box: unable to connect"));
    let mut person = Asked::default();
    person.answers.push_back(Answer::Yes);
    let start = apply_yes().destructive().terminal().set("GATEWAY_ENGINE_HOST", "ssh://alice:S3cretPw@gpu-box");
    let (outcome, heard) = recover(&plan, &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::StepFailed, "{}", heard.text());
    assert!(!heard.text().contains("S3cretPw") && !heard.entries.iter().any(|e| format!("{e:?}").contains("S3cretPw")), "{}", heard.text());
}

#[test]
fn a_dry_run_says_first_everything_apply_would_meet() {
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&migration(), &apply_yes().dry_run(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    let said = heard.text();
    assert!(said.contains("carried out as this was started, this recovery would stop before any change"), "{said}");
    assert!(said.contains("steps 1, 2, 4 need a value: GATEWAY_STATE_DIR is not given"), "{said}");
    assert!(said.contains("step 4 is destructive"), "{said}");
    // Without --yes and a terminal, the dry run says so too, not "can be carried out".
    let mut start = allowed().dry_run();
    start.policy.yes = false;
    let (outcome, heard) = recover(&migration(), &start, &mut Recorder::default(), &mut Asked::default());
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(heard.text().contains("steps 3, 4, 5 need a yes and there is no terminal to ask on"), "{}", heard.text());
}

#[test]
fn nemoclaw_resumes_onboarding_once() {
    let plan = plan_for(&diagnose(MIGRATION, Stage::GatewayStart), None, Frontend::NemoClaw { cli: "nemoclaw".to_owned() });
    let mut runner = Recorder::default();
    let (outcome, heard) = recover(&plan, &allowed(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert_eq!(runner.ran_with("onboard --resume").len(), 1, "{:?}", runner.ran);
}
