//! The host the create ran on, in both vocabularies: ours (`linux`/`macos`/`windows`,
//! `x86_64`/`aarch64`, Rust's `std::env::consts`) and NemoClaw's (Node's
//! `linux`/`darwin`/`win32`, `x64`/`arm64`).

use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Arch {
    X86_64,
    Aarch64,
}

impl FromStr for Os {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "linux" => Ok(Os::Linux),
            "macos" | "darwin" => Ok(Os::Macos),
            "windows" | "win32" => Ok(Os::Windows),
            _ => Err(format!("unknown os '{s}' (expected linux, macos or windows; darwin and win32 are accepted)")),
        }
    }
}

impl FromStr for Arch {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "x86_64" | "x64" | "amd64" => Ok(Arch::X86_64),
            "aarch64" | "arm64" => Ok(Arch::Aarch64),
            _ => Err(format!("unknown arch '{s}' (expected x86_64 or aarch64; x64 and arm64 are accepted)")),
        }
    }
}

impl Os {
    /// The OS this program was built for, when it is one the plans know about.
    #[must_use]
    pub fn current() -> Option<Os> {
        std::env::consts::OS.parse().ok()
    }
}

impl Arch {
    #[must_use]
    pub fn current() -> Option<Arch> {
        std::env::consts::ARCH.parse().ok()
    }
}

/// An OpenShell CLI version (`openshell --version` prints it). Only the numeric triple
/// matters here: it decides which messages the CLI can print at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Version {
    pub major: u32,
    pub minor: u32,
    pub patch: u32,
}

impl FromStr for Version {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim().trim_start_matches("openshell").trim().trim_start_matches('v');
        // Pre-release and build suffixes (`0.0.36-dev.3+g1234`) do not change the era.
        let core = trimmed.split(['-', '+']).next().unwrap_or_default();
        let mut parts = core.split('.').map(str::parse::<u32>);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(major)), Some(Ok(minor)), Some(Ok(patch)), None) => Ok(Version { major, minor, patch }),
            _ => Err(format!("invalid OpenShell version '{s}' (expected X.Y.Z)")),
        }
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
    fn both_vocabularies_parse() {
        assert_eq!("darwin".parse::<Os>(), Ok(Os::Macos));
        assert_eq!("win32".parse::<Os>(), Ok(Os::Windows));
        assert_eq!("x64".parse::<Arch>(), Ok(Arch::X86_64));
        assert_eq!("arm64".parse::<Arch>(), Ok(Arch::Aarch64));
        assert!("sparc".parse::<Arch>().is_err());
    }

    #[test]
    fn versions_parse_with_prefixes_and_suffixes() {
        let v: Version = "openshell 0.0.36".parse().unwrap();
        assert_eq!(v, Version { major: 0, minor: 0, patch: 36 });
        assert_eq!("v0.0.37-dev.1".parse::<Version>().unwrap().patch, 37);
        assert!("0.0".parse::<Version>().is_err());
        assert!("0.0.x".parse::<Version>().is_err());
    }
}
