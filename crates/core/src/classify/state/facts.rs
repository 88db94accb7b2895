//! Facts the output states about the run: the built image, the gateway, the sandbox,
//! the engine, how much was exported. The last valid value wins, and each remembers
//! the lines that stated it, so facts a build step's own output printed can be
//! withdrawn once the output shows the build was still running.

use std::collections::VecDeque;

use regex::{Captures, Regex};

use crate::model::{is_valid_name, Engine, Era, ImageRef};
use crate::redact::{carries_secret, keep_clipped};

/// A reported status is kept up to this many characters.
const STATUS_CHARS: usize = 300;

/// Values remembered per fact. A flood of restatements forgets the oldest, so after a
/// withdrawal the fact may be unknown: never a value from the withdrawn lines.
const HISTORY: usize = 8;

/// A fact and the lines that stated it, newest last.
#[derive(Debug, Clone)]
pub(crate) struct Fact<T> {
    stated: VecDeque<(u64, T)>,
}

impl<T> Default for Fact<T> {
    fn default() -> Self {
        Fact { stated: VecDeque::new() }
    }
}

impl<T> Fact<T> {
    /// States `value` on `line`. A line examined late (from a window) can be older than
    /// the last statement: it goes in its place, so the last line in the output wins,
    /// whatever order the lines were examined in.
    fn set(&mut self, value: T, line: u64) {
        let at = self.stated.iter().rposition(|(stated, _)| *stated <= line).map_or(0, |i| i + 1);
        if self.stated.len() == HISTORY {
            if at == 0 {
                return;
            }
            self.stated.pop_front();
            self.stated.insert(at - 1, (line, value));
        } else {
            self.stated.insert(at, (line, value));
        }
    }

    /// The value, when one was stated.
    pub(crate) fn get(&self) -> Option<&T> {
        self.stated.back().map(|(_, value)| value)
    }

    fn withdraw_after(&mut self, line: u64) {
        while self.stated.back().is_some_and(|(stated, _)| *stated > line) {
            self.stated.pop_back();
        }
    }
}

/// Facts gathered as they appear.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facts {
    /// The tag OpenShell announced before the build (`Building image <tag> from …`): the
    /// only image a build can produce.
    pub(crate) announced_image: Option<ImageRef>,
    /// The Dockerfile OpenShell announced it builds from.
    pub(crate) dockerfile: Option<String>,
    pub(crate) built_image: Fact<ImageRef>,
    pub(crate) tagged_image: Fact<ImageRef>,
    pub(crate) gateway: Fact<String>,
    /// The engine the gateway uses, as wording outside the build shows it.
    pub(crate) engine: Fact<Engine>,
    /// The engine the builder's wording shows (classic `Step N/M :` is Docker's,
    /// buildah's `STEP N/M:` Podman's).
    pub(crate) build_engine: Option<Engine>,
    pub(crate) exported_mib: Fact<u64>,
    pub(crate) uploaded: Fact<()>,
    pub(crate) sandbox: Fact<String>,
    /// The image the gateway was to run the sandbox from.
    pub(crate) sandbox_image: Fact<ImageRef>,
    /// Whether the gateway was still pulling the sandbox's image (`Pulling image …`
    /// with no `Image pulled`, `Image already present` or start after it).
    pub(crate) pulling: Fact<bool>,
    /// The sandbox's last reported status, masked and clipped.
    pub(crate) status: Fact<String>,
    /// A limit that ran out, in seconds.
    pub(crate) timeout_secs: Fact<u64>,
    /// The era the wording shows: a matched rule only one era's releases print.
    pub(crate) era: Fact<Era>,
}

/// A gateway or sandbox name the output states: a name, and not a credential.
fn valid_name(name: &str) -> bool {
    is_valid_name(name) && !carries_secret(name)
}

/// A match's named groups that took part in it, found by a short scan instead of the
/// regex's hashed name table (this runs on every marker line).
#[derive(Debug, Default)]
pub(crate) struct Groups<'t> {
    whole: &'t str,
    named: [(&'t str, &'t str); GROUPS_MAX],
    len: usize,
}

/// Named groups a rule's pattern may have that a match records.
const GROUPS_MAX: usize = 8;

impl<'t> Groups<'t> {
    pub(crate) fn new(regex: &'t Regex, caps: &Captures<'t>) -> Groups<'t> {
        Groups::of(regex, |i| caps.get(i).map(|m| m.as_str()))
    }

    /// The groups of a match whose positions `locations` holds, in `text`.
    pub(crate) fn from_locations(regex: &'t Regex, locations: &regex::CaptureLocations, text: &'t str) -> Groups<'t> {
        Groups::of(regex, |i| locations.get(i).and_then(|(start, end)| text.get(start..end)))
    }

    /// The whole match and the named groups, group `i`'s text given by `get`.
    fn of(regex: &'t Regex, get: impl Fn(usize) -> Option<&'t str>) -> Groups<'t> {
        let mut groups = Groups { whole: get(0).unwrap_or(""), ..Groups::default() };
        for (i, name) in regex.capture_names().enumerate() {
            if let (Some(name), Some(m), true) = (name, get(i), groups.len < GROUPS_MAX) {
                groups.named[groups.len] = (name, m);
                groups.len += 1;
            }
        }
        groups
    }

    /// The whole match.
    pub(crate) fn whole(&self) -> &'t str {
        self.whole
    }
}

/// A named group of a match, trimmed.
pub(crate) fn capture<'t>(groups: &Groups<'t>, name: &str) -> Option<&'t str> {
    groups.named[..groups.len].iter().find(|(n, _)| *n == name).map(|(_, text)| text.trim())
}

fn image(caps: &Groups<'_>, name: &str) -> Option<ImageRef> {
    capture(caps, name).and_then(|s| ImageRef::parse(s).ok())
}

/// Two names of one image: a builder may add the local registry (`localhost/`, Podman)
/// or Docker Hub's defaults.
fn same_image(a: &ImageRef, b: &ImageRef) -> bool {
    let local = |r: &ImageRef| {
        let normalized = r.normalized();
        match normalized.strip_prefix("localhost/").map(ImageRef::parse) {
            Some(Ok(unprefixed)) => unprefixed.normalized(),
            _ => normalized,
        }
    };
    local(a) == local(b)
}

impl Facts {
    /// Whether a marker names a built (tagged, pushed) image other than the one OpenShell announced: a
    /// build step printed it, and nothing on its line is OpenShell's.
    pub(crate) fn contradicts_announcement(&self, caps: &Groups<'_>) -> bool {
        let Some(announced) = &self.announced_image else { return false };
        ["built_image", "tagged_image", "pushed_image"]
            .iter()
            .filter_map(|name| image(caps, name))
            .any(|built| !same_image(&built, announced))
    }

    /// Records the facts a marker's named groups hold on `line`; invalid values are
    /// refused. `announcing` is whether an announcement counts here: only before the
    /// build starts, as OpenShell prints it.
    pub(crate) fn record(&mut self, caps: &Groups<'_>, line: u64, announcing: bool) {
        if let Some(image) = image(caps, "announced_image").filter(|_| announcing && self.announced_image.is_none()) {
            self.announced_image = Some(image);
            self.dockerfile = capture(caps, "dockerfile").map(str::to_owned);
        }
        if let Some(image) = image(caps, "built_image") {
            self.built_image.set(image, line);
        }
        if let Some(image) = image(caps, "tagged_image") {
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
        // A name without its tag (`pull access denied for openshell/sandbox-from`) does
        // not replace the tagged one a progress line gave.
        if let Some(image) = image(caps, "sandbox_image").filter(|new| {
            new.tag().is_some() || new.digest().is_some() || self.sandbox_image.get().is_none_or(|old| old.path() != new.path())
        }) {
            self.sandbox_image.set(image, line);
        }
        if capture(caps, "pulling").is_some() {
            self.pulling.set(true, line);
        }
        if capture(caps, "pulled").is_some() {
            self.pulling.set(false, line);
        }
        if let Some(status) = capture(caps, "status").filter(|s| !s.is_empty()) {
            self.status.set(keep_clipped(status, 0, STATUS_CHARS).0, line);
        }
        if let Some(secs) = capture(caps, "timeout").and_then(|s| s.parse().ok()) {
            self.timeout_secs.set(secs, line);
        }
    }

    /// Whether `image` is one a create built locally: OpenShell's own tag for a
    /// Dockerfile build, or the image this output announced or built.
    pub(crate) fn is_local_build(&self, image: &ImageRef) -> bool {
        image.path() == "openshell/sandbox-from"
            || [self.announced_image.as_ref(), self.image().as_ref()].into_iter().flatten().any(|built| same_image(built, image))
    }

    /// Wording on `line` shows the engine the gateway uses.
    pub(crate) fn engine_on(&mut self, engine: Engine, line: u64) {
        self.engine.set(engine, line);
    }

    /// Wording on `line` only one era's releases print.
    pub(crate) fn era_on(&mut self, era: Era, line: u64) {
        self.era.set(era, line);
    }

    /// The image reached the gateway (an upload marker on `line`).
    pub(crate) fn uploaded_on(&mut self, line: u64) {
        self.uploaded.set((), line);
    }

    /// Withdraws what lines after `line` stated: they came from a build step's output.
    pub(crate) fn withdraw_after(&mut self, line: u64) {
        self.built_image.withdraw_after(line);
        self.tagged_image.withdraw_after(line);
        self.gateway.withdraw_after(line);
        self.engine.withdraw_after(line);
        self.era.withdraw_after(line);
        self.sandbox.withdraw_after(line);
        self.exported_mib.withdraw_after(line);
        self.uploaded.withdraw_after(line);
        self.sandbox_image.withdraw_after(line);
        self.pulling.withdraw_after(line);
        self.status.withdraw_after(line);
        self.timeout_secs.withdraw_after(line);
    }

    /// The image the create built: OpenShell's own line, else the builder's tag.
    pub(crate) fn image(&self) -> Option<ImageRef> {
        self.built_image.get().or_else(|| self.tagged_image.get()).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_withdrawal_returns_to_the_value_stated_before() {
        let mut fact = Fact::default();
        fact.set("a", 1);
        fact.set("b", 5);
        fact.withdraw_after(3);
        assert_eq!(fact.get(), Some(&"a"));
        fact.withdraw_after(0);
        assert_eq!(fact.get(), None);
    }

    #[test]
    fn a_line_examined_late_does_not_replace_a_later_one() {
        let mut fact = Fact::default();
        fact.set("later", 9);
        fact.set("earlier", 4);
        assert_eq!(fact.get(), Some(&"later"));
        fact.withdraw_after(5);
        assert_eq!(fact.get(), Some(&"earlier"));
    }

    #[test]
    fn a_flood_of_restatements_is_withdrawn_to_unknown() {
        let mut fact = Fact::default();
        fact.set("mine", 1);
        for line in 10..30 {
            fact.set("theirs", line);
        }
        fact.withdraw_after(5);
        assert_eq!(fact.get(), None);
    }

    #[test]
    fn one_image_under_the_names_builders_give_it() {
        let announced = ImageRef::parse("openshell/sandbox-from:17").unwrap();
        for same in ["openshell/sandbox-from:17", "docker.io/openshell/sandbox-from:17", "localhost/openshell/sandbox-from:17"] {
            assert!(same_image(&ImageRef::parse(same).unwrap(), &announced), "{same}");
        }
        for other in ["openshell/sandbox-from:18", "evil.example.io/openshell/sandbox-from:17", "openshell/sandbox-from"] {
            assert!(!same_image(&ImageRef::parse(other).unwrap(), &announced), "{other}");
        }
    }
}
