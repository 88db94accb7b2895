//! The attacks an untrusted log or argv can try, each shown to fail: build output that
//! poses as OpenShell's export, secrets just past the evidence clip, secrets in every
//! format, and text that only looks like a secret.

use sandbox_triage_core::{CreateInvocation, Kind, Phase};

use crate::support::{create, every_output};

/// A `RUN` step that prints OpenShell's export lines and the upload 404, then fails.
const FAKE_EXPORT: &str = "Building image openshell/sandbox-from:1786000000 from /tmp/b/Dockerfile
  Context: /tmp/b
  Gateway: spark

  Step 3/9 : RUN ./install.sh
   ---> Running in 1a2b3c4d5e6f
  Built image docker.io/attacker/evil:latest
  Pushing image docker.io/attacker/evil:latest into gateway \"spark\"
  [progress] Exported 1862 MiB
  [progress] Uploaded to gateway
  Image docker.io/attacker/evil:latest is available in the gateway.
Created sandbox: evil
Error:   × failed to upload image tar into container
  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark
The command '/bin/sh -c ./install.sh' returned a non-zero code: 1
";

#[test]
fn build_output_posing_as_the_export_is_a_build_failure() {
    for exit in [None, Some(1)] {
        let d = create(FAKE_EXPORT, exit);
        assert_eq!(d.kind, Kind::BuildStepFailed, "{d:?}");
        assert_eq!(d.phase, Some(Phase::Build));
        assert_eq!(d.built_image_ref, None, "an image a build step printed is never a fact");
        assert_eq!(d.sandbox, None);
        assert!(!d.uploaded_to_gateway);
        assert_eq!(d.exported_mib, None);
        assert_eq!(d.gateway.as_deref(), Some("spark"), "the header before the build still counts");
        assert_eq!(d.failed_step.as_ref().and_then(|s| s.number), Some(3));
        let outputs = every_output(&d, Some(&["openshell", "sandbox", "create", "--from", "/tmp/b/Dockerfile", "--name", "demo"]));
        assert!(!outputs.contains("attacker"), "{outputs}");
        assert!(!outputs.contains("sandbox delete"), "{outputs}");
    }
}

#[test]
fn a_fake_export_followed_by_more_build_steps_is_still_the_build() {
    let log = FAKE_EXPORT
        .replace("Created sandbox: evil\n", "")
        .replace("The command '/bin/sh -c ./install.sh' returned a non-zero code: 1\n", "  Step 4/9 : RUN make\n");
    let d = create(&log, Some(1));
    assert_eq!(d.phase, Some(Phase::Build), "{d:?}");
    assert_eq!(d.kind, Kind::BuildStepFailed);
    assert_eq!(d.failed_step.as_ref().and_then(|s| s.number), Some(4));
}

#[test]
fn a_real_export_after_the_build_is_kept() {
    let log = "  Step 9/9 : RUN echo Built image docker.io/attacker/evil:latest\n  Built image docker.io/attacker/evil:latest\n   ---> 9f8e7d6c5b4a\n  Successfully built 9f8e7d6c5b4a\n  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\n  [progress] Exported 12 MiB\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark\n";
    let d = create(log, Some(1));
    assert_eq!(d.kind, Kind::ImageUploadContainerMissing);
    assert_eq!(d.built_image_ref.map(|r| r.to_string()).as_deref(), Some("openshell/sandbox-from:1786000000"));
}

#[test]
fn a_key_past_the_clip_window_shows_no_part_of_itself() {
    let key = "nvapi-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for before in [100, 200, 230, 239, 240, 300] {
        let line = format!("Error:   × failed to upload image tar into container: {} {key} {}", "x".repeat(before), "y".repeat(50));
        let d = create(&line, Some(1));
        let shown = every_output(&d, None);
        for piece in ["0123456789abcdef", "UVWXYZ", "klmnopqrst"] {
            assert!(!shown.contains(piece), "{before}: {piece} leaked");
        }
    }
}

#[test]
fn every_secret_format_is_masked_in_every_output() {
    let secrets = [
        "Authorization: Basic dXNlcjpodW50ZXIy",
        "https://:hunter2pass@proxy.corp:3128",
        "glpat-abcdefghij0123456789",
        "npm_abcdefghijklmnopqrstuvwxyz0123456789",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
        "docker login -u bot -p Hunter2Pass registry.example.com",
        "--password hunter22x",
        "SMTP_PASS=mailpass1",
        "DB_PWD=pwd-value-9",
    ];
    let hidden = [
        "dXNlcjpodW50ZXIy",
        "hunter2pass",
        "abcdefghij0123456789",
        "abcdefghijklmnopqrstuvwxyz0123456789",
        "dozjgNryP4J3",
        "Hunter2Pass",
        "hunter22x",
        "mailpass1",
        "pwd-value-9",
    ];
    for (secret, hidden) in secrets.iter().zip(hidden) {
        let log = format!("  Step 2/3 : RUN setup\n  {secret}\nThe command '/bin/sh -c setup {secret}' returned a non-zero code: 1\n");
        let d = create(&log, Some(1));
        let shown = every_output(&d, None);
        assert!(!shown.contains(hidden), "{secret}: {shown}");
    }
}

#[test]
fn names_from_the_argv_must_be_names() {
    for argv in [
        vec!["openshell", "sandbox", "create", "--name=--all"],
        vec!["openshell", "sandbox", "create", "--name", "../x"],
        vec!["openshell", "sandbox", "create", "-g", "../../.."],
        vec!["openshell", "sandbox", "create", "-g../../.."],
        vec!["openshell", "sandbox", "create", "--gateway=a;b"],
    ] {
        let error = CreateInvocation::parse(&argv).expect_err("an invalid name").to_string();
        assert!(
            error.contains("not a valid name")
                && (error.starts_with("--name") || error.starts_with("-g") || error.starts_with("--gateway")),
            "{error}"
        );
        assert!(!error.contains("../") && !error.contains("--all:"), "{error}");
    }
}

#[test]
fn nothing_a_terminal_acts_on_reaches_human_output() {
    let log = "Error:   × failed to upload image tar into container \u{9b}2J\u{9d}0;pwned\u{9c} \u{1b}P1$qm\u{1b}\\ \u{7}\u{8}\u{7f}done\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-x\n";
    let d = create(log, Some(1));
    let shown = every_output(&d, None);
    assert!(!shown.chars().any(|c| c.is_control() && c != '\n' && c != '\t'), "{shown:?}");
    assert!(!shown.contains("pwned") && !shown.contains("1$qm"), "control strings go whole: {shown}");
    assert!(shown.contains("done"));
}

#[test]
fn image_references_are_ascii() {
    for bad in ["repo:ταγ", "rep\u{f6}/x:1", "x:t\u{200b}ag"] {
        assert!(sandbox_triage_core::ImageRef::parse(bad).is_err(), "{bad}");
    }
}
