//! The answers the classifier gives: which stage was classified and what kind of failure
//! it found. The string forms are a public contract (JSON, rule files, NemoClaw's ids).

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// Which command's output is being classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// `openshell sandbox create` (and `nemoclaw onboard` around it).
    SandboxCreate,
    /// `openshell gateway start` or the gateway service's log.
    GatewayStart,
    /// An inference provider's validation request (HTTP status, curl status, message).
    ProviderValidation,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::SandboxCreate, Stage::GatewayStart, Stage::ProviderValidation];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::SandboxCreate => "sandbox-create",
            Stage::GatewayStart => "gateway-start",
            Stage::ProviderValidation => "provider-validation",
        }
    }
}

impl FromStr for Stage {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.as_str() == s)
            .ok_or_else(|| format!("unknown stage '{s}' (expected sandbox-create, gateway-start or provider-validation)"))
    }
}

macro_rules! kinds {
    ($($variant:ident => $name:literal, $stage:ident;)*) => {
        /// A failure kind. The ids are NemoClaw's where NemoClaw has the kind, so tools
        /// that already consume them keep working.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $($variant,)*
        }

        impl Kind {
            pub const ALL: &'static [Kind] = &[$(Kind::$variant,)*];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }

            /// The stage this kind belongs to; `None` for `none` and `unknown`, which
            /// every stage can answer.
            #[must_use]
            pub fn stage(self) -> Option<Stage> {
                match self {
                    $(Kind::$variant => kinds!(@stage $stage),)*
                }
            }
        }
    };
    (@stage any) => { None };
    (@stage create) => { Some(Stage::SandboxCreate) };
    (@stage gateway) => { Some(Stage::GatewayStart) };
    (@stage provider) => { Some(Stage::ProviderValidation) };
}

kinds! {
    None => "none", any;
    Unknown => "unknown", any;
    ImageTransferTimeout => "image_transfer_timeout", create;
    ImageTransferReset => "image_transfer_reset", create;
    ImageUploadContainerMissing => "image_upload_container_missing", create;
    ImageUploadFailed => "image_upload_failed", create;
    ImageExportOomKilled => "image_export_oom_killed", create;
    TlsCertMismatch => "tls_cert_mismatch", create;
    GpuCdiInjectionFailed => "gpu_cdi_injection_failed", create;
    PluginInstallNetworkDenied => "plugin_install_network_denied", create;
    BuildStepNetworkFailed => "build_step_network_failed", create;
    BuildStepFailed => "build_step_failed", create;
    BuildBaseImagePullFailed => "build_base_image_pull_failed", create;
    DiskFull => "disk_full", create;
    PlatformMismatch => "platform_mismatch", create;
    SandboxCreateIncomplete => "sandbox_create_incomplete", create;
    DockerUnreachable => "docker_unreachable", gateway;
    DatabaseMigrationIncompatible => "database_migration_incompatible", gateway;
    Transport => "transport", provider;
    Credential => "credential", provider;
    Model => "model", provider;
    Endpoint => "endpoint", provider;
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Kind::ALL.iter().copied().find(|kind| kind.as_str() == s).ok_or_else(|| format!("unknown kind '{s}'"))
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl Serialize for Stage {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a provider-validation failure asks the operator to do next (NemoClaw's `retry`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Retry {
    Retry,
    Credential,
    Model,
    Selection,
}

impl FromStr for Retry {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "retry" => Ok(Retry::Retry),
            "credential" => Ok(Retry::Credential),
            "model" => Ok(Retry::Model),
            "selection" => Ok(Retry::Selection),
            _ => Err(format!("unknown retry '{s}' (expected retry, credential, model or selection)")),
        }
    }
}

/// JSON Schema for enums serialised as their string ids.
macro_rules! string_enum_schema {
    ($ty:ty, $name:literal, $values:expr) => {
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let values: Vec<&'static str> = $values;
                schemars::json_schema!({ "type": "string", "enum": values })
            }
        }
    };
}
pub(crate) use string_enum_schema;

string_enum_schema!(Kind, "Kind", Kind::ALL.iter().map(|k| k.as_str()).collect());
string_enum_schema!(Stage, "Stage", Stage::ALL.iter().map(|s| s.as_str()).collect());
