//! Hostile and secret-looking words in the create argv never change what a plan's
//! `--format sh` script runs: it parses under bash and dash, and, run with stub
//! programs on `PATH` and every confirmation answered yes, it calls exactly the plan's
//! commands with exactly the plan's words.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use proptest::prelude::*;

use crate::common::run;

const UPLOAD_404: &str = "Building image openshell/sandbox-from:1786000000 from /tmp/nemoclaw-build-x/Dockerfile
  Gateway: spark
  Step 1/1 : FROM scratch
  Built image openshell/sandbox-from:1786000000
  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"
  [progress] Exported 12 MiB
Error:   × failed to upload image tar into container
  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark
";

/// Every program a plan may name, as a stub that records its words, one file a call.
const PROGRAMS: &[&str] =
    &["docker", "podman", "openshell", "nemoclaw", "curl", "nvidia-ctk", "sudo", "systemctl", "colima", "mv", "rm", "env", "df"];

/// A healthy world for the plan's checks: the gateway container runs, and its
/// containerd lists the image, unpacked, once it was imported (so the import is not
/// skipped, and its post-condition holds).
const STUB: &str = r#"#!/bin/sh
f=$(mktemp "$CALLS/call.XXXXXX")
printf '%s\0' "${0##*/}" "$@" > "$f"
case "$*" in
  *'images import'*) cat >/dev/null; : > "$CALLS/../imported" ;;
  *'{{.State.Running}}'*) echo true ;;
  *'images ls'*) if [ -e "$CALLS/../imported" ]; then echo docker.io/openshell/sandbox-from:1786000000; fi ;;
  *'images check'*) if [ -e "$CALLS/../imported" ]; then echo 'docker.io/openshell/sandbox-from:1786000000 application/vnd.oci.image.manifest.v1+json sha256:1 complete (1/1) 1 MiB/1 MiB true'; fi ;;
esac
exit 0
"#;

fn stubs(dir: &Path) {
    for program in PROGRAMS {
        let path = dir.join(program);
        fs::write(&path, STUB).expect("write stub");
        Command::new("chmod").arg("+x").arg(&path).status().expect("chmod");
    }
}

/// The commands a plan's JSON says its steps run (placeholders as `<NAME>`), each with
/// how many times: the steps that are not manual, their pipelines, their checks.
fn planned(plan: &serde_json::Value) -> BTreeMap<Vec<String>, usize> {
    let words =
        |v: &serde_json::Value| v.as_array().map(|a| a.iter().map(|w| w.as_str().unwrap_or_default().to_owned()).collect::<Vec<_>>());
    let mut out = BTreeMap::new();
    for step in plan["plan"]["steps"].as_array().into_iter().flatten() {
        if step["applicability"] == "manual" {
            continue;
        }
        let mut commands: Vec<Vec<String>> = step["pipeline"].as_array().into_iter().flatten().filter_map(words).collect();
        commands.extend(words(&step["argv"]));
        for check in ["skip_if", "pre", "post"] {
            // A probe with an expectation runs once: its output is what is checked.
            if check == "post" && step["post"]["argv"] == step["argv"] {
                continue;
            }
            commands.extend(words(&step[check]["argv"]));
        }
        for command in commands {
            *out.entry(command).or_insert(0) += 1;
        }
    }
    out
}

fn calls(dir: &Path) -> BTreeMap<Vec<String>, usize> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("calls").flatten() {
        let bytes = fs::read(entry.path()).expect("a call");
        let words: Vec<String> = bytes.split(|b| *b == 0).map(|w| String::from_utf8_lossy(w).into_owned()).collect();
        let words = words[..words.len().saturating_sub(1)].to_vec();
        *out.entry(words).or_insert(0) += 1;
    }
    out
}

/// Plans for `argv`, checks the script parses, runs it, and compares what it ran.
fn check_script(argv: &[String]) -> Result<(), TestCaseError> {
    let mut args = vec!["plan", "--os", "linux", "--arch", "x86_64", "--format", "sh", "--"];
    args.extend(argv.iter().map(String::as_str));
    let script = run(&args, UPLOAD_404.as_bytes());
    prop_assert_eq!(script.status.code(), Some(0), "{}", String::from_utf8_lossy(&script.stderr));
    args[6] = "json";
    let plan: serde_json::Value = serde_json::from_slice(&run(&args, UPLOAD_404.as_bytes()).stdout).expect("plan JSON");
    let dir = tempfile::tempdir().expect("temp dir");
    let (bin, called) = (dir.path().join("bin"), dir.path().join("calls"));
    fs::create_dir_all(&bin).expect("mkdir");
    fs::create_dir_all(&called).expect("mkdir");
    stubs(&bin);
    let path = dir.path().join("plan.sh");
    fs::write(&path, &script.stdout).expect("write the script");
    for shell in ["bash", "dash"] {
        let parsed = Command::new(shell).arg("-n").arg(&path).output().expect("a shell");
        prop_assert!(
            parsed.status.success(),
            "{} -n: {}\n{}",
            shell,
            String::from_utf8_lossy(&parsed.stderr),
            String::from_utf8_lossy(&script.stdout)
        );
    }
    // A terminal that answers yes to every confirmation.
    let mut child = Command::new("script")
        .args(["-qec", &format!("dash '{}'", path.display()), "/dev/null"])
        .env("PATH", format!("{}:/usr/bin:/bin", bin.display()))
        .env("CALLS", &called)
        .env("TMPDIR", dir.path())
        .envs(
            plan["plan"]["placeholders"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| Some((p["variable"].as_str()?, p["name"].as_str()?)))
                .map(|(variable, name)| (variable.to_owned(), format!("<{name}>"))),
        )
        .env("HOME", "$HOME")
        .env("USER", "$USER")
        .stdin(Stdio::piped())
        .stdout(fs::File::create(dir.path().join("out")).expect("output file"))
        .stderr(Stdio::null())
        .spawn()
        .expect("script (util-linux)");
    // The answers stay open until the script is done: `script` lingers after its input
    // ends early.
    let mut answers = child.stdin.take().expect("stdin");
    let _ = answers.write_all("y\n".repeat(20).as_bytes());
    child.wait().expect("wait");
    drop(answers);
    // The script's own temporary file is its business, not the plan's.
    let mut ran = calls(&called);
    let own = dir.path().display().to_string();
    ran.retain(|words, _| !(words.len() == 3 && words[0] == "rm" && words[1] == "-f" && words[2].starts_with(&own)));
    let expected = planned(&plan);
    prop_assert_eq!(&ran, &expected, "{}", fs::read_to_string(dir.path().join("out")).unwrap_or_default());
    Ok(())
}

fn base_argv() -> Vec<String> {
    ["openshell", "sandbox", "create", "--from", "/tmp/nemoclaw-build-x/Dockerfile", "--name", "demo", "-g", "spark"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect()
}

#[test]
fn hostile_words_seen_in_the_wild_change_nothing() {
    for (flag, value) in [
        ("--label", "note=token=\"weekly\""),
        ("--label", ";pwn; token=\"b"),
        ("--provider", "password:  "),
        ("--env", "A='$(touch /tmp/pwned)'"),
        ("--label", "x\ny; token=\"z"),
        ("--policy", "/etc/policy`id`.yaml"),
        ("--unknown-flag", "--password"),
    ] {
        let mut argv = base_argv();
        argv.extend([flag.to_owned(), value.to_owned()]);
        argv.extend([
            "--".to_owned(),
            "env".to_owned(),
            "TOKEN=abc\"'$x".to_owned(),
            "nemoclaw-start".to_owned(),
            "password: x".to_owned(),
        ]);
        check_script(&argv).unwrap_or_else(|e| panic!("{flag} {value:?}: {e}"));
    }
}

fn hostile_word() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("token=".to_owned()),
        Just("password: ".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just("\n".to_owned()),
        Just(";".to_owned()),
        Just("$(".to_owned()),
        Just("`".to_owned()),
        Just("nvapi-0123456789abcdefABCDEF".to_owned()),
        "[a-z ]{0,6}",
    ];
    proptest::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn any_label_env_or_trailing_word_changes_nothing(label in hostile_word(), env in hostile_word(), word in hostile_word()) {
        let mut argv = base_argv();
        argv.extend(["--label".to_owned(), label, "--env".to_owned(), format!("K={env}"), "--".to_owned(), "prog".to_owned(), word]);
        check_script(&argv)?;
    }
}
