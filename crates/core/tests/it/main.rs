//! The library's integration tests, one binary: each module tests one concern through
//! the public API.

mod arbitrary_input;
mod attacks;
mod behaviour;
mod build_output_trust;
mod catalogue;
mod causes;
mod corpus;
mod current_releases;
mod decision_details;
mod engine_mismatch;
mod first_screen;
mod hostile_output;
mod lab_failures;
mod masking;
mod plans;
mod real_logs;
mod reconstruct;
mod rule_files;
mod secret_formats;
mod shell_roundtrip;
mod step_prints_openshell;
mod support;
mod told_later;
