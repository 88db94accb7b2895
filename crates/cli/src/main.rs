//! `sandbox-triage`: diagnose failed OpenShell sandbox creates.
//!
//! The binary owns all I/O: arguments, files, stdin, the terminal, child processes and
//! exit codes. Raw arguments ([`args`]) are resolved once into [`settings::Settings`];
//! each subcommand ([`commands`]) takes them. The diagnosis itself is the library's.

mod args;
mod commands;
mod container_log;
mod diagnose;
mod exit;
mod help_text;
mod input;
mod json_out;
mod output;
mod output_file;
mod read_ahead;
mod recover;
mod rule_dir;
mod settings;
mod supervise;
mod table;
mod usage_tips;

use std::process::ExitCode;

use sandbox_triage_core::{printable, redact};

use crate::args::{Cli, Command, RulesAction, RulesArgs};
use crate::exit::Exit;
use crate::settings::{Destination, Settings};

fn dispatch(command: &Command) -> anyhow::Result<Exit> {
    match command {
        Command::Classify(args) => {
            let host = &args.input.host;
            commands::classify::run(args, &Settings::resolve(host.rules.as_deref(), Some(host), None, Destination::Stdout)?)
        }
        Command::Plan(args) => {
            let host = &args.input.host;
            commands::plan::run(args, &Settings::resolve(host.rules.as_deref(), Some(host), Some(&args.choice), Destination::Stdout)?)
        }
        Command::Run(args) => {
            let host = &args.host;
            commands::run::run(args, &Settings::resolve(host.rules.as_deref(), Some(host), Some(&args.choice), Destination::Stderr)?)
        }
        Command::Recover(args) => {
            let host = &args.input.host;
            commands::recover::run(args, &Settings::resolve(host.rules.as_deref(), Some(host), Some(&args.choice), Destination::Stdout)?)
        }
        Command::Doctor(args) => {
            commands::doctor::run(args, &Settings::resolve(args.host.rules.as_deref(), Some(&args.host), None, Destination::Stdout)?)
        }
        Command::Rules(RulesArgs { action: Some(RulesAction::New(new)), .. }) => commands::rules_new::run(new),
        Command::Rules(RulesArgs { action: Some(RulesAction::Test(test)), .. }) => {
            commands::rules_test::run(test, crate::settings::style_for(Destination::Stdout))
        }
        Command::Rules(args) => commands::rules::run(args, &Settings::resolve(args.rules.as_deref(), None, None, Destination::Stdout)?),
        Command::Redact(args) => commands::redact::run(args),
        Command::Recreate(args) => commands::recreate::run(args),
        Command::Schema => commands::schema::run(),
        Command::Completions { shell } => commands::completions::run(*shell),
        Command::Man(args) => commands::man::run(args),
    }
}

/// `--version`: the release, the commit, the built-in rules and the JSON schema.
fn version() -> String {
    let rules = sandbox_triage_core::Catalogue::builtin().map_or(0, |c| c.rules().len());
    format!(
        "{} (commit {}, {rules} built-in rules, JSON schema version {})",
        env!("CARGO_PKG_VERSION"),
        env!("SANDBOX_TRIAGE_COMMIT"),
        sandbox_triage_core::SCHEMA_VERSION
    )
}

fn main() -> ExitCode {
    let mut command = <Cli as clap::CommandFactory>::command();
    // Loading the rules to count them costs a few milliseconds: only when asked.
    if std::env::args_os().skip(1).any(|a| a == "--version" || a == "-V") {
        // Once per run, for clap's static strings.
        command = command.version(&*Box::leak(version().into_boxed_str()));
    }
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let matches = command.try_get_matches_from_mut(&argv).unwrap_or_else(|error| usage_tips::with_tip(error, &argv).exit());
    let cli = match <Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.format(&mut command).exit(),
    };
    settings::set_color(cli.color);
    match dispatch(&cli.command) {
        Ok(exit) => exit.into(),
        Err(error) => {
            if output::is_broken_pipe(&error) {
                return Exit::Determined.into();
            }
            // One line: the context chain joined, as `cargo` does. Paths and argv words
            // in it come from the user and may hold escapes or a token.
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("sandbox-triage: error: {}", printable(&redact(&chain.join(": "))));
            Exit::ToolFailed.into()
        }
    }
}
