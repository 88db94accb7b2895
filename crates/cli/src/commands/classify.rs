//! `sandbox-triage classify`: the diagnosis of a captured output.

use sandbox_triage_core::{diagnosis_human, diagnosis_json};

use crate::args::{ClassifyArgs, Format};
use crate::diagnose::diagnose;
use crate::exit::Exit;
use crate::output;
use crate::settings::Settings;

pub(crate) fn run(args: &ClassifyArgs, settings: &Settings) -> anyhow::Result<Exit> {
    let diagnosis = diagnose(&args.input, settings)?;
    let text = match args.format {
        Format::Json => diagnosis_json(&diagnosis) + "\n",
        Format::Human => diagnosis_human(&diagnosis, settings.style),
    };
    output::print(&text)?;
    Ok(Exit::of(&diagnosis))
}
