//! One module per subcommand. None imports another: what two commands share lives in
//! [`crate::settings`], [`crate::diagnose`] and [`crate::output`].

mod anchor_load;
pub(crate) mod classify;
pub(crate) mod completions;
mod corpus_files;
pub(crate) mod doctor;
pub(crate) mod man;
pub(crate) mod plan;
pub(crate) mod recover;
pub(crate) mod recreate;
pub(crate) mod redact;
pub(crate) mod rules;
pub(crate) mod rules_new;
pub(crate) mod rules_test;
pub(crate) mod run;
pub(crate) mod schema;
