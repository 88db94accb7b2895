//! The binary's integration tests, one binary: each module runs `sandbox-triage` as a
//! real process.

mod cli;
mod common;
mod plans_cli;
mod run;
mod safe_commands;
