//! The machine a create ran on. Both vocabularies are accepted: Rust's
//! (`std::env::consts`) and NemoClaw's (Node's `linux`/`darwin`/`win32`, `x64`/`arm64`).

/// An operating system the plans know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
#[strum(parse_err_ty = crate::model::UnknownId, parse_err_fn = Os::unknown)]
#[non_exhaustive]
pub enum Os {
    /// Linux, WSL 2 included.
    #[strum(to_string = "linux")]
    Linux,
    /// macOS (`darwin` to Node).
    #[strum(to_string = "macos", serialize = "darwin")]
    Macos,
    /// Windows (`win32` to Node).
    #[strum(to_string = "windows", serialize = "win32")]
    Windows,
}

crate::model::id::string_id!(Os, "os");

/// A CPU architecture the plans know about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::Display, strum::EnumString, strum::IntoStaticStr, strum::VariantNames)]
#[strum(parse_err_ty = crate::model::UnknownId, parse_err_fn = Arch::unknown)]
#[non_exhaustive]
pub enum Arch {
    /// x86-64 (`x64` to Node, `amd64` to Go).
    #[strum(to_string = "x86_64", serialize = "x64", serialize = "amd64")]
    X86_64,
    /// 64-bit ARM, DGX Spark among them (`arm64` to Node and Go).
    #[strum(to_string = "aarch64", serialize = "arm64")]
    Aarch64,
}

crate::model::id::string_id!(Arch, "arch");

impl Os {
    /// The OS this program was built for, when it is one the plans know about.
    #[must_use]
    pub fn current() -> Option<Os> {
        std::env::consts::OS.parse().ok()
    }
}

impl Arch {
    /// The architecture this program was built for, when the plans know it.
    #[must_use]
    pub fn current() -> Option<Arch> {
        std::env::consts::ARCH.parse().ok()
    }
}

/// The machine the create ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host {
    /// Its operating system.
    pub os: Os,
    /// Its architecture.
    pub arch: Arch,
    /// Linux under WSL 2 (Docker Desktop's engine, CDI quirks).
    pub wsl: bool,
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
        assert_eq!(Os::Macos.as_str(), "macos");
        assert!("sparc".parse::<Arch>().is_err());
    }
}
