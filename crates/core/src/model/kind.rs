//! The answers: what kind of failure the output shows. The ids are a public contract
//! (JSON, rule files) and are NemoClaw's where NemoClaw has the kind, so tools that
//! already consume them keep working.

use crate::model::Stage;

/// A failure kind.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::Display, strum::IntoStaticStr, strum::EnumIter, strum::VariantNames,
)]
#[strum(serialize_all = "snake_case")]
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
    /// The create could not resolve or reach its gateway.
    GatewayUnreachable,
    /// The locally built image is not in the image store the gateway's driver uses
    /// (0.0.37 and newer: the CLI built into another engine or machine).
    ImageNotInGatewayStore,
    /// The gateway's driver could not pull the sandbox's registry image.
    SandboxImagePullFailed,
    /// The CLI refused `--from` before doing anything.
    InvalidSource,
    /// A sandbox of that name already exists.
    SandboxAlreadyExists,
    /// The sandbox was created but not ready in time.
    ProvisioningTimeout,
    /// The builder printed nothing for the no-progress limit (0.0.37 and newer).
    BuildStalled,
    /// The upload worked but `ctr images import` in the gateway failed (0.0.36 and older).
    ImageImportFailed,
    /// The container engine is not reachable (the gateway's, or the CLI's own to build).
    DockerUnreachable,
    /// The gateway answered but refused the CLI's credentials (gRPC Unauthenticated).
    GatewayAuthFailed,
    /// The gateway answered and refused the create for a reason it states (its own
    /// configuration, a provider or policy it does not know).
    GatewayRejectedCreate,
    /// The sandbox's container started and OpenShell's supervisor exited: the image lacks
    /// what it needs (a `USER`, `ip`, `nsenter`, `/run/netns`, a merged `/usr`).
    SandboxImageUnsuitable,
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
    /// A kind a user's rule names that the catalogue lacks: the diagnosis carries its id,
    /// title and fix ([`crate::model::UserKind`]), and it is shown by its own id. No rule
    /// file, corpus header or command line can name this one; it stays last.
    UserKind,
}

// Every id but the last variant's: `user_kind` is never given or shown.
crate::model::id::string_id!(Kind, "kind", {
    let ids = <Kind as strum::VariantNames>::VARIANTS;
    &ids[..ids.len() - 1]
});

impl std::str::FromStr for Kind {
    type Err = crate::model::UnknownId;

    fn from_str(id: &str) -> Result<Kind, Self::Err> {
        Kind::all().find(|kind| kind.as_str() == id).ok_or_else(|| Kind::unknown(id))
    }
}

impl Kind {
    /// Every kind of the catalogue, in order: never [`Kind::UserKind`].
    pub fn all() -> impl Iterator<Item = Kind> {
        <Kind as strum::IntoEnumIterator>::iter().filter(|kind| *kind != Kind::UserKind)
    }

    /// The stages that can answer this kind; every stage for `none`, `unknown` and
    /// `interrupted`.
    #[must_use]
    pub fn stages(self) -> &'static [Stage] {
        match self {
            Kind::None | Kind::Unknown | Kind::Interrupted => &[Stage::SandboxCreate, Stage::GatewayStart, Stage::ProviderValidation],
            // Provider validation is answered by `provider` rules alone, which name the
            // catalogue's kinds: a failure rule there would never decide.
            Kind::UserKind => &[Stage::SandboxCreate, Stage::GatewayStart],
            // Both the gateway and the CLI's own build need an engine.
            Kind::DockerUnreachable => &[Stage::GatewayStart, Stage::SandboxCreate],
            Kind::DatabaseMigrationIncompatible => &[Stage::GatewayStart],
            Kind::Transport | Kind::Credential | Kind::Model | Kind::Endpoint => &[Stage::ProviderValidation],
            _ => &[Stage::SandboxCreate],
        }
    }
}

impl Kind {
    /// Whether only OpenShell itself reports this kind (its gateway, its sandbox, its
    /// image hand-over): a build step's own output that looks like it is the step's.
    #[must_use]
    pub fn reported_by_openshell(self) -> bool {
        matches!(
            self,
            Kind::GatewayUnreachable
                | Kind::ImageNotInGatewayStore
                | Kind::SandboxImagePullFailed
                | Kind::InvalidSource
                | Kind::SandboxAlreadyExists
                | Kind::ProvisioningTimeout
                | Kind::SandboxCreateIncomplete
                | Kind::ImageImportFailed
                | Kind::ImageUploadContainerMissing
                | Kind::ImageUploadFailed
                | Kind::BuildStalled
                | Kind::GatewayAuthFailed
                | Kind::GatewayRejectedCreate
                | Kind::SandboxImageUnsuitable
        )
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
