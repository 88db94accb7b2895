//! The rule catalogue: rules as data, each with its own cases.
//!
//! A [`Rule`] is read from a TOML file (`rules/<stage>/<id>.toml`, embedded in the
//! library, or a user's directory) and is one of its [`Role`]s. The [`Catalogue`] holds
//! them all; [`StageRules`] compiles one stage's rules for scanning (the anchor set that
//! finds candidate lines); the self-check runs every rule on its own cases through the
//! classifier itself, so what a case proves is what the classifier does.

mod anchors;
mod catalogue;
mod field_errors;
mod lazy_dfa;
mod line_automaton;
mod pattern;
mod rare_tails;
mod rule;
mod rule_file;
mod scan_literals;
mod self_check;
mod stage_rules;

#[cfg(test)]
pub(crate) use anchors::SCOPES;
pub(crate) use anchors::{scope_index, AnchorSet};
pub use catalogue::{Catalogue, CatalogueError};
pub use pattern::Pattern;
pub use rule::{
    BuildLine, BuildSummaryRule, ExitStatusRule, FailedCommandRule, LineMatcher, LineRule, MarkerRule, Provenance, ProviderRule, Releases,
    Role, Rule, RuleCase, StepEvidenceRule,
};
pub use self_check::fires;
pub(crate) use stage_rules::PatternRef;
pub use stage_rules::StageRules;
