//! Never a dead end: a check that fails is read into the machine's state and the next
//! command; a plan keeps every flag the output gave; a dry run says what `--apply`
//! would meet.

use sandbox_triage_core::{Action, Frontend, Stage, Word};
use sandbox_triage_recover::Outcome;

use crate::support::{apply_yes, diagnose, fails, plan_for, recover, reply, Asked, Recorder, EXAMPLE};

/// What the example's recovery says when the first probe answers `answer`.
fn first_probe_says(answer: crate::support::Reply) -> (Outcome, String, Vec<String>) {
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), None, Frontend::OpenShell);
    let mut runner = Recorder::default().answering("{{.State.Running}}", answer);
    let (outcome, heard) = recover(&plan, &apply_yes().dry_run(), &mut runner, &mut Asked::default());
    (outcome, heard.text(), runner.ran)
}

#[test]
fn a_failed_probe_says_what_state_the_machine_is_in_and_what_to_run_next() {
    let cases = [
        (
            fails(125, "Error: inspecting object: no such object: \"openshell-cluster-nemoclaw\""),
            "the machine: there is no gateway container openshell-cluster-nemoclaw on this machine",
            "next: openshell gateway start --name nemoclaw",
        ),
        (reply(0, "false\n"), "the machine: the gateway container openshell-cluster-nemoclaw exists but is stopped", "next: podman start openshell-cluster-nemoclaw"),
        (
            fails(125, "Error: unable to connect to Podman socket: Get \"http://d/v4.3.1/libpod/_ping\": dial unix /run/user/1000/podman/podman.sock: connect: no such file or directory\nCannot connect to Podman."),
            "the machine: the Podman engine is not running here",
            "next: systemctl --user start podman.socket",
        ),
        (fails(127, ""), "the machine: `podman` is not installed on this machine", ""),
        (
            fails(3, "something nobody has seen"),
            "the machine: not as the plan needs it (`podman inspect --format '{{.State.Running}}' openshell-cluster-nemoclaw` exited 3: it printed `something nobody has seen`)",
            "next: sandbox-triage doctor",
        ),
    ];
    for (answer, state, next) in cases {
        let (outcome, said, ran) = first_probe_says(answer);
        assert_eq!(outcome, Outcome::CheckFailed, "{said}");
        assert_eq!(ran.len(), 1, "nothing after the failed probe: {ran:?}");
        assert!(said.contains(state), "{state}: {said}");
        assert!(said.contains(next), "{next}: {said}");
    }
}

#[test]
fn the_built_image_gone_says_so_and_how_to_build_it_again() {
    let argv = ["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "demo", "-g", "nemoclaw"];
    let plan = plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), Some(&argv), Frontend::OpenShell);
    let mut runner = Recorder::default()
        .answering("{{.State.Running}}", reply(0, "true\n"))
        .answering("image inspect", fails(125, "Error: inspecting object: openshell/sandbox-from:1786000000: image not known"));
    let (outcome, heard) = recover(&plan, &apply_yes(), &mut runner, &mut Asked::default());
    assert_eq!(outcome, Outcome::CheckFailed, "{}", heard.text());
    assert!(heard.text().contains("the built image openshell/sandbox-from:1786000000 is not in Podman here"), "{}", heard.text());
    assert!(heard.text().contains("next: openshell sandbox create --from ./Dockerfile --name demo -g nemoclaw"), "{}", heard.text());
}

/// The create step's words, as people see them.
fn create_words(plan: &sandbox_triage_core::Plan) -> Vec<String> {
    plan.steps
        .iter()
        .find_map(|s| match &s.action {
            Action::Argv(words) if words.iter().any(|w| w.display() == "create") => Some(words.iter().map(Word::display).collect()),
            _ => None,
        })
        .expect("a create step")
}

#[test]
fn a_plan_without_the_argv_keeps_every_flag_the_output_gave_and_says_so_the_same_way() {
    // 0.0.37: the image the gateway could not find, a sandbox named in the output.
    let log = "  Successfully tagged localhost/openshell/sandbox-from:1784738810\n✓ Image openshell/sandbox-from:1784738810 is available in the local Docker daemon\nCreated sandbox: triage-bot\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull access denied for openshell/sandbox-from\n";
    let plans = [
        plan_for(&diagnose(log, Stage::SandboxCreate), None, Frontend::OpenShell),
        plan_for(&diagnose(EXAMPLE, Stage::SandboxCreate), None, Frontend::OpenShell),
    ];
    let words = create_words(&plans[0]);
    assert!(words.windows(2).any(|w| w == ["--name", "triage-bot"]), "{words:?}");
    let words = create_words(&plans[1]);
    assert!(words.windows(2).any(|w| w == ["-g", "nemoclaw"]) && words.windows(2).any(|w| w[0] == "--from"), "{words:?}");
    let notes: Vec<_> = plans
        .iter()
        .flat_map(sandbox_triage_core::Plan::all_steps)
        .filter(|s| s.action != Action::Nothing && create_words_of(s))
        .map(|s| s.note.clone().unwrap_or_default())
        .collect();
    assert!(notes.len() >= 3, "{notes:?}");
    assert!(notes.iter().all(|n| n.contains("pass the create's command after `--` to keep them")), "{notes:#?}");
}

fn create_words_of(step: &sandbox_triage_core::Step) -> bool {
    step.commands().first().is_some_and(|c| c.iter().any(|w| w.display() == "create"))
}

#[test]
fn a_copy_between_engines_names_both_sides() {
    let titles = |log: &str| -> Vec<String> {
        let plan = plan_for(&diagnose(log, Stage::SandboxCreate), None, Frontend::OpenShell);
        plan.steps.iter().map(|s| s.purpose.clone()).filter(|p| p.starts_with("Copy the image")).collect()
    };
    // Podman built it; the driver's words are Docker's.
    let mixed = "  STEP 1/1: FROM scratch\n  COMMIT openshell/sandbox-from:1784738810\nCreated sandbox: web\n[0.4s] Pulling image openshell/sandbox-from:1784738810\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'openshell/sandbox-from:1784738810' failed: pull access denied for openshell/sandbox-from\n";
    assert_eq!(titles(mixed), ["Copy the image from Podman into Docker (a stream, no archive on disk)"]);
    // Two daemons of one kind: named by their roles.
    let same = "  STEP 1/1: FROM scratch\n  COMMIT openshell/sandbox-from:1784738810\nCreated sandbox: web\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull access denied for openshell/sandbox-from\n";
    assert_eq!(titles(same), ["Copy the image from the build's Podman host into the gateway's (a stream, no archive on disk)"]);
}
