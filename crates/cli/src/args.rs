//! The command line as written. Values are parsed into the library's types by clap
//! (they implement `FromStr`), so no command sees an invalid stage, host or version;
//! [`crate::settings::Settings`] then resolves what they imply, once.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::{ArgPredicate, TypedValueParser as _};
use clap::{Args, Parser, Subcommand, ValueEnum};
use sandbox_triage_core::{Arch, Engine, Os, Shell, Stage, Version};

use crate::help_text as help;
pub(crate) use crate::help_text::EXIT_STATUSES;

mod rules;
mod run;

pub(crate) use rules::{RulesAction, RulesArgs, RulesFormat, RulesNewArgs, RulesTestArgs};
pub(crate) use run::RunArgs;

#[derive(Debug, Parser)]
#[command(
    name = "sandbox-triage",
    version,
    // Descriptions under their options: a long option name never squeezes them into a
    // narrow column, whatever the terminal's width.
    next_line_help = true,
    max_term_width = 100,
    after_help = EXIT_STATUSES,
    about = "Diagnose failed OpenShell sandbox creates: what failed, in which phase, and the lines that prove it"
)]
pub(crate) struct Cli {
    /// When to colour the output: `auto` on a terminal unless `NO_COLOR` is set or
    /// `TERM` is `dumb` (`CLICOLOR_FORCE` forces it).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub(crate) color: ColorChoice,
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Classify a failed create (or gateway start, or provider validation) from its output.
    #[command(after_help = help::CLASSIFY)]
    Classify(ClassifyArgs),
    /// Classify, then print the recovery plan: steps for a person, JSON, or a shell script.
    #[command(after_help = help::PLAN)]
    Plan(PlanArgs),
    /// Run a create, passing its output through, and diagnose it the moment it fails.
    #[command(after_help = help::RUN)]
    Run(RunArgs),
    /// Carry the recovery plan out against the real engine: a dry run (probes only)
    /// unless --apply.
    #[command(after_help = help::RECOVER)]
    Recover(RecoverArgs),
    /// Check the host a create needs (read-only): the engine, the gateway containers and
    /// their containerd, the `openshell` CLI, free space, the GPU's CDI specification.
    #[command(after_help = help::DOCTOR)]
    Doctor(DoctorArgs),
    /// List the rule catalogue and check every rule against its own cases.
    #[command(after_help = help::RULES)]
    Rules(RulesArgs),
    /// Print the input with every secret masked (tokens, keys, credentialed URLs).
    #[command(after_help = help::REDACT)]
    Redact(RedactArgs),
    /// Print a create command that uses an already built image instead of rebuilding.
    #[command(after_help = help::RECREATE)]
    Recreate(RecreateArgs),
    /// Print the JSON Schema of `plan --format json` (which holds `classify`'s object).
    #[command(after_help = help::SCHEMA)]
    Schema,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_help = help::COMPLETIONS)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print a man page (roff), or write every page with --dir: `sandbox-triage man run | man -l -`.
    #[command(after_help = help::MAN)]
    Man(crate::commands::man::ManArgs),
}

#[derive(Debug, Args)]
pub(crate) struct RedactArgs {
    /// The text to redact; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub(crate) input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct RecreateArgs {
    /// The image to create from (the built image the failed create left behind).
    #[arg(long, value_name = "REF")]
    pub(crate) image: String,
    /// The shell to print the command for.
    #[arg(long, default_value = "sh", value_name = "SHELL", value_parser = one_of::<Shell>(&["sh", "fish", "powershell", "json"], &[]))]
    pub(crate) shell: Shell,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub(crate) argv: Vec<OsString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Human,
    Json,
}

/// What `classify`, `plan` and `recover` take beside the input: what is known about
/// the run.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// Which command produced the output; by default, the one the output shows (a create
    /// when in doubt).
    #[arg(long, value_name = "STAGE", value_parser = one_of::<Stage>(&["sandbox-create", "gateway-start", "provider-validation"], &[]))]
    pub(crate) stage: Option<Stage>,
    /// The command's exit status; 0 means it succeeded (answer `none`).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub(crate) exit_status: Option<i32>,
    /// When the create ended `ContainerExited` (or timed out), read the last lines of the
    /// sandbox container's log from the engine (read-only) and classify them with the
    /// output: the create does not print why the container exited.
    #[arg(long)]
    pub(crate) probe: bool,
    /// The Dockerfile the failed build used, to show where its failed step is (by
    /// default the one the output names, when it is on this machine).
    #[arg(long, value_name = "PATH")]
    pub(crate) dockerfile: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) provider: ProviderArgs,
    #[command(flatten)]
    pub(crate) host: HostArgs,
}

/// Provider validation's statuses, beside its message.
#[derive(Debug, Args)]
pub(crate) struct ProviderArgs {
    /// Provider validation: the HTTP status of the request.
    #[arg(long, value_name = "N")]
    pub(crate) http_status: Option<u16>,
    /// Provider validation: curl's exit status.
    #[arg(long, value_name = "N")]
    pub(crate) curl_status: Option<i32>,
}

/// The host, the CLI version and the rules: for `classify`, `plan` and `run`.
#[derive(Debug, Args)]
pub(crate) struct HostArgs {
    /// The host OS (`darwin` and `win32` are accepted too); defaults to this host.
    #[arg(long, value_name = "OS", value_parser = one_of::<Os>(&["linux", "macos", "windows"], &["darwin", "win32"]))]
    pub(crate) os: Option<Os>,
    /// The host architecture (`x64` and `arm64` are accepted too); defaults to this host.
    #[arg(long, value_name = "ARCH", value_parser = one_of::<Arch>(&["x86_64", "aarch64"], &["x64", "arm64"]))]
    pub(crate) arch: Option<Arch>,
    /// The OpenShell CLI version (`openshell --version`): messages it cannot print are not matched.
    #[arg(long, value_name = "X.Y.Z")]
    pub(crate) openshell_version: Option<Version>,
    /// A directory of rule files (`*.toml`) that add to or override the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub(crate) rules: Option<PathBuf>,
}

/// What the plan is for: `plan` and `run`.
#[derive(Debug, Args)]
pub(crate) struct PlanChoiceArgs {
    /// The container engine; defaults to the one the output shows, else docker.
    #[arg(long, value_name = "ENGINE", value_parser = one_of::<Engine>(&["docker", "podman"], &[]))]
    pub(crate) engine: Option<Engine>,
    /// Who ran the create; defaults to nemoclaw when its command is `nemoclaw-start`.
    #[arg(long, value_enum)]
    pub(crate) frontend: Option<FrontendChoice>,
}

/// Who ran the create, as the command line names it (the library's front end carries
/// NemoClaw's command name, read from the environment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum FrontendChoice {
    Openshell,
    Nemoclaw,
}

#[derive(Debug, Args)]
pub(crate) struct ClassifyArgs {
    /// The captured output; `-` or nothing reads stdin. Several files, or a directory
    /// (its `*.log` files), give one line each.
    #[arg(value_name = "FILE|DIR|-")]
    pub(crate) inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = Format::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: Format,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanFormat {
    Human,
    Json,
    Sh,
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    /// The captured output; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub(crate) path: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) choice: PlanChoiceArgs,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: PlanFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub(crate) argv: Vec<OsString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RecoverFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct RecoverArgs {
    /// The captured output; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub(crate) path: Option<PathBuf>,
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) choice: PlanChoiceArgs,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
    /// Append one JSON object per step to this file as each step ends.
    #[arg(long, value_name = "FILE")]
    pub(crate) journal: Option<PathBuf>,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = RecoverFormat::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: RecoverFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub(crate) argv: Vec<OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// The container engine to check; by default docker when it is installed, else podman.
    #[arg(long, value_name = "ENGINE", value_parser = one_of::<Engine>(&["docker", "podman"], &[]))]
    pub(crate) engine: Option<Engine>,
    /// Check this gateway only: its registration in OpenShell's config, or its container
    /// `openshell-cluster-GATEWAY` (OpenShell 0.0.36 and older).
    #[arg(short = 'g', long, value_name = "GATEWAY")]
    pub(crate) gateway: Option<String>,
    #[command(flatten)]
    pub(crate) host: HostArgs,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = RecoverFormat::Human, default_value_if("json", ArgPredicate::IsPresent, "json"))]
    pub(crate) format: RecoverFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub(crate) json: bool,
}

/// `NAME=VALUE` for `--set`: a placeholder's name (upper case, digits, `_`) and its value.
fn parse_set(text: &str) -> Result<(String, String), String> {
    let (name, value) = text.split_once('=').ok_or("expected NAME=VALUE")?;
    let name = name.strip_prefix(sandbox_triage_core::VARIABLE_PREFIX).unwrap_or(name);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
        return Err(format!(
            "'{}' is not a value's name (upper case letters, digits and '_', as the plan shows it)",
            sandbox_triage_core::printable(name)
        ));
    }
    Ok((name.to_owned(), value.to_owned()))
}

/// What a recovery may do: `recover` and `run --recover`.
#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    /// Carry the plan out (without it: a dry run that runs the probes only).
    #[arg(long)]
    pub(crate) apply: bool,
    /// Answer yes to every confirmation (needed with no terminal to ask on).
    #[arg(long)]
    pub(crate) yes: bool,
    /// Let destructive steps run too (deleting a sandbox, moving a state directory).
    #[arg(long)]
    pub(crate) allow_destructive: bool,
    /// Seconds a step may take before its processes are stopped.
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    pub(crate) timeout: u64,
    /// A value the plan needs that neither the create nor its output gave (repeatable;
    /// also read from `SANDBOX_TRIAGE_<NAME>`).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub(crate) set: Vec<(String, String)>,
}

/// A value among `values` (and the hidden `aliases`, other tools' words for them), as
/// completion and `--help` offer them, parsed with the type's own `FromStr`.
fn one_of<T>(values: &'static [&'static str], aliases: &'static [&'static str]) -> impl clap::builder::TypedValueParser<Value = T>
where
    T: std::str::FromStr + Clone + Send + Sync + 'static,
    T::Err: Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
{
    let shown = values.iter().map(|v| clap::builder::PossibleValue::new(*v));
    let hidden = aliases.iter().map(|v| clap::builder::PossibleValue::new(*v).hide(true));
    clap::builder::PossibleValuesParser::new(shown.chain(hidden)).try_map(|value: String| value.parse::<T>())
}
