//! The values a recovery runs with: the create's own, never the operator's shell's;
//! asked for only when nobody gave them, under names nothing sets by accident; each
//! checked as the argument it stands for, wherever it came from.

use sandbox_triage_core::{Frontend, PathKind, Stage};
use sandbox_triage_recover::Outcome;

use crate::support::{apply_yes, diagnose, healthy, plan_for, recover, Asked, EXAMPLE, NAMELESS};

/// A create whose argv carries its runtime environment, a label that looks like a
/// token, and an API key.
const CARRYING: &[&str] = &[
    "openshell",
    "sandbox",
    "create",
    "--from",
    "./Dockerfile",
    "--name",
    "triage-bot",
    "-g",
    "nemoclaw",
    "--label",
    "user=Zq8xK2mP9vL4nR7tW3",
    "--env",
    "NVIDIA_API_KEY=nvapi-create-0123456789abcdef",
    "--",
    "env",
    "PATH=/opt/sandbox/bin",
    "HOME=/sandbox",
    "USER=sandbox",
    "nemoclaw-start",
];

/// The operator's own shell: names that collide with the create's values.
fn operator_shell(start: crate::support::Start) -> crate::support::Start {
    start
        .env("PATH", "/usr/local/bin:/usr/bin")
        .env("HOME", "/root")
        .env("USER", "root")
        .env("NVIDIA_API_KEY", "nvapi-operator-ffffffffffffffff")
}

#[test]
fn the_create_is_made_again_with_its_own_values_never_the_operators() {
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(CARRYING), Frontend::OpenShell);
    let (mut runner, mut person) = (healthy(), Asked::default());
    let (outcome, heard) = recover(&plan, &operator_shell(apply_yes()), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    let create = runner.ran_with("sandbox create");
    assert_eq!(
        create,
        ["openshell sandbox create --from openshell/sandbox-from:1786000000 --name triage-bot -g nemoclaw --label user=Zq8xK2mP9vL4nR7tW3 \
          --env NVIDIA_API_KEY=nvapi-create-0123456789abcdef -- env PATH=/opt/sandbox/bin HOME=/sandbox USER=sandbox nemoclaw-start"],
        "{}",
        heard.text()
    );
    let said = heard.text();
    for never in ["/usr/local/bin", "/root", "nvapi-operator", "nvapi-create", "/opt/sandbox/bin", "USER=root"] {
        assert!(!said.contains(never), "{never} was shown: {said}");
    }
    // Where each came from, masked.
    assert!(said.contains("NVIDIA_API_KEY = **** (from the create's own argv)"), "{said}");
    assert!(said.contains("PATH = **** (from the create's own argv)"), "{said}");
}

#[test]
fn a_value_nobody_gave_is_read_only_from_its_own_variable_or_set() {
    // The log names no gateway: GATEWAY is a value nobody gave.
    let d = diagnose(NAMELESS, Stage::SandboxCreate);
    assert_eq!(d.gateway, None, "{d:?}");
    let plan = plan_for(&d, None, Frontend::OpenShell);
    assert!(plan.placeholders.get("GATEWAY").is_some(), "{:?}", plan.placeholders);
    // The operator's shell has GATEWAY (a name anything may set): it is not read.
    let (mut runner, mut person) = (healthy(), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes().terminal().env("GATEWAY", "prod"), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty(), "{:?}", runner.ran);
    assert!(heard.text().contains("GATEWAY is not given"), "{}", heard.text());
    assert!(heard.text().contains("pass --set GATEWAY=VALUE, or set SANDBOX_TRIAGE_GATEWAY"), "{}", heard.text());
    // Its own variable, or --set, gives it, and the narration says which.
    for start in [apply_yes().terminal().env("SANDBOX_TRIAGE_GATEWAY", "spark"), apply_yes().terminal().set("GATEWAY", "spark")] {
        let (mut runner, mut person) = (healthy(), Asked::default());
        person.answers.push_back(sandbox_triage_recover::Answer::Yes);
        let (_, heard) = recover(&plan, &start, &mut runner, &mut person);
        assert!(runner.ran.iter().any(|c| c.contains("openshell-cluster-spark")), "{:?}", runner.ran);
        assert!(!runner.ran.iter().any(|c| c.contains("prod")), "{:?}", runner.ran);
        let from = if start.set.is_empty() { "the variable SANDBOX_TRIAGE_GATEWAY" } else { "--set GATEWAY=…" };
        assert!(heard.text().contains(&format!("GATEWAY = spark (from {from})")), "{}", heard.text());
    }
}

#[test]
fn a_value_is_checked_as_the_argument_it_stands_for_before_anything_runs() {
    let plan = plan_for(&diagnose(NAMELESS, Stage::SandboxCreate), None, Frontend::OpenShell);
    for bad in ["--all", "-g", "a b", "../x", "x;rm -rf /"] {
        for start in [apply_yes().terminal().set("GATEWAY", bad), apply_yes().terminal().env("SANDBOX_TRIAGE_GATEWAY", bad)] {
            let (mut runner, mut person) = (healthy(), Asked::default());
            let (outcome, heard) = recover(&plan, &start, &mut runner, &mut person);
            assert_eq!(outcome, Outcome::Stopped, "{bad}: {}", heard.text());
            assert!(runner.ran.is_empty(), "{bad}: {:?}", runner.ran);
            assert!(heard.text().contains("stopped before any change"), "{}", heard.text());
            assert!(heard.text().contains("GATEWAY from"), "{}", heard.text());
        }
    }
}

#[test]
fn set_may_not_replace_the_creates_own_value_nor_name_what_the_plan_lacks() {
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(CARRYING), Frontend::OpenShell);
    for (name, said) in
        [("NVIDIA_API_KEY", "the create's own argv gives NVIDIA_API_KEY"), ("SANDBOX", "--set SANDBOX: the plan has no value of that name")]
    {
        let (mut runner, mut person) = (healthy(), Asked::default());
        let (outcome, heard) = recover(&plan, &apply_yes().set(name, "x"), &mut runner, &mut person);
        assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
        assert!(runner.ran.is_empty(), "{:?}", runner.ran);
        assert!(heard.text().contains(said), "{}", heard.text());
    }
}

#[test]
fn a_temporary_file_the_create_had_is_used_while_it_exists_and_replaced_when_gone() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "-g", "nemoclaw", "--policy", "/tmp/nemoclaw-policy-abc.yaml"];
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    // Gone: asked for, before anything runs.
    let (mut runner, mut person) = (healthy(), Asked::default());
    let (outcome, heard) = recover(&plan, &apply_yes(), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(runner.ran.is_empty(), "{:?}", runner.ran);
    assert!(heard.text().contains("POLICY_FILE: the create's own path is gone"), "{}", heard.text());
    // Still there: the create's own.
    let (mut runner, mut person) = (healthy(), Asked::default());
    let start = apply_yes().path("/tmp/nemoclaw-policy-abc.yaml", PathKind::File);
    let (outcome, heard) = recover(&plan, &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert!(runner.ran_with("sandbox create")[0].contains("--policy /tmp/nemoclaw-policy-abc.yaml"), "{:?}", runner.ran);
    // Gone and replaced: the operator's file, checked to exist.
    let (mut runner, mut person) = (healthy(), Asked::default());
    let start = apply_yes().set("POLICY_FILE", "/etc/policy.yaml").path("/etc/policy.yaml", PathKind::File);
    let (outcome, heard) = recover(&plan, &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Done, "{}", heard.text());
    assert!(runner.ran_with("sandbox create")[0].contains("--policy /etc/policy.yaml"), "{:?}", runner.ran);
    let (mut runner, mut person) = (healthy(), Asked::default());
    let (outcome, _) = recover(&plan, &apply_yes().set("POLICY_FILE", "/etc/nope.yaml"), &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped);
    assert!(runner.ran.is_empty(), "{:?}", runner.ran);
    // The create's own temporary path, there but not a file: checked like any.
    let (mut runner, mut person) = (healthy(), Asked::default());
    let start = apply_yes().path("/tmp/nemoclaw-policy-abc.yaml", PathKind::Directory);
    let (outcome, heard) = recover(&plan, &start, &mut runner, &mut person);
    assert_eq!(outcome, Outcome::Stopped, "{}", heard.text());
    assert!(heard.text().contains("POLICY_FILE from the create's own argv is not an existing file"), "{}", heard.text());
}
