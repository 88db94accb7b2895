//! `run`'s command line: the command to supervise, what to write beside it, and what a
//! recovery after it may do.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::Args;
use sandbox_triage_core::Stage;

use super::{one_of, parse_set, HostArgs, PlanChoiceArgs};

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
