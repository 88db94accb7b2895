//! The flags of `openshell sandbox create` in every release (`openshell-create-path.md`
//! §2), global flags included: which take a value, and how sensitive the value is.

/// How a value may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Sensitivity {
    /// Fine to show anywhere.
    Public,
    /// Meaningful only on the host that ran the create, or revealing about it:
    /// temporary files, bind paths, GPU ids, driver configuration.
    HostSpecific,
    /// Credentials: never shown.
    Secret,
}

/// What follows a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    /// A value, always.
    Value,
    /// `--gpu [COUNT]`: a count only when the next word is one.
    OptionalCount,
    /// Nothing.
    Nothing,
}

/// One flag: its names, whether it takes a value, how sensitive the value is.
pub(crate) struct Spec {
    pub(crate) long: &'static str,
    pub(crate) short: Option<char>,
    pub(crate) takes: Takes,
    pub(crate) sensitivity: Sensitivity,
}

const fn spec(long: &'static str, short: Option<char>, takes: Takes, sensitivity: Sensitivity) -> Spec {
    Spec { long, short, takes, sensitivity }
}

use Sensitivity::{HostSpecific, Public};
use Takes::{Nothing, OptionalCount, Value};

/// The flags of `openshell sandbox create` in every release (`openshell-create-path.md` §2),
/// global flags included.
pub(crate) const SPECS: &[Spec] = &[
    spec("--name", None, Value, Public),
    spec("--from", None, Value, Public),
    spec("--upload", None, Value, HostSpecific),
    spec("--no-git-ignore", None, Nothing, Public),
    spec("--keep", None, Nothing, Public),
    spec("--no-keep", None, Nothing, Public),
    spec("--editor", None, Value, Public),
    spec("--gpu", None, OptionalCount, Public),
    spec("--gpu-device", None, Value, HostSpecific),
    spec("--cpu", None, Value, Public),
    spec("--memory", None, Value, Public),
    spec("--driver-config-json", None, Value, HostSpecific),
    spec("--provider", None, Value, Public),
    spec("--policy", None, Value, HostSpecific),
    spec("--forward", None, Value, Public),
    spec("--tty", None, Nothing, Public),
    spec("--no-tty", None, Nothing, Public),
    spec("--detach", None, Nothing, Public),
    spec("--auto-providers", None, Nothing, Public),
    spec("--no-auto-providers", None, Nothing, Public),
    spec("--label", None, Value, Public),
    spec("--env", None, Value, Public),
    spec("--no-credential-warnings", None, Nothing, Public),
    spec("--approval-mode", None, Value, Public),
    spec("--output", Some('o'), Value, Public),
    spec("--remote", None, Value, HostSpecific),
    spec("--ssh-key", None, Value, HostSpecific),
    spec("--bootstrap", None, Nothing, Public),
    spec("--no-bootstrap", None, Nothing, Public),
    spec("--gateway", Some('g'), Value, Public),
    spec("--gateway-endpoint", None, Value, HostSpecific),
    spec("--gateway-insecure", None, Nothing, Public),
    spec("--workspace", None, Value, Public),
    spec("--verbose", Some('v'), Nothing, Public),
];

/// How a flag's value was written.
/// The flag of this long name.
pub(crate) fn find_long(name: &str) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.long == name)
}

/// The flag of this short name.
pub(crate) fn find_short(c: char) -> Option<&'static Spec> {
    SPECS.iter().find(|s| s.short == Some(c))
}

/// A word that clap would read as a flag rather than a value.
pub(crate) fn looks_like_flag(word: &str) -> bool {
    word.len() > 1 && word.starts_with('-') && !word[1..].starts_with(|c: char| c.is_ascii_digit())
}
