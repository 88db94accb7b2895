//! What the plans' probes print when the machine is not as the plan needs it, read into
//! the machine's state and the way on: the engine is not running, the gateway container
//! is stopped or absent (or the log came from another machine), the built image is gone.

use crate::command::Word;
use crate::plan::{Reading, Sign};

use super::{argv, lit, Engine, Era, Os, Planner};

/// Engines' words for a daemon that does not answer.
const ENGINE_DOWN: &[&str] = &["cannot connect to the docker daemon", "cannot connect to podman", "is the docker daemon running"];

/// Engines' words for a container that does not exist.
const NO_CONTAINER: &[&str] = &["no such object", "no such container", "no container with name or id"];

/// Engines' words for an image that does not exist.
const NO_IMAGE: &[&str] = &["no such image", "image not known", "no such object"];

/// The engine's name as people write it.
pub(super) fn engine_name(engine: Engine) -> &'static str {
    match engine {
        Engine::Podman => "Podman",
        _ => "Docker",
    }
}

impl Planner<'_> {
    /// The command that starts the engine on this host, when one command does.
    pub(super) fn engine_start(&self) -> Option<Vec<Word>> {
        self.engine_start_of(self.engine)
    }

    /// The command that starts `engine` on this host, when one command does.
    fn engine_start_of(&self, engine: Engine) -> Option<Vec<Word>> {
        match (engine, self.input.host.os) {
            (Engine::Podman, Os::Linux) => Some(argv(&["systemctl", "--user", "start", "podman.socket"])),
            (Engine::Podman, _) => Some(argv(&["podman", "machine", "start"])),
            (Engine::Docker, Os::Linux) if !self.input.host.wsl => Some(argv(&["sudo", "systemctl", "start", "docker"])),
            (Engine::Docker, Os::Macos) => Some(argv(&["colima", "start"])),
            _ => None,
        }
    }

    /// What any engine probe's failure may mean: the engine is not here, not running, or
    /// not this user's to use.
    fn engine_readings(&self) -> Vec<Reading> {
        self.engine_readings_of(self.engine)
    }

    /// What a probe of `engine` failing may mean.
    fn engine_readings_of(&self, engine: Engine) -> Vec<Reading> {
        let name = engine_name(engine);
        let mut readings =
            vec![Reading::new(Sign::NotInstalled, format!("`{engine}` is not installed on this machine (or not on PATH)"), None)
                .with_advice(
                    "a log from a machine with another engine is recovered on that machine; else install the engine the gateway uses",
                )];
        readings.push(
            Reading::new(Reading::says(ENGINE_DOWN), format!("the {name} engine is not running here"), self.engine_start_of(engine))
                .with_advice("start it, then run this again"),
        );
        readings.push(
            Reading::new(Reading::says(&["permission denied"]), format!("this user may not use the {name} engine's socket"), None)
                .with_advice("run as a user in the engine's group (`sudo usermod -aG docker $USER`, then a new login session)"),
        );
        readings
    }

    /// `inspect {{.State.Running}} openshell-cluster-<gw>` did not print `true`.
    pub(super) fn gateway_container_readings(&mut self, container: &Word) -> Vec<Reading> {
        let shown = container.display();
        let mut readings = self.engine_readings();
        let start = match self.era() {
            Some(Era::PackageManaged) => None,
            _ => {
                let mut start = Self::openshell(&["gateway", "start", "--name"]);
                start.push(self.gateway());
                Some(start)
            }
        };
        readings.push(
            Reading::new(
                Reading::says(NO_CONTAINER),
                format!("there is no gateway container {shown} on this machine: the gateway was never started here, or was removed"),
                start,
            )
            .with_advice("if the log came from another machine, carry the recovery out there; here, start the gateway, then create again"),
        );
        readings.push(Reading::new(
            Sign::PrintsLine { line: "false".to_owned() },
            format!("the gateway container {shown} exists but is stopped"),
            Some(vec![lit(self.engine.as_str()), lit("start"), container.clone()]),
        ));
        readings
    }

    /// `image inspect <built image>` failed.
    pub(super) fn local_image_readings(&mut self, image: &Word) -> Vec<Reading> {
        self.image_readings(self.engine, image)
    }

    /// `<engine> image inspect <image>` failed: the image is not in the engine that built
    /// it.
    pub(super) fn image_readings(&mut self, engine: Engine, image: &Word) -> Vec<Reading> {
        let shown = image.display();
        let name = engine_name(engine);
        let mut readings = self.engine_readings_of(engine);
        // The create as it was (from its own source), when its argv is known and needs
        // no value the plan does not already read (a temporary build directory is gone).
        let again =
            self.input.invocation.map(|invocation| crate::command::reconstruct_among(invocation, None, &self.placeholders)).and_then(
                |rebuilt| {
                    let known = rebuilt.placeholders.list().len() == self.placeholders.list().len();
                    known.then_some(rebuilt.words)
                },
            );
        readings.push(
            Reading::new(
                Reading::says(NO_IMAGE),
                format!("the built image {shown} is not in {name} here: it was removed, or the log came from another machine"),
                again,
            )
            .with_advice("there is nothing to hand over: build it again by running the create as before"),
        );
        readings
    }
}

impl Planner<'_> {
    /// The gateway's containerd, asked for the imported image, did not show it unpacked.
    pub(super) fn import_readings(&mut self, stored: &Word) -> Vec<Reading> {
        let mut df = vec![self.eng(), lit("exec"), self.gateway_container()];
        df.extend([lit("df"), lit("-h"), lit("/var/lib/rancher")]);
        vec![
            Reading::new(
                Sign::Row { first: stored.display(), last: "false".to_owned() },
                "the gateway's containerd holds the image but did not unpack it (most often a full disk in the gateway)",
                Some(df),
            )
            .with_advice("free space in the gateway, then run this again: the import is skipped once the image is unpacked"),
            Reading::new(Sign::Fails, "the gateway's containerd does not list the image: the import stored nothing", None)
                .with_advice("read the import's output above; free space in the gateway if it says so, then run this again"),
        ]
    }

    /// The sandbox list, asked for the sandbox in Error, showed it otherwise.
    pub(super) fn sandbox_phase_readings(name: &Word) -> Vec<Reading> {
        let shown = name.display();
        let mut connect = Self::openshell(&["sandbox", "connect"]);
        connect.push(name.clone());
        vec![
            Reading::new(
                Sign::Row { first: shown.clone(), last: "Ready".to_owned() },
                format!("the sandbox {shown} is Ready: it works, whatever the create said; nothing to delete or create"),
                Some(connect),
            ),
            Reading::new(
                Sign::Row { first: shown.clone(), last: "Provisioning".to_owned() },
                format!("the sandbox {shown} is still provisioning"),
                Some(Self::openshell(&["sandbox", "list"])),
            )
            .with_advice("wait until it is Ready or in Error, then run this again"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Arch, Engine, Era, Host, Os, Stage};
    use crate::plan::{plan, Frontend, PlanInput};
    use crate::rules::{Catalogue, StageRules};

    const UPLOAD_404: &str = "  Built image openshell/sandbox-from:1786000000\n  Pushing image openshell/sandbox-from:1786000000 into gateway \"spark\"\nError:   × failed to upload image tar into container\n  ╰─▶ Docker responded with status code 404: No such container: openshell-cluster-spark\n";

    /// The first probe's readings, as (state, next command) pairs.
    fn readings(engine: Engine, os: Os, wsl: bool, era: Option<Era>) -> Vec<(String, Option<String>)> {
        let rules = StageRules::new(&Catalogue::builtin().expect("rules"), Stage::SandboxCreate);
        let mut diagnosis = crate::classify::classify(
            &rules,
            crate::classify::Options { exit_status: Some(1), ..Default::default() },
            UPLOAD_404.as_bytes(),
        );
        diagnosis.era = era;
        let input = PlanInput {
            diagnosis: &diagnosis,
            host: Host { os, arch: Arch::X86_64, wsl },
            engine: Some(engine),
            openshell_version: None,
            frontend: Frontend::OpenShell,
            invocation: None,
        };
        let plan = plan(&input);
        let check = plan.steps[0].post.clone().expect("the probe's expectation");
        check
            .readings
            .iter()
            .map(|r| (r.state.clone(), r.next.as_ref().map(|n| n.iter().map(crate::command::Word::display).collect::<Vec<_>>().join(" "))))
            .collect()
    }

    fn next_for<'a>(readings: &'a [(String, Option<String>)], state: &str) -> Option<&'a str> {
        readings.iter().find(|(s, _)| s.contains(state)).and_then(|(_, n)| n.as_deref())
    }

    #[test]
    fn the_engine_is_started_as_this_host_starts_it() {
        let cases = [
            (Engine::Podman, Os::Linux, false, Some("systemctl --user start podman.socket")),
            (Engine::Podman, Os::Macos, false, Some("podman machine start")),
            (Engine::Docker, Os::Linux, false, Some("sudo systemctl start docker")),
            (Engine::Docker, Os::Linux, true, None),
            (Engine::Docker, Os::Macos, false, Some("colima start")),
            (Engine::Docker, Os::Windows, false, None),
        ];
        for (engine, os, wsl, next) in cases {
            let found = readings(engine, os, wsl, None);
            assert_eq!(next_for(&found, "engine is not running"), next, "{engine} {os} wsl={wsl}");
        }
    }

    #[test]
    fn an_absent_gateway_container_is_started_only_by_releases_that_start_it() {
        let older = readings(Engine::Docker, Os::Linux, false, Some(Era::TarUpload));
        assert_eq!(next_for(&older, "there is no gateway container"), Some("openshell gateway start --name spark"));
        let newer = readings(Engine::Docker, Os::Linux, false, Some(Era::PackageManaged));
        assert_eq!(next_for(&newer, "there is no gateway container"), None);
        assert_eq!(next_for(&newer, "exists but is stopped"), Some("docker start openshell-cluster-spark"));
    }
}

#[cfg(test)]
mod engine_down {
    use crate::model::{Arch, Host, Os, Stage};
    use crate::plan::{plan, Action, Frontend, PlanInput};
    use crate::rules::{Catalogue, StageRules};

    #[test]
    fn an_engine_that_does_not_answer_is_started_as_the_host_starts_it() {
        let rules = StageRules::new(&Catalogue::builtin().expect("rules"), Stage::GatewayStart);
        let log = b"Error:   x Docker is not reachable: Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n";
        let diagnosis = crate::classify::classify(&rules, crate::classify::Options { exit_status: Some(1), ..Default::default() }, log);
        for (os, start) in [(Os::Linux, Some("sudo systemctl start docker")), (Os::Macos, Some("colima start")), (Os::Windows, None)] {
            let input = PlanInput {
                diagnosis: &diagnosis,
                host: Host { os, arch: Arch::X86_64, wsl: false },
                engine: None,
                openshell_version: None,
                frontend: Frontend::OpenShell,
                invocation: None,
            };
            let plan = plan(&input);
            let step = plan.steps.iter().find(|s| s.purpose.starts_with("Start")).expect("a start step");
            let shown = match &step.action {
                Action::Argv(words) => Some(words.iter().map(crate::command::Word::display).collect::<Vec<_>>().join(" ")),
                _ => None,
            };
            assert_eq!(shown.as_deref(), start, "{os}: {step:?}");
        }
    }
}
