//! What people expect of a command-line tool: completions their shell accepts, a man
//! page, a `--version` that says what the binary holds, exit statuses in the help.

use std::fs;
use std::process::Command;

use crate::common::{run, stdout, BIN};

#[test]
fn completions_parse_in_their_shells() {
    for (shell, check) in [("bash", vec!["bash", "-n"]), ("zsh", vec!["zsh", "-n"]), ("fish", vec!["fish", "--no-execute"])] {
        let out = run(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = stdout(&out);
        assert!(script.contains("recover") && script.contains("doctor"), "{shell}: the subcommands are missing");
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("completion");
        fs::write(&path, &script).expect("write");
        let parsed = std::process::Command::new(check[0]).args(&check[1..]).arg(&path).output().expect("a shell");
        assert!(parsed.status.success(), "{shell}: {}", String::from_utf8_lossy(&parsed.stderr));
    }
    for shell in ["powershell", "elvish"] {
        let out = run(&["completions", shell], b"");
        assert_eq!(out.status.code(), Some(0), "{shell}");
        assert!(stdout(&out).contains("recover"), "{shell}");
    }
}

/// What bash offers for the words typed so far (the last one being completed), through
/// the script's own completion function, as bash calls it on TAB.
fn bash_offers(script: &std::path::Path, words: &[&str]) -> String {
    offers_in_bash("", script, words)
}

/// The bash-completion package's functions, loaded as an interactive bash loads them.
const BASH_COMPLETION: &str = "/usr/share/bash-completion/bash_completion";

/// What bash offers with the bash-completion package loaded first (as on most systems).
fn bash_completion_offers(script: &std::path::Path, words: &[&str]) -> String {
    assert!(std::path::Path::new(BASH_COMPLETION).exists(), "bash-completion is not installed (.ci/run installs it)");
    offers_in_bash(&format!("source {BASH_COMPLETION}; "), script, words)
}

fn offers_in_bash(before: &str, script: &std::path::Path, words: &[&str]) -> String {
    let driver = format!(
        r#"{before}source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}
_sandbox__triage sandbox-triage "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"; printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    let out = std::process::Command::new("bash").args(["-c", &driver, "bash"]).arg(script).args(words).output().expect("bash");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn completions_complete_subcommands_options_and_values_in_bash_fish_and_zsh() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bash = dir.path().join("sandbox-triage.bash");
    fs::write(&bash, stdout(&run(&["completions", "bash"], b""))).expect("write");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "pl"]), "plan\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "plan", "--fo"]), "--format\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "classify", "--format", ""]), "human\njson\n");
    assert!(bash_offers(&bash, &["sandbox-triage", "run", "--"]).contains("--dockerfile\n"));
    // Values, not file names: the aliases other tools use are accepted but not offered.
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "classify", "--stage", ""]), "sandbox-create\ngateway-start\nprovider-validation\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "plan", "--os", ""]), "linux\nmacos\nwindows\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "plan", "--arch", "a"]), "aarch64\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "plan", "--engine", ""]), "docker\npodman\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "doctor", "--color", ""]), "auto\nalways\nnever\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "rules", "--stage", "g"]), "gateway-start\n");
    assert_eq!(bash_offers(&bash, &["sandbox-triage", "recreate", "--shell", "p"]), "powershell\n");
    // After `--`: the command's words, never our options: a command name, then files.
    assert!(bash_offers(&bash, &["sandbox-triage", "run", "--", "ech"]).lines().any(|l| l == "echo"));
    let after = bash_offers(&bash, &["sandbox-triage", "run", "--", "openshell", "--"]);
    assert!(!after.contains("--recover") && !after.contains("--stage"), "{after}");
    let files = bash_offers(&bash, &["sandbox-triage", "plan", "x.log", "--", "openshell", "Car"]);
    assert!(files.lines().any(|l| l == "Cargo.toml"), "{files}");
    // With bash-completion, the command's own completion takes over after `--`.
    assert_eq!(bash_completion_offers(&bash, &["sandbox-triage", "plan", "--fo"]), "--format\n");
    let own = bash_completion_offers(&bash, &["sandbox-triage", "run", "--recover", "--", "git", "--ver"]);
    assert_eq!(own.trim(), "--version", "git's own completion: {own}");

    let fish = dir.path().join("sandbox-triage.fish");
    fs::write(&fish, stdout(&run(&["completions", "fish"], b""))).expect("write");
    let offers = |line: &str| {
        let script = format!("source {}; complete -C '{line}'", fish.display());
        let out = std::process::Command::new("fish").args(["--no-config", "-c", &script]).output().expect("fish");
        String::from_utf8_lossy(&out.stdout).lines().map(|l| l.split('\t').next().unwrap_or_default().to_owned()).collect::<Vec<_>>()
    };
    assert!(offers("sandbox-triage pl").contains(&"plan".to_owned()));
    assert!(offers("sandbox-triage plan --fo").contains(&"--format".to_owned()));
    assert_eq!(offers("sandbox-triage classify --format "), vec!["human", "json"]);

    // zsh: the real completion system (compinit), driven on a pseudo-terminal.
    fs::write(dir.path().join("_sandbox-triage"), stdout(&run(&["completions", "zsh"], b""))).expect("write");
    let capture = dir.path().join("zsh_capture.zsh");
    fs::write(&capture, include_str!("zsh_capture.zsh")).expect("write");
    let bin_dir = std::path::Path::new(BIN).parent().expect("the binary's directory");
    let zsh = |line: &str| {
        let out = Command::new("timeout")
            .args(["30", "zsh", "-f"])
            .arg(&capture)
            .arg(line)
            .env("COMPLETIONS_DIR", dir.path())
            .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
            .output()
            .expect("zsh");
        String::from_utf8_lossy(&out.stdout).replace('\r', "")
    };
    assert!(zsh("sandbox-triage pl").lines().any(|l| l == "plan"), "{}", zsh("sandbox-triage pl"));
    assert_eq!(zsh("sandbox-triage plan --fo"), "--format\n");
    assert_eq!(zsh("sandbox-triage classify --stage "), "sandbox-create\ngateway-start\nprovider-validation\n");
    assert_eq!(zsh("sandbox-triage plan --arch a"), "aarch64\n");
}

#[test]
fn the_man_page_is_roff_with_the_subcommands_and_exit_statuses() {
    let out = run(&["man"], b"");
    assert_eq!(out.status.code(), Some(0));
    let page = stdout(&out);
    assert!(page.starts_with(".ie \\n(.g .ds Aq") || page.contains(".TH sandbox-triage"), "{}", &page[..page.len().min(200)]);
    assert!(page.contains(".TH sandbox-triage 1"), "no title header");
    for word in ["recover", "doctor", ".SH \"EXIT STATUS\"", "3 a probe or", "pre\\-condition did not hold"] {
        assert!(page.contains(word), "the man page lacks {word:?}");
    }
}

#[test]
fn version_names_the_commit_the_rules_and_the_schema() {
    let out = run(&["--version"], b"");
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    let rest = text.strip_prefix(&format!("sandbox-triage {} (commit ", env!("CARGO_PKG_VERSION"))).expect("the release first");
    let commit = rest.split(',').next().unwrap_or_default();
    let hex = commit.trim_end_matches("-modified");
    assert!(hex == "unknown" || (hex.len() == 12 && hex.chars().all(|c| c.is_ascii_hexdigit())), "{text:?}");
    assert!(text.ends_with(" built-in rules, JSON schema version 1)\n"), "{text:?}");
    let rules: usize = text.split(", ").nth(1).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok()).expect("a rule count");
    assert!(rules >= 100, "{text}");
}

#[test]
fn every_subcommand_help_has_examples_and_its_exit_statuses() {
    let commands = ["", "classify", "plan", "run", "recover", "doctor", "rules", "redact", "recreate", "schema", "completions", "man"];
    for command in commands {
        let out = run(&[command, "--help"].into_iter().filter(|a| !a.is_empty()).collect::<Vec<_>>(), b"");
        assert_eq!(out.status.code(), Some(0));
        let help = stdout(&out);
        let examples = help.find("Examples:").unwrap_or_else(|| panic!("{command} --help has no examples: {help}"));
        let statuses = help.find("Exit status:").unwrap_or_else(|| panic!("{command} --help has no exit statuses: {help}"));
        assert!(examples < statuses, "{command}");
        let shown = help[examples..statuses].lines().filter(|l| l.trim_start().starts_with("sandbox-triage ")).count();
        assert!(shown >= 1, "{command}: no example runs sandbox-triage");
        assert!(help[statuses..].contains(" 0 "), "{command}: status 0 is not explained");
        // Written to fit 80 columns, so that no wrapping breaks an example in two.
        for line in help[examples..].lines() {
            assert!(line.chars().count() <= 80, "{command}: {line:?}");
        }
    }
}

#[test]
fn rules_list_as_an_aligned_table_and_as_json() {
    // Wide enough for every column whole: one line a rule.
    let out = Command::new(BIN).arg("rules").env("COLUMNS", "200").env("NO_COLOR", "1").output().expect("rules");
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("RULE ") && lines[0].ends_with("CASES"), "{}", lines[0]);
    // Every column starts where its header does; a blank line, then the count.
    let (rows, summary) = lines[1..].split_at(lines.len() - 3);
    let starts: Vec<usize> = ["STAGE", "ROLE", "KIND", "CASES"].iter().map(|h| lines[0].find(h).expect("a header")).collect();
    for line in rows {
        for &at in &starts {
            assert!(line.as_bytes()[at - 2..at] == *b"  " && line.as_bytes()[at] != b' ', "misaligned at {at}: {line}");
        }
    }
    let count = rows.len();
    assert!(count > 100, "{table}");
    assert_eq!(summary[0], "");
    let cases: usize = rows.iter().map(|r| r.rsplit('/').next().expect("cases").parse::<usize>().expect("a count")).sum();
    assert_eq!(summary[1], format!("{count} rules, all {cases} cases pass"));
    let out = run(&["rules", "--format", "json", "--stage", "gateway-start"], b"");
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let rules = value["rules"].as_array().expect("rules");
    assert!(!rules.is_empty() && rules.iter().all(|r| r["stage"] == "gateway-start"), "{value}");
    assert!(rules.iter().all(|r| r["cases"] == r["cases_passing"] && r["id"].is_string() && r["role"].is_string()), "{value}");
    assert_eq!(value["schema_version"], 1);
}

#[test]
fn a_create_command_pasted_as_one_word_is_split_as_a_shell_would() {
    let pasted = run(
        &[
            "recreate",
            "--image",
            "openshell/sandbox-from:1",
            "--",
            "openshell sandbox create --from ./Dockerfile --name box --label 'a=b c' -g gw",
        ],
        b"",
    );
    assert_eq!(pasted.status.code(), Some(0), "{}", String::from_utf8_lossy(&pasted.stderr));
    let words = run(
        &[
            "recreate",
            "--image",
            "openshell/sandbox-from:1",
            "--",
            "openshell",
            "sandbox",
            "create",
            "--from",
            "./Dockerfile",
            "--name",
            "box",
            "--label",
            "a=b c",
            "-g",
            "gw",
        ],
        b"",
    );
    assert_eq!(stdout(&pasted), stdout(&words));
    assert!(stdout(&pasted).contains("--label 'a=b c'"), "{}", stdout(&pasted));
    assert_eq!(
        String::from_utf8_lossy(&pasted.stderr),
        "sandbox-triage: the create command was given as one word; split as a POSIX shell would, into 11 words\n"
    );
    let unbalanced = run(&["recreate", "--image", "x:1", "--", "openshell sandbox create --name 'box"], b"");
    assert_eq!(unbalanced.status.code(), Some(2));
}

#[test]
fn classify_on_a_terminal_says_it_reads_stdin() {
    let bin = crate::common::BIN;
    let mut child = std::process::Command::new("script")
        .args(["-qec", &format!("'{bin}' classify"), "/dev/null"])
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("script (util-linux)");
    let mut input = child.stdin.take().expect("stdin");
    std::io::Write::write_all(&mut input, b"Connection reset by peer\n\x04").expect("type");
    let out = child.wait_with_output().expect("wait");
    drop(input);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("reading from stdin (a terminal); pipe the create's output, 2>&1 included"), "{text}");
    assert!(text.contains("image_transfer_reset"), "{text}");
    // Piped input earns no such word.
    assert_eq!(run(&["classify"], b"Connection reset by peer\n").stderr, b"");
}

/// The text without its colour codes.
fn visible(text: &str) -> String {
    let mut out = String::new();
    let mut escape = false;
    for c in text.chars() {
        match (escape, c) {
            (false, '\x1b') => escape = true,
            (false, c) => out.push(c),
            (true, 'm') => escape = false,
            (true, _) => {}
        }
    }
    out
}

#[test]
fn color_is_chosen_by_the_flag_then_the_environment_and_keeps_the_columns() {
    let example = crate::common::workspace().join("examples/upload-404-podman.log");
    let example = example.to_str().expect("utf-8 path");
    let never = stdout(&run(&["classify", "--color", "never", example], b""));
    let always = stdout(&run(&["classify", "--color", "always", example], b""));
    assert!(!never.contains('\x1b') && always.contains("\x1b["), "{always}");
    // Colour changes nothing a reader sees: the facts' column stays aligned.
    assert_eq!(visible(&always), never);
    assert!(never.contains("\n  built image  openshell/sandbox-from:1786000000\n"), "{never}");
    let forced =
        std::process::Command::new(crate::common::BIN).args(["classify", example]).env("CLICOLOR_FORCE", "1").output().expect("run");
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\x1b["), "CLICOLOR_FORCE gave no colour");
    let piped =
        std::process::Command::new(crate::common::BIN).args(["classify", example]).env_remove("CLICOLOR_FORCE").output().expect("run");
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\x1b'), "colour into a pipe");
}

#[test]
fn a_dumb_terminal_gets_no_colour() {
    let example = crate::common::workspace().join("examples/upload-404-podman.log");
    let on_terminal = |term: &str| {
        let out = std::process::Command::new("script")
            .args(["-qec", &format!("'{}' classify '{}'", crate::common::BIN, example.display()), "/dev/null"])
            .env("TERM", term)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .stdin(std::process::Stdio::null())
            .output()
            .expect("script (util-linux)");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(on_terminal("xterm").contains("\x1b["), "no colour on a terminal");
    assert!(!on_terminal("dumb").contains("\x1b["), "colour on TERM=dumb");
}
