//! Gateway start: the engine is unreachable, or the gateway's database is from
//! another OpenShell version.

use super::{argv, lit, Confirm, Destructive, Engine, Frontend, Kind, Os, Part, Plan, Planner, Probe, Stage, Step, Word};

impl Planner<'_> {
    /// The container engine is not reachable: start it (or let this user use its
    /// socket), then the gateway, or the create whose build needed it.
    fn engine_unreachable(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline = String::from("The container engine is not reachable: start it, then start the gateway again.");
        let permission = d.evidence.iter().any(|e| e.text.to_ascii_lowercase().contains("permission denied"));
        let eng = self.eng();
        plan.steps.push(Step::argv(Probe, "Ask the engine for its status", vec![eng, lit("info")]));
        if permission {
            let user = Word(vec![Part::Env("USER".to_owned())]);
            plan.steps.push(
                Step::argv(
                    Confirm,
                    "Let this user use the Docker socket",
                    vec![lit("sudo"), lit("usermod"), lit("-aG"), lit("docker"), user],
                )
                .with_note("then start a new login session"),
            );
        } else {
            let start = match (self.engine, self.input.host.os) {
                (Engine::Podman, Os::Linux) => Some(argv(&["systemctl", "--user", "start", "podman.socket"])),
                (Engine::Podman, _) => Some(argv(&["podman", "machine", "start"])),
                (Engine::Docker, Os::Linux) if !self.input.host.wsl => Some(argv(&["sudo", "systemctl", "start", "docker"])),
                (Engine::Docker, Os::Macos) => Some(argv(&["colima", "start"])),
                _ => None,
            };
            match start {
                Some(start) => {
                    let step = Step::argv(Confirm, "Start the engine", start);
                    plan.steps.push(if self.input.host.os == Os::Macos { step.with_note("or start Docker Desktop") } else { step });
                }
                None => plan.steps.push(Step::advice("Start Docker Desktop")),
            }
        }
        if d.stage == Stage::SandboxCreate {
            // The CLI's own build needed the engine; the gateway was not involved.
            plan.headline =
                String::from("The CLI could not reach its local container engine to build the image: start it, then run the create again.");
            plan.steps.push(self.recreate(false, "Run the create again"));
        } else if self.input.frontend == Frontend::OpenShell && self.upload_path_exists() {
            let mut start = Self::openshell(&["gateway", "start", "--name"]);
            start.push(self.gateway());
            plan.steps.push(Step::argv(Confirm, "Start the gateway again", start));
        }
    }

    pub(super) fn gateway_start(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        match d.kind {
            Kind::DockerUnreachable => self.engine_unreachable(plan),
            Kind::DatabaseMigrationIncompatible => {
                plan.headline = String::from("The gateway's database was written by another OpenShell version. Move the state aside (never delete it: it holds credentials and registrations), then start again.");
                let state = self.placeholder("GATEWAY_STATE_DIR", "the gateway's state directory (it holds openshell.db)");
                let mut archive = state.0.clone();
                archive.push(Part::Lit(".incompatible".to_owned()));
                plan.steps.push(
                    Step::argv(Confirm, "Stop the gateway service", argv(&["systemctl", "--user", "stop", "nemoclaw-openshell-gateway"]))
                        .with_note("on macOS: brew services stop openshell"),
                );
                plan.steps.push(Step::argv(Destructive, "Move the state directory aside", vec![lit("mv"), state, Word(archive)]));
            }
            _ => {
                plan.headline = String::from("No known failure signature in the gateway's output.");
                plan.steps.push(Step::advice("Read the gateway's log; a slow first start (k3s bootstrap) is not a failure"));
            }
        }
        self.push_resume(&mut plan.steps);
    }
}
