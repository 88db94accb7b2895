//! `sandbox-triage plan`: the diagnosis and its recovery plan.

use sandbox_triage::invocation::CreateInvocation;
use sandbox_triage::plan::Plan;
use sandbox_triage::plan_render;
use sandbox_triage::planner::{plan, Frontend, Host, PlanInput};
use sandbox_triage::redact::redact;
use sandbox_triage::render::Style;
use sandbox_triage::{Arch, Diagnosis, Engine, Os};

use crate::args::{EngineArg, FrontendArg, HostArgs, PlanArgs, PlanChoiceArgs, PlanFormat};
use crate::classify_cmd::diagnose;
use crate::exit::Exit;
use crate::{input, output};

/// Linux under WSL 2: its kernel says so. Read only when the host is this machine.
fn running_under_wsl() -> bool {
    std::fs::read_to_string("/proc/sys/kernel/osrelease").is_ok_and(|r| r.to_ascii_lowercase().contains("microsoft"))
}

/// NemoClaw's branded command name, as it tells its children.
fn nemoclaw_cli() -> String {
    std::env::var("NEMOCLAW_INVOKED_AS")
        .ok()
        .filter(|name| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
        .unwrap_or_else(|| "nemoclaw".to_owned())
}

/// What the planner needs besides the diagnosis, as the command line gives it.
pub struct PlanSettings<'a> {
    pub host: &'a HostArgs,
    pub choice: &'a PlanChoiceArgs,
    pub invocation: Option<&'a CreateInvocation>,
}

/// The plan for `diagnosis`, with the host filled in from this machine where not given.
pub fn build_plan(diagnosis: &Diagnosis, settings: &PlanSettings<'_>) -> Plan {
    let host_given = settings.host.os.is_some();
    let host = Host {
        os: settings.host.os.or_else(Os::current).unwrap_or(Os::Linux),
        arch: settings.host.arch.or_else(Arch::current).unwrap_or(Arch::X86_64),
        wsl: !host_given && cfg!(target_os = "linux") && running_under_wsl(),
    };
    let runs_nemoclaw =
        settings.invocation.and_then(|i| i.command.as_ref()).is_some_and(|c| c.argv.first().is_some_and(|p| p.ends_with("nemoclaw-start")));
    let nemoclaw = match settings.choice.frontend {
        Some(frontend) => frontend == FrontendArg::Nemoclaw,
        None => runs_nemoclaw,
    };
    let frontend = if nemoclaw { Frontend::NemoClaw { cli: nemoclaw_cli() } } else { Frontend::OpenShell };
    let engine = settings.choice.engine.map(|e| match e {
        EngineArg::Docker => Engine::Docker,
        EngineArg::Podman => Engine::Podman,
    });
    let input = PlanInput {
        diagnosis,
        host,
        engine,
        openshell_version: settings.host.openshell_version,
        frontend,
        invocation: settings.invocation,
    };
    plan(&input)
}

pub fn run(args: &PlanArgs) -> anyhow::Result<Exit> {
    let argv = input::utf8_argv(&args.argv)?;
    let invocation = if argv.is_empty() { None } else { Some(CreateInvocation::parse(&argv)?) };
    let diagnosis = diagnose(&args.input)?;
    let settings = PlanSettings { host: &args.input.host, choice: &args.choice, invocation: invocation.as_ref() };
    let recovery = build_plan(&diagnosis, &settings);
    let text = match args.format {
        PlanFormat::Json => plan_render::json(&diagnosis, &recovery) + "\n",
        PlanFormat::Human => {
            redact(&plan_render::human(&diagnosis, &recovery, Style { color: output::stdout_wants_color(), width: 80 })).into_owned()
        }
        PlanFormat::Sh => redact(&plan_render::script(&diagnosis, &recovery)).into_owned(),
    };
    output::print(&text)?;
    Ok(if diagnosis.is_determined() { Exit::Determined } else { Exit::Unknown })
}
