//! `rules`' command line: the listing, and `rules test` and `rules new`.

use std::path::PathBuf;

use clap::builder::ArgPredicate;
use clap::{Args, Subcommand, ValueEnum};
use sandbox_triage_core::Stage;

use super::one_of;
use crate::help_text as help;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct RulesArgs {
    #[command(subcommand)]
    pub(crate) action: Option<RulesAction>,
    /// A directory of rule files that add to or override the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub(crate) rules: Option<PathBuf>,
    /// Only this stage's rules.
    #[arg(long, value_name = "STAGE", value_parser = one_of::<Stage>(&["sandbox-create", "gateway-start", "provider-validation"], &[]))]
    pub(crate) stage: Option<Stage>,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: RulesFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum RulesAction {
    /// Test rule directories with the built-in rules: every rule's cases, rules that can
    /// never decide, and every corpus log's answer before and after.
    #[command(after_help = help::RULES_TEST)]
    Test(RulesTestArgs),
    /// Draft a rule from a log the catalogue does not decide: its deciding lines made a
    /// pattern, with cases that must fire and near-misses that must not.
    #[command(after_help = help::RULES_NEW)]
    New(RulesNewArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RulesNewArgs {
    /// The log to draft from.
    #[arg(long, value_name = "LOG")]
    pub(crate) from: PathBuf,
    /// The kind the rule decides: the catalogue's (`sandbox-triage schema` lists them), or
    /// an id of your own (lowercase letters, digits, `_`) with --title and --fix.
    #[arg(long, value_name = "KIND")]
    pub(crate) kind: String,
    /// For a kind of your own: one line saying what failed.
    #[arg(long, value_name = "TEXT")]
    pub(crate) title: Option<String>,
    /// For a kind of your own: what the operator does about it (shown, never run).
    #[arg(long, value_name = "TEXT")]
    pub(crate) fix: Option<String>,
    /// The stage the log is output of.
    #[arg(long, value_name = "STAGE", default_value = "sandbox-create", value_parser = one_of::<Stage>(&["sandbox-create", "gateway-start", "provider-validation"], &[]))]
    pub(crate) stage: Stage,
    /// The rule's id (drafted from the line's words when not given).
    #[arg(long, value_name = "ID")]
    pub(crate) id: Option<String>,
    /// A line that should decide (from 1; repeatable); the answer's evidence when none.
    #[arg(long = "line", value_name = "N")]
    pub(crate) lines: Vec<u64>,
    /// Where the log comes from, for the rule's `source` (an issue's address).
    #[arg(long, value_name = "TEXT")]
    pub(crate) source: Option<String>,
    /// The directory the rule file is written to.
    #[arg(short = 'o', long = "out", value_name = "DIR", default_value = ".")]
    pub(crate) out: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct RulesTestArgs {
    /// Directories of rule files that add to or override the built-in rules.
    #[arg(value_name = "DIR")]
    pub(crate) dirs: Vec<PathBuf>,
    /// A directory of corpus logs (a `# key: value` header ending `# ---`, then the
    /// output) to classify besides the built-in corpus.
    #[arg(long, value_name = "DIR")]
    pub(crate) corpus: Vec<PathBuf>,
    /// Record each changed answer of a `--corpus` log as the one its header expects (the
    /// changes are the point of the new rules).
    #[arg(long)]
    pub(crate) accept: bool,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: RulesFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
    Human,
    Json,
}
