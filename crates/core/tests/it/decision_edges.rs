//! The decision core at its edges: which failure, phase, image and place an answer
//! takes when the output sits on a boundary.

use sandbox_triage_core::{classify, redact, Catalogue, Kind, Options, Phase, Stage, StageRules};

use crate::support::{create, rules};

/// OpenShell announcing a build from a Dockerfile, as it prints it.
const ANNOUNCED: &str = "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-abc/Dockerfile\n";

#[test]
fn a_build_failure_that_shows_no_instruction_and_no_dockerfile_has_no_place_in_one() {
    // A CI log's last line: BuildKit's summary of a COPY whose source is missing, with no
    // step header and no `Building image … from <Dockerfile>` before it.
    let log = "ERROR: failed to solve: failed to compute cache key: failed to calculate checksum of ref 4f8e0c1a-2b3c::x2z9: \"/app.py\": not found\n";
    let d = create(log, Some(1));
    assert_eq!((d.kind, d.phase), (Kind::BuildStepFailed, Some(Phase::Build)));
    let step = d.failed_step.as_ref().expect("a build failure reports its step");
    assert_eq!((step.number, step.command.as_deref(), step.instruction.as_deref()), (None, None, None));
    assert!(d.dockerfile.is_none(), "nothing to place: {:?}", d.dockerfile);
    // Once OpenShell has named the Dockerfile, the answer points at that file.
    let d = create(&format!("{ANNOUNCED}{log}"), Some(1));
    let spot = d.dockerfile.expect("the announced file");
    assert_eq!((spot.path.as_deref(), spot.instruction), (Some("/tmp/nemoclaw-build-abc/Dockerfile"), None));
}

#[test]
fn a_stalled_build_is_openshells_report_and_names_no_cause_from_the_step_output() {
    // The step's own script died in a thread and left the step hanging: OpenShell's
    // no-output limit stopped the build, and that, not the exception, is the answer.
    let log = format!(
        "{ANNOUNCED}  Step 6/35 : RUN python /opt/warmup.py\n   ---> Running in 0c9d8e7f6a5b\n  Exception in thread loader:\n  Traceback (most recent call last):\n    File \"/opt/warmup.py\", line 14, in load\n  KeyError: 'HF_HOME'\nError:   × Docker build produced no output for 1800s.\n"
    );
    let d = create(&log, Some(1));
    assert_eq!((d.kind, d.phase, d.timeout_secs), (Kind::BuildStalled, Some(Phase::Build), Some(1800)));
    assert_eq!(d.failed_step.as_ref().and_then(|s| s.number), Some(6));
    assert!(d.cause.is_none(), "{:?}", d.cause);
    let lines: Vec<u64> = d.evidence.iter().map(|e| e.line).collect();
    assert_eq!(lines, [2, 8], "{:?}", d.evidence);
}

#[test]
fn a_pull_of_another_tag_of_the_built_repository_names_that_tag_not_the_built_image() {
    // The create built one tag; the gateway was asked for an older one.
    let log = format!(
        "{ANNOUNCED}  Built image openshell/sandbox-from:1786000000\n\nCreated sandbox: my-assistant\n\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: Failed to pull image \"openshell/sandbox-from:1776000000\": failed to resolve reference \"docker.io/openshell/sandbox-from:1776000000\": pull access denied, repository does not exist or may require authorization\n"
    );
    let d = create(&log, Some(1));
    assert_eq!(d.kind, Kind::ImageNotInGatewayStore);
    assert_eq!(d.built_image_ref.as_ref().map(ToString::to_string).as_deref(), Some("openshell/sandbox-from:1786000000"));
    assert_eq!(d.sandbox_image.as_ref().map(ToString::to_string).as_deref(), Some("openshell/sandbox-from:1776000000"));
    assert!(d.sandbox_image_local);
}

#[test]
fn a_pull_of_another_untagged_repository_is_not_taken_for_the_built_image() {
    let log = format!(
        "{ANNOUNCED}  Built image openshell/sandbox-from:1786000000\n\nCreated sandbox: my-assistant\n\n  [0.0s] Requesting compute...\n[0.0s] Sandbox allocated\n[0.0s] Pulling image openshell/sandbox-base\nError:   × sandbox entered error phase while provisioning: ImagePullFailed: pull Docker image failed: Docker responded with status code 404: pull access denied for openshell/sandbox-base, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n"
    );
    let d = create(&log, Some(1));
    assert_eq!(d.built_image_ref.as_ref().map(ToString::to_string).as_deref(), Some("openshell/sandbox-from:1786000000"));
    assert_eq!(d.sandbox_image.as_ref().map(ToString::to_string).as_deref(), Some("openshell/sandbox-base"));
}

/// What a supervised command that printed nothing and exited `status` is told.
fn silent(rules: &StageRules, status: i32) -> String {
    classify(rules, Options { exit_status: Some(status), supervised: true, ..Options::default() }, b"").explanation
}

#[test]
fn a_silent_command_killed_by_a_signal_is_told_which_signal() {
    let rules = rules(Stage::SandboxCreate);
    let said = |status: i32, how: &str| {
        format!("The command printed nothing, on stdout or stderr, and exited with status {status}{how}: nothing to classify. Run it by hand to see what it does.")
    };
    for (status, how) in [
        (137, " (killed by signal 9, SIGKILL: the kernel's out-of-memory killer sends it too)"),
        (134, " (killed by signal 6, SIGABRT)"),
        (139, " (killed by signal 11, SIGSEGV: it crashed)"),
        (131, " (killed by signal 3)"),
        (192, " (killed by signal 64)"),
        (193, ""),
        (128, ""),
        (2, ""),
    ] {
        assert_eq!(silent(rules, status), said(status, how));
    }
}

#[test]
fn a_silent_command_ended_by_sigterm_is_told_so_when_no_rule_calls_it_interrupted() {
    // Built in, 143 is `interrupted`; a user who disabled that rule is told the signal.
    let off = "id = 'interrupted.signal'\nstage = 'sandbox-create'\nrole = 'exit-status'\nkind = 'interrupted'\npriority = 15\nexit_status = [129, 130, 143]\nexplanation = 'off'\ndisabled = true\n";
    let catalogue = Catalogue::with_user_files(vec![("interrupted.signal.toml".to_owned(), off.to_owned())]).expect("the user rule loads");
    let rules = StageRules::new(&catalogue, Stage::SandboxCreate);
    assert!(silent(&rules, 143).contains("status 143 (killed by signal 15, SIGTERM): nothing to classify"), "{}", silent(&rules, 143));
    assert!(silent(&rules, 129).contains("status 129 (killed by signal 1): nothing to classify"), "{}", silent(&rules, 129));
}

/// A `Built image` line naming `registry.example.com/team/<a…>:1`, its name `len` long.
fn built_with_name_of(len: usize) -> Option<String> {
    let domain = "registry.example.com/team/";
    let name = format!("{domain}{}", "a".repeat(len - domain.len()));
    assert_eq!(name.len(), len);
    let d = create(&format!("  Built image {name}:1\n"), Some(1));
    d.built_image_ref.map(|image| image.to_string())
}

#[test]
fn a_built_image_name_of_255_characters_is_taken_and_one_longer_is_refused() {
    // The distribution grammar's limit counts the registry and its `/`; the tag is not
    // part of the name.
    assert_eq!(built_with_name_of(255).map(|r| r.len()), Some(257));
    assert_eq!(built_with_name_of(256), None);
    assert_eq!(built_with_name_of(257), None);
}

#[test]
fn a_secret_right_after_a_private_key_header_is_masked_apart_from_the_key() {
    // A traceback shows the source line: the quoted header is a value under a secret's
    // name, and what follows it on the line is the key's.
    let line = "    PRIVATE_KEY = \"-----BEGIN PRIVATE KEY-----\" + os.environ[\"TLS_KEY_BODY\"]";
    assert_eq!(redact(line), "    PRIVATE_KEY = \"*** *** ");
}

#[test]
fn a_secret_that_runs_into_a_private_key_is_masked_to_the_keys_end() {
    let line = "    PRIVATE_KEY = \"-----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\" + rest";
    assert_eq!(redact(line), "    PRIVATE_KEY = \"***");
}

#[test]
fn a_secret_that_ends_with_a_private_key_keeps_the_keys_own_mask() {
    // An environment dump whose key lost its line breaks: the password at the end of the
    // line lies inside the key's span, which is masked as a key.
    let line = "TLS_KEY=-----BEGIN PRIVATE KEY----- MIIEvQIBADANBgkqhkiG9w0BAQEFAASC TLS_KEY_PASSWORD=hunter2";
    assert_eq!(redact(line), "TLS_KEY=*** PRIVATE KEY----- *** ");
}

#[test]
fn a_failed_step_that_quotes_openshells_words_is_the_builds_failure() {
    // The step's header and the builder's summary quote the step's command: OpenShell's
    // wording there is the step's, not OpenShell's report of an unreachable gateway.
    let header = "  Step 2/2 : RUN test -f /etc/openshell/active || (echo \"No active gateway\" && exit 1)\n   ---> Running in 0c9d8e7f6a5b\n  No active gateway\nError:   × Docker build failed\n";
    let summary = "#6 [2/2] RUN ./check-gateway.sh\n#6 0.31 No active gateway\n#6 ERROR: process \"/bin/sh -c ./check-gateway.sh || echo 'No active gateway'\" did not complete successfully: exit code: 1\n";
    for log in [header, summary] {
        let diagnosis = create(log, Some(1));
        assert_eq!((diagnosis.kind, diagnosis.phase), (Kind::BuildStepFailed, Some(Phase::Build)), "{log}");
    }
}

#[test]
fn openshells_own_summary_line_that_quotes_no_command_keeps_its_words() {
    // `Docker build failed: …` is OpenShell's wrapper, not the step quoting its command:
    // what OpenShell says on it is OpenShell's report.
    let log = "  Step 2/2 : RUN make\n   ---> Running in 0c9d8e7f6a5b\nError:   × Docker build failed: No active gateway\n";
    let diagnosis = create(log, Some(1));
    assert_eq!(diagnosis.kind, Kind::GatewayUnreachable);
}
