//! `sandbox-triage plan`: the diagnosis and its recovery plan.

use sandbox_triage_core::{plan_human, plan_json, plan_script, CreateInvocation};

use crate::args::{PlanArgs, PlanFormat};
use crate::diagnose::diagnose;
use crate::exit::Exit;
use crate::settings::Settings;
use crate::{input, output};

pub(crate) fn run(args: &PlanArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let argv = input::utf8_argv(&args.argv)?;
    let invocation = if argv.is_empty() { None } else { Some(CreateInvocation::parse(&argv)?) };
    let diagnosis = diagnose(args.path.as_deref(), &args.input, settings, true)?;
    let recovery = settings.plan(&diagnosis, invocation.as_ref());
    let text = match args.format {
        PlanFormat::Json => plan_json(&diagnosis, &recovery) + "\n",
        PlanFormat::Human => plan_human(&diagnosis, &recovery, settings.style),
        PlanFormat::Sh => plan_script(&diagnosis, &recovery),
    };
    output::print(&text)?;
    Ok(Exit::of(&diagnosis))
}
