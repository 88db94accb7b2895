//! The gateways a create can use, each checked: those registered in OpenShell's config
//! (0.0.37 and newer run them as services; 0.0.36 and older registered its containers
//! there too) and the `openshell-cluster-*` containers of 0.0.36 and older. Which one
//! is active is the one `openshell sandbox create` uses without `-g`.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use sandbox_triage_core::{Engine, Era, Os};
use serde::Serialize;

use super::containers::{self, Container};
use super::endpoint::{self, Answer, Target, CONNECT_TIMEOUT};
use super::registry::{self, ActiveFrom, Entry, Layer, Metadata, Registry};
use super::{finding, fixes, shown, shown_path, Finding};

/// What the gateway checks need to know of the host.
pub(super) struct Host {
    pub(super) engine: Engine,
    pub(super) engine_ok: bool,
    pub(super) os: Os,
    pub(super) era: Option<Era>,
}

/// A gateway found, for `--format json`.
#[derive(Debug, Serialize)]
pub(super) struct Gateway {
    name: String,
    active: bool,
    endpoint: Option<String>,
    /// `registered` (in OpenShell's config) or `container` (only a legacy container).
    source: &'static str,
    /// The config layer of a registered gateway: `user` or `system`.
    #[serde(skip_serializing_if = "Option::is_none")]
    registry: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    container: Option<String>,
}

pub(super) struct Found {
    pub(super) findings: Vec<Finding>,
    pub(super) gateways: Vec<Gateway>,
}

struct Seen<'a> {
    host: &'a Host,
    registry: Registry,
    /// `None` when the engine did not list them.
    containers: Option<Vec<Container>>,
}

/// Checks every gateway found, or only `only`.
pub(super) fn check(host: &Host, only: Option<&str>) -> Found {
    let containers = if host.engine_ok { containers::list(host.engine) } else { None };
    let seen = Seen { host, registry: registry::read(), containers };
    let names: BTreeSet<String> =
        seen.registry.entries.iter().map(|e| e.name.clone()).chain(seen.containers.iter().flatten().map(|c| c.gateway.clone())).collect();
    let gateways = names.iter().map(|name| seen.report(name)).collect();
    let findings = match only {
        Some(name) if !names.contains(name) => vec![seen.unknown(name)],
        Some(name) => seen.checks(name),
        None => std::iter::once(seen.summary()).chain(names.iter().flat_map(|name| seen.checks(name))).collect(),
    };
    Found { findings, gateways }
}

impl Seen<'_> {
    fn container(&self, name: &str) -> Option<&Container> {
        self.containers.iter().flatten().find(|c| c.gateway == name)
    }

    fn active(&self) -> Option<&(String, ActiveFrom)> {
        self.registry.active.as_ref()
    }

    fn report(&self, name: &str) -> Gateway {
        let entry = self.registry.entry(name);
        Gateway {
            name: shown(name),
            active: self.active().is_some_and(|(a, _)| a == name),
            endpoint: entry.and_then(|e| e.metadata.as_ref().ok()).map(|m| shown(&m.gateway_endpoint)),
            source: if entry.is_some() { "registered" } else { "container" },
            registry: entry.map(|e| if e.layer == Layer::User { "user" } else { "system" }),
            container: self.container(name).map(|c| shown(&c.name)),
        }
    }

    /// How a line about `name` begins when it is the active gateway.
    fn lead(&self, name: &str) -> &'static str {
        match self.active() {
            Some((a, ActiveFrom::Env)) if a == name => "active (OPENSHELL_GATEWAY): ",
            Some((a, _)) if a == name => "active: ",
            _ => "",
        }
    }

    /// What is said of the containers after the registered gateways.
    fn containers_note(&self) -> String {
        match &self.containers {
            Some(found) if !found.is_empty() => {
                format!("; containers (0.0.36 and older): {}", found.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "))
            }
            Some(_) => String::new(),
            None if self.host.engine_ok => "; the engine did not list its openshell-cluster-* containers".to_owned(),
            None => "; openshell-cluster-* containers not listed: the engine does not answer".to_owned(),
        }
    }

    /// The registry as a whole: where it is, what it holds, which gateway is active.
    fn summary(&self) -> Finding {
        let root = match &self.registry.root {
            Ok(root) => shown_path(root),
            Err(why) => {
                let fix = "set HOME (or XDG_CONFIG_HOME) as the `openshell` CLI sees it".to_owned();
                return finding("gateways", false, format!("OpenShell's config cannot be found: {why}"), Some(fix));
            }
        };
        let entries = &self.registry.entries;
        let listed: Vec<String> = entries.iter().map(|e| self.tagged(e)).collect();
        let mut note = self.containers_note();
        for dir in &self.registry.unreadable {
            let _ = write!(note, "; cannot list {}", shown(dir));
        }
        let (host, snap) = (self.host, self.registry.snap);
        let registered = format!("{} registered in {root}: {}", entries.len(), listed.join(", "));
        let Some((active, from)) = self.active().filter(|_| !entries.is_empty()) else {
            let legacy = self.containers.as_ref().is_some_and(|found| !found.is_empty());
            if entries.is_empty() && legacy && host.era != Some(Era::PackageManaged) {
                // OpenShell 0.0.36 and older ran its gateways as these containers: their
                // own checks follow, and say whether they run.
                return finding("gateways", true, format!("none registered in {root}{note}"), None);
            }
            if entries.is_empty() {
                let system = shown_path(&self.registry.system);
                let detail = format!("no gateway is registered in {root} or {system}, so a create fails with \"No active gateway.\"{note}");
                return finding("gateways", false, detail, Some(fixes::no_gateway(host.os, snap, host.era)));
            }
            return finding("gateways", false, format!("{registered}, but none is active{note}"), Some(fixes::select()));
        };
        if self.registry.entry(active).is_none() {
            let file = match from {
                ActiveFrom::Env => "OPENSHELL_GATEWAY".to_owned(),
                ActiveFrom::User => format!("{root}/active_gateway"),
                ActiveFrom::System => format!("{}/active_gateway", shown_path(&self.registry.system)),
            };
            let detail = format!("{file} names '{}', which is not registered; {registered}{note}", shown(active));
            return finding("gateways", false, detail, Some(fixes::unknown(&shown(active), host.era)));
        }
        finding("gateways", true, format!("{registered}{note}"), None)
    }

    /// A registered gateway's name with what sets it apart: active, from the system layer.
    fn tagged(&self, entry: &Entry) -> String {
        let mut tags = Vec::new();
        if self.active().is_some_and(|(a, _)| *a == entry.name) {
            tags.push("active");
        }
        if entry.layer == Layer::System {
            tags.push("system");
        }
        if tags.is_empty() {
            shown(&entry.name)
        } else {
            format!("{} ({})", shown(&entry.name), tags.join(", "))
        }
    }

    /// `-g NAME` of a gateway neither registered nor a container.
    fn unknown(&self, name: &str) -> Finding {
        let root = self.registry.root.as_ref().map_or_else(|why| format!("OpenShell's config ({why})"), |r| shown_path(r));
        let container = match &self.containers {
            Some(_) => format!(" and there is no container {}{name}", containers::PREFIX),
            None if self.host.engine_ok => " (the engine did not list its containers)".to_owned(),
            None => " (containers not listed: the engine does not answer)".to_owned(),
        };
        let registered: Vec<String> = self.registry.entries.iter().map(|e| shown(&e.name)).collect();
        let others = if registered.is_empty() { "none is registered".to_owned() } else { format!("registered: {}", registered.join(", ")) };
        let detail = format!("'{name}' is not registered in {root}{container}; {others}");
        finding(format!("gateway {name}"), false, detail, Some(fixes::unknown(name, self.host.era)))
    }

    /// A gateway's checks: its registration's, then its container's.
    fn checks(&self, name: &str) -> Vec<Finding> {
        let container = self.container(name);
        let entry = self.registry.entry(name);
        let mut out = entry.map(|e| self.registered(e, container)).unwrap_or_default();
        if let Some(container) = container {
            let check = if entry.is_some() { format!("gateway {name} container") } else { format!("gateway {name}") };
            out.extend(containers::checks(self.host.engine, container, &check));
        }
        out
    }

    /// A registration: it reads, its endpoint answers, its mTLS bundle is there.
    fn registered(&self, entry: &Entry, container: Option<&Container>) -> Vec<Finding> {
        let check = format!("gateway {}", entry.name);
        let lead = self.lead(&entry.name);
        let meta = match &entry.metadata {
            Ok(meta) => meta,
            Err(why) => {
                let detail = format!("{lead}{} {}", shown_path(&entry.file), shown(why));
                return vec![finding(check, false, detail, Some(fixes::reregister(&entry.name)))];
            }
        };
        let endpoint = shown(&meta.gateway_endpoint);
        let target = match endpoint::parse(&meta.gateway_endpoint) {
            Ok(target) => target,
            Err(why) => {
                let detail = format!("{lead}its endpoint '{endpoint}' cannot be used: {}", shown(&why));
                return vec![finding(check, false, detail, Some(fixes::reregister(&entry.name)))];
            }
        };
        let mut out = vec![self.answers(&check, entry, meta, &target, container)];
        // As the CLI connects: https needs the client bundle unless a bearer token
        // (edge or OIDC) authenticates instead.
        if target.https && !matches!(meta.auth_mode.as_deref(), Some("cloudflare_jwt" | "oidc")) {
            out.push(self.mtls(entry, meta, &endpoint));
        }
        out
    }

    /// Whether something listens at the endpoint, and how to start it when not.
    fn answers(&self, check: &str, entry: &Entry, meta: &Metadata, target: &Target, container: Option<&Container>) -> Finding {
        let lead = self.lead(&entry.name);
        let mut tags = Vec::new();
        if meta.is_remote {
            tags.push("remote".to_owned());
        }
        if entry.layer == Layer::System {
            tags.push(format!("installed in {}", shown_path(&self.registry.system)));
        }
        let tags = if tags.is_empty() { String::new() } else { format!(" ({})", tags.join(", ")) };
        let remote_host = meta.remote_host.as_deref().unwrap_or(&target.host);
        let down = || match container {
            Some(c) => fixes::start_container(self.host.engine, &c.name, &entry.name),
            None if meta.is_remote => fixes::remote(&shown(remote_host)),
            None if self.host.era == Some(Era::TarUpload) => fixes::start_legacy(&entry.name),
            None => fixes::start_service(self.host.os, self.registry.snap),
        };
        let far = || if meta.is_remote { fixes::remote(&shown(remote_host)) } else { down() };
        let address = shown(&target.address());
        let (detail, fix) = match endpoint::knock(target) {
            Answer::Listens => (format!("{}{} answers{tags}", lead, shown(&meta.gateway_endpoint)), None),
            Answer::Refused => (format!("{lead}nothing listens at {address} (connection refused){tags}"), Some(down())),
            Answer::Silent => (format!("{lead}no answer from {address} within {} s{tags}", CONNECT_TIMEOUT.as_secs()), Some(far())),
            Answer::Unresolved(why) => (format!("{lead}{} does not resolve: {}{tags}", shown(&target.host), shown(&why)), Some(far())),
            Answer::Failed(why) => (format!("{lead}cannot connect to {address}: {}{tags}", shown(&why)), Some(far())),
        };
        let ok = fix.is_none();
        finding(check, ok, detail, fix)
    }

    /// The client bundle an https endpoint needs: present, never read (it holds a key).
    fn mtls(&self, entry: &Entry, meta: &Metadata, endpoint: &str) -> Finding {
        let check = format!("gateway {} mtls", entry.name);
        let Some(dir) = self.registry.mtls_dir(&meta.name) else {
            let fix = "set HOME (or XDG_CONFIG_HOME) as the `openshell` CLI sees it".to_owned();
            return finding(check, false, "no per-user config to hold the client bundle (HOME is not set)", Some(fix));
        };
        let files = ["ca.crt", "tls.crt", "tls.key"];
        let missing: Vec<&str> = files.into_iter().filter(|f| !dir.join(f).is_file()).collect();
        let dir = shown_path(&dir);
        let fix = Some(fixes::mtls(endpoint, &entry.name, meta.is_remote, &dir));
        match missing.len() {
            0 => finding(check, true, format!("ca.crt, tls.crt and tls.key are in {dir}"), None),
            3 => finding(check, false, format!("no client bundle (ca.crt, tls.crt, tls.key) in {dir}"), fix),
            _ => finding(check, false, format!("{} missing from {dir}", missing.join(" and ")), fix),
        }
    }
}
