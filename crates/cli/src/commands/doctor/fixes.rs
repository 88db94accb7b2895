//! The fixes of the gateway checks, in OpenShell's own words where it has them
//! (`openshell-cli/src/main.rs` `resolve_gateway`, `run.rs` `sandbox_create`,
//! `commands/gateway.rs` `gateway_add`, `install.sh`, the snap's instructions).

use sandbox_triage_core::{Engine, Era, Os};

/// How the gateway service of a package install is started on this host.
fn service_start(os: Os, snap: bool) -> Option<&'static str> {
    match os {
        _ if snap => Some("sudo snap start openshell.gateway"),
        Os::Linux => Some("systemctl --user start openshell-gateway"),
        Os::Macos => Some("brew services start openshell"),
        _ => None,
    }
}

/// The registration a package install makes for its local gateway.
fn local_registration(os: Os, snap: bool) -> &'static str {
    match os {
        _ if snap => "openshell gateway add http://127.0.0.1:17670 --local --name openshell-gateway",
        Os::Macos => "openshell gateway add https://localhost:17670 --local --name openshell",
        _ => "openshell gateway add https://127.0.0.1:17670 --local --name openshell",
    }
}

/// Nothing listens at a local gateway's endpoint: OpenShell's words when a create
/// cannot connect, with the command that starts the service here.
pub(super) fn start_service(os: Os, snap: bool) -> String {
    let how = service_start(os, snap).map_or_else(String::new, |command| format!(": `{command}`"));
    format!("start the gateway service with the installed package manager{how}, or register a different endpoint with `openshell gateway add <endpoint>`")
}

/// A stopped gateway container of 0.0.36 and older.
pub(super) fn start_container(engine: Engine, container: &str, gateway: &str) -> String {
    format!("start it: `{engine} start {container}` (or `openshell gateway start --name {gateway}`)")
}

/// A gateway of 0.0.36 and older that is registered but has no container.
pub(super) fn start_legacy(name: &str) -> String {
    format!("start it: `openshell gateway start --name {name}` (OpenShell 0.0.36 and older)")
}

/// A remote gateway that does not answer: it is started where it runs.
pub(super) fn remote(host: &str) -> String {
    format!("the gateway runs on {host}: start it there and check that this machine reaches it (network, VPN, firewall), or register a different endpoint with `openshell gateway add <endpoint>`")
}

/// No gateway registered: OpenShell's "No active gateway." hint, and the registration
/// a package install makes.
pub(super) fn no_gateway(os: Os, snap: bool, era: Option<Era>) -> String {
    if era == Some(Era::TarUpload) {
        return "deploy one: `openshell gateway start` (OpenShell 0.0.36 and older: \"Or deploy a new gateway: openshell gateway start\")"
            .to_owned();
    }
    format!(
        "set one with: `openshell gateway select <name>`, or register one with: `openshell gateway add <endpoint>` \
         (OpenShell's own hint); a package install registers its local gateway with `{}`",
        local_registration(os, snap)
    )
}

/// Registered gateways, none of them active.
pub(super) fn select() -> String {
    "set one with: `openshell gateway select <name>` (OpenShell's hint for \"No active gateway.\")".to_owned()
}

/// A name the CLI would look up but that is not registered: OpenShell's "Unknown
/// gateway" hint.
pub(super) fn unknown(name: &str, era: Option<Era>) -> String {
    if era == Some(Era::TarUpload) {
        return start_legacy(name);
    }
    format!(
        "register it first: `openshell gateway add <endpoint> --name {name}`, or list available gateways: `openshell gateway select` (OpenShell's hint for \"Unknown gateway\")"
    )
}

/// A registration that does not read or names no usable endpoint.
pub(super) fn reregister(name: &str) -> String {
    format!("register it again: `openshell gateway remove {name}`, then `openshell gateway add <endpoint> --name {name}`")
}

/// An https gateway without its client bundle. A local one: OpenShell's words when
/// `gateway add --local` finds none (it imports the bundle the package provisions). A
/// remote one: its bundle is copied from the gateway's host, as OpenShell's
/// troubleshooting guide does.
pub(super) fn mtls(endpoint: &str, name: &str, remote: bool, dir: &str) -> String {
    if remote {
        return format!("copy the client bundle (ca.crt, tls.crt, tls.key) from the gateway's host into {dir}");
    }
    format!(
        "start the gateway package first so it provisions the client TLS material, then register it again \
         (`openshell gateway remove {name}` first): `openshell gateway add {endpoint} --local --name {name}`"
    )
}
