//! The image the gateway cannot see (0.0.37 and newer): which engine built it and which
//! the gateway's driver reads, told apart by their own wording, and plans that copy it
//! the right way, to the right daemon, and clear the sandbox the failure left behind.

use sandbox_triage_core::{Action, Engine, Holds, Kind, Plan, Step, Word};

use crate::support::{create, every_output, plan_for};

const ARGV: &[&str] = &["openshell", "sandbox", "create", "--name", "web", "--from", "./Dockerfile"];

/// The output after a build, from `✓ Image … is available` to the driver's failure.
fn after_build(builder: &str, failure: &str) -> String {
    format!(
        "Building image openshell/sandbox-from:1784738810 from ./Dockerfile\n{builder}  Built image openshell/sandbox-from:1784738810\n\
✓ Image openshell/sandbox-from:1784738810 is available in the local Docker daemon for gateway 'dev'.\n\n\
Created sandbox: web\n\n  [0.0s] Requesting compute...\n[0.1s] Sandbox allocated\n{failure}\n"
    )
}

const BUILDAH: &str =
    "STEP 1/2: FROM docker.io/library/alpine:3.20\nSTEP 2/2: RUN echo hi\nhi\nCOMMIT openshell/sandbox-from:1784738810\n--> 3f2a1b\n";
const CLASSIC: &str = "Step 1/2 : FROM alpine:3.20\n ---> 1a2b3c4d5e6f\nStep 2/2 : RUN echo hi\n ---> Running in 0f1e2d3c4b5a\nSuccessfully built 0123456789ab\n";
const DOCKER_DRIVER: &str = "Error:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'openshell/sandbox-from:1784738810' failed: pull access denied for openshell/sandbox-from, repository does not exist or may require 'docker login'";

fn shown(words: &[Word]) -> String {
    words.iter().map(Word::display).collect::<Vec<_>>().join(" ")
}

fn step_text(step: &Step) -> String {
    match &step.action {
        Action::Argv(argv) => shown(argv),
        Action::Pipeline(commands) => commands.iter().map(|c| shown(c)).collect::<Vec<_>>().join(" | "),
        Action::Nothing => step.purpose.clone(),
    }
}

fn steps(plan: &Plan) -> Vec<String> {
    plan.steps.iter().map(step_text).collect()
}

#[test]
fn a_podman_build_for_a_docker_driver_is_copied_from_podman_into_docker() {
    let d = create(&after_build(BUILDAH, DOCKER_DRIVER), Some(1));
    assert_eq!(d.kind, Kind::ImageNotInGatewayStore, "{d:?}");
    assert_eq!(d.build_engine, Some(Engine::Podman));
    // The driver's own wording, not the builder's, names the gateway's engine.
    assert_eq!(d.engine, Some(Engine::Docker));
    let steps = steps(&plan_for(&d, Some(ARGV)));
    let copy = steps.iter().find(|s| s.contains(" | ")).expect("a copy step");
    assert_eq!(copy, "podman save docker.io/openshell/sandbox-from:1784738810 | docker load");
}

#[test]
fn two_daemons_of_one_kind_name_the_gateways_by_its_address_with_the_engines_own_flag() {
    let d = create(&after_build(CLASSIC, DOCKER_DRIVER), Some(1));
    assert_eq!((d.build_engine, d.engine), (Some(Engine::Docker), Some(Engine::Docker)));
    let steps = steps(&plan_for(&d, Some(ARGV)));
    let copy = steps.iter().find(|s| s.contains(" | ")).expect("a copy step");
    // The create's environment reaches the daemon that built; the gateway's is named.
    assert_eq!(copy, "docker save openshell/sandbox-from:1784738810 | docker --host <GATEWAY_ENGINE_HOST> load");
    assert!(steps.iter().all(|s| !s.contains("DOCKER_HOST=") || s.contains("openshell sandbox create")), "{steps:#?}");
}

#[test]
fn a_sandbox_left_in_error_is_deleted_before_it_is_created_again() {
    for log in [after_build(BUILDAH, DOCKER_DRIVER), "Created sandbox: web\n[0.1s] Sandbox allocated\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image 'nvcr.io/nvidia/x:1' failed: manifest unknown\n".to_owned()] {
        let d = create(&log, Some(1));
        let plan = plan_for(&d, Some(ARGV));
        let steps = steps(&plan);
        let delete = steps.iter().position(|s| s.starts_with("openshell sandbox delete web")).unwrap_or_else(|| panic!("{:?}: {steps:#?}", d.kind));
        // Carried out only while the sandbox list shows it in Error.
        let pre = plan.steps[delete].pre.as_ref().expect("a check before the delete");
        assert_eq!(pre.argv[..3].iter().map(Word::display).collect::<Vec<_>>(), ["openshell", "sandbox", "list"], "{pre:?}");
        assert_eq!(pre.holds, Holds::PrintsRow { first: Word::lit("web"), last: Word::lit("Error") });
        let create = steps.iter().position(|s| s.starts_with("openshell sandbox create")).expect("a create");
        assert!(delete < create, "{steps:#?}");
        // So do the alternatives that create under the same name.
        for alternative in &plan.alternatives {
            let texts: Vec<_> = alternative.steps.iter().map(step_text).collect();
            if texts.iter().any(|s| s.contains("openshell sandbox create")) {
                assert!(texts.iter().any(|s| s.starts_with("openshell sandbox delete web")), "{texts:#?}");
            }
        }
    }
}

#[test]
fn an_unnamed_pull_failure_after_a_local_build_is_the_image_the_gateway_cannot_see() {
    let d = create(&after_build(CLASSIC, "Error:   × sandbox entered error phase while provisioning: ImagePullFailed"), Some(1));
    assert_eq!(d.kind, Kind::ImageNotInGatewayStore, "{d:?}");
    let steps = steps(&plan_for(&d, Some(ARGV)));
    assert!(!steps.iter().any(|s| s.contains(" pull ")), "a pull of a local tag asks Docker Hub: {steps:#?}");
}

#[test]
fn an_unnamed_pull_failure_of_a_registry_image_pulls_what_the_create_named() {
    let log =
        "Created sandbox: web\n[0.1s] Sandbox allocated\nError:   × sandbox entered error phase while provisioning: ImagePullFailed\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::SandboxImagePullFailed);
    let argv = ["openshell", "sandbox", "create", "--name", "web", "--from", "nvcr.io/nvidia/x:1"];
    let steps = steps(&plan_for(&d, Some(&argv)));
    assert!(steps.contains(&"docker pull nvcr.io/nvidia/x:1".to_owned()), "{steps:#?}");
}

#[test]
fn a_pull_warning_the_driver_retried_through_does_not_outrank_the_timeout() {
    let log = "Created sandbox: web\n  [0.0s] Requesting compute...\n[0.1s] Image pulled (812 MiB)\n[2.0s] Starting sandbox Container created\n  [31.0s] WARN Failed to pull image \"nvcr.io/x:1\": rpc error: code = Unknown desc = context deadline exceeded\nError:   × sandbox provisioning timed out after 300s. Last reported status: ContainerCreating\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::ProvisioningTimeout, "{d:?}");
    assert_eq!(d.timeout_secs, Some(300));
}

#[test]
fn a_gateway_status_a_failed_step_printed_is_the_steps_failure() {
    let log = "Building image openshell/sandbox-from:1 from ./Dockerfile\nStep 1/2 : FROM python:3.12-slim\nStep 2/2 : RUN python /opt/check_grpc.py\n ---> Running in 0f1e2d3c4b5a\nError: status: Unavailable, message: \"probe failed\"\nThe command '/bin/sh -c python /opt/check_grpc.py' returned a non-zero code: 1\nError:   × docker build failed\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::BuildStepFailed, "{d:?}");
    assert_eq!(d.failed_step.and_then(|s| s.number), Some(2));
    // Printed by OpenShell after the build, the same words are the gateway's.
    let after = "Building image openshell/sandbox-from:1 from ./Dockerfile\nStep 1/1 : FROM python:3.12-slim\nSuccessfully built 0123456789ab\n  Built image openshell/sandbox-from:1\nError:   × status: Unavailable, message: \"error trying to connect: tcp connect error: Connection refused (os error 111)\"\n";
    assert_eq!(create(after, Some(1)).kind, Kind::GatewayUnreachable);
}

#[test]
fn credentials_in_a_pull_source_never_name_the_image_nor_leave() {
    let log = "Created sandbox: web\nError:   × status: Internal, message: \"create sandbox failed: podman API error (500): image pull failed: unable to copy from source docker://robot:s3cr3t-pass@registry.example.com/team/app:1: initializing source docker://robot:s3cr3t-pass@registry.example.com/team/app:1: requested access to the resource is denied\"\n";
    let d = create(log, Some(1));
    assert_eq!(d.sandbox_image.as_ref().map(ToString::to_string).as_deref(), Some("registry.example.com/team/app:1"));
    for argv in [None, Some(ARGV)] {
        let out = every_output(&d, argv);
        assert!(!out.contains("s3cr3t"), "{out}");
    }
}

#[test]
fn an_engines_resources_are_asked_in_its_own_field_names() {
    // Podman's `info` has no `.NCPU`: its template fails there (checked with podman 4.3).
    let log = "Building image openshell/sandbox-from:1 from ./Dockerfile\nSTEP 1/3: FROM fedora:40\nSTEP 2/3: RUN dnf -y install gcc\nError:   × Docker build produced no output for 1800s; the container runtime is under-provisioned\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::BuildStalled, "{d:?}");
    assert_eq!(d.build_engine, Some(Engine::Podman));
    let probe = steps(&plan_for(&d, None)).into_iter().find(|s| s.contains(" info ")).expect("an info probe");
    assert_eq!(probe, "podman info --format {{.Host.CPUs}} CPUs, {{.Host.MemTotal}} bytes of memory");
}

#[test]
fn an_unknown_gateway_name_is_fixed_in_the_create_not_registered_as_typed() {
    let log = "Error:   × Unknown gateway 'nemoclw'.\n  │ Register it first: openshell gateway add <endpoint> --name nemoclw\n  │ Or list available gateways: openshell gateway select\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::GatewayUnreachable, "{d:?}");
    for (argv, expected) in [
        (
            &["openshell", "sandbox", "create", "-g", "nemoclw", "--from", "./Dockerfile"][..],
            "openshell sandbox create -g <GATEWAY> --from ./Dockerfile",
        ),
        (&["openshell", "sandbox", "create", "--gateway=nemoclw", "--", "claude"][..], "openshell sandbox create -g <GATEWAY> -- claude"),
    ] {
        let plan = plan_for(&d, Some(argv));
        let steps = steps(&plan);
        assert!(steps.contains(&expected.to_owned()), "{steps:#?}");
        assert!(!steps.iter().any(|s| s.contains("gateway add") || s.contains("gateway select")), "{steps:#?}");
        // Registering the name as typed is the alternative, for a gateway never registered.
        let alternative: Vec<String> = plan.alternatives.iter().flat_map(|a| a.steps.iter().map(step_text)).collect();
        assert!(alternative.iter().any(|s| s.starts_with("openshell gateway add <GATEWAY_ENDPOINT> --name nemoclw")), "{alternative:#?}");
    }
}

#[test]
fn the_docker_drivers_words_cut_by_miette_still_name_the_gateways_engine() {
    // Colima built the image; Docker Desktop's driver could not find it. miette broke
    // the driver's reason between `pull` and `Docker image`.
    let file =
        include_str!("../../../../tests/corpus/image_not_in_gateway_store__ansi-capture-colima-build-desktop-gateway-constructed.log");
    let log = file.split_once("# ---\n").map(|(_, log)| log).expect("a header");
    let d = create(log, Some(1));
    assert_eq!((d.kind, d.engine), (Kind::ImageNotInGatewayStore, Some(Engine::Docker)), "{d:?}");
    let plan = plan_for(&d, None);
    assert!(
        plan.steps.iter().any(|s| s.purpose.starts_with("Copy the image from the build's Docker host into the gateway's")),
        "{plan:#?}"
    );
}
