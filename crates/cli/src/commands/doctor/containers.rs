//! The gateways of OpenShell 0.0.36 and older: a k3s container `openshell-cluster-NAME`
//! in the engine, whose containerd takes the uploaded image.

use sandbox_triage_core::Engine;

use super::{finding, fixes, probe, Finding};

pub(super) const PREFIX: &str = "openshell-cluster-";
const CTR_SOCKET: &str = "/run/k3s/containerd/containerd.sock";

/// A gateway container and its state as the engine says it.
#[derive(Debug, Clone)]
pub(super) struct Container {
    /// The gateway's name: the container's without [`PREFIX`].
    pub(super) gateway: String,
    pub(super) name: String,
    pub(super) state: String,
}

/// Every `openshell-cluster-*` container; `None` when the engine does not list them.
pub(super) fn list(engine: Engine) -> Option<Vec<Container>> {
    let filter = format!("name={PREFIX}");
    let listed = probe(&[engine.as_str(), "ps", "-a", "--filter", &filter, "--format", "{{.Names}}\t{{.State}}"]).ok()?;
    let mut found: Vec<Container> = listed
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter_map(|(name, state)| {
            let gateway = name.strip_prefix(PREFIX)?;
            Some(Container { gateway: gateway.to_owned(), name: name.to_owned(), state: state.to_owned() })
        })
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    Some(found)
}

/// The container's checks: running, then its containerd answering. `check` names them
/// (`gateway NAME`, or `gateway NAME container` beside a registered gateway's checks).
pub(super) fn checks(engine: Engine, container: &Container, check: &str) -> Vec<Finding> {
    let Container { gateway, name, state } = container;
    // Docker says `running`; Podman's `ps` says `Up 2 seconds ago`.
    let running = state.eq_ignore_ascii_case("running") || state.starts_with("Up");
    let fix = fixes::start_container(engine, name, gateway);
    let mut out = vec![finding(check, running, format!("{name} is {state}"), Some(fix))];
    if running {
        let answer = probe(&[engine.as_str(), "exec", name, "ctr", "-a", CTR_SOCKET, "version"]);
        let fix = format!("restart the gateway: `{engine} restart {name}`");
        let detail = match &answer {
            Ok(_) => format!("its containerd answers on {CTR_SOCKET}"),
            Err(why) => format!("its containerd does not answer on {CTR_SOCKET}: {why}"),
        };
        out.push(finding(format!("gateway {gateway} containerd"), answer.is_ok(), detail, Some(fix)));
    }
    out
}
