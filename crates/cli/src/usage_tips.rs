//! Usage errors that say how to fix them: clap's message, with a tip where the usual
//! mistake is known (a command to run given without `--`, a shell not named).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The subcommands whose trailing words are a command (`run`) or a create's argv
/// (`plan`, `recover`, `recreate`), taken only after `--`.
const TAKES_ARGV: [&str; 4] = ["run", "plan", "recover", "recreate"];

/// The subcommand named on the command line: the first word that is not an option (nor
/// `--color`'s value).
fn subcommand(argv: &[OsString]) -> Option<String> {
    let mut words = argv.iter().skip(1).map(|w| w.to_string_lossy());
    while let Some(word) = words.next() {
        if word == "--color" {
            words.next();
        } else if !word.starts_with('-') {
            return Some(word.into_owned());
        }
    }
    None
}

/// `error` with a tip added when the mistake is a known one.
pub(crate) fn with_tip(mut error: clap::Error, argv: &[OsString]) -> clap::Error {
    // As the user typed it: where the `--` goes.
    let unexpected = error.get(ContextKind::InvalidArg).map(ToString::to_string).unwrap_or_default();
    // The word clap quotes back came from the command line: a token in it is masked,
    // an escape sequence made harmless, as everywhere else.
    for kind in [ContextKind::InvalidArg, ContextKind::InvalidValue] {
        if let Some(ContextValue::String(word)) = error.get(kind) {
            let shown = sandbox_triage_core::printable(&sandbox_triage_core::redact(word));
            if shown != *word {
                error.insert(kind, ContextValue::String(shown));
            }
        }
    }
    let Some(subcommand) = subcommand(argv) else { return error };
    let tip = match error.kind() {
        ErrorKind::UnknownArgument if TAKES_ARGV.contains(&subcommand.as_str()) => {
            let what = if subcommand == "run" { "the command to run" } else { "the create's own words" };
            if unexpected.starts_with('-') {
                // A misspelt option of ours is clap's to explain (it suggests one).
                return error;
            }
            format!("put `--` before {what}: `{}`", with_dashes(argv, &unexpected))
        }
        ErrorKind::MissingRequiredArgument if subcommand == "run" => {
            // The user's own options kept, the command where it goes.
            let line = with_dashes(argv, "");
            format!("put the command to run after `--`: `{line} openshell sandbox create --from ./Dockerfile`")
        }
        ErrorKind::MissingRequiredArgument if subcommand == "completions" => {
            let shells: Vec<String> = <clap_complete::Shell as clap::ValueEnum>::value_variants()
                .iter()
                .filter_map(|s| clap::ValueEnum::to_possible_value(s).map(|v| v.get_name().to_owned()))
                .collect();
            format!("name a shell: {} (`sandbox-triage completions bash`)", shells.join(", "))
        }
        _ => return error,
    };
    error.insert(ContextKind::Suggested, ContextValue::StyledStrs(vec![tip.into()]));
    error
}

/// The command line again with `--` before `first` (the word clap did not expect), as a
/// shell takes it, secrets masked: what to type instead.
fn with_dashes(argv: &[OsString], first: &str) -> String {
    let words: Vec<String> = argv.iter().skip(1).map(|w| w.to_string_lossy().into_owned()).collect();
    let at = words.iter().position(|w| w == first).unwrap_or(words.len());
    // A `--` already there (with nothing after it) is not written twice.
    let words: Vec<String> = if first.is_empty() { words.into_iter().filter(|w| w != "--").collect() } else { words };
    let at = at.min(words.len());
    let line = std::iter::once("sandbox-triage".to_owned())
        .chain(words[..at].iter().cloned())
        .chain(std::iter::once("--".to_owned()))
        .chain(words[at..].iter().cloned());
    let quoted: Vec<String> = line.map(|w| shell_words::quote(&w).into_owned()).collect();
    sandbox_triage_core::printable(&sandbox_triage_core::redact(&quoted.join(" ")))
}
