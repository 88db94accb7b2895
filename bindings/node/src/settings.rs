//! The options a caller passes, turned into the engine's own types, with the errors the
//! command gives for the same mistakes.

use std::path::PathBuf;
use std::str::FromStr;
use std::sync::OnceLock;

use napi::{Error, Result, Status};
use napi_derive::napi;
use sandbox_triage_core::{Catalogue, Options, Stage, StageSet, Triage, Version};

/// How to read an output: the options `sandbox-triage classify` takes.
#[napi(object)]
#[derive(Default)]
pub struct DiagnoseOptions {
    /// `sandbox-create`, `gateway-start` or `provider-validation`; told from the output
    /// when absent.
    pub stage: Option<String>,
    /// The command's exit status, when known (0: it succeeded).
    pub exit_status: Option<i32>,
    /// The OpenShell release that printed the output.
    pub openshell_version: Option<String>,
    /// Provider validation: the HTTP status beside the message.
    pub http_status: Option<u32>,
    /// Provider validation: curl's exit status beside the message.
    pub curl_status: Option<i32>,
    /// The Dockerfile the build used, to place its failed step.
    pub dockerfile: Option<String>,
    /// The command failed, its status not known (as when NemoClaw calls its
    /// classifier): a run that ends inside a build step failed in it.
    pub failed: Option<bool>,
}

/// [`DiagnoseOptions`] checked.
#[derive(Clone)]
pub(crate) struct Reading {
    pub(crate) stage: Option<Stage>,
    pub(crate) options: Options,
    pub(crate) http_status: Option<u16>,
    pub(crate) curl_status: Option<i32>,
    pub(crate) dockerfile: Option<PathBuf>,
}

/// A caller's mistake, said as the command says it.
pub(crate) fn invalid(message: impl Into<String>) -> Error {
    Error::new(Status::InvalidArg, message.into())
}

/// An id or version from `text`, or the parser's own error.
pub(crate) fn parsed<T: FromStr>(option: &str, text: Option<&str>) -> Result<Option<T>>
where
    T::Err: std::fmt::Display,
{
    text.map(|t| t.parse::<T>().map_err(|e| invalid(format!("{option}: {e}")))).transpose()
}

impl Reading {
    pub(crate) fn new(options: Option<DiagnoseOptions>) -> Result<Reading> {
        let options = options.unwrap_or_default();
        let stage: Option<Stage> = parsed("stage", options.stage.as_deref())?;
        let version: Option<Version> = parsed("openshellVersion", options.openshell_version.as_deref())?;
        let statuses = options.http_status.is_some() || options.curl_status.is_some();
        if statuses && stage != Some(Stage::ProviderValidation) {
            return Err(invalid("httpStatus and curlStatus apply to stage 'provider-validation' only"));
        }
        // As `classify --http-status` takes it: any 16-bit number.
        let http_status = options
            .http_status
            .map(|s| u16::try_from(s).map_err(|_| invalid(format!("httpStatus: {s} is not an HTTP status"))))
            .transpose()?;
        Ok(Reading {
            stage,
            options: Options {
                exit_status: options.exit_status,
                openshell_version: version,
                signal: None,
                supervised: false,
                failed: options.failed.unwrap_or(false),
            },
            http_status,
            curl_status: options.curl_status,
            dockerfile: options.dockerfile.map(PathBuf::from),
        })
    }
}

impl Reading {
    /// A classifier for an output read this way.
    pub(crate) fn triage(&self) -> Result<Triage<'static>> {
        Ok(Triage::new(rules()?, self.stage, self.options, self.http_status, self.curl_status))
    }
}

/// The built-in rules, compiled once for the process.
pub(crate) fn rules() -> Result<&'static StageSet> {
    static SET: OnceLock<std::result::Result<StageSet, String>> = OnceLock::new();
    SET.get_or_init(|| Catalogue::builtin().map(|c| StageSet::new(&c)).map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| Error::new(Status::GenericFailure, format!("invalid built-in rules: {e}")))
}
