//! The library's tests that start real shells (bash, dash, zsh, fish): rendered commands
//! and plan scripts run through them. Their own binary, so the `it` binary stays quick.

#[path = "../common/corpus_plans.rs"]
mod corpus_plans;
mod plan_scripts;
mod shell_roundtrip;
// Shared with the `it` binary, which uses the rest of it.
#[allow(dead_code)]
#[path = "../common/support.rs"]
mod support;
