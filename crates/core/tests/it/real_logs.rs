//! The families of real logs the classifier has to know, each on real excerpts from the
//! corpus (their sources are in their headers): what a user sees, the kind, the phase,
//! the failed step and the line that proves it.

use std::path::Path;

use sandbox_triage_core::{classify, Catalogue, Diagnosis, Kind, Options, Phase, Stage, StageSet, Triage};
use sandbox_triage_testkit::CorpusCase;

fn corpus(name: &str) -> CorpusCase {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus").join(format!("{name}.log"));
    CorpusCase::parse(name, &std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

fn triage(stage: Option<Stage>, exit_status: Option<i32>, text: &[u8]) -> Diagnosis {
    let set = StageSet::new(&Catalogue::builtin().expect("built-in rules load"));
    let mut triage = Triage::new(&set, stage, Options { exit_status, ..Options::default() }, None, None);
    triage.feed(text);
    triage.finish()
}

fn real(name: &str) -> Diagnosis {
    let case = corpus(name);
    triage(Some(case.stage()), case.exit_status(), &case.payload)
}

/// The diagnosis has this kind and phase, and an evidence line holding `proof`.
fn assert_shows(d: &Diagnosis, kind: Kind, phase: Option<Phase>, proof: &str) {
    assert_eq!((d.kind, d.phase), (kind, phase), "{d:#?}");
    assert!(d.evidence.iter().any(|e| e.text.contains(proof)), "no evidence holds {proof:?}: {:#?}", d.evidence);
}

fn step(d: &Diagnosis) -> (Option<u32>, Option<u32>) {
    d.failed_step.as_ref().map_or((None, None), |s| (s.number, s.total))
}

#[test]
fn each_builders_base_image_pull_failure() {
    let classic = real("build_base_image_pull_failed__classic-rate-limit-kata-3832");
    assert_shows(&classic, Kind::BuildBaseImagePullFailed, Some(Phase::Build), "toomanyrequests");
    let buildkit = real("build_base_image_pull_failed__buildkit-4456-oauth-401");
    assert_shows(&buildkit, Kind::BuildBaseImagePullFailed, Some(Phase::Build), "failed to fetch oauth token");
    let podman = real("build_base_image_pull_failed__podman-pull-connection-reset-by-peer");
    assert_shows(&podman, Kind::BuildBaseImagePullFailed, Some(Phase::Build), "Error initializing source docker://");
}

#[test]
fn builder_variants_are_builds() {
    let copy = real("build_step_failed__classic-copy-failed-jitsi");
    assert_shows(&copy, Kind::BuildStepFailed, Some(Phase::Build), "COPY failed");
    let old = real("build_step_failed__classic-info-prefix-step-exit-137");
    assert_shows(&old, Kind::BuildStepFailed, Some(Phase::Build), "The command [/bin/sh -c exit 137]");
    assert_eq!(step(&old), (Some(1), None), "Docker 1.x numbers steps without a total");
    let executor = real("build_step_network_failed__buildkit-curl-6-executor-failed-running");
    assert_shows(&executor, Kind::BuildStepNetworkFailed, Some(Phase::Build), "curl: (6)");
}

#[test]
fn a_buildkit_error_reported_before_the_step_output_is_that_steps() {
    let d = real("build_step_network_failed__buildkit-error-header-apt-dns-replay");
    assert_shows(&d, Kind::BuildStepNetworkFailed, Some(Phase::Build), "Temporary failure resolving");
    assert_eq!(step(&d), (Some(2), Some(8)));
}

#[test]
fn network_evidence_in_every_tools_words() {
    for (name, proof) in [
        ("build_step_network_failed__curl-7-glued-to-progress-meter", "curl: (7)"),
        ("build_step_network_failed__classic-pip-newconnectionerror-try-again", "NewConnectionError"),
        ("build_step_network_failed__npm-self-signed-cert-in-chain-step-output", "SELF_SIGNED_CERT_IN_CHAIN"),
        ("build_step_network_failed__podman-apk-temporary-error-no-resolv", "temporary error (try again later)"),
        ("build_step_network_failed__podman-dnf-curl-28-resolving", "Curl error (28)"),
        ("build_step_network_failed__apt-dns-unable-to-locate-bare", "Temporary failure resolving"),
    ] {
        let d = real(name);
        assert_eq!(d.kind, Kind::BuildStepNetworkFailed, "{name}: {d:#?}");
        assert!(d.evidence.iter().any(|e| e.text.contains(proof)), "{name}: no evidence holds {proof:?}: {:#?}", d.evidence);
    }
}

#[test]
fn disk_full_in_apts_words() {
    let d = real("disk_full__buildkit-apt-not-enough-free-space-archives");
    assert_shows(&d, Kind::DiskFull, Some(Phase::Build), "enough free space");
}

#[test]
fn a_partial_upload_log_with_no_built_image_line_is_the_transfer() {
    let log = "  Step 1/22 : FROM node:22-slim\nError:   × failed to upload image tar into container\n  ├─▶ failed to upload image tar into container\n  ╰─▶ Timeout error\n";
    let d = triage(Some(Stage::SandboxCreate), Some(1), log.as_bytes());
    assert_shows(&d, Kind::ImageTransferTimeout, Some(Phase::Upload), "Timeout error");
}

#[test]
fn a_log_cut_inside_a_failing_step_is_that_steps_failure() {
    let d = real("build_step_failed__podman-multistage-npm-ci-eusage-cut");
    assert_shows(&d, Kind::BuildStepFailed, Some(Phase::Build), "STEP 6/10: RUN npm ci");
    assert_eq!(step(&d), (Some(6), Some(10)));
    // Without a failure status the same cut log has not failed yet.
    let case = corpus("build_step_failed__podman-multistage-npm-ci-eusage-cut");
    assert_eq!(triage(Some(Stage::SandboxCreate), None, &case.payload).kind, Kind::Unknown);
}

#[test]
fn phrases_broken_across_lines_still_match() {
    let cdi = real("gpu_cdi_injection_failed__terminal-wrapped-de-vices-nvct-1537");
    assert_eq!(cdi.kind, Kind::GpuCdiInjectionFailed);
    // A terminal broke pip's message mid-word; only the joined lines prove the cause.
    let pip = "  Step 3/6 : RUN pip install flask\n  WARNING: Retrying after [Errno -3] Temporary failur\n  e in name resolution')': /simple/flask/\n  ERROR: Could not find a version that satisfies the requirement flask\nThe command '/bin/sh -c pip install flask' returned a non-zero code: 1\n";
    let d = triage(Some(Stage::SandboxCreate), Some(1), pip.as_bytes());
    assert_shows(&d, Kind::BuildStepNetworkFailed, Some(Phase::Build), "Temporary failur");
    let unbroken = pip.replace("Temporary failur\n  e in name resolution", "Temporary trouble\n  in resolution");
    assert_eq!(triage(Some(Stage::SandboxCreate), Some(1), unbroken.as_bytes()).kind, Kind::BuildStepFailed);
}

#[test]
fn a_run_stopped_from_outside_is_interrupted_not_a_broken_dockerfile() {
    let d = real("interrupted__sigint-exit130-build-step-constructed");
    assert_eq!((d.kind, d.phase), (Kind::Interrupted, Some(Phase::Build)), "{d:#?}");
    let rules = crate::support::rules(Stage::SandboxCreate);
    let log = b"  Step 4/9 : RUN npm install\nnpm http fetch GET 200 https://registry.npmjs.org/lodash 120ms\n";
    for (status, signal) in [(Some(130), None), (Some(143), None), (Some(129), None), (Some(1), Some(2))] {
        let d = classify(rules, Options { exit_status: status, signal, ..Options::default() }, log);
        assert_eq!(d.kind, Kind::Interrupted, "{status:?} {signal:?}");
    }
    // A decisive failure before the interruption still decides.
    let failed = b"  Step 4/9 : RUN npm install\nnpm error code ENOTFOUND\nnpm error network request to https://registry.npmjs.org/x failed, reason: getaddrinfo ENOTFOUND registry.npmjs.org\nThe command '/bin/sh -c npm install' returned a non-zero code: 1\n";
    assert_eq!(classify(rules, Options { exit_status: Some(130), ..Options::default() }, failed).kind, Kind::BuildStepNetworkFailed);
    assert_eq!(classify(rules, Options { exit_status: Some(137), ..Options::default() }, log).kind, Kind::BuildStepFailed);
}

#[test]
fn an_unknown_answer_points_at_the_error_lines() {
    let log = "starting\nsomething odd happened\nError: frobnicator exploded (code 7)\nretrying\nfatal: giving up\ndone\n";
    let d = triage(Some(Stage::SandboxCreate), Some(1), log.as_bytes());
    assert_eq!(d.kind, Kind::Unknown);
    let lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5], "{d:#?}");
    assert!(d.explanation.contains("look like errors"), "{}", d.explanation);
    let quiet = triage(Some(Stage::SandboxCreate), Some(1), b"step one\nstep two\n");
    assert!(quiet.evidence.is_empty() && quiet.explanation.contains("2>&1"), "{quiet:#?}");
    let empty = triage(None, Some(1), b"");
    assert!(empty.kind == Kind::Unknown && empty.explanation.contains("empty") && empty.explanation.contains("2>&1"));
}

#[test]
fn the_stage_is_told_from_the_output_and_a_wrong_one_is_refused() {
    let build = corpus("build_step_network_failed__classic-pip-newconnectionerror-try-again");
    let as_provider = triage(Some(Stage::ProviderValidation), build.exit_status(), &build.payload);
    assert_eq!((as_provider.kind, as_provider.stage), (Kind::Unknown, Stage::ProviderValidation));
    assert!(as_provider.explanation.contains("--stage sandbox-create"), "{}", as_provider.explanation);
    let as_gateway = triage(Some(Stage::GatewayStart), build.exit_status(), &build.payload);
    assert!(as_gateway.kind == Kind::Unknown && as_gateway.explanation.contains("--stage sandbox-create"));
    assert_eq!(triage(None, build.exit_status(), &build.payload).stage, Stage::SandboxCreate);
    let gateway = corpus("database_migration_incompatible__has-been-modified-9293");
    let told = triage(None, gateway.exit_status(), &gateway.payload);
    assert_eq!((told.stage, told.kind), (Stage::GatewayStart, Kind::DatabaseMigrationIncompatible));
    let provider = corpus("credential__nvidia-endpoints-http-401-1380");
    let told = triage(None, None, &provider.payload);
    assert_eq!((told.stage, told.kind), (Stage::ProviderValidation, Kind::Credential));
}
