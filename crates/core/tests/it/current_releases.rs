//! OpenShell 0.0.37 and newer: the facts each of their failures carries (the image the
//! gateway wanted and whether a create built it, the reported status, the limit, the
//! era), and the answers those facts refine.

use std::path::Path;

use sandbox_triage_core::{classify, Diagnosis, Era, Kind, Options, Phase, Stage};
use sandbox_triage_testkit::CorpusCase;

fn corpus_file(name: &str) -> Diagnosis {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus").join(format!("{name}.log"));
    let case = CorpusCase::parse(name, &std::fs::read(&path).expect("corpus file"));
    let options = Options { exit_status: case.exit_status(), ..Options::default() };
    classify(crate::support::rules(Stage::SandboxCreate), options, &case.payload)
}

fn create(log: &str) -> Diagnosis {
    let rules = crate::support::rules(Stage::SandboxCreate);
    classify(rules, Options { exit_status: Some(1), ..Options::default() }, log.as_bytes())
}

#[test]
fn a_locally_built_image_the_gateway_lacks_is_named_with_its_tag() {
    let d = corpus_file("image_not_in_gateway_store__tty-remote-build-host-constructed");
    assert_eq!(d.kind, Kind::ImageNotInGatewayStore);
    assert_eq!(d.sandbox_image.map(|i| i.to_string()).as_deref(), Some("openshell/sandbox-from:1787301145"));
    assert!(d.sandbox_image_local);
    assert_eq!(d.era, Some(Era::PackageManaged));
    assert!(!d.uploaded_to_gateway);
    assert!(d.reported_status.is_some_and(|s| s.starts_with("ImagePullFailed: pull Docker image failed")));
}

#[test]
fn a_registry_image_that_cannot_be_pulled_is_not_the_gateways_store() {
    let d = corpus_file("sandbox_image_pull_failed__docker-manifest-unknown-tag-typo-constructed");
    assert_eq!(d.kind, Kind::SandboxImagePullFailed);
    assert_eq!(d.sandbox_image.map(|i| i.to_string()).as_deref(), Some("ghcr.io/acme-robotics/sim-agent:2026.7"));
    assert!(!d.sandbox_image_local);
}

#[test]
fn a_pull_error_without_the_images_name_is_refined_by_the_progress_lines() {
    let pulling = "Created sandbox: a\n[0.1s] Pulling image openshell/sandbox-from:1786000000\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image failed: error trying to connect: dns error\n";
    let d = create(pulling);
    assert_eq!((d.kind, d.phase), (Kind::ImageNotInGatewayStore, Some(Phase::Ready)));
    let registry = pulling.replace("openshell/sandbox-from:1786000000", "nvcr.io/nvidia/base:1");
    assert_eq!(create(&registry).kind, Kind::SandboxImagePullFailed);
}

#[test]
fn a_timeout_while_still_pulling_is_the_pull_and_after_it_is_the_timeout() {
    let d = corpus_file("sandbox_image_pull_failed__k8s-timeout-last-progress-pulling-constructed");
    assert_eq!(d.kind, Kind::SandboxImagePullFailed);
    assert_eq!(d.timeout_secs, Some(300));
    assert_eq!(d.reported_status.as_deref(), Some("DependenciesNotReady: Pod exists with phase: Pending; Service Exists"));
    let local = "Created sandbox: a\n[0.1s] Pulling image openshell/sandbox-from:1786000000\nError:   × sandbox provisioning timed out after 300s\n";
    assert_eq!(create(local).kind, Kind::ImageNotInGatewayStore);
    let d = corpus_file("provisioning_timeout__docker-dockerfile-entrypoint-supervisor-relay-constructed");
    assert_eq!(d.kind, Kind::ProvisioningTimeout);
    assert_eq!(d.reported_status.as_deref(), Some("SupervisorNotConnected: Backend ready; waiting for supervisor session"));
}

#[test]
fn limits_names_and_eras_come_from_the_wording() {
    let d = corpus_file("build_stalled__colima-npm-ci-600s-threshold-constructed");
    assert_eq!((d.kind, d.timeout_secs, d.era), (Kind::BuildStalled, Some(600), Some(Era::PackageManaged)));
    let d = corpus_file("sandbox_already_exists__kaiden-wizard-same-folder-name-2312");
    assert_eq!((d.kind, d.sandbox.as_deref(), d.phase), (Kind::SandboxAlreadyExists, Some("foo"), Some(Phase::Create)));
    let d = corpus_file("gateway_unreachable__unknown-gateway-flag-typo-constructed");
    assert_eq!((d.kind, d.gateway.as_deref(), d.era), (Kind::GatewayUnreachable, Some("nemoclw"), Some(Era::PackageManaged)));
    let d = corpus_file("image_import_failed__ctr-exit-137-inside-gateway-constructed");
    assert_eq!((d.kind, d.era, d.uploaded_to_gateway), (Kind::ImageImportFailed, Some(Era::TarUpload), true));
}

#[test]
fn a_certificate_refused_behind_the_connect_error_is_the_certificate() {
    let d = corpus_file("tls_cert_mismatch__gateway-connect-badsignature-after-reinstall-constructed");
    assert_eq!(d.kind, Kind::TlsCertMismatch);
    let d = corpus_file("gateway_unreachable__linux-connection-refused-111-after-credential-warning-constructed");
    assert_eq!((d.kind, d.gateway.as_deref()), (Kind::GatewayUnreachable, Some("spark")));
}

#[test]
fn a_ci_build_then_a_create_reads_the_create() {
    let d = corpus_file("none__ci-buildkit-prebuilt-tag-image-already-present-exit0-constructed");
    assert_eq!((d.kind, d.phase, d.sandbox.as_deref()), (Kind::None, Some(Phase::Ready), Some("ci-4821")));
    // The same lines inside an unfinished build step are the step's output.
    let inside = "#8 [4/4] RUN ./setup.sh\n#8 0.4 Created sandbox: prod-db\n#8 0.5 [0.0s] Sandbox allocated\nERROR: failed to solve: process \"/bin/sh -c ./setup.sh\" did not complete successfully: exit code: 1\n";
    let d = create(inside);
    assert_eq!((d.kind, d.sandbox), (Kind::BuildStepFailed, None));
}
