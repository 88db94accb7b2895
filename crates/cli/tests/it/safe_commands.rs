//! `recreate` and `redact`, and the promise that no secret from the input reaches any
//! output of `classify`, `recreate` or `redact`, in any format.

use std::fmt::Write as _;
use std::process::{Command, Output};

use crate::common::run;

/// (secret as it appears, the part that must never be printed)
const SECRETS: &[(&str, &str)] = &[
    ("nvapi-Qx7vR2mK9pL4sT8wZ1yB3nC6", "Qx7vR2mK9pL4sT8wZ1yB3nC6"),
    ("sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7", "Ab3De5Fg7Hi9Jk1Lm3No5Pq7"),
    ("sk-or-v1-0a1b2c3d4e5f6a7b8c9d0e1f2a3b", "0a1b2c3d4e5f6a7b8c9d0e1f2a3b"),
    ("sk-ant-api03-ZyXwVuTsRqPoNmLkJiHgFe", "ZyXwVuTsRqPoNmLkJiHgFe"),
    ("ghp_R4nd0mT0k3nV4lu3F0rT3st1ng99", "R4nd0mT0k3nV4lu3F0rT3st1ng99"),
    ("github_pat_11AAAAAAA0bcdefghij_klmnopqrstuv", "0bcdefghij_klmnopqrstuv"),
    ("xoxb-1234567890-0987654321-AbCdEfGh", "1234567890-0987654321-AbCdEfGh"),
    ("dckr_pat_Zz9Yy8Xx7Ww6Vv5", "Zz9Yy8Xx7Ww6Vv5"),
    ("hf_QwErTyUiOpAsDfGhJkLzXc", "QwErTyUiOpAsDfGhJkLzXc"),
    ("AKIAQWERTYUIOPASDFGH", "QWERTYUIOPASDFGH"),
    ("Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", "eyJhbGciOiJIUzI1NiJ9"),
    ("https://deploy:Hunter2Pass@proxy.corp.example:3128", "Hunter2Pass"),
    ("BRAVE_API_KEY=BSAq1w2e3r4t5y6u7i8o9p", "BSAq1w2e3r4t5y6u7i8o9p"),
    ("SLACK_BOT_TOKEN=plainsecretvalue42", "plainsecretvalue42"),
    ("DB_PASSWORD=correct-horse-battery", "correct-horse-battery"),
    ("{\"api_key\": \"k3y-in-json-0001\"}", "k3y-in-json-0001"),
    ("Authorization: Basic dXNlcjpodW50ZXIy", "dXNlcjpodW50ZXIy"),
    ("https://:Hunter3Pass@proxy.corp.example:3128", "Hunter3Pass"),
    ("glpat-Ab3De5Fg7Hi9Jk1Lm3No", "Ab3De5Fg7Hi9Jk1Lm3No"),
    ("npm_Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5", "Ab3De5Fg7Hi9Jk1Lm3No5Pq7Rs9Tu1Vw3Xy5"),
    ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N"),
    ("SMTP_PASS=mailpass1x", "mailpass1x"),
    ("DB_PWD=pwd-value-9x", "pwd-value-9x"),
    ("--password Hunter4Pass", "Hunter4Pass"),
];

const IMAGE: &str = "openshell/sandbox-from:1786000000";
const DIGEST: &str = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A failed build whose evidence lines and failed command carry every secret.
fn hostile_log() -> String {
    let mut log = format!("Building image {IMAGE} from /tmp/b/Dockerfile\n  Gateway: nemoclaw\n  Step 7/9 : RUN ./fetch.sh\n");
    for (secret, _) in SECRETS {
        let _ = writeln!(log, "  curl: (6) Could not resolve host for {secret} (base {DIGEST})");
    }
    log.push_str("  -----BEGIN OPENSSH PRIVATE KEY-----\n  b3BlbnNzaC1rZXktdjEAAAAA\n  -----END OPENSSH PRIVATE KEY-----\n");
    let joined: Vec<&str> = SECRETS.iter().map(|(s, _)| *s).collect();
    let _ = writeln!(log, "The command '/bin/sh -c ./fetch.sh {}' returned a non-zero code: 6", joined.join(" ").replace('\'', ""));
    let _ = writeln!(log, "  Built image {IMAGE}");
    log
}

fn assert_clean(what: &str, out: &Output) {
    for stream in [&out.stdout, &out.stderr] {
        let text = String::from_utf8_lossy(stream);
        for (_, body) in SECRETS {
            assert!(!text.contains(body), "{what} printed {body}:\n{text}");
        }
        assert!(!text.contains("b3BlbnNzaC1rZXktdjEAAAAA"), "{what} printed the private key:\n{text}");
    }
}

#[test]
fn classify_never_prints_a_secret_in_any_format_or_stage() {
    let log = hostile_log();
    for stage in ["sandbox-create", "gateway-start", "provider-validation"] {
        for format in ["human", "json"] {
            let out = run(&["classify", "--stage", stage, "--format", format, "--exit-status", "1"], log.as_bytes());
            assert_clean(&format!("classify {stage} {format}"), &out);
        }
    }
    let out = run(&["classify", "--format", "json"], log.as_bytes());
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(value["kind"], "build_step_network_failed");
    assert_eq!(value["built_image_ref"], IMAGE);
    assert!(value["evidence"].to_string().contains(DIGEST), "digests are not masked");
}

#[test]
fn redact_masks_every_secret_and_keeps_images_and_digests() {
    let log = hostile_log();
    let out = run(&["redact"], log.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert_clean("redact", &out);
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.contains(IMAGE) && text.contains(DIGEST));
    assert_eq!(text.lines().count(), log.lines().count(), "no line is lost");
    // Bytes that are no secret come out unchanged, invalid UTF-8 included.
    let raw = b"plain \xff\xfe line\nno newline";
    assert_eq!(run(&["redact", "-"], raw).stdout, raw);
}

fn recreate_argv() -> Vec<String> {
    let mut argv: Vec<String> =
        ["openshell", "sandbox", "create", "--from", "/tmp/nemoclaw-build-1/Dockerfile", "--name", "asst"].map(String::from).to_vec();
    argv.extend(["--gateway-endpoint".into(), "https://admin:Hunter2Pass@gw.example:8443".into()]);
    argv.extend(["--env".into(), "BRAVE_API_KEY=BSAq1w2e3r4t5y6u7i8o9p".into()]);
    argv.extend(["--label".into(), "token=ghp_R4nd0mT0k3nV4lu3F0rT3st1ng99".into()]);
    argv.extend(["--provider".into(), "nvapi-Qx7vR2mK9pL4sT8wZ1yB3nC6".into()]);
    argv.extend(["--driver-config-json".into(), r#"{"docker": {"env": ["HF_TOKEN=hf_QwErTyUiOpAsDfGhJkLzXc"]}}"#.into()]);
    argv.extend(["--".into(), "env".into()]);
    for (secret, _) in SECRETS.iter().filter(|(s, _)| s.contains('=') && !s.starts_with('{')) {
        argv.push((*secret).to_owned());
    }
    argv.extend(["HTTPS_PROXY=https://deploy:Hunter2Pass@proxy.corp.example:3128".into(), "nemoclaw-start".into()]);
    argv.push("--token=sk-proj-Ab3De5Fg7Hi9Jk1Lm3No5Pq7".into());
    argv
}

#[test]
fn recreate_never_prints_a_secret_in_any_shell() {
    let argv = recreate_argv();
    for shell in ["sh", "fish", "powershell", "json"] {
        let mut args = vec!["recreate", "--image", IMAGE, "--shell", shell, "--"];
        args.extend(argv.iter().map(String::as_str));
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_clean(&format!("recreate {shell}"), &out);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains(IMAGE) && text.contains("asst"), "{text}");
        assert!(!text.contains("/tmp/nemoclaw-build-1/Dockerfile"), "the Dockerfile path is replaced");
    }
}

#[test]
fn recreate_output_runs_in_a_real_shell_with_placeholders_set() {
    // The sh rendering, given the placeholder values, passes the words the operator
    // meant: checked by running it with a stand-in `openshell` that prints its argv.
    let dir = tempfile::tempdir().expect("temp dir");
    let fake = dir.path().join("openshell");
    std::fs::write(&fake, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").expect("write");
    Command::new("chmod").arg("+x").arg(&fake).status().expect("chmod");
    let out = run(
        &[
            "recreate",
            "--image",
            IMAGE,
            "--",
            fake.to_str().expect("utf-8"),
            "sandbox",
            "create",
            "--from",
            "./Dockerfile",
            "--label",
            "note=it's a \"test\"",
            "--",
            "env",
            "A=1",
            "prog",
        ],
        b"",
    );
    let command = String::from_utf8(out.stdout).expect("utf-8");
    let ran =
        Command::new("dash").arg("-c").arg(&command).env("SANDBOX_TRIAGE_A", "one two").env("A", "the shell's own").output().expect("dash");
    assert_eq!(
        String::from_utf8_lossy(&ran.stdout),
        format!("sandbox\ncreate\n--from\n{IMAGE}\n--label\nnote=it's a \"test\"\n--\nenv\nA=one two\nprog\n")
    );
}

#[test]
fn recreate_refuses_an_invalid_image_and_a_non_create_argv() {
    for args in [
        &["recreate", "--image", "x;rm -rf /", "--", "--name", "a"][..],
        &["recreate", "--image", IMAGE, "--", "openshell", "sandbox", "list"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(2));
        assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
    }
}

#[test]
fn recreate_and_redact_outputs_match_their_snapshots() {
    let argv = [
        "openshell",
        "sandbox",
        "create",
        "--name",
        "my-assistant",
        "--from",
        "/tmp/nemoclaw-build-abc/Dockerfile",
        "--policy",
        "/tmp/nemoclaw-policy-abc.yaml",
        "--gpu",
        "--provider",
        "nvidia",
        "--driver-config-json",
        r#"{"docker": {"cdi_devices": ["nvidia.com/gpu=all"]}}"#,
        "--label",
        "team=ml ops",
        "-g",
        "spark",
        "--",
        "env",
        "HTTPS_PROXY=http://proxy:3128",
        "NVIDIA_API_KEY=nvapi-Qx7vR2mK9pL4sT8wZ1yB3nC6",
        "nemoclaw-start",
    ];
    for shell in ["sh", "fish", "powershell", "json"] {
        let mut args = vec!["recreate", "--image", IMAGE, "--shell", shell, "--"];
        args.extend(argv);
        let out = run(&args, b"");
        let snapshot = format!(
            "$ sandbox-triage recreate --image {IMAGE} --shell {shell} -- {}\n--- stdout ---\n{}--- stderr ---\n{}",
            sandbox_triage_core::redact(&argv.join(" ")),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        insta::assert_snapshot!(format!("recreate__{shell}"), snapshot);
    }
    let out = run(&["redact"], hostile_log().as_bytes());
    insta::assert_snapshot!("redact__hostile_log", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn legitimate_lines_come_out_of_redact_byte_identical() {
    let lines = "Collecting tokenizers==0.15.2\nmax_tokens: 4096\nENV TOKENIZERS_PARALLELISM=false\ncredential: missing\nfailed to fetch oauth token: unexpected status: 401 Unauthorized\nFROM nvcr.io/nvidia/tokenizer:24.01\nghcr.io/acme/secret-store:1.2@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n# set NVIDIA_API_KEY: the sandbox's runtime environment is not echoed; export it before running\nnpm:@openclaw/brave-plugin@2026.5.27 and pip install keyring==24.3.0 secretstorage==3.3.3\n";
    assert_eq!(String::from_utf8_lossy(&run(&["redact"], lines.as_bytes()).stdout), lines);
}

#[test]
fn errors_never_echo_a_secret_from_the_argv() {
    for args in [
        vec!["recreate", "--image", "nvapi-Qx7vR2mK9pL4sT8wZ1yB3nC6", "--", "--name", "x"],
        vec!["recreate", "--image", IMAGE, "--", "/usr/bin/openshell", "sandbox", "list", "--token", "ghp_R4nd0mT0k3nV4lu3F0rT3st1ng99"],
        vec!["plan", "--", "openshell", "gateway", "start", "DB_PASSWORD=correct-horse-battery"],
    ] {
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_clean(&format!("{args:?}"), &out);
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("sandbox-triage: error:"));
    }
}
