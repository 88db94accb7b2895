//! `sandbox-triage classify`.

use std::fs::File;
use std::io;
use std::path::Path;

use anyhow::{bail, Context};
use sandbox_triage::render::{self, Style};
use sandbox_triage::{Catalogue, Classifier, Options, Stage, StageRules};

use crate::args::{ClassifyArgs, Format};
use crate::exit::Exit;
use crate::output;

/// Loads the built-in catalogue, with the user's rules when a directory is given.
pub fn load_catalogue(dir: Option<&Path>) -> anyhow::Result<Catalogue> {
    match dir {
        Some(dir) => Catalogue::with_user_dir(dir).context("invalid rules"),
        None => Catalogue::builtin().context("invalid built-in rules"),
    }
}

pub fn run(args: &ClassifyArgs) -> anyhow::Result<Exit> {
    if args.stage != Stage::ProviderValidation && (args.http_status.is_some() || args.curl_status.is_some()) {
        bail!("--http-status and --curl-status apply to --stage provider-validation only");
    }
    let catalogue = load_catalogue(args.rules.as_deref())?;
    let rules = StageRules::new(&catalogue, args.stage);
    let options = Options {
        exit_status: args.exit_status,
        openshell_version: args.openshell_version,
        http_status: args.http_status,
        curl_status: args.curl_status,
    };
    let mut classifier = Classifier::new(&rules, options);
    match args.input.as_deref() {
        None => classifier.read_from(io::stdin().lock()).context("cannot read stdin")?,
        Some(path) if path == Path::new("-") => classifier.read_from(io::stdin().lock()).context("cannot read stdin")?,
        Some(path) => {
            let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
            classifier.read_from(file).with_context(|| format!("cannot read {}", path.display()))?;
        }
    }
    let diagnosis = classifier.finish();
    let text = match args.format {
        Format::Json => render::json(&diagnosis) + "\n",
        Format::Human => render::human(&diagnosis, Style { color: output::stdout_wants_color(), width: 80 }),
    };
    output::print(&text)?;
    Ok(if diagnosis.is_determined() { Exit::Determined } else { Exit::Unknown })
}
