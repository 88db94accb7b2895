//! The failures the real OpenShell produced on the lab (tests/lab): what each plan asks
//! of the machine and of the operator, and which plans may be carried out unattended.

use sandbox_triage_core::{
    container_log_wanted, Applicability, Catalogue, Diagnosis, Kind, Options, Stage, StageSet, Triage, CONTAINER_LOG_PREFIX,
};

use crate::support::{create, plan_commands, plan_for};

const ARGV: &[&str] = &["openshell", "sandbox", "create", "--from", "./Dockerfile", "--name", "lab", "-g", "lab"];

const BUILT: &str = "  Built image openshell/sandbox-from:1796505953\n✓ Image openshell/sandbox-from:1796505953 is available in the local Docker daemon for gateway 'lab'.\n\n";

const EXITED: &str = "\nCreated sandbox: lab\n\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.3s] Starting sandbox Waiting for supervisor relay\nError:   × sandbox entered error phase while provisioning: ContainerExited: Container\n  │ exited\n";

/// Each step: its kind of step, its purpose and its command.
fn steps(d: &Diagnosis) -> Vec<(Applicability, String, String)> {
    let plan = plan_for(d, Some(ARGV));
    let commands: Vec<String> = plan_commands(&plan).lines().map(str::to_owned).collect();
    plan.steps.iter().zip(commands).map(|(s, c)| (s.applicability, s.purpose.clone(), c)).collect()
}

fn container_log(lines: &str) -> String {
    lines.lines().map(|l| format!("{CONTAINER_LOG_PREFIX}{l}\n")).collect::<Vec<_>>().concat()
}

#[test]
fn a_gateway_that_refuses_the_credentials_asks_for_them_and_reuses_the_image() {
    let d = create(&format!("{BUILT}Error:   × code: 'The request does not have valid authentication credentials',\n  │ message: \"missing authorization header\"\n"), Some(1));
    assert_eq!(d.kind, Kind::GatewayAuthFailed);
    let steps = steps(&d);
    assert_eq!(
        steps[0],
        (
            Applicability::Probe,
            "See the gateway's endpoint and how the CLI authenticates to it".into(),
            "openshell gateway info -g lab".into()
        )
    );
    assert_eq!(steps[1].0, Applicability::Manual);
    assert!(
        steps[1].1.contains("$HOME/.config/openshell/gateways/lab/mtls") && steps[1].1.contains("openshell gateway login lab"),
        "{}",
        steps[1].1
    );
    assert_eq!(steps[2].2, "openshell sandbox create --from openshell/sandbox-from:1796505953 --name lab -g lab");
    assert!(!plan_for(&d, Some(ARGV)).mechanical);
}

#[test]
fn a_gateway_that_refuses_the_create_is_quoted_not_guessed() {
    let d = create(&format!("{BUILT}Error:   × code: 'The system is not in a state required for the operation's\n  │ execution', message: \"docker sandboxes require gateway JWT auth; configure\n  │ [openshell.gateway.gateway_jwt]\"\n"), Some(1));
    assert_eq!(d.kind, Kind::GatewayRejectedCreate);
    assert_eq!(d.reported_status.as_deref(), Some("docker sandboxes require gateway JWT auth; configure"));
    let plan = plan_for(&d, Some(ARGV));
    assert!(plan.headline.contains("\"docker sandboxes require gateway JWT auth; configure\""), "{}", plan.headline);
    assert_eq!(plan.notes.len(), 1, "{:?}", plan.notes);
    assert!(plan.notes[0].contains("gateway's own TOML"), "{:?}", plan.notes);
    let steps = steps(&d);
    assert_eq!(steps.iter().map(|s| s.0).collect::<Vec<_>>(), [Applicability::Manual, Applicability::Confirm]);
    assert_eq!(steps[1].2, "openshell sandbox create --from openshell/sandbox-from:1796505953 --name lab -g lab");
    // A provider the gateway does not know is not its configuration.
    let provider = create(
        &format!("{BUILT}Error:   × code: 'Client specified an invalid argument', message: \"provider 'nvidia-prod' not found\"\n"),
        Some(1),
    );
    assert_eq!(provider.kind, Kind::GatewayRejectedCreate);
    let plan = plan_for(&provider, Some(ARGV));
    assert!(plan.notes.is_empty() && plan.headline.contains("provider 'nvidia-prod' not found"), "{plan:?}");
}

#[test]
fn an_exited_container_without_its_log_is_looked_up_first() {
    let d = create(&format!("{BUILT}{EXITED}"), Some(1));
    assert_eq!(d.kind, Kind::SandboxCreateIncomplete);
    assert_eq!(container_log_wanted(&d), Some("lab"));
    let steps = steps(&d);
    assert_eq!(steps[0].0, Applicability::Probe);
    assert_eq!(steps[0].2, "docker ps -a --filter label=openshell.ai/sandbox-name=lab --format {{.Names}} {{.Status}}");
    assert_eq!(steps[1].2, "openshell sandbox list -o json");
    // Another provisioning failure has no container log to read.
    let pull = create("\nCreated sandbox: lab\nError:   × sandbox provisioning stream ended before reaching terminal phase\n", Some(1));
    assert_eq!(pull.kind, Kind::SandboxCreateIncomplete);
    assert_eq!(container_log_wanted(&pull), None);
    assert!(!plan_commands(&plan_for(&pull, Some(ARGV))).contains("docker ps"));
}

#[test]
fn the_supervisors_words_name_what_the_image_lacks() {
    let cases = [
        ("Error:   × OCI USER is required because run_as_user is omitted", "a `USER` instruction naming a non-root user"),
        ("Error:   × OCI USER 'root' selects root", "a `USER` that is not root"),
        ("Error:   × Network namespace creation failed and proxy mode requires isolation.\n  │ installed. Error: trusted ip helper not found; checked /usr/sbin/ip, /", "`ip` (Debian's iproute2)"),
        ("Error: trusted nsenter helper not found; checked /usr/bin/nsenter", "`nsenter` (util-linux)"),
        ("Error: cannot open /var/run/netns/sandbox-1: No such file or directory", "a /run/netns directory"),
    ];
    for (said, lacks) in cases {
        let d = create(&format!("{BUILT}{EXITED}{}", container_log(said)), Some(1));
        assert_eq!((d.kind, d.phase.map(sandbox_triage_core::Phase::as_str)), (Kind::SandboxImageUnsuitable, Some("ready")), "{said}");
        let steps = steps(&d);
        assert_eq!(steps[0].0, Applicability::Manual);
        assert!(steps[0].1.starts_with("Add to the image (its Dockerfile): ") && steps[0].1.contains(lacks), "{said}: {}", steps[0].1);
        assert_eq!(steps[0].1.matches("; ").count(), 0, "one lack each: {}", steps[0].1);
        assert_eq!(
            steps[1],
            (
                Applicability::Destructive,
                "Delete the sandbox the failure left in Error (creating again under the same name answers AlreadyExists)".into(),
                "openshell sandbox delete lab -g lab".into()
            )
        );
        // The image changes: it builds again, from the create's own source.
        assert_eq!(steps[2].2, "openshell sandbox create --from ./Dockerfile --name lab -g lab");
        assert!(!plan_for(&d, Some(ARGV)).mechanical);
    }
    // A log whose error names nothing known still asks for the image to change.
    let d = create(&format!("{BUILT}{EXITED}{}", container_log("Error: trusted iptables-legacy helper not found")), Some(1));
    assert_eq!(d.kind, Kind::SandboxImageUnsuitable);
    assert_eq!(steps(&d)[0].1, "Give the image what the supervisor's error above names, then build it again");
}

#[test]
fn the_supervisors_words_printed_by_a_build_step_are_the_builds() {
    let step = "  Step 2/2 : RUN echo 'OCI USER is required because run_as_user is omitted' && false\n ---> Running in 1\nOCI USER is required because run_as_user is omitted\nError:   × Docker build stream error\n  ╰─▶ Docker stream error: The command '/bin/sh -c echo x && false' returned a non-zero code: 1\n";
    assert_eq!(create(step, Some(1)).kind, Kind::BuildStepFailed);
}

#[test]
fn a_taken_name_is_freed_only_while_it_is_in_error_then_created_from_the_built_image() {
    let d = create(
        &format!("{BUILT}Error:   × sandbox 'lab' already exists\n  │ hint: delete it first with: openshell sandbox delete <name>\n"),
        Some(1),
    );
    assert_eq!(d.kind, Kind::SandboxAlreadyExists);
    let plan = plan_for(&d, Some(ARGV));
    assert!(plan.mechanical);
    let steps = steps(&d);
    assert_eq!(steps[0], (Applicability::Probe, "See the sandbox's phase".into(), "openshell sandbox list -g lab".into()));
    assert_eq!(steps[1].0, Applicability::Destructive);
    let delete = &plan.steps[1];
    let pre = delete.pre.as_ref().expect("a check before the delete");
    assert_eq!(pre.expect, "a row `lab … Error` (it exists, failed)");
    assert_eq!(pre.readings.len(), 2, "Ready and Provisioning are read: {:?}", pre.readings);
    assert_eq!(delete.skip_if.as_ref().map(|c| c.expect.as_str()), Some("no row `lab …` (it is gone)"));
    assert_eq!(steps[2].2, "openshell sandbox create --from openshell/sandbox-from:1796505953 --name lab -g lab");
    // The output names no sandbox: the delete is the operator's to pick.
    let unnamed = create(&format!("{BUILT}Error:   × status: AlreadyExists, message: \"sandbox already exists\"\n"), Some(1));
    assert_eq!(unnamed.kind, Kind::SandboxAlreadyExists);
    let plan = plan_for(&unnamed, None);
    assert!(plan.steps[1].in_person.is_some(), "{:?}", plan.steps[1]);
}

#[test]
fn only_these_kinds_are_carried_out_unattended() {
    let mechanical = [
        Kind::ImageUploadContainerMissing,
        Kind::ImageUploadFailed,
        Kind::ImageNotInGatewayStore,
        Kind::DatabaseMigrationIncompatible,
        Kind::SandboxAlreadyExists,
    ];
    for kind in Kind::all() {
        let mut d = create("Error: x\n", Some(1));
        d.kind = kind;
        d.stage = kind.stages()[0];
        let transfer = matches!(kind, Kind::ImageTransferTimeout | Kind::ImageTransferReset | Kind::ImageExportOomKilled);
        assert_eq!(plan_for(&d, Some(ARGV)).mechanical, mechanical.contains(&kind) || transfer, "{kind}");
    }
}

#[test]
fn the_new_kinds_are_openshells_own_reports() {
    for kind in [Kind::GatewayAuthFailed, Kind::GatewayRejectedCreate, Kind::SandboxImageUnsuitable] {
        assert!(kind.reported_by_openshell(), "{kind}");
        assert_eq!(kind.stages(), [Stage::SandboxCreate]);
    }
    assert!(!Kind::BuildStepFailed.reported_by_openshell());
}

#[test]
fn triage_peeks_at_the_answer_before_the_container_log_is_added() {
    let set = StageSet::new(&Catalogue::builtin().expect("rules"));
    let mut triage = Triage::new(&set, None, Options { exit_status: Some(1), ..Options::default() }, None, None);
    // The last line has not ended: peeking counts it.
    triage.feed(format!("{BUILT}{EXITED}").trim_end().as_bytes());
    let so_far = triage.peek();
    assert_eq!((so_far.kind, so_far.sandbox.as_deref()), (Kind::SandboxCreateIncomplete, Some("lab")));
    assert_eq!(container_log_wanted(&so_far), Some("lab"));
    triage.feed(b"\n");
    triage.feed(container_log("Error:   × OCI USER 'root' selects root").as_bytes());
    assert_eq!(triage.finish().kind, Kind::SandboxImageUnsuitable);
}

#[test]
fn network_words_in_openshells_own_error_are_not_a_build_step() {
    // As miette wraps it (the lab's capture), and on one line (a wider terminal).
    let wrapped = "Error:   × sandbox entered error phase while provisioning: ImagePullFailed: pull\n  │ Docker image failed: Docker responded with status code 500: Get \"https://\n  │ registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on\n  │ 10.255.255.53:53: no such host\n";
    let one_line = wrapped.replace("\n  │ ", " ");
    for log in [wrapped, one_line.as_str()] {
        let d = create(log, Some(1));
        assert_eq!((d.kind, d.phase.map(sandbox_triage_core::Phase::as_str)), (Kind::SandboxImagePullFailed, Some("ready")), "{log}");
    }
    // The same words a step printed, before OpenShell said anything, are the build's.
    let step = "  ---> Running in 1\nwget: bad address 'registry-1.docker.io'\n";
    assert_eq!(create(step, Some(1)).kind, Kind::BuildStepNetworkFailed);
}

#[test]
fn a_gateway_gone_after_the_build_is_started_and_the_built_image_reused() {
    let d = create(&format!("{BUILT}Error:   × code: 'The service is currently unavailable', message: \"tcp connect\n  │ error\", source: tonic::transport::Error(Transport,\n"), Some(1));
    assert_eq!(d.kind, Kind::GatewayUnreachable);
    let after = steps(&d);
    assert_eq!(
        after.iter().map(|s| s.0).collect::<Vec<_>>(),
        [Applicability::Probe, Applicability::Probe, Applicability::Manual, Applicability::Confirm]
    );
    assert_eq!(after[3].2, "openshell sandbox create --from openshell/sandbox-from:1796505953 --name lab -g lab");
    // Before any build, the create builds again from its own source.
    let before = create(
        "Error:   × failed to connect to gateway 'lab' at https://127.0.0.1:8080. Start the\n  ╰─▶ Connection refused (os error 111)\n",
        Some(1),
    );
    assert_eq!(
        steps(&before).last().map(|s| s.2.clone()).as_deref(),
        Some("openshell sandbox create --from ./Dockerfile --name lab -g lab")
    );
}
