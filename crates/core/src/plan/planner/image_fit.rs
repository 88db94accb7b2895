//! A sandbox image OpenShell's supervisor cannot start in, and the probe that finds out
//! when the create only said `ContainerExited`.

use crate::container_log::CONTAINER_LOG_LINES;

use super::{lit, Plan, Planner, Probe, Step};

/// What the supervisor's error says the image lacks, by the words of its log.
const LACKS: [(&str, &str); 6] = [
    (
        "oci user is required",
        "a `USER` instruction naming a non-root user the image's /etc/passwd has (the supervisor runs the agent as it)",
    ),
    (
        "' selects ",
        "a `USER` that is not root (the supervisor refuses to run the agent as root): add a user and name it last in the Dockerfile",
    ),
    ("ip helper not found", "`ip` (Debian's iproute2) in /usr/sbin or /usr/bin"),
    ("nsenter helper not found", "`nsenter` (util-linux)"),
    ("/run/netns", "a /run/netns directory, and /var/run as a link to /run"),
    (
        "permission denied (os error 13)",
        "a merged /usr (/bin, /sbin and /lib as links into /usr): the supervisor's sandbox only lets the agent read /usr, /lib and /etc",
    ),
];

impl Planner<'_> {
    pub(super) fn image_unsuitable(&mut self, plan: &mut Plan) {
        let said = self.input.diagnosis.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let lacks: Vec<&str> = LACKS.iter().filter(|(words, _)| said.contains(words)).map(|(_, what)| *what).collect();
        plan.headline =
            "The sandbox's container started and OpenShell's supervisor exited at once: the image lacks what the supervisor needs."
                .to_owned();
        let add = if lacks.is_empty() {
            "Give the image what the supervisor's error above names, then build it again".to_owned()
        } else {
            format!("Add to the image (its Dockerfile): {}", lacks.join("; "))
        };
        plan.steps.push(Step::advice(add).in_person("only you can change the image"));
        self.delete_if_created(&mut plan.steps);
        plan.steps.push(self.recreate(false, "Create the sandbox again (the changed Dockerfile builds again)"));
    }

    /// `<engine> ps -a` of the sandbox's containers: the one that exited, whose log says
    /// why (`ContainerExited` says nothing more).
    pub(super) fn container_log_probe(&mut self, steps: &mut Vec<Step>) {
        let name = self.sandbox_name();
        let mut filter = vec![lit("label=openshell.ai/sandbox-name=")];
        filter[0].0.extend(name.0.clone());
        let mut lookup = vec![self.eng(), lit("ps"), lit("-a"), lit("--filter")];
        lookup.extend(filter);
        lookup.extend([lit("--format"), lit("{{.Names}} {{.Status}}")]);
        steps.push(Step::argv(Probe, "Find the sandbox's exited container", lookup).with_note(format!(
            "`{} logs --tail {CONTAINER_LOG_LINES} <its name>` shows why OpenShell's supervisor exited (sandbox-triage run does this itself)",
            self.engine.as_str()
        )));
    }
}
