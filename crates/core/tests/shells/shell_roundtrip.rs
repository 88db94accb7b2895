//! Rendered commands run through real shells pass exactly the original words.

use std::process::Command;

use proptest::prelude::*;
use sandbox_triage_core::{render, render_bytes, render_pipeline, words, Part, Shell, Word};

/// Words that break naive quoting, mixed with arbitrary text.
fn hostile_word() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "'",
            "\"",
            "\\",
            "$(id)",
            "`id`",
            "${IFS}",
            "*",
            "?",
            "[a]",
            "~",
            "~root",
            "-n",
            "--",
            "-e",
            "!",
            "!!",
            "#",
            "&&",
            ";",
            "|",
            "\n",
            "\r\n",
            "\t",
            "{a,b}",
            "%self",
            "=x",
            "'\\''",
            "a b",
            "",
            " ",
            "$HOME",
            "\u{2019}",
            "é",
            "日本",
            "\u{1b}[31m",
            "x=y",
            "if",
            "(",
            ")",
            "<",
            ">",
            "^",
        ])
        .prop_map(str::to_owned),
        // Fish keeps U+F600–U+F7FF for bytes it cannot decode; no shell user types them.
        "[^\\x00\u{f600}-\u{f7ff}]{0,12}",
    ]
}

fn argv() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(hostile_word(), 0..6)
}

/// The words a shell passed to printf, one per NUL.
fn received_bytes(shell: &str, script: &[u8], env: &[(&str, &str)]) -> Vec<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let mut command = Command::new(shell);
    if shell == "fish" {
        command.arg("--no-config");
    }
    if shell == "zsh" {
        command.arg("-f");
    }
    command.arg("-c").arg(std::ffi::OsStr::from_bytes(script)).envs(env.iter().copied());
    let out = command.output().unwrap_or_else(|e| panic!("{shell} must be installed: {e}"));
    assert!(out.status.success(), "{shell} failed on {:?}: {}", String::from_utf8_lossy(script), String::from_utf8_lossy(&out.stderr));
    let mut parts: Vec<Vec<u8>> = out.stdout.split(|&b| b == 0).map(<[u8]>::to_vec).collect();
    assert_eq!(parts.pop(), Some(Vec::new()), "output ends with NUL");
    parts
}

fn received(shell: &str, script: &str, env: &[(&str, &str)]) -> Vec<String> {
    received_bytes(shell, script.as_bytes(), env).into_iter().map(|w| String::from_utf8(w).expect("utf-8")).collect()
}

fn printf(args: &[String]) -> Vec<Word> {
    let mut all = vec!["/usr/bin/printf".to_owned(), "%s\\0".to_owned()];
    all.extend(args.iter().cloned());
    words(&all)
}

const SHELLS: [(&str, Shell); 4] = [("bash", Shell::Posix), ("dash", Shell::Posix), ("zsh", Shell::Posix), ("fish", Shell::Fish)];

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_shell_receives_exactly_the_original_words(args in argv()) {
        // printf prints its format once even without arguments.
        prop_assume!(!args.is_empty());
        for (shell, kind) in SHELLS {
            let script = render(&printf(&args), kind).expect("renders");
            prop_assert_eq!(received(shell, &script, &[]), args.clone(), "{} ran {:?}", shell, script);
        }
    }

    #[test]
    fn any_bytes_but_nul_reach_the_program(args in proptest::collection::vec(proptest::collection::vec(1u8..=255, 0..12), 1..5)) {
        let mut argv = vec![b"/usr/bin/printf".to_vec(), b"%s\\0".to_vec()];
        argv.extend(args.iter().cloned());
        // fish stores undecodable bytes in a private range and restores them on output.
        for (shell, kind) in [("bash", Shell::Posix), ("dash", Shell::Posix), ("zsh", Shell::Posix), ("fish", Shell::Fish)] {
            let script = render_bytes(&argv, kind).expect("renders");
            prop_assert_eq!(received_bytes(shell, &script, &[]), args.clone(), "{} ran {:?}", shell, String::from_utf8_lossy(&script));
        }
    }

    #[test]
    fn pipelines_pass_their_words_too(args in argv()) {
        prop_assume!(!args.is_empty());
        for (shell, kind) in SHELLS {
            let script = render_pipeline(&[printf(&args), words(&["cat"])], kind).expect("renders");
            prop_assert_eq!(received(shell, &script, &[]), args.clone(), "{} ran {:?}", shell, script);
        }
    }

    #[test]
    fn placeholders_take_the_variable_value_verbatim(value in "[^\\x00\u{f600}-\u{f7ff}]{1,16}", prefix in hostile_word()) {
        let word = Word(vec![Part::Lit(prefix.clone()), Part::Var("TRIAGE_VALUE".into())]);
        let command = vec![Word::lit("/usr/bin/printf"), Word::lit("%s\\0"), word];
        for (shell, kind) in SHELLS {
            let script = render(&command, kind).expect("renders");
            prop_assert_eq!(received(shell, &script, &[("SANDBOX_TRIAGE_TRIAGE_VALUE", &value)]), vec![format!("{prefix}{value}")], "{} ran {:?}", shell, script);
        }
    }
}

#[test]
fn an_unset_placeholder_stops_a_posix_shell_before_the_program_runs() {
    let script = render(&[Word::lit("/usr/bin/touch"), Word::var("TRIAGE_UNSET_PLACEHOLDER")], Shell::Posix).expect("renders");
    for shell in ["bash", "dash"] {
        let out = Command::new(shell).arg("-c").arg(&script).env_remove("SANDBOX_TRIAGE_TRIAGE_UNSET_PLACEHOLDER").output().expect("shell");
        assert!(!out.status.success(), "{shell} ran {script}");
    }
}

/// What a person is shown of a word: each control character, and each bidirectional
/// formatting character (which would reorder the word on screen), as U+FFFD.
fn as_shown(word: &str) -> String {
    let reorders = |c: char| matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    word.chars().map(|c| if c.is_control() || reorders(c) { '\u{fffd}' } else { c }).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// The human plan is meant to be copied into a terminal: the command pasted runs
    /// the planned words (control characters shown as U+FFFD), never anything else.
    #[test]
    fn the_command_a_person_is_shown_runs_as_planned(labels in proptest::collection::vec(prop_oneof![
        hostile_word(),
        proptest::sample::select(vec!["a\u{9b}", "\u{9b}", "\u{1b}[2J", "x\u{7}y", "\r", "a\u{85}b", "\u{9d}0;t\u{9c}"]).prop_map(str::to_owned),
    ], 1..4)) {
        let mut argv: Vec<String> = ["openshell", "sandbox", "create", "--name", "a", "--from", "./Dockerfile"].map(str::to_owned).to_vec();
        for label in &labels {
            argv.extend(["--label".to_owned(), label.clone()]);
        }
        let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
        let log = "  Built image openshell/sandbox-from:17\n  Pushing image openshell/sandbox-from:17 into gateway \"x\"\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-x\n";
        let diagnosis = crate::support::create(log, Some(1));
        let plan = crate::support::plan_for(&diagnosis, Some(&argv));
        let human = sandbox_triage_core::plan_human(&diagnosis, &plan, sandbox_triage_core::Style::default());
        let line = human.lines().map(str::trim).find(|l| l.starts_with("openshell sandbox create")).expect("a create line");
        let planned = plan.steps.iter().find_map(|s| match &s.action {
            sandbox_triage_core::Action::Argv(words) if words.first().map(Word::display).as_deref() == Some("openshell") && words.get(2).map(Word::display).as_deref() == Some("create") => Some(words.clone()),
            _ => None,
        }).expect("a create step");
        prop_assume!(planned.iter().all(|w| w.0.iter().all(|p| matches!(p, Part::Lit(_)))));
        let expected: Vec<String> = planned.iter().skip(1).map(|w| as_shown(&w.display())).collect();
        let script = format!("openshell() {{ /usr/bin/printf '%s\\0' \"$@\"; }}\n{line}");
        prop_assert_eq!(received("bash", &script, &[]), expected, "{}", line);
    }
}
