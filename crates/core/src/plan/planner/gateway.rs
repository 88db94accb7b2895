//! Gateway start: the engine is unreachable, or the gateway's database is from
//! another OpenShell version.

use crate::command::ValueKind;

use crate::plan::{Reading, Sign};

use super::{argv, lit, Check, Confirm, Destructive, Frontend, Kind, Os, Part, Plan, Planner, Probe, Stage, Step, Word};

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
            let start = self.engine_start();
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
            Kind::DatabaseMigrationIncompatible => self.database_aside(plan),
            _ => {
                plan.headline = String::from("No known failure signature in the gateway's output.");
                plan.steps.push(Step::advice("Read the gateway's log; a slow first start (k3s bootstrap) is not a failure"));
            }
        }
        self.push_resume(&mut plan.steps);
    }

    /// The gateway's database is from another release: stop the service, move the state
    /// aside (never delete it), start the service on a new database. Each change has
    /// its undo, so a failure part-way leaves the state and the service as they were.
    fn database_aside(&mut self, plan: &mut Plan) {
        plan.headline = String::from("The gateway's database was written by another OpenShell version. Move the state aside (never delete it: it holds credentials and registrations), then start again.");
        let state = self.placeholder(
            "GATEWAY_STATE_DIR",
            ValueKind::Directory,
            "the gateway's state directory, the one holding openshell.db (a package-installed gateway keeps it in ~/.local/state/openshell/gateway)",
        );
        let suffixed = |suffix: &str| {
            let mut parts = state.0.clone();
            parts.push(Part::Lit(suffix.to_owned()));
            Word(parts)
        };
        let (database, archive, archived_database) =
            (suffixed("/openshell.db"), suffixed(".incompatible"), suffixed(".incompatible/openshell.db"));
        let not_state = Reading::new(Sign::Fails, "<GATEWAY_STATE_DIR> holds no openshell.db: it is not the gateway's state directory", None)
            .with_advice("give the directory that holds openshell.db with --set GATEWAY_STATE_DIR=… (a package-installed gateway keeps it in ~/.local/state/openshell/gateway)");
        let holds_database =
            Check::succeeds(vec![lit("test"), lit("-f"), database], "the directory holds openshell.db").with_readings(vec![not_state]);
        let taken = Reading::new(Sign::Fails, "something is already at <GATEWAY_STATE_DIR>.incompatible (an earlier move left it)", None)
            .with_advice("move it elsewhere, or remove it once you are sure it is not needed; then run this again");
        let archive_free =
            Check::succeeds(vec![lit("test"), lit("!"), lit("-e"), archive.clone()], "nothing is at <GATEWAY_STATE_DIR>.incompatible yet")
                .with_readings(vec![taken]);
        plan.steps.push(Step::probe("Check the state directory holds the gateway's database", holds_database));
        plan.steps.push(Step::probe("Check the name to move it to is free", archive_free.clone()));
        let (stop, start) = self.gateway_service();
        plan.steps.push(Step::argv(Confirm, "Stop the gateway service", stop).with_undo(start.clone()));
        plan.steps.push(
            Step::argv(Destructive, "Move the state directory aside", vec![lit("mv"), state.clone(), archive.clone()])
                .with_pre(archive_free)
                .with_post(Check::succeeds(
                    vec![lit("test"), lit("-f"), archived_database],
                    "the database is at <GATEWAY_STATE_DIR>.incompatible",
                ))
                .with_guarded_undo(
                    vec![lit("mv"), archive.clone(), state.clone()],
                    Check::succeeds(vec![lit("test"), lit("-d"), archive], "the moved state is at <GATEWAY_STATE_DIR>.incompatible"),
                    Check::succeeds(vec![lit("test"), lit("!"), lit("-e"), state], "nothing new is at <GATEWAY_STATE_DIR>"),
                ),
        );
        plan.steps.push(Step::argv(Confirm, "Start the gateway service on a new database", start));
    }

    /// The commands that stop and start the gateway's service on this host: NemoClaw's
    /// own unit, or the package's; Homebrew's service on macOS.
    fn gateway_service(&self) -> (Vec<Word>, Vec<Word>) {
        let unit = match self.input.frontend {
            Frontend::NemoClaw { .. } => "nemoclaw-openshell-gateway",
            Frontend::OpenShell => "openshell-gateway",
        };
        match self.input.host.os {
            Os::Macos => (argv(&["brew", "services", "stop", "openshell"]), argv(&["brew", "services", "start", "openshell"])),
            _ => (argv(&["systemctl", "--user", "stop", unit]), argv(&["systemctl", "--user", "start", unit])),
        }
    }
}
