//! OpenShell's gateway registry, read the way its CLI reads it (0.0.37 and newer;
//! `openshell-core/src/paths.rs`, `openshell-bootstrap/src/paths.rs` and `metadata.rs`):
//! per-user entries `$XDG_CONFIG_HOME/openshell/gateways/NAME/metadata.json` (else
//! `~/.config`, on macOS too), the active one named by `…/openshell/active_gateway`, and
//! read-only entries an installer seeds under `/etc/openshell` (or
//! `$OPENSHELL_SYSTEM_GATEWAY_DIR`), which a per-user entry of the same name shadows.
//! Nothing here writes.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

/// A gateway's `metadata.json`: the fields this check uses, and the ones OpenShell
/// requires (it has no serde default for them, so a record without one is refused).
#[derive(Debug, Deserialize)]
pub(super) struct Metadata {
    pub(super) name: String,
    pub(super) gateway_endpoint: String,
    pub(super) is_remote: bool,
    /// Read only so that a record without it fails here as it fails in OpenShell.
    #[allow(dead_code)]
    gateway_port: u16,
    #[serde(default)]
    pub(super) remote_host: Option<String>,
    /// `None` or `mtls`: mTLS; `plaintext`, `cloudflare_jwt`, `oidc`.
    #[serde(default)]
    pub(super) auth_mode: Option<String>,
}

/// Which config layer holds an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Layer {
    User,
    System,
}

/// One registered gateway: its directory's name, and its metadata or why it does not read.
#[derive(Debug)]
pub(super) struct Entry {
    pub(super) name: String,
    pub(super) layer: Layer,
    pub(super) file: PathBuf,
    pub(super) metadata: Result<Metadata, String>,
}

/// Where the active gateway's name came from, in the order the CLI looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ActiveFrom {
    /// `OPENSHELL_GATEWAY`: overrides the saved choice for this shell.
    Env,
    /// `$XDG_CONFIG_HOME/openshell/active_gateway`.
    User,
    /// `/etc/openshell/active_gateway`: the installer's default.
    System,
}

#[derive(Debug)]
pub(super) struct Registry {
    /// `…/openshell`, the per-user root; `Err` when it cannot be found (no `HOME`).
    pub(super) root: Result<PathBuf, String>,
    /// Whether the root is the snap's (`~/snap/openshell/common/.config/openshell`).
    pub(super) snap: bool,
    /// The system root: `/etc/openshell` or `$OPENSHELL_SYSTEM_GATEWAY_DIR`.
    pub(super) system: PathBuf,
    pub(super) entries: Vec<Entry>,
    pub(super) active: Option<(String, ActiveFrom)>,
    /// Directories that exist but cannot be listed, with why.
    pub(super) unreadable: Vec<String>,
}

impl Registry {
    pub(super) fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// The per-user directory of a gateway's mTLS bundle: OpenShell looks under the
    /// user's config only (never the system layer), by the metadata's name made safe.
    pub(super) fn mtls_dir(&self, name: &str) -> Option<PathBuf> {
        let safe: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' }).collect();
        self.root.as_ref().ok().map(|root| root.join("gateways").join(safe).join("mtls"))
    }
}

/// The per-user root as OpenShell finds it: `$XDG_CONFIG_HOME` when set (even empty,
/// as OpenShell does), else `$HOME/.config`. A snap's CLI runs with `XDG_CONFIG_HOME`
/// set to `~/snap/openshell/common/.config`; from outside the snap that is read only
/// when it is the one that exists.
fn user_root() -> (Result<PathBuf, String>, bool) {
    if let Some(xdg) = std::env::var_os("XDG_CONFIG_HOME") {
        return (Ok(PathBuf::from(xdg).join("openshell")), false);
    }
    let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) else {
        return (Err("HOME is not set".to_owned()), false);
    };
    let plain = PathBuf::from(&home).join(".config/openshell");
    let snap = PathBuf::from(&home).join("snap/openshell/common/.config/openshell");
    if !plain.exists() && snap.is_dir() {
        return (Ok(snap), true);
    }
    (Ok(plain), false)
}

/// The system root: `$OPENSHELL_SYSTEM_GATEWAY_DIR` when absolute, else `/etc/openshell`.
fn system_root() -> PathBuf {
    std::env::var_os("OPENSHELL_SYSTEM_GATEWAY_DIR")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .unwrap_or_else(|| PathBuf::from("/etc/openshell"))
}

/// OpenShell's `validated_gateway_name`: one plain path component.
fn single_component(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!((parts.next(), parts.next()), (Some(Component::Normal(c)), None) if c == name)
}

/// A registry file is small: more than this is not one.
const FILE_MAX: u64 = 64 * 1024;

/// A registry file's text: a regular file only (a FIFO would never answer, a device
/// never end), at most [`FILE_MAX`] bytes. Opened without blocking, so that a FIFO put
/// there after the check still cannot hang.
fn read_small(file: &Path) -> Result<String, String> {
    use std::io::Read as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let meta = std::fs::metadata(file).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("is not a regular file".to_owned());
    }
    let opened = std::fs::OpenOptions::new().read(true).custom_flags(nix::libc::O_NONBLOCK).open(file).map_err(|e| e.to_string())?;
    let mut text = String::new();
    opened.take(FILE_MAX + 1).read_to_string(&mut text).map_err(|e| e.to_string())?;
    if text.len() as u64 > FILE_MAX {
        return Err(format!("is over {} KiB", FILE_MAX / 1024));
    }
    Ok(text)
}

/// A file's text, trimmed, when it names a gateway (as OpenShell reads `active_gateway`).
fn read_name(file: &Path) -> Option<String> {
    let text = read_small(file).ok()?;
    let name = text.trim();
    (!name.is_empty() && single_component(name)).then(|| name.to_owned())
}

fn parse(file: &Path) -> Result<Metadata, String> {
    let text = read_small(file).map_err(|e| format!("cannot be read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("does not parse: {e}"))
}

/// The entries of one layer, skipping names already `seen` (the user layer shadows).
fn list(dir: &Path, layer: Layer, seen: &mut BTreeSet<String>, unreadable: &mut Vec<String>) -> Vec<Entry> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(e) => {
            unreadable.push(format!("{}: {e}", dir.display()));
            return Vec::new();
        }
    };
    let mut entries = Vec::new();
    for item in read.flatten() {
        let path = item.path();
        let file = path.join("metadata.json");
        // As OpenShell: a directory without metadata.json (an mTLS bundle alone) is not
        // a registration; a user file that cannot even be looked at still shadows.
        let present = if layer == Layer::User { file.try_exists().unwrap_or(true) } else { file.exists() };
        if !path.is_dir() || !present {
            continue;
        }
        let name = item.file_name().to_string_lossy().into_owned();
        if seen.insert(name.clone()) {
            entries.push(Entry { metadata: parse(&file), name, layer, file });
        }
    }
    entries
}

/// Reads the registry. Never fails: what cannot be read is said in the result.
pub(super) fn read() -> Registry {
    let (root, snap) = user_root();
    let system = system_root();
    let mut seen = BTreeSet::new();
    let mut unreadable = Vec::new();
    let mut entries = match &root {
        Ok(root) => list(&root.join("gateways"), Layer::User, &mut seen, &mut unreadable),
        Err(_) => Vec::new(),
    };
    entries.extend(list(&system.join("gateways"), Layer::System, &mut seen, &mut unreadable));
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let from_env = std::env::var("OPENSHELL_GATEWAY").ok().filter(|v| !v.trim().is_empty()).map(|v| (v, ActiveFrom::Env));
    let from_user = || root.as_ref().ok().and_then(|r| read_name(&r.join("active_gateway"))).map(|n| (n, ActiveFrom::User));
    let from_system = || read_name(&system.join("active_gateway")).map(|n| (n, ActiveFrom::System));
    let active = from_env.or_else(from_user).or_else(from_system);
    Registry { root, snap, system, entries, active, unreadable }
}
