//! OpenShell CLI versions: the release decides which messages the CLI can print at all
//! (the tar upload ended with 0.0.36) and which subcommands a plan may use.

use std::str::FromStr;

/// An OpenShell CLI version (`openshell --version` prints it). Only the numeric triple
/// matters here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    /// The major number.
    pub major: u32,
    /// The minor number.
    pub minor: u32,
    /// The patch number.
    pub patch: u32,
}

impl Version {
    /// The last release that uploads the built image as an archive into the gateway.
    pub const LAST_UPLOAD_RELEASE: Version = Version { major: 0, minor: 0, patch: 36 };

    /// The era this release belongs to.
    #[must_use]
    pub fn era(self) -> Era {
        if self <= Version::LAST_UPLOAD_RELEASE {
            Era::TarUpload
        } else {
            Era::PackageManaged
        }
    }
}

/// The two lines of OpenShell releases a log can come from: what the CLI does with a
/// built image, and which gateway subcommands exist, differ between them.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames,
)]
#[strum(serialize_all = "kebab-case", parse_err_ty = crate::model::UnknownId, parse_err_fn = Era::unknown)]
#[non_exhaustive]
pub enum Era {
    /// 0.0.36 and older: the CLI exports the built image and uploads it into the k3s
    /// gateway container `openshell-cluster-<gw>`; `openshell gateway start` exists.
    TarUpload,
    /// 0.0.37 and newer: the image stays in the CLI's local engine and the gateway, a
    /// package-managed service, must find it in its own store; nothing is uploaded.
    PackageManaged,
}

crate::model::id::string_id!(Era, "era");

impl Era {
    /// The releases it spans, for people.
    #[must_use]
    pub fn releases(self) -> &'static str {
        match self {
            Era::TarUpload => "OpenShell 0.0.36 and older (tar upload into the k3s gateway)",
            Era::PackageManaged => "OpenShell 0.0.37 and newer (package-managed gateway, no upload)",
        }
    }
}

/// Why a text is not a version.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid OpenShell version '{0}' (expected X.Y.Z)")]
pub struct InvalidVersion(pub String);

impl FromStr for Version {
    type Err = InvalidVersion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim().trim_start_matches("openshell").trim().trim_start_matches('v');
        // Pre-release and build suffixes (`0.0.36-dev.3+g1234`) do not change the era.
        let core = trimmed.split(['-', '+']).next().unwrap_or_default();
        let mut parts = core.split('.').map(str::parse::<u32>);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(major)), Some(Ok(minor)), Some(Ok(patch)), None) => Ok(Version { major, minor, patch }),
            _ => Err(InvalidVersion(s.to_owned())),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_with_prefixes_and_suffixes() {
        let v: Version = "openshell 0.0.36".parse().unwrap();
        assert_eq!(v, Version { major: 0, minor: 0, patch: 36 });
        assert_eq!("v0.0.37-dev.1".parse::<Version>().unwrap().patch, 37);
        assert!("0.0".parse::<Version>().is_err());
        assert!("0.0.x".parse::<Version>().is_err());
    }

    #[test]
    fn the_upload_ends_with_0_0_36() {
        assert_eq!(Version { major: 0, minor: 0, patch: 36 }.era(), Era::TarUpload);
        assert_eq!(Version { major: 0, minor: 0, patch: 37 }.era(), Era::PackageManaged);
        assert_eq!(Version { major: 0, minor: 1, patch: 0 }.era(), Era::PackageManaged);
        assert_eq!("package-managed".parse::<Era>().unwrap(), Era::PackageManaged);
        assert_eq!(Era::TarUpload.to_string(), "tar-upload");
    }
}
