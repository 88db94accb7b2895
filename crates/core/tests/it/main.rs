//! The library's integration tests: each module tests one concern through the public
//! API. None starts a process (the `shells` binary holds those), so the whole binary
//! runs in seconds, which is what a mutation run pays for every mutant.

mod arbitrary_input;
mod attacks;
mod behaviour;
mod build_output_trust;
mod catalogue;
mod causes;
mod corpus;
#[path = "../common/corpus_plans.rs"]
mod corpus_plans;
mod current_releases;
mod decision_details;
mod decision_edges;
mod drafting;
mod engine_mismatch;
mod first_screen;
mod hostile_output;
mod lab_failures;
mod masking;
mod plans;
mod quoting;
mod real_logs;
mod reconstruct;
mod rule_examination;
mod rule_files;
mod secret_formats;
mod sifting;
mod step_prints_openshell;
#[path = "../common/support.rs"]
mod support;
mod told_later;
mod users_rules;
