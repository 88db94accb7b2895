//! The gateway's driver could not find the sandbox's image (0.0.37 and newer): a
//! locally built image sits in an engine the gateway does not use, or a registry image
//! could not be pulled.

use crate::command::{FromSource, PathKind};

use crate::command::ValueKind;

use super::readings::engine_name;
use crate::plan::{Reading, Sign};

use super::{lit, Action, Alternative, Check, Confirm, Engine, ImageRef, Part, Plan, Planner, Probe, Safe, Step, Word};

impl Planner<'_> {
    /// The image the gateway asked for: the one the output names, else the built one;
    /// a locally built image by the exact reference the build gave it.
    fn wanted_image(&self) -> Option<ImageRef> {
        let d = self.input.diagnosis;
        match (&d.sandbox_image, &d.built_image_ref) {
            (Some(_), Some(built)) if d.sandbox_image_local => Some(built.clone()),
            (Some(wanted), _) => Some(wanted.clone()),
            (None, Some(built)) => Some(built.clone()),
            // The output names none: the image the create's `--from` names, if it does.
            (None, None) => match FromSource::classify(self.input.invocation?.value("--from")?, |_| PathKind::Missing) {
                FromSource::Image(image) => Some(image),
                FromSource::Community { image, .. } => ImageRef::parse(&image).ok(),
                _ => None,
            },
        }
    }

    fn wanted_image_word(&mut self) -> Word {
        match self.wanted_image() {
            Some(image) => lit(image.as_str()),
            None => self.placeholder(
                "SANDBOX_IMAGE",
                ValueKind::Image,
                "the image the sandbox was to run (`Pulling image …` in the output names it)",
            ),
        }
    }

    /// `<engine> image inspect --format '{{.Id}}' <image>`: whether an engine holds it.
    fn holds(engine: Engine, image: &Word) -> Check {
        Check::succeeds(
            vec![lit(engine.as_str()), lit("image"), lit("inspect"), lit("--format"), lit("{{.Id}}"), image.clone()],
            "an image id (sha256:…)",
        )
    }

    pub(super) fn gateway_store(&mut self, plan: &mut Plan) {
        // The engine the gateway's driver uses (given, or shown by the driver's wording)
        // and the one the builder's wording shows; either unknown, the usual mismatch:
        // the other kind.
        let d = self.input.diagnosis;
        let (build_engine, gateway_engine) = match (d.build_engine, self.input.engine.or(d.engine)) {
            (Some(build), Some(gateway)) => (build, gateway),
            (Some(build), None) => (build, other_kind(build)),
            (None, Some(gateway)) => (other_kind(gateway), gateway),
            // `… is available in the local Docker daemon`: the CLI speaks the Docker API.
            (None, None) => (Engine::Docker, Engine::Podman),
        };
        let image = self.wanted_image_word();
        plan.headline = format!(
            "The image was built, but into an engine the gateway does not use: its {gateway_engine} driver looked for it in its own store, then in a registry. Do not rebuild: copy the image into the gateway's engine, then create from it."
        );
        plan.notes.push("OpenShell builds with the engine its `DOCKER_HOST` reaches, while the gateway finds its engine by itself (OpenShell issue #2779): they differ when both Docker and Podman run, or the build went to another machine or Docker context.".to_owned());
        let mut info = Self::openshell(&["gateway", "info"]);
        if let Some(gateway) = self.given_gateway() {
            info.extend([lit("-g"), gateway]);
        }
        plan.steps.push(
            Step::argv(Probe, "See the gateway's compute driver", info).with_note("Docker or Podman: the engine whose store it reads"),
        );
        self.copy_between_engines(plan, build_engine, gateway_engine, &image);
        self.delete_if_created(&mut plan.steps);
        plan.steps.push(self.recreate_with(Some(&image), "Create the sandbox from the image (the driver finds it in its own store)"));
        self.remote_store_alternative(plan, build_engine, gateway_engine, &image);
        self.rebuild_alternative(plan);
    }

    /// Probes, then the copy from the engine that built the image into the gateway's,
    /// skipped when the gateway's already holds it, checked before and after.
    fn copy_between_engines(&mut self, plan: &mut Plan, build_engine: Engine, gateway_engine: Engine, image: &Word) {
        // Two daemons of one kind (Colima and Docker Desktop, a remote DOCKER_HOST): the
        // environment the create ran in reaches the one that built, so the gateway's is
        // named by its address, with the engine's own flag (Podman ignores DOCKER_HOST).
        let gateway_host = (build_engine == gateway_engine).then(|| {
            self.placeholder(
                "GATEWAY_ENGINE_HOST",
                ValueKind::EngineAddress,
                "the address of the engine the gateway uses, for example unix:///var/run/docker.sock",
            )
        });
        let on_gateway = |argv: Vec<Word>| match &gateway_host {
            Some(host) => {
                let flag = if gateway_engine == Engine::Podman { "--url" } else { "--host" };
                let mut prefixed = vec![argv[0].clone(), lit(flag), host.clone()];
                prefixed.extend(argv.into_iter().skip(1));
                prefixed
            }
            None => argv,
        };
        let source = Self::holds(build_engine, image).with_readings(self.image_readings(build_engine, image));
        let not_loaded = Reading::new(Sign::Fails, "the gateway's engine does not have the image: the load did not store it", None)
            .with_advice("read the load's output above (a full disk, or an engine that did not answer), then run this again");
        let target =
            Check::succeeds(on_gateway(Self::holds(gateway_engine, image).argv), "an image id (sha256:…)").with_readings(vec![not_loaded]);
        plan.steps.push(Step::probe(format!("Find the image in the engine that built it ({})", engine_name(build_engine)), source.clone()));
        // An archive carries the names the saving engine gives the image: Podman's is
        // `localhost/<name>`, which Docker would load under that name. Give it its Docker
        // Hub name first, so the archive carries the one the gateway looks for.
        let saved = match (build_engine, gateway_engine, self.wanted_image()) {
            (Engine::Podman, Engine::Docker, Some(wanted)) => {
                let full = lit(&wanted.normalized());
                plan.steps.push(Step::argv(
                    Safe,
                    "Give the image its full name in Podman (Podman's own is localhost/…, which Docker would keep)",
                    vec![lit("podman"), lit("tag"), image.clone(), full.clone()],
                ));
                full
            }
            _ => image.clone(),
        };
        let save = vec![lit(build_engine.as_str()), lit("save"), saved];
        let load = on_gateway(vec![lit(gateway_engine.as_str()), lit("load")]);
        plan.steps.push(
            Step::new(
                Confirm,
                format!("Copy the image {} (a stream, no archive on disk)", copy_sides(build_engine, gateway_engine)),
                Action::Pipeline(vec![save, load]),
            )
            .with_skip_if(target.clone())
            .with_pre(source)
            .with_post(target.clone()),
        );
        plan.steps.push(Step::probe("Check the gateway's engine now has the image", target));
    }

    /// The gateway runs on another machine: stream the image there.
    fn remote_store_alternative(&mut self, plan: &mut Plan, from: Engine, to: Engine, image: &Word) {
        let host = self.placeholder("GATEWAY_HOST", ValueKind::SshHost, "the machine the gateway runs on (user@host for ssh)");
        let save = vec![lit(from.as_str()), lit("save"), image.clone()];
        let load = vec![lit("ssh"), host, lit(to.as_str()), lit("load")];
        let mut steps = vec![Step::new(Confirm, "Stream the image to the gateway's machine", Action::Pipeline(vec![save, load]))];
        self.delete_if_created(&mut steps);
        steps.push(self.recreate_with(Some(image), "Create the sandbox from the image"));
        plan.alternatives.push(Alternative {
            title: "The gateway runs on another machine".to_owned(),
            conditions: vec!["`openshell gateway info` shows a remote endpoint".to_owned()],
            steps,
        });
    }

    /// Build into the gateway's engine instead.
    fn rebuild_alternative(&mut self, plan: &mut Plan) {
        let socket = self.placeholder(
            "GATEWAY_ENGINE_SOCKET",
            ValueKind::EngineAddress,
            "the gateway engine's API socket, for example unix:///run/user/1000/podman/podman.sock",
        );
        let rebuild = self.recreate(false, "Build and create through the gateway's engine");
        let Action::Argv(words) = &rebuild.action else { return };
        let mut assignment = vec![Part::Lit("DOCKER_HOST=".to_owned())];
        assignment.extend(socket.0);
        let mut with_host = vec![lit("env"), Word(assignment)];
        with_host.extend(words.iter().cloned());
        plan.alternatives.push(Alternative {
            title: "Rebuild into the gateway's engine".to_owned(),
            conditions: vec!["when the image cannot be copied (the build engine is gone)".to_owned()],
            steps: {
                let mut steps = Vec::new();
                self.delete_if_created(&mut steps);
                let mut step = Step::argv(Confirm, "Build and create through the gateway's engine", with_host);
                (step.note, step.in_person) = (rebuild.note.clone(), rebuild.in_person.clone());
                steps.push(step);
                steps
            },
        });
    }

    /// The gateway named by the argv or the output, when one is.
    pub(super) fn given_gateway(&self) -> Option<Word> {
        self.input
            .invocation
            .and_then(|i| i.value("--gateway"))
            .map(str::to_owned)
            .or_else(|| self.input.diagnosis.gateway.clone())
            .map(|g| lit(&g))
    }

    pub(super) fn sandbox_pull(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let image = self.wanted_image_word();
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n")
            + &d.reported_status.clone().unwrap_or_default().to_ascii_lowercase();
        plan.headline = "The gateway's driver could not pull the sandbox's image from its registry: reproduce the pull to see the registry's answer, fix the cause, then create again.".to_owned();
        plan.steps.push(
            Step::argv(Confirm, "Pull the image by hand to see the registry's answer", vec![self.eng(), lit("pull"), image.clone()])
                .with_note("it contacts the registry and stores the image"),
        );
        let auth = ["denied", "unauthorized", "authoriz", "no basic auth", "401", "403"].iter().any(|w| said.contains(w));
        if auth {
            let registry = self.wanted_image().and_then(|i| i.domain().map(str::to_owned)).unwrap_or_else(|| "docker.io".to_owned());
            plan.steps.push(Step::argv(Confirm, "Log in to the registry", vec![self.eng(), lit("login"), lit(&registry)]));
        }
        let cause = if said.contains("manifest unknown") || said.contains("not found") {
            "Correct the image reference: the registry has no such tag"
        } else if said.contains("toomanyrequests") || said.contains("429") || said.contains("rate limit") {
            "Wait out the registry's rate limit, or log in to raise it"
        } else if said.contains("x509") || said.contains("certificate") {
            "Make the gateway's engine trust the registry's certificate authority"
        } else if auth {
            "Use credentials that may read the image (a private repository, or the wrong name)"
        } else {
            "Check the gateway's engine reaches the registry (proxy, DNS, firewall)"
        };
        plan.steps.push(Step::advice(cause));
        self.delete_if_created(&mut plan.steps);
        plan.steps.push(self.recreate(false, "Create the sandbox again"));
    }
}

/// Both sides of a copy between engines, as people name them: two kinds of engine by
/// name; two daemons of one kind by their roles.
fn copy_sides(from: Engine, to: Engine) -> String {
    if from == to {
        let name = engine_name(from);
        format!("from the build's {name} host into the gateway's")
    } else {
        format!("from {} into {}", engine_name(from), engine_name(to))
    }
}

/// The other kind of engine: the usual mismatch when only one side is known.
fn other_kind(engine: Engine) -> Engine {
    match engine {
        Engine::Podman => Engine::Docker,
        _ => Engine::Podman,
    }
}
