//! Parsing create invocations of both OpenShell eras and rebuilding them from an image.

use sandbox_triage_core::reconstruct;
use sandbox_triage_core::{render, Shell};
use sandbox_triage_core::{CreateInvocation, Form, FromSource, PathKind, Sensitivity};
use sandbox_triage_core::{ImageRef, Word};

fn rebuilt(argv: &[&str]) -> (String, Vec<String>) {
    let invocation = CreateInvocation::parse(argv).expect("a create invocation");
    let image = ImageRef::parse("openshell/sandbox-from:1786000000").expect("valid");
    let r = reconstruct(&invocation, Some(&Word::from(&image)));
    (render(&r.words, Shell::Posix).expect("renders"), r.placeholders.into_iter().map(|p| p.name).collect())
}

#[test]
fn head_era_flags_are_kept_and_from_is_swapped() {
    let (command, placeholders) = rebuilt(&[
        "openshell",
        "sandbox",
        "create",
        "--name",
        "asst",
        "--from",
        "/tmp/nemoclaw-build-1/Dockerfile",
        "--gpu",
        "2",
        "--cpu",
        "2",
        "--memory",
        "4Gi",
        "--provider",
        "nvidia",
        "--provider",
        "brave",
        "--label",
        "app=nemoclaw",
        "--env",
        "LOG_LEVEL=debug",
        "--approval-mode",
        "auto",
        "-o",
        "json",
        "--detach",
        "--upload",
        "./src:/sandbox/src",
        "--forward",
        "18789",
    ]);
    assert_eq!(
        command,
        "openshell sandbox create --name asst --from openshell/sandbox-from:1786000000 --gpu 2 --cpu 2 --memory 4Gi --provider nvidia --provider brave --label app=nemoclaw --env LOG_LEVEL=debug --approval-mode auto -o json --detach --upload ./src:/sandbox/src --forward 18789"
    );
    assert!(placeholders.is_empty());
}

#[test]
fn pre_era_flags_are_kept() {
    let (command, _) = rebuilt(&[
        "/usr/local/bin/openshell",
        "-g",
        "nemoclaw",
        "sandbox",
        "create",
        "--from",
        "./ctx",
        "--gpu",
        "--gpu-device",
        "0000:01:00.0",
        "--remote",
        "me@spark",
        "--ssh-key",
        "~/.ssh/id_ed25519",
        "--no-bootstrap",
        "--keep",
        "--tty",
    ]);
    assert_eq!(
        command,
        "/usr/local/bin/openshell sandbox create -g nemoclaw --from openshell/sandbox-from:1786000000 --gpu --gpu-device 0000:01:00.0 --remote me@spark --ssh-key '~/.ssh/id_ed25519' --no-bootstrap --keep --tty"
    );
}

#[test]
fn from_equals_a_missing_from_and_no_from_all_end_with_the_image() {
    assert_eq!(
        rebuilt(&["--from=./Dockerfile", "--name", "a"]).0,
        "openshell sandbox create --from openshell/sandbox-from:1786000000 --name a"
    );
    assert_eq!(rebuilt(&["--name", "asst", "--from"]).0, "openshell sandbox create --name asst --from openshell/sandbox-from:1786000000");
    assert_eq!(
        rebuilt(&["--name", "asst", "--from", "--gpu"]).0,
        "openshell sandbox create --name asst --from openshell/sandbox-from:1786000000 --gpu"
    );
    assert_eq!(rebuilt(&["--name", "asst"]).0, "openshell sandbox create --name asst --from openshell/sandbox-from:1786000000");
}

#[test]
fn host_specific_and_secret_values_become_placeholders() {
    let json = r#"{"docker": {"cdi_devices": ["nvidia.com/gpu=GPU-4f1d"], "binds": ["/home/me/data:/data"]}, "note": "it's \"quoted\""}"#;
    let (command, placeholders) = rebuilt(&[
        "--from",
        "/tmp/b/Dockerfile",
        "--policy",
        "/tmp/nemoclaw-policy-abc.yaml",
        "--driver-config-json",
        json,
        "--env",
        "NVIDIA_API_KEY=nvapi-abcdefghijklmnopqrstuvwxyz",
        "--gateway-endpoint",
        "https://admin:hunter2@gw.example.com:8443",
        "--",
        "env",
        "HTTPS_PROXY=http://user:pass@proxy:3128",
        "BRAVE_API_KEY=BSAabcdefghijklmnop",
        "nemoclaw-start",
        "--verbose",
    ]);
    for secret in ["nvapi-", "hunter2", "user:pass", "BSAabc", "GPU-4f1d", "/home/me", "nemoclaw-policy-abc"] {
        assert!(!command.contains(secret), "{secret} in {command}");
    }
    assert_eq!(placeholders, ["POLICY_FILE", "DRIVER_CONFIG_JSON", "NVIDIA_API_KEY", "GATEWAY_ENDPOINT", "HTTPS_PROXY", "BRAVE_API_KEY"]);
    assert!(
        command.ends_with(
            r#"-- env HTTPS_PROXY="${SANDBOX_TRIAGE_HTTPS_PROXY?}" BRAVE_API_KEY="${SANDBOX_TRIAGE_BRAVE_API_KEY?}" nemoclaw-start --verbose"#
        ),
        "{command}"
    );
    // A policy the operator keeps is theirs to reuse.
    assert_eq!(
        rebuilt(&["--policy", "./policy.yaml"]).0,
        "openshell sandbox create --policy ./policy.yaml --from openshell/sandbox-from:1786000000"
    );
}

#[test]
fn the_trailing_command_and_its_wrapper_are_understood() {
    let inv = CreateInvocation::parse(&["--name", "x", "--", "env", "-u", "HOME", "A=1", "B=two words", "nemoclaw-start", "--flag=1"])
        .expect("parses");
    let command = inv.command.expect("a command");
    let wrapper = command.wrapper.expect("an env wrapper");
    assert_eq!(wrapper.options, ["-u", "HOME"]);
    assert_eq!(wrapper.assignments, [("A".to_owned(), "1".to_owned()), ("B".to_owned(), "two words".to_owned())]);
    assert_eq!(command.argv, ["nemoclaw-start", "--flag=1"]);
    let plain = CreateInvocation::parse(&["--", "bash", "-lc", "python3 -m http.server"]).expect("parses").command.expect("command");
    assert!(plain.wrapper.is_none());
    assert_eq!(plain.argv, ["bash", "-lc", "python3 -m http.server"]);
}

#[test]
fn flags_parse_in_every_form_with_their_sensitivity() {
    let inv = CreateInvocation::parse(&[
        "openshell",
        "sandbox",
        "create",
        "-gspark",
        "--gpu=2",
        "-vv",
        "--policy=/etc/p.yaml",
        "--env",
        "TOKEN=x",
        "--frobnicate",
    ])
    .expect("parses");
    assert_eq!(inv.value("--gateway"), Some("spark"));
    assert_eq!(inv.value("--gpu"), Some("2"));
    assert!(inv.has("--verbose"));
    let policy = inv.args.iter().find(|a| a.flag == "--policy").expect("policy");
    assert_eq!((policy.form, policy.sensitivity()), (Form::Attached, Sensitivity::HostSpecific));
    let env = inv.args.iter().find(|a| a.flag == "--env").expect("env");
    assert_eq!(env.sensitivity(), Sensitivity::Secret);
    assert!(inv.args.iter().any(|a| !a.known && a.flag == "--frobnicate"));
    assert!(CreateInvocation::parse(&["openshell", "sandbox", "list"]).is_err());
}

#[test]
fn from_is_classified_the_way_openshell_does() {
    let fs = |path: &str| match path {
        "/tmp/b/Dockerfile" | "./ctx/Dockerfile" | "./notes.txt" => PathKind::File,
        "./ctx" | "./empty" => PathKind::Directory,
        _ => PathKind::Missing,
    };
    assert!(matches!(FromSource::classify("/tmp/b/Dockerfile", fs), FromSource::Dockerfile(_)));
    assert!(matches!(FromSource::classify("./ctx", fs), FromSource::Directory(_)));
    assert!(matches!(FromSource::classify("./empty", fs), FromSource::InvalidLocalPath(_)));
    assert!(matches!(FromSource::classify("./notes.txt", fs), FromSource::InvalidLocalPath(_)));
    assert!(matches!(FromSource::classify("./Dockerfil", fs), FromSource::InvalidLocalPath(_)));
    assert!(matches!(FromSource::classify("localhost:5000/foo:tag", fs), FromSource::Image(_)));
    assert!(matches!(FromSource::classify("registry.example.com", fs), FromSource::Image(_)));
    assert_eq!(
        FromSource::classify("base", fs),
        FromSource::Community { name: "base".into(), image: "ghcr.io/nvidia/openshell-community/sandboxes/base:latest".into() }
    );
    assert!(matches!(FromSource::classify("Bad/Ref;rm", fs), FromSource::InvalidReference(_)));
}

mod arbitrary {
    use proptest::prelude::*;
    use sandbox_triage_core::reconstruct;
    use sandbox_triage_core::CreateInvocation;
    use sandbox_triage_core::ImageRef;
    use sandbox_triage_core::{render, Shell};

    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec![
                "--from",
                "--from=",
                "--name",
                "--policy",
                "--env",
                "--label",
                "--gpu",
                "-g",
                "-gx",
                "-o",
                "-vv",
                "--",
                "env",
                "A=1",
                "--driver-config-json",
                "--gateway-endpoint",
                "openshell",
                "sandbox",
                "create",
                "-",
                "",
                "NVIDIA_API_KEY=nvapi-abcdefghijklmnopqrstuvwx",
                "https://u:hunter2pass@h/",
            ])
            .prop_map(str::to_owned),
            "[^\\x00]{0,10}",
        ]
    }

    proptest! {
        #[test]
        fn any_argv_parses_and_rebuilds_without_its_secrets(argv in proptest::collection::vec(word(), 0..14)) {
            let Ok(invocation) = CreateInvocation::parse(&argv) else { return Ok(()) };
            let image = ImageRef::parse("openshell/sandbox-from:1").expect("valid");
            for from_image in [true, false] {
                let image = sandbox_triage_core::Word::from(&image);
                let rebuilt = reconstruct(&invocation, from_image.then_some(&image));
                for shell in [Shell::Posix, Shell::Fish, Shell::PowerShell, Shell::Json] {
                    let text = render(&rebuilt.words, shell).expect("renders");
                    prop_assert!(!text.contains("abcdefghijklmnopqrstuvwx") && !text.contains("hunter2pass"), "{}", text);
                }
            }
        }
    }
}
