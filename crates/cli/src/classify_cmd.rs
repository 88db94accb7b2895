//! `sandbox-triage classify`.

use std::path::Path;

use anyhow::{bail, Context};
use sandbox_triage::redact::redact;
use sandbox_triage::render::{self, Style};
use sandbox_triage::{Catalogue, Classifier, Diagnosis, Options, Stage, StageRules};

use crate::args::{ClassifyArgs, Format, InputArgs};
use crate::exit::Exit;
use crate::{input, output};

/// Loads the built-in catalogue, with the user's rules when a directory is given.
pub fn load_catalogue(dir: Option<&Path>) -> anyhow::Result<Catalogue> {
    match dir {
        Some(dir) => Catalogue::with_user_dir(dir).context("invalid rules"),
        None => Catalogue::builtin().context("invalid built-in rules"),
    }
}

/// Reads the input and classifies it.
pub fn diagnose(args: &InputArgs) -> anyhow::Result<Diagnosis> {
    if args.stage != Stage::ProviderValidation && (args.http_status.is_some() || args.curl_status.is_some()) {
        bail!("--http-status and --curl-status apply to --stage provider-validation only");
    }
    let catalogue = load_catalogue(args.host.rules.as_deref())?;
    let rules = StageRules::new(&catalogue, args.stage);
    let options = Options {
        exit_status: args.exit_status,
        openshell_version: args.host.openshell_version,
        http_status: args.http_status,
        curl_status: args.curl_status,
    };
    let mut classifier = Classifier::new(&rules, options);
    let (reader, name) = input::open(args.input.as_deref())?;
    classifier.read_from(reader).with_context(|| format!("cannot read {name}"))?;
    Ok(classifier.finish())
}

pub fn run(args: &ClassifyArgs) -> anyhow::Result<Exit> {
    let diagnosis = diagnose(&args.input)?;
    let text = match args.format {
        Format::Json => render::json(&diagnosis) + "\n",
        // Facts and evidence are masked already; this pass covers the whole report.
        Format::Human => redact(&render::human(&diagnosis, Style { color: output::stdout_wants_color(), width: 80 })).into_owned(),
    };
    output::print(&text)?;
    Ok(if diagnosis.is_determined() { Exit::Determined } else { Exit::Unknown })
}
