//! The binary's integration tests, one binary: each module runs `sandbox-triage` as a
//! real process.

mod cli;
mod common;
mod container_probe;
mod conventions;
mod dockerfile_engines;
mod dockerfile_input;
mod doctor_gateways;
mod doctor_names;
mod doctor_output;
mod doctor_world;
mod hostile_scripts;
mod job_control;
mod man_page;
mod output_files;
mod plan_script;
mod plans_cli;
mod readme;
mod recover_cli;
mod recover_engine;
mod recover_preflight;
mod recover_trust;
mod rule_dirs;
mod rules_test;
mod run;
mod run_progress;
mod run_terminal;
mod safe_commands;
mod secret_formats;
mod stand_in;
mod supervision;
mod terminal;
mod terminal_widths;
mod usage_errors;
mod user_kinds;
mod width;
