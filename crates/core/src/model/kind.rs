//! The answers: what kind of failure the output shows. The ids are a public contract
//! (JSON, rule files) and are NemoClaw's where NemoClaw has the kind, so tools that
//! already consume them keep working.

use crate::model::Stage;

/// A failure kind.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::EnumIter,
    strum::VariantNames,
)]
#[strum(serialize_all = "snake_case", parse_err_ty = crate::model::UnknownId, parse_err_fn = Kind::unknown)]
#[non_exhaustive]
pub enum Kind {
    /// Nothing failed (exit status 0).
    None,
    /// No rule decided.
    Unknown,
    /// The export or upload of the built image timed out.
    ImageTransferTimeout,
    /// The transfer or the gateway connection was reset.
    ImageTransferReset,
    /// The archive upload into the gateway container answered 404 although it runs.
    ImageUploadContainerMissing,
    /// The archive upload failed for another cause.
    ImageUploadFailed,
    /// The CLI was killed (out of memory) while exporting the image.
    ImageExportOomKilled,
    /// The CLI no longer trusts the gateway's certificate.
    TlsCertMismatch,
    /// The gateway could not inject the NVIDIA GPU through CDI.
    GpuCdiInjectionFailed,
    /// The `openclaw plugins install` build step could not reach npm or ClawHub.
    PluginInstallNetworkDenied,
    /// Another build step failed on the network.
    BuildStepNetworkFailed,
    /// A build step failed for another reason.
    BuildStepFailed,
    /// The `FROM` image could not be pulled.
    BuildBaseImagePullFailed,
    /// No space left on a device, in any phase.
    DiskFull,
    /// The image's architecture does not match the host.
    PlatformMismatch,
    /// `Created sandbox:` was printed and the command still failed.
    SandboxCreateIncomplete,
    /// The run was stopped from outside (Ctrl-C, SIGTERM, a hang-up) before it failed.
    Interrupted,
    /// The container engine is not reachable.
    DockerUnreachable,
    /// The gateway's database was written by another OpenShell version.
    DatabaseMigrationIncompatible,
    /// Provider validation: the request did not reach the provider.
    Transport,
    /// Provider validation: the credential was refused.
    Credential,
    /// Provider validation: the model is not served.
    Model,
    /// Provider validation: the endpoint is wrong.
    Endpoint,
}

crate::model::id::string_id!(Kind, "kind");

impl Kind {
    /// Every kind, in order.
    pub fn all() -> impl Iterator<Item = Kind> {
        <Kind as strum::IntoEnumIterator>::iter()
    }

    /// The stage this kind belongs to; `None` for `none` and `unknown`, which every
    /// stage can answer.
    #[must_use]
    pub fn stage(self) -> Option<Stage> {
        match self {
            Kind::None | Kind::Unknown | Kind::Interrupted => None,
            Kind::DockerUnreachable | Kind::DatabaseMigrationIncompatible => Some(Stage::GatewayStart),
            Kind::Transport | Kind::Credential | Kind::Model | Kind::Endpoint => Some(Stage::ProviderValidation),
            _ => Some(Stage::SandboxCreate),
        }
    }
}

/// What a provider-validation failure asks the operator to do next (NemoClaw's `retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
#[strum(serialize_all = "snake_case", parse_err_ty = crate::model::UnknownId, parse_err_fn = Retry::unknown)]
#[non_exhaustive]
pub enum Retry {
    /// Retry as it is: the failure was transient.
    Retry,
    /// Enter the credential again.
    Credential,
    /// Choose another model.
    Model,
    /// Choose the provider and model again.
    Selection,
}

crate::model::id::string_id!(Retry, "retry");
