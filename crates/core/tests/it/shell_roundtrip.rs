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
