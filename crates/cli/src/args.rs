//! Command-line arguments. Raw values are parsed into the library's checked types here,
//! once, so the commands never see an invalid host, stage or version.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use sandbox_triage::shell::Shell;
use sandbox_triage::{Arch, Os, Stage, Version};

#[derive(Debug, Parser)]
#[command(
    name = "sandbox-triage",
    version,
    about = "Diagnose failed OpenShell sandbox creates: what failed, in which phase, and the lines that prove it"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Classify a failed create (or gateway start, or provider validation) from its output.
    Classify(ClassifyArgs),
    /// Classify, then print the recovery plan: steps for a person, JSON, or a shell script.
    Plan(PlanArgs),
    /// Run a create, passing its output through, and diagnose it the moment it fails.
    Run(RunArgs),
    /// List the rule catalogue and check every rule against its own cases.
    Rules(RulesArgs),
    /// Print the input with every secret masked (tokens, keys, credentialed URLs).
    Redact(RedactArgs),
    /// Print a create command that uses an already built image instead of rebuilding.
    Recreate(RecreateArgs),
    /// Print the JSON Schema of `plan --format json` (which holds `classify`'s object).
    Schema,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// The text to redact; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RecreateArgs {
    /// The image to create from (the built image the failed create left behind).
    #[arg(long, value_name = "REF")]
    pub image: String,
    /// The shell to print the command for.
    #[arg(long, value_parser = parse_shell, default_value = "sh", value_name = "sh|fish|powershell|json")]
    pub shell: Shell,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub argv: Vec<std::ffi::OsString>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
}

/// What `classify` and `plan` both take: the input and what is known about the run.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The captured output; `-` or nothing reads stdin.
    #[arg(value_name = "FILE|-")]
    pub input: Option<PathBuf>,
    /// Which command produced the output.
    #[arg(long, value_parser = parse_stage, default_value = "sandbox-create", value_name = "sandbox-create|gateway-start|provider-validation")]
    pub stage: Stage,
    /// The command's exit status; 0 means it succeeded (answer `none`).
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub exit_status: Option<i32>,
    /// Provider validation: the HTTP status of the request.
    #[arg(long, value_name = "N")]
    pub http_status: Option<u16>,
    /// Provider validation: curl's exit status.
    #[arg(long, value_name = "N")]
    pub curl_status: Option<i32>,
    #[command(flatten)]
    pub host: HostArgs,
}

/// The host, the CLI version and the rules: for `classify`, `plan` and `run`.
#[derive(Debug, Args)]
pub struct HostArgs {
    /// The host OS (`darwin` and `win32` are accepted too); defaults to this host.
    #[arg(long, value_parser = parse_os, value_name = "linux|macos|windows")]
    pub os: Option<Os>,
    /// The host architecture (`x64` and `arm64` are accepted too); defaults to this host.
    #[arg(long, value_parser = parse_arch, value_name = "x86_64|aarch64")]
    pub arch: Option<Arch>,
    /// The OpenShell CLI version (`openshell --version`): messages it cannot print are not matched.
    #[arg(long, value_parser = parse_version, value_name = "X.Y.Z")]
    pub openshell_version: Option<Version>,
    /// A directory of rule files (`*.toml`) that add to or override the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
}

/// What the plan is for: `plan` and `run`.
#[derive(Debug, Args)]
pub struct PlanChoiceArgs {
    /// The container engine; defaults to the one the output shows, else docker.
    #[arg(long, value_enum)]
    pub engine: Option<EngineArg>,
    /// Who ran the create; defaults to nemoclaw when its command is `nemoclaw-start`.
    #[arg(long, value_enum)]
    pub frontend: Option<FrontendArg>,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Human,
    Json,
    Sh,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    Docker,
    Podman,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FrontendArg {
    Openshell,
    Nemoclaw,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub choice: PlanChoiceArgs,
    #[arg(long, value_enum, default_value_t = PlanFormat::Human)]
    pub format: PlanFormat,
    /// The original create argv: `openshell sandbox create …` or its flags alone.
    #[arg(last = true, value_name = "CREATE ARGV")]
    pub argv: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Which command is run.
    #[arg(long, value_parser = parse_stage, default_value = "sandbox-create", value_name = "sandbox-create|gateway-start")]
    pub stage: Stage,
    #[command(flatten)]
    pub host: HostArgs,
    #[command(flatten)]
    pub choice: PlanChoiceArgs,
    /// Also write the plan's JSON object here when the command fails.
    #[arg(long, value_name = "FILE")]
    pub json_out: Option<PathBuf>,
    /// After this many seconds without output, say what is running (0: never; default
    /// 15 on a terminal, never otherwise).
    #[arg(long, value_name = "SECONDS")]
    pub heartbeat: Option<u64>,
    /// Print the diagnosis as soon as a decisive failure appears, before the command exits.
    #[arg(long)]
    pub early: bool,
    /// The command to run, usually `openshell sandbox create …`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<std::ffi::OsString>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A directory of rule files that add to or override the built-in rules.
    #[arg(long, value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Only this stage's rules.
    #[arg(long, value_parser = parse_stage)]
    pub stage: Option<Stage>,
}

fn parse_shell(s: &str) -> Result<Shell, String> {
    s.parse()
}
fn parse_stage(s: &str) -> Result<Stage, String> {
    s.parse()
}
fn parse_os(s: &str) -> Result<Os, String> {
    s.parse()
}
fn parse_arch(s: &str) -> Result<Arch, String> {
    s.parse()
}
fn parse_version(s: &str) -> Result<Version, String> {
    s.parse()
}
