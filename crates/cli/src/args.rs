//! The command line as written. Values are parsed into the library's types by clap
//! (they implement `FromStr`), so no command sees an invalid stage, host or version;
//! [`crate::settings::Settings`] then resolves what they imply, once.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use sandbox_triage_core::{Arch, Engine, Os, Shell, Stage, Version};

use crate::help_text as help;
pub(crate) use crate::help_text::EXIT_STATUSES;

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
    /// Print the man page (roff): `sandbox-triage man | man -l -`.
    #[command(after_help = help::MAN)]
    Man,
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
    #[arg(long, default_value = "sh", value_name = "sh|fish|powershell|json")]
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

/// What `classify` and `plan` both take: the input and what is known about the run.
#[derive(Debug, Args)]
pub(crate) struct InputArgs {
    /// The captured output; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub(crate) input: Option<PathBuf>,
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
    #[arg(long, value_name = "docker|podman")]
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
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PlanFormat {
    Human,
    Json,
    Sh,
}

#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) choice: PlanChoiceArgs,
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub(crate) format: PlanFormat,
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
    #[command(flatten)]
    pub(crate) input: InputArgs,
    #[command(flatten)]
    pub(crate) choice: PlanChoiceArgs,
    #[command(flatten)]
    pub(crate) apply: ApplyArgs,
    /// Append one JSON object per step to this file as each step ends.
    #[arg(long, value_name = "FILE")]
    pub(crate) journal: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = RecoverFormat::Human)]
    pub(crate) format: RecoverFormat,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub(crate) argv: Vec<OsString>,
}

#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// The container engine to check; by default docker when it is installed, else podman.
    #[arg(long, value_name = "docker|podman")]
    pub(crate) engine: Option<Engine>,
    /// Check this gateway only (its container `openshell-cluster-GATEWAY`).
    #[arg(short = 'g', long, value_name = "GATEWAY")]
    pub(crate) gateway: Option<String>,
    #[command(flatten)]
    pub(crate) host: HostArgs,
    #[arg(long, value_enum, default_value_t = RecoverFormat::Human)]
    pub(crate) format: RecoverFormat,
}

/// `run --recover` and what the recovery may do.
#[derive(Debug, Args)]
pub(crate) struct RunRecoveryArgs {
    /// When the command fails with a failure whose plan the tool can carry out, carry it
    /// out (same confirmations and checks as `recover --apply`); the exit status is then
    /// the recovery's (0: the sandbox was created).
    #[arg(long)]
    pub(crate) recover: bool,
    /// With --recover: answer yes to every confirmation.
    #[arg(long, requires = "recover")]
    pub(crate) yes: bool,
    /// With --recover: let destructive steps run too.
    #[arg(long, requires = "recover")]
    pub(crate) allow_destructive: bool,
    /// With --recover: append one JSON object per recovery step to this file.
    #[arg(long, value_name = "FILE", requires = "recover")]
    pub(crate) journal: Option<PathBuf>,
    /// With --recover: a value the plan needs that neither the create nor its output
    /// gave (repeatable; also read from `SANDBOX_TRIAGE_<NAME>`).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set, requires = "recover")]
    pub(crate) set: Vec<(String, String)>,
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

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Which command is run.
    #[arg(long, default_value = "sandbox-create", value_name = "STAGE", value_parser = one_of::<Stage>(&["sandbox-create", "gateway-start"], &[]))]
    pub(crate) stage: Stage,
    #[command(flatten)]
    pub(crate) host: HostArgs,
    #[command(flatten)]
    pub(crate) choice: PlanChoiceArgs,
    /// Also write the plan's JSON object here when the command ends (a success: kind
    /// `none`, so the file never holds an earlier run's report).
    #[arg(long, value_name = "FILE")]
    pub(crate) json_out: Option<PathBuf>,
    /// After this many seconds without output, say which phase is running (0: never;
    /// default 15 on a terminal, never otherwise).
    #[arg(long, value_name = "SECONDS", conflicts_with = "quiet")]
    pub(crate) heartbeat: Option<u64>,
    /// Print the diagnosis as soon as a decisive failure appears, before the command
    /// exits (once: the end then adds only the plan, unless the diagnosis changed).
    #[arg(long, conflicts_with = "quiet")]
    pub(crate) early: bool,
    #[command(flatten)]
    pub(crate) probe: NoProbe,
    /// The Dockerfile the failed build used, to show where its failed step is (by
    /// default the one the create built: its output names it, and `--from`).
    #[arg(long, value_name = "PATH")]
    pub(crate) dockerfile: Option<PathBuf>,
    /// Add nothing to the command's output but the final diagnosis and plan (no
    /// heartbeat, no timeline).
    #[arg(short, long)]
    pub(crate) quiet: bool,
    /// Also write the command's own output to this file as it comes, both streams in the
    /// order received (what a terminal shows with `2>&1`), then the lines of a failed
    /// sandbox container's log when they were read: the log to keep, which `classify`
    /// answers as this run did.
    #[arg(long, value_name = "FILE")]
    pub(crate) log: Option<PathBuf>,
    /// Write what happens as it happens to this file, one JSON object per line: started,
    /// phase, step, heartbeat, evidence, exited, diagnosis (with the timeline).
    #[arg(long, value_name = "FILE")]
    pub(crate) events: Option<PathBuf>,
    /// Show the timeline (each phase's duration, the slowest build steps) after a success
    /// too; a failure always shows it, unless --quiet.
    #[arg(long)]
    pub(crate) timeline: bool,
    #[command(flatten)]
    pub(crate) recovery: RunRecoveryArgs,
    /// The command to run, usually `openshell sandbox create …`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub(crate) command: Vec<OsString>,
}

/// `run` reads a failed sandbox container's log unless told not to.
#[derive(Debug, Args)]
pub(crate) struct NoProbe {
    /// Never read a failed sandbox container's log from the engine (by default `run`
    /// reads it when the create ended `ContainerExited` or timed out).
    #[arg(long)]
    pub(crate) no_probe: bool,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// A directory of rule files that add to or override the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub(crate) rules: Option<PathBuf>,
    /// Only this stage's rules.
    #[arg(long)]
    pub(crate) stage: Option<Stage>,
    #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
    pub(crate) format: RulesFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
    Human,
    Json,
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
