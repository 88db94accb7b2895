//! Reading a captured output and classifying it: a log streams through the classifier,
//! a provider-validation message is read whole with its statuses.

use std::io::Read;

use anyhow::{bail, Context};
use sandbox_triage_core::{classify_provider, Classifier, Diagnosis, Options, ProviderFailure, Stage, StageRules};

use crate::args::InputArgs;
use crate::input;
use crate::settings::Settings;

/// A provider-validation message is short; more than this is not read.
const PROVIDER_MESSAGE_MAX: u64 = 64 * 1024;

/// Reads the input and classifies it.
pub(crate) fn diagnose(args: &InputArgs, settings: &Settings) -> anyhow::Result<Diagnosis> {
    let provider = args.stage == Stage::ProviderValidation;
    if !provider && (args.provider.http_status.is_some() || args.provider.curl_status.is_some()) {
        bail!("--http-status and --curl-status apply to --stage provider-validation only");
    }
    let rules = StageRules::new(&settings.catalogue, args.stage);
    let (reader, name) = input::open(args.input.as_deref())?;
    if provider {
        let mut message = Vec::new();
        reader.take(PROVIDER_MESSAGE_MAX).read_to_end(&mut message).with_context(|| format!("cannot read {name}"))?;
        let message = String::from_utf8_lossy(&message);
        let failure = ProviderFailure { message: &message, http_status: args.provider.http_status, curl_status: args.provider.curl_status };
        return Ok(classify_provider(&rules, &failure));
    }
    let options = Options { exit_status: args.exit_status, openshell_version: settings.openshell_version };
    let mut classifier = Classifier::new(&rules, options);
    classifier.read_from(reader).with_context(|| format!("cannot read {name}"))?;
    Ok(classifier.finish())
}
