//! Facts the output states about the run: the built image, the gateway, the sandbox,
//! the engine, how much was exported. The last valid value wins, and each remembers
//! the line that stated it, so facts a build step's own output printed can be
//! withdrawn once the build turns out to have failed.

use regex::Captures;

use crate::model::{is_valid_name, Engine, ImageRef};
use crate::redact::carries_secret;

/// A fact, the line that stated it, and what it was when the build began.
#[derive(Debug, Clone)]
pub(crate) struct Fact<T> {
    value: Option<T>,
    line: u64,
    before_build: Option<T>,
}

impl<T> Default for Fact<T> {
    fn default() -> Self {
        Fact { value: None, line: 0, before_build: None }
    }
}

impl<T: Clone> Fact<T> {
    fn set(&mut self, value: T, line: u64) {
        self.value = Some(value);
        self.line = line;
    }

    /// The value, when one was stated.
    pub(crate) fn get(&self) -> Option<&T> {
        self.value.as_ref()
    }

    fn checkpoint(&mut self) {
        self.before_build.clone_from(&self.value);
    }

    fn withdraw_after(&mut self, line: u64) {
        if self.line > line {
            self.value.clone_from(&self.before_build);
            self.line = line;
        }
    }
}

/// Facts gathered as they appear.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    pub(crate) built_image: Fact<ImageRef>,
    pub(crate) tagged_image: Fact<ImageRef>,
    pub(crate) gateway: Fact<String>,
    pub(crate) engine: Option<Engine>,
    pub(crate) exported_mib: Fact<u64>,
    pub(crate) uploaded: Fact<()>,
    pub(crate) sandbox: Fact<String>,
}

/// A gateway or sandbox name the output states: a name, and not a credential.
fn valid_name(name: &str) -> bool {
    is_valid_name(name) && !carries_secret(name)
}

/// A named group of a marker's match, trimmed.
pub(crate) fn capture<'t>(caps: Option<&Captures<'t>>, name: &str) -> Option<&'t str> {
    caps.and_then(|c| c.name(name)).map(|m| m.as_str().trim())
}

impl Facts {
    /// Records the facts a marker's named groups hold on `line`; invalid values are
    /// refused.
    pub(crate) fn record(&mut self, caps: Option<&Captures<'_>>, line: u64) {
        if let Some(image) = capture(caps, "built_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.built_image.set(image, line);
        }
        if let Some(image) = capture(caps, "tagged_image").and_then(|s| ImageRef::parse(s).ok()) {
            self.tagged_image.set(image, line);
        }
        if let Some(gateway) = capture(caps, "gateway").filter(|g| valid_name(g)) {
            self.gateway.set(gateway.to_owned(), line);
        }
        if let Some(sandbox) = capture(caps, "sandbox").filter(|s| valid_name(s)) {
            self.sandbox.set(sandbox.to_owned(), line);
        }
        if let Some(mib) = capture(caps, "mib").and_then(|s| s.parse().ok()) {
            self.exported_mib.set(mib, line);
        }
    }

    /// The image reached the gateway (an upload marker on `line`).
    pub(crate) fn uploaded_on(&mut self, line: u64) {
        self.uploaded.set((), line);
    }

    /// Remembers the facts as the build begins: what a failed build withdraws returns to.
    pub(crate) fn checkpoint(&mut self) {
        self.built_image.checkpoint();
        self.tagged_image.checkpoint();
        self.gateway.checkpoint();
        self.sandbox.checkpoint();
        self.exported_mib.checkpoint();
        self.uploaded.checkpoint();
    }

    /// Withdraws what lines after `line` stated: they came from a build step's output.
    pub(crate) fn withdraw_after(&mut self, line: u64) {
        self.built_image.withdraw_after(line);
        self.tagged_image.withdraw_after(line);
        self.gateway.withdraw_after(line);
        self.sandbox.withdraw_after(line);
        self.exported_mib.withdraw_after(line);
        self.uploaded.withdraw_after(line);
    }

    /// The image the create built: OpenShell's own line, else the builder's tag.
    pub(crate) fn image(&self) -> Option<ImageRef> {
        self.built_image.get().or_else(|| self.tagged_image.get()).cloned()
    }
}
