//! `sandbox-triage`: diagnose failed OpenShell sandbox creates.
//!
//! The binary owns all I/O: arguments, files, stdin, the terminal and exit codes. The
//! diagnosis itself is the `sandbox_triage` library's.

mod args;
mod classify_cmd;
mod exit;
mod input;
mod output;
mod plan_cmd;
mod recreate_cmd;
mod redact_cmd;
mod rules_cmd;
mod run_cmd;
mod supervise;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};
use crate::exit::Exit;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Classify(args) => classify_cmd::run(&args),
        Command::Plan(args) => plan_cmd::run(&args),
        Command::Run(args) => run_cmd::run(&args),
        Command::Rules(args) => rules_cmd::run(&args),
        Command::Redact(args) => redact_cmd::run(&args),
        Command::Recreate(args) => recreate_cmd::run(&args),
        Command::Schema => output::print(&sandbox_triage::plan_render::json_schema()).map(|()| Exit::Determined),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(error) => {
            if output::is_broken_pipe(&error) {
                return Exit::Determined.into();
            }
            // One line: the context chain joined, as `cargo` does.
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("sandbox-triage: error: {}", chain.join(": "));
            Exit::ToolFailed.into()
        }
    }
}
