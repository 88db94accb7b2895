//! The executor's rules, each checked against a runner that records every command it is
//! given and answers from a script: what runs, with which values, what stops it, what is
//! put back, and what a failed check says. No process is started.

mod dead_ends;
mod details;
mod half_way;
mod only_what_is_allowed;
mod reviewed;
mod support;
mod values;
