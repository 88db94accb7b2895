//! The cause a create does not print. A sandbox whose container exits while
//! provisioning ends the create with `ContainerExited: Container exited` and nothing
//! else: OpenShell's supervisor wrote why to the container's own log. These are the
//! read-only engine commands that fetch that log, and the lines it adds to the output,
//! each marked as the container's, so the classifier reads them after what the create
//! printed (in the phase it reached) and the evidence says where each came from.

use crate::model::{is_valid_name, Diagnosis, Engine, Kind};

/// What every line taken from a sandbox container's log starts with.
pub const CONTAINER_LOG_PREFIX: &str = "sandbox container log: ";

/// How many of the log's last lines are read: the supervisor's error and what led to it.
pub const CONTAINER_LOG_LINES: usize = 40;

/// The label OpenShell's Docker and Podman drivers give a sandbox's container.
const SANDBOX_NAME_LABEL: &str = "openshell.ai/sandbox-name";

/// The sandbox whose container's log explains `diagnosis`, when it is one a container
/// log can explain: the create ended `ContainerExited` (or timed out waiting) and the
/// output names the sandbox. Only OpenShell's own report counts: a build step cannot
/// make the tool read a log.
#[must_use]
pub fn container_log_wanted(diagnosis: &Diagnosis) -> Option<&str> {
    let exited = diagnosis.reported_status.as_deref().is_some_and(|s| s.starts_with("ContainerExited"));
    let explainable = match diagnosis.kind {
        Kind::SandboxCreateIncomplete => exited,
        Kind::ProvisioningTimeout => true,
        _ => false,
    };
    // An answer a user's rule took part in never makes the tool run a command.
    diagnosis.sandbox.as_deref().filter(|name| explainable && !diagnosis.by_users_rule && is_valid_name(name))
}

/// `<engine> ps -a` of the sandbox's containers, newest first, one name per line.
#[must_use]
pub fn container_lookup_argv(engine: Engine, sandbox: &str) -> Vec<String> {
    [engine.as_str(), "ps", "-a", "--filter", &format!("label={SANDBOX_NAME_LABEL}={sandbox}"), "--format", "{{.Names}}"]
        .map(str::to_owned)
        .to_vec()
}

/// `<engine> logs --tail N <container>`: both of its streams carry the supervisor's lines.
#[must_use]
pub fn container_log_argv(engine: Engine, container: &str) -> Vec<String> {
    [engine.as_str(), "logs", "--tail", &CONTAINER_LOG_LINES.to_string(), container].map(str::to_owned).to_vec()
}

/// The container a lookup's answer names: its first line, when it is a container name.
#[must_use]
pub fn looked_up_container(answer: &str) -> Option<&str> {
    answer.lines().map(str::trim).find(|line| !line.is_empty()).filter(|name| container_name(name))
}

/// Docker's container names: up to 255 letters, digits, `.`, `_` or `-` (OpenShell's
/// run to 200), starting with a letter or digit.
fn container_name(name: &str) -> bool {
    name.len() <= 255
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        && name.as_bytes()[0].is_ascii_alphanumeric()
}

/// The log's lines as they are added to the output: each prefixed, the last
/// [`CONTAINER_LOG_LINES`] only, a line break after every one.
#[must_use]
pub fn container_log_lines(log: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(log);
    let lines: Vec<&str> = text.lines().filter(|line| !line.trim().is_empty()).collect();
    let kept = &lines[lines.len().saturating_sub(CONTAINER_LOG_LINES)..];
    let mut out = Vec::new();
    for line in kept {
        out.extend_from_slice(CONTAINER_LOG_PREFIX.as_bytes());
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Stage;

    fn diagnosis(kind: Kind, status: Option<&str>, sandbox: Option<&str>) -> Diagnosis {
        let mut d = Diagnosis::unknown(Stage::SandboxCreate, "");
        d.kind = kind;
        d.reported_status = status.map(str::to_owned);
        d.sandbox = sandbox.map(str::to_owned);
        d
    }

    #[test]
    fn only_an_exited_or_timed_out_sandbox_of_a_known_name_is_probed() {
        let exited = Some("ContainerExited: Container exited");
        assert_eq!(container_log_wanted(&diagnosis(Kind::SandboxCreateIncomplete, exited, Some("lab"))), Some("lab"));
        assert_eq!(container_log_wanted(&diagnosis(Kind::ProvisioningTimeout, None, Some("lab"))), Some("lab"));
        assert_eq!(container_log_wanted(&diagnosis(Kind::SandboxCreateIncomplete, Some("ImagePullFailed: pull"), Some("lab"))), None);
        assert_eq!(container_log_wanted(&diagnosis(Kind::SandboxCreateIncomplete, exited, None)), None);
        assert_eq!(container_log_wanted(&diagnosis(Kind::BuildStepFailed, exited, Some("lab"))), None);
        assert_eq!(container_log_wanted(&diagnosis(Kind::SandboxCreateIncomplete, exited, Some("a;rm -rf /"))), None);
    }

    #[test]
    fn the_commands_are_read_only_and_name_the_sandbox_by_its_label() {
        assert_eq!(
            container_lookup_argv(Engine::Podman, "lab").join(" "),
            "podman ps -a --filter label=openshell.ai/sandbox-name=lab --format {{.Names}}"
        );
        assert_eq!(container_log_argv(Engine::Docker, "openshell-x--lab-1").join(" "), "docker logs --tail 40 openshell-x--lab-1");
    }

    #[test]
    fn the_lookup_answer_gives_the_newest_container_or_none() {
        assert_eq!(looked_up_container("\nopenshell-a--lab-2\nopenshell-a--lab-1\n"), Some("openshell-a--lab-2"));
        assert_eq!(looked_up_container("  \n"), None);
        assert_eq!(looked_up_container("two words\n"), None);
    }

    #[test]
    fn log_lines_are_marked_and_bounded() {
        let log = (1..=50).map(|i| format!("line {i}\n")).collect::<Vec<_>>().join("\n");
        let out = String::from_utf8(container_log_lines(log.as_bytes())).expect("utf-8");
        assert_eq!(out.lines().count(), CONTAINER_LOG_LINES);
        assert_eq!(out.lines().next(), Some("sandbox container log: line 11"));
        assert!(out.ends_with("sandbox container log: line 50\n"));
    }
}
