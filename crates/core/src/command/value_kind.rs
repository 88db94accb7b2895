//! What a placeholder's value must be, and the check that it is: a value stands for a
//! flag's argument (a sandbox name, an image, a state directory) and is validated
//! exactly as that argument would be, wherever it came from. `SANDBOX=--all` would turn
//! `openshell sandbox delete <SANDBOX>` into a delete of every sandbox: it is refused.

use crate::command::PathKind;
use crate::model::{is_valid_name, ImageRef};

/// What a placeholder's value must be, checked before any command uses it: a value
/// stands for a flag's argument and is validated exactly as that argument would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ValueKind {
    /// A sandbox or gateway name.
    Name,
    /// An image reference.
    Image,
    /// An existing regular file.
    File,
    /// An existing directory.
    Directory,
    /// An existing file or directory (a build source).
    Path,
    /// A container engine's address (`unix://`, `tcp://`, `ssh://`, `npipe://`).
    EngineAddress,
    /// A gateway endpoint (`https://…` or `http://…`).
    Endpoint,
    /// A machine for ssh (`host` or `user@host`).
    SshHost,
    /// Any text (a credential, an environment value, a configuration).
    Text,
}

/// Why a value cannot stand for its argument. The messages never repeat the value:
/// it may be a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvalidValue {
    /// Nothing given.
    #[error("is empty")]
    Empty,
    /// A value that would be read as a flag.
    #[error("starts with '-', which the command would read as a flag")]
    Flag,
    /// A NUL byte or a line break.
    #[error("contains a NUL byte or a line break")]
    Control,
    /// Not a name.
    #[error("is not a name (1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit)")]
    Name,
    /// Not an image reference.
    #[error("is not an image reference (name[:tag] or name@digest)")]
    Image,
    /// No such file.
    #[error("is not an existing file")]
    File,
    /// No such directory.
    #[error("is not an existing directory")]
    Directory,
    /// `/` itself.
    #[error("is the root directory")]
    Root,
    /// Nothing there.
    #[error("is not an existing file or directory")]
    Path,
    /// Not an engine address.
    #[error("is not an engine address (unix://, tcp://, ssh:// or npipe://)")]
    EngineAddress,
    /// Not an endpoint.
    #[error("is not a gateway endpoint (https://… or http://…)")]
    Endpoint,
    /// Not a machine.
    #[error("is not a machine for ssh (host or user@host)")]
    SshHost,
}

impl ValueKind {
    /// The name, as JSON and people see it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ValueKind::Name => "name",
            ValueKind::Image => "image",
            ValueKind::File => "file",
            ValueKind::Directory => "directory",
            ValueKind::Path => "path",
            ValueKind::EngineAddress => "engine-address",
            ValueKind::Endpoint => "endpoint",
            ValueKind::SshHost => "ssh-host",
            ValueKind::Text => "text",
        }
    }

    /// Checks `value` can stand for this kind's argument. `whole_word`: the value is a
    /// word of its own in some command (not the tail of `KEY=…` or `--flag=…`), where a
    /// leading `-` would make it a flag. `path` says what is at a path.
    pub fn check(self, value: &str, whole_word: bool, path: impl Fn(&str) -> PathKind) -> Result<(), InvalidValue> {
        if value.is_empty() {
            return Err(InvalidValue::Empty);
        }
        if value.contains(['\0', '\n', '\r']) {
            return Err(InvalidValue::Control);
        }
        if value.starts_with('-') && (whole_word || self != ValueKind::Text) {
            return Err(InvalidValue::Flag);
        }
        let plain = |c: char| c.is_ascii_graphic();
        match self {
            ValueKind::Name if !is_valid_name(value) => Err(InvalidValue::Name),
            ValueKind::Image if ImageRef::parse(value).is_err() => Err(InvalidValue::Image),
            ValueKind::File if path(value) != PathKind::File => Err(InvalidValue::File),
            ValueKind::Directory if value.trim_end_matches('/').is_empty() => Err(InvalidValue::Root),
            ValueKind::Directory if path(value) != PathKind::Directory => Err(InvalidValue::Directory),
            ValueKind::Path if !matches!(path(value), PathKind::File | PathKind::Directory) => Err(InvalidValue::Path),
            ValueKind::EngineAddress
                if !(["unix://", "tcp://", "ssh://", "npipe://"].iter().any(|s| value.starts_with(s)) && value.chars().all(plain)) =>
            {
                Err(InvalidValue::EngineAddress)
            }
            ValueKind::Endpoint if !(["https://", "http://"].iter().any(|s| value.starts_with(s)) && value.chars().all(plain)) => {
                Err(InvalidValue::Endpoint)
            }
            ValueKind::SshHost
                if !value.chars().all(|c| c.is_ascii_alphanumeric() || "@._-:[]".contains(c)) || value.matches('@').count() > 1 =>
            {
                Err(InvalidValue::SshHost)
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_path(_: &str) -> PathKind {
        PathKind::Missing
    }

    #[test]
    fn each_kind_is_named_for_people() {
        let names = [
            (ValueKind::Name, "name"),
            (ValueKind::Image, "image"),
            (ValueKind::File, "file"),
            (ValueKind::Directory, "directory"),
            (ValueKind::Path, "path"),
            (ValueKind::EngineAddress, "engine-address"),
            (ValueKind::Endpoint, "endpoint"),
            (ValueKind::SshHost, "ssh-host"),
            (ValueKind::Text, "text"),
        ];
        for (kind, name) in names {
            assert_eq!(kind.as_str(), name);
        }
    }

    #[test]
    fn each_kind_refuses_what_its_flag_would_refuse() {
        let cases: &[(ValueKind, &str, Result<(), InvalidValue>)] = &[
            (ValueKind::Name, "triage-bot", Ok(())),
            (ValueKind::Name, "--all", Err(InvalidValue::Flag)),
            (ValueKind::Name, "a b", Err(InvalidValue::Name)),
            (ValueKind::Name, "../etc", Err(InvalidValue::Name)),
            (ValueKind::Image, "openshell/sandbox-from:1786000000", Ok(())),
            (ValueKind::Image, "-q", Err(InvalidValue::Flag)),
            (ValueKind::Image, "UPPER/case", Err(InvalidValue::Image)),
            (ValueKind::File, "/etc/x.yaml", Err(InvalidValue::File)),
            (ValueKind::Directory, "/var/x", Err(InvalidValue::Directory)),
            (ValueKind::EngineAddress, "unix:///var/run/docker.sock", Ok(())),
            (ValueKind::EngineAddress, "/var/run/docker.sock", Err(InvalidValue::EngineAddress)),
            (ValueKind::Endpoint, "https://127.0.0.1:8080", Ok(())),
            (ValueKind::Endpoint, "ftp://x", Err(InvalidValue::Endpoint)),
            (ValueKind::SshHost, "me@gpu-box", Ok(())),
            (ValueKind::SshHost, "me@gpu box", Err(InvalidValue::SshHost)),
            (ValueKind::Text, "-not-a-flag-here", Ok(())),
            (ValueKind::Text, "", Err(InvalidValue::Empty)),
            (ValueKind::Text, "two\nlines", Err(InvalidValue::Control)),
        ];
        for (kind, value, expected) in cases {
            assert_eq!(kind.check(value, false, no_path), *expected, "{kind:?} {value:?}");
        }
        assert_eq!(ValueKind::Text.check("-x", true, no_path), Err(InvalidValue::Flag));
        assert_eq!(ValueKind::Text.check("-x", false, no_path), Ok(()));
        assert_eq!(ValueKind::Name.check("-x", false, no_path), Err(InvalidValue::Flag));
        assert_eq!(ValueKind::Path.check("/p", true, |_| PathKind::Directory), Ok(()));
        assert_eq!(ValueKind::Path.check("/p", true, |_| PathKind::File), Ok(()));
        assert_eq!(ValueKind::Path.check("/p", true, |_| PathKind::Other), Err(InvalidValue::Path));
        assert_eq!(ValueKind::EngineAddress.check("ssh://me@box", true, no_path), Ok(()));
        assert_eq!(ValueKind::EngineAddress.check("ssh://me@box x", true, no_path), Err(InvalidValue::EngineAddress));
        assert_eq!(ValueKind::Endpoint.check("http://gw:8080", true, no_path), Ok(()));
        assert_eq!(ValueKind::Endpoint.check("https://gw:8080/ x", true, no_path), Err(InvalidValue::Endpoint));
        assert_eq!(ValueKind::SshHost.check("gpu-box", true, no_path), Ok(()));
        assert_eq!(ValueKind::SshHost.check("a@b@c", true, no_path), Err(InvalidValue::SshHost));
        assert_eq!(ValueKind::Image.check("registry.example.com:5000/team/agent:1", true, no_path), Ok(()));
        assert_eq!(ValueKind::File.check("/p", true, |_| PathKind::File), Ok(()));
        assert_eq!(ValueKind::Directory.check("/p", true, |_| PathKind::File), Err(InvalidValue::Directory));
        assert_eq!(ValueKind::Directory.check("/p", true, |_| PathKind::Directory), Ok(()));
        assert_eq!(ValueKind::Directory.check("/", true, |_| PathKind::Directory), Err(InvalidValue::Root));
    }
}
