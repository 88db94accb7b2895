//! What a `--from` value names, decided the way OpenShell's `resolve_from` does.

use crate::model::ImageRef;

/// What a `--from` value names, decided the way OpenShell's `resolve_from` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FromSource {
    /// A Dockerfile.
    Dockerfile(String),
    /// A build context directory with a `Dockerfile` inside.
    Directory(String),
    /// An image reference.
    Image(ImageRef),
    /// A community sandbox name, expanded to its registry reference.
    Community {
        /// The name given.
        name: String,
        /// The reference it expands to.
        image: String,
    },
    /// A local path OpenShell refuses (missing, not a Dockerfile, not a file or
    /// directory, or a directory without a Dockerfile).
    InvalidLocalPath(String),
    /// Neither a path nor a valid reference.
    InvalidReference(String),
}

/// What is at a path, as the caller's filesystem says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// Something else (a device, a socket).
    Other,
    /// Nothing.
    Missing,
}

const COMMUNITY_REGISTRY: &str = "ghcr.io/nvidia/openshell-community/sandboxes";

fn looks_local(value: &str) -> bool {
    value.starts_with('/')
        || value == "."
        || value == ".."
        || value.starts_with("./")
        || value.starts_with("../")
        || value.starts_with("~/")
        || (!value.contains('/') && value.to_ascii_lowercase().contains("dockerfile"))
}

impl FromSource {
    /// Classifies `value`; `probe` answers what is at a path (and at `<dir>/Dockerfile`).
    pub fn classify(value: &str, probe: impl Fn(&str) -> PathKind) -> FromSource {
        let name = value.rsplit('/').next().unwrap_or(value).to_ascii_lowercase();
        match probe(value) {
            PathKind::File if name.contains("dockerfile") || name.ends_with(".dockerfile") => FromSource::Dockerfile(value.to_owned()),
            PathKind::File | PathKind::Missing if looks_local(value) => FromSource::InvalidLocalPath(value.to_owned()),
            PathKind::Directory => {
                let dockerfile = format!("{}/Dockerfile", value.trim_end_matches('/'));
                if probe(&dockerfile) == PathKind::File {
                    FromSource::Directory(value.to_owned())
                } else {
                    FromSource::InvalidLocalPath(value.to_owned())
                }
            }
            PathKind::Other => FromSource::InvalidLocalPath(value.to_owned()),
            _ if value.contains(['/', ':', '.']) => match ImageRef::parse(value) {
                Ok(image) => FromSource::Image(image),
                Err(_) => FromSource::InvalidReference(value.to_owned()),
            },
            _ => FromSource::Community { name: value.to_owned(), image: format!("{COMMUNITY_REGISTRY}/{value}:latest") },
        }
    }

    /// Whether OpenShell builds this source (and so, up to 0.0.36, uploads the image).
    #[must_use]
    pub fn is_build(&self) -> bool {
        matches!(self, FromSource::Dockerfile(_) | FromSource::Directory(_))
    }
}
