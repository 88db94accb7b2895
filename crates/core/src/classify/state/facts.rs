//! Facts the output states about the run: the built image, the gateway, the sandbox,
//! the engine, how much was exported. The last valid value wins.

use regex::Captures;

use crate::model::{Engine, ImageRef};

/// Facts gathered as they appear.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub(crate) built_image: Option<ImageRef>,
    pub(crate) tagged_image: Option<ImageRef>,
    pub(crate) gateway: Option<String>,
    pub(crate) engine: Option<Engine>,
    pub(crate) exported_mib: Option<u64>,
    pub(crate) uploaded: bool,
    pub(crate) sandbox: Option<String>,
}

/// A gateway or sandbox name: what OpenShell accepts, nothing a shell would read.
pub(crate) fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 128
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

/// A named group of a marker's match, trimmed.
pub(crate) fn capture<'t>(caps: Option<&Captures<'t>>, name: &str) -> Option<&'t str> {
    caps.and_then(|c| c.name(name)).map(|m| m.as_str().trim())
}

impl Facts {
    /// Records the facts a marker's named groups hold; invalid values are refused.
    pub(crate) fn record(&mut self, caps: Option<&Captures<'_>>) {
        if let Some(image) = capture(caps, "built_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.built_image = Some(image);
        }
        if let Some(image) = capture(caps, "tagged_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.tagged_image = Some(image);
        }
        if let Some(gateway) = capture(caps, "gateway").filter(|g| valid_name(g)) {
            self.gateway = Some(gateway.to_owned());
        }
        if let Some(sandbox) = capture(caps, "sandbox").filter(|s| valid_name(s)) {
            self.sandbox = Some(sandbox.to_owned());
        }
        if let Some(mib) = capture(caps, "mib").and_then(|s| s.parse().ok()) {
            self.exported_mib = Some(mib);
        }
    }

    /// The image the create built: OpenShell's own line, else the builder's tag.
    pub(crate) fn image(&self) -> Option<ImageRef> {
        self.built_image.clone().or_else(|| self.tagged_image.clone())
    }
}
