//! Reading a captured output and classifying it: a log streams through the classifier,
//! a provider-validation message is read whole with its statuses.

use std::path::Path;

use anyhow::{bail, Context};
use sandbox_triage_core::{Diagnosis, Kind, Options, Stage, StageSet, Triage, Version};

use crate::args::InputArgs;
use crate::container_log;
use crate::input;
use crate::settings::Settings;

/// Reads the input at `path` (stdin for `-` or none) and classifies it, for the stage
/// given or the one it shows.
/// With `hints`, what would have helped is said on stderr (an empty input, a missing
/// exit status); several files' answers go without.
pub(crate) fn diagnose(path: Option<&Path>, args: &InputArgs, settings: &Settings, hints: bool) -> anyhow::Result<Diagnosis> {
    let statuses = args.provider.http_status.is_some() || args.provider.curl_status.is_some();
    if statuses && args.stage != Some(Stage::ProviderValidation) {
        bail!("--http-status and --curl-status apply to --stage provider-validation only");
    }
    let stage = args.stage;
    let set = StageSet::new(&settings.catalogue);
    let (reader, name) = input::open(path)?;
    if name == "stdin" && std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        eprintln!("sandbox-triage: reading from stdin (a terminal); pipe the create's output, 2>&1 included, or end with Ctrl-D");
    }
    let options = Options {
        exit_status: args.exit_status,
        openshell_version: settings.openshell_version,
        signal: None,
        supervised: false,
        failed: false,
    };
    let mut triage = Triage::new(&set, stage, options, args.provider.http_status, args.provider.curl_status);
    triage.read_from(reader).with_context(|| format!("cannot read {name}"))?;
    if args.probe && args.exit_status != Some(0) {
        let so_far = triage.peek();
        if let Some(log) = container_log::probe(&so_far) {
            triage.feed(&log);
        }
    }
    let mut diagnosis = triage.finish();
    sandbox_triage_host::place_dockerfile(&mut diagnosis, args.dockerfile.as_deref(), None);
    if hints && diagnosis.bytes == 0 && diagnosis.stage != Stage::ProviderValidation {
        eprintln!("sandbox-triage: the input is empty: pipe the create's output, stderr included (`2>&1`)");
    } else if hints {
        if let Some(hint) = hint(&diagnosis, args.exit_status, settings.openshell_version, args.stage.is_none()) {
            eprintln!("sandbox-triage: {hint}");
        }
    }
    Ok(diagnosis)
}

/// What the user could add to get a better answer, when the answer is one it could
/// change: the stage (when it was told from the output, as a provider's), the exit status
/// (a step's failure counts only once the command is known to have failed; a success can
/// look unfinished), the release given.
fn hint(diagnosis: &Diagnosis, exit_status: Option<i32>, version: Option<Version>, stage_told: bool) -> Option<String> {
    let create = diagnosis.stage == Stage::SandboxCreate;
    if stage_told && diagnosis.stage == Stage::ProviderValidation {
        // A build step's own output (a curl or TLS error) reads like a provider's.
        return Some(
            "read as a provider's validation message: the output shows no build, create or gateway start; if it is a create's, pass `--stage sandbox-create` (and its `--exit-status`)"
                .to_owned(),
        );
    }
    match diagnosis.kind {
        Kind::Unknown if create && exit_status.is_none() => Some(
            "no exit status was given: if the command failed, pass it (`--exit-status N`): the step the output ended in is then read as failed (`sandbox-triage run` knows it)"
                .to_owned(),
        ),
        Kind::Unknown => version.map(|v| {
            format!("read as OpenShell {v}'s output (`--openshell-version`): what only other releases print is not matched; without it, the output's own wording tells the release")
        }),
        Kind::SandboxCreateIncomplete if exit_status.is_none() => {
            Some("no exit status was given: a create that succeeded can end this way too; if it did, pass `--exit-status 0`".to_owned())
        }
        _ => None,
    }
}
