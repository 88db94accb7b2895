//! Rendered commands run through real shells pass exactly the original words.

use std::process::Command;

use proptest::prelude::*;
use sandbox_triage::shell::{render, render_pipeline, words, Part, Shell, Word};

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
fn received(shell: &str, script: &str, env: &[(&str, &str)]) -> Vec<String> {
    let mut command = Command::new(shell);
    if shell == "fish" {
        command.arg("--no-config");
    }
    command.arg("-c").arg(script).envs(env.iter().copied());
    let out = command.output().unwrap_or_else(|e| panic!("{shell} must be installed: {e}"));
    assert!(out.status.success(), "{shell} failed on {script:?}: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let mut parts: Vec<String> = text.split('\0').map(str::to_owned).collect();
    assert_eq!(parts.pop().as_deref(), Some(""), "output ends with NUL");
    parts
}

fn printf(args: &[String]) -> Vec<Word> {
    let mut all = vec!["/usr/bin/printf".to_owned(), "%s\\0".to_owned()];
    all.extend(args.iter().cloned());
    words(&all)
}

const SHELLS: [(&str, Shell); 3] = [("bash", Shell::Posix), ("dash", Shell::Posix), ("fish", Shell::Fish)];

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
            prop_assert_eq!(received(shell, &script, &[("TRIAGE_VALUE", &value)]), vec![format!("{prefix}{value}")], "{} ran {:?}", shell, script);
        }
    }
}

#[test]
fn an_unset_placeholder_stops_a_posix_shell_before_the_program_runs() {
    let script = render(&[Word::lit("/usr/bin/touch"), Word::var("TRIAGE_UNSET_PLACEHOLDER")], Shell::Posix).expect("renders");
    for shell in ["bash", "dash"] {
        let out = Command::new(shell).arg("-c").arg(&script).env_remove("TRIAGE_UNSET_PLACEHOLDER").output().expect("shell");
        assert!(!out.status.success(), "{shell} ran {script}");
    }
}
