//! From a diagnosis to a recovery plan: the steps that fit the kind, the phase, the
//! container engine, the gateway, the OpenShell version, the host and the front end.
//! Pure: it names commands, it runs none.

// Headlines are assigned once per plan; `match` on the invocation reads better than
// `if let … else` for the two cases.
#![allow(clippy::assigning_clones, clippy::single_match_else)]

use crate::diagnosis::Diagnosis;
use crate::host::{Arch, Os, Version};
use crate::image_ref::ImageRef;
use crate::invocation::{CreateInvocation, FromSource, PathKind};
use crate::kind::Kind;
use crate::phase::Phase;
use crate::plan::{Action, Alternative, Applicability, Check, CreateContext, Plan, Step};
use crate::reconstruct::{reconstruct, Placeholder};
use crate::rule::Engine;
use crate::shell::{Part, Word};

use Applicability::{Confirm, Destructive, Manual, Probe, Safe};

/// The machine the create ran on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Host {
    pub os: Os,
    pub arch: Arch,
    /// Linux under WSL 2 (Docker Desktop's engine, CDI quirks).
    pub wsl: bool,
}

/// Who ran the create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frontend {
    OpenShell,
    /// NemoClaw, under its command name (`nemoclaw`, or a branded one such as `nemohermes`).
    NemoClaw {
        cli: String,
    },
}

/// Everything the planner knows.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    pub diagnosis: &'a Diagnosis,
    pub host: Host,
    /// The container engine; else the one the output shows; else Docker.
    pub engine: Option<Engine>,
    pub openshell_version: Option<Version>,
    pub frontend: Frontend,
    pub invocation: Option<&'a CreateInvocation>,
}

const CTR_SOCKET: &str = "/run/k3s/containerd/containerd.sock";
const LAST_UPLOAD_RELEASE: Version = Version { major: 0, minor: 0, patch: 36 };

struct Planner<'a> {
    input: &'a PlanInput<'a>,
    engine: Engine,
    placeholders: Vec<Placeholder>,
}

fn lit(s: &str) -> Word {
    Word::lit(s)
}

fn argv(words: &[&str]) -> Vec<Word> {
    words.iter().map(|w| lit(w)).collect()
}

impl Planner<'_> {
    fn eng(&self) -> Word {
        lit(self.engine.as_str())
    }

    fn placeholder(&mut self, name: &str, reason: &str) -> Word {
        if !self.placeholders.iter().any(|p| p.name == name) {
            self.placeholders.push(Placeholder { name: name.to_owned(), reason: reason.to_owned() });
        }
        Word::var(name)
    }

    /// The gateway's name: from the log, else the invocation's `-g`, else a placeholder.
    fn gateway(&mut self) -> Word {
        let d = self.input.diagnosis;
        match d.gateway.clone().or_else(|| self.input.invocation.and_then(|i| i.value("--gateway")).map(str::to_owned)) {
            Some(name) => lit(&name),
            None => self.placeholder("GATEWAY", "the output does not name the gateway (`openshell gateway list` shows it)"),
        }
    }

    fn gateway_container(&mut self) -> Word {
        let gateway = self.gateway();
        let mut parts = vec![Part::Lit("openshell-cluster-".to_owned())];
        parts.extend(gateway.0);
        Word(parts)
    }

    fn built_image(&self) -> Option<ImageRef> {
        self.input.diagnosis.built_image_ref.clone()
    }

    fn image_word(&mut self) -> Word {
        match self.built_image() {
            Some(image) => lit(image.as_str()),
            None => self
                .placeholder("BUILT_IMAGE", "the output does not show the built image (`docker images openshell/sandbox-from` lists it)"),
        }
    }

    fn openshell(rest: &[&str]) -> Vec<Word> {
        let mut words = vec![lit("openshell")];
        words.extend(rest.iter().map(|w| lit(w)));
        words
    }

    fn upload_path_exists(&self) -> bool {
        self.input.openshell_version.is_none_or(|v| v <= LAST_UPLOAD_RELEASE)
    }

    /// The create again, from the built image when `from_image`, else from its source.
    fn recreate(&mut self, from_image: bool, purpose: &str) -> Step {
        let image = if from_image { Some(self.image_word()) } else { None };
        match self.input.invocation {
            Some(invocation) => {
                let rebuilt = reconstruct(invocation, self.built_image().as_ref().filter(|_| from_image));
                self.adopt(rebuilt.placeholders);
                let mut words = rebuilt.words;
                if let (Some(image), None) = (&image, self.built_image()) {
                    // The image is a placeholder: put it where `--from` goes.
                    match words.iter().position(|w| w.as_literal().as_deref() == Some("--from")) {
                        Some(i) if i + 1 < words.len() && words[i + 1].as_literal().as_deref() != Some("--") => {
                            words[i + 1] = image.clone();
                        }
                        Some(i) => words.insert(i + 1, image.clone()),
                        None => {
                            let at = words.iter().position(|w| w.as_literal().as_deref() == Some("--")).unwrap_or(words.len());
                            words.splice(at..at, [lit("--from"), image.clone()]);
                        }
                    }
                }
                Step::argv(Confirm, purpose, words)
            }
            None => {
                let mut words = Self::openshell(&["sandbox", "create"]);
                if let Some(image) = image {
                    words.extend([lit("--from"), image]);
                }
                let gateway = self.input.diagnosis.gateway.clone();
                if let Some(gateway) = gateway {
                    words.extend([lit("-g"), lit(&gateway)]);
                }
                let mut step = Step::argv(Confirm, purpose, words).with_note(
                    "add the other flags of the original create (name, providers, policy, GPU): pass its argv after `--` to get them here",
                );
                step.applicability = Manual;
                step
            }
        }
    }

    fn adopt(&mut self, placeholders: Vec<Placeholder>) {
        for p in placeholders {
            if !self.placeholders.iter().any(|q| q.name == p.name) {
                self.placeholders.push(p);
            }
        }
    }

    fn resume(&self) -> Option<Step> {
        match &self.input.frontend {
            Frontend::NemoClaw { cli } => {
                Some(Step::argv(Confirm, "Resume onboarding where it stopped", vec![lit(cli), lit("onboard"), lit("--resume")]))
            }
            Frontend::OpenShell => None,
        }
    }

    fn push_resume(&self, steps: &mut Vec<Step>) {
        steps.extend(self.resume());
    }

    fn ctr(&mut self, interactive: bool, rest: &[&str]) -> Vec<Word> {
        let mut words = vec![self.eng(), lit("exec")];
        if interactive {
            words.push(lit("-i"));
        }
        words.push(self.gateway_container());
        words.extend(argv(&["ctr", "-a", CTR_SOCKET, "-n", "k8s.io"]));
        words.extend(rest.iter().map(|w| lit(w)));
        words
    }

    fn upload_family(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let kind = d.kind;
        plan.headline = String::from("The image was built and is still in the local engine; only the hand-off to the gateway failed. Do not rebuild: stream the image into the gateway's containerd, then create from it.");
        if !self.upload_path_exists() {
            plan.notes.push(format!(
                "OpenShell {} has no image upload (it ended with 0.0.36): this output comes from an older CLI, or the failure is something else.",
                self.input.openshell_version.map(|v| v.to_string()).unwrap_or_default()
            ));
        }
        match kind {
            Kind::ImageUploadContainerMissing if self.engine == Engine::Podman => plan.notes.push(
                "The 404 wording `no container with name or ID … found` is Podman's compat API answering the archive upload; the gateway container is running. It is not an ARM64 limitation.".to_owned(),
            ),
            Kind::ImageUploadContainerMissing => plan.notes.push("The archive upload answered 404 although the gateway container is running.".to_owned()),
            Kind::ImageUploadFailed => plan.notes.push("Writing the archive to the engine's API failed; on macOS a single write over 2 GiB fails with EINVAL in OpenShell before 0.0.20: upgrade.".to_owned()),
            Kind::ImageTransferTimeout => plan.notes.push("The transfer hit the Docker client's timeout: OpenShell 0.0.35 and older allow 120 s for the whole request; 0.0.36 allows 3600 s (OPENSHELL_DOCKER_TIMEOUT_SECS). Upgrade, or use the route below.".to_owned()),
            Kind::ImageTransferReset => plan.notes.push("The connection was reset during the hand-off; a reset reported as `transport error` came from the gateway's gRPC connection: check the gateway is healthy before retrying.".to_owned()),
            Kind::ImageExportOomKilled => plan.notes.push("The CLI was killed (out of memory) while exporting: OpenShell 0.0.19 and older hold about three times the image in memory; 0.0.20 streams it. Upgrade and free memory.".to_owned()),
            _ => {}
        }
        let container = self.gateway_container();
        let image = self.image_word();
        let running = Check {
            argv: vec![self.eng(), lit("inspect"), lit("--format"), lit("{{.State.Running}}"), container.clone()],
            expect: "true".to_owned(),
        };
        let local = Check {
            argv: vec![self.eng(), lit("image"), lit("inspect"), lit("--format"), lit("{{.Id}}"), image.clone()],
            expect: "an image id (sha256:…)".to_owned(),
        };
        let stored = self.built_image().map_or_else(|| "docker.io/<BUILT_IMAGE>".to_owned(), |i| i.normalized());
        let listed = Check { argv: self.ctr(false, &["images", "ls", "-q"]), expect: format!("a line `{stored}`") };
        plan.steps.push(
            Step::argv(Probe, "Check the gateway container is running", running.argv.clone())
                .with_note(format!("expect: {}", running.expect)),
        );
        plan.steps.push(
            Step::argv(Probe, "Check the built image is still in the local engine", local.argv.clone())
                .with_note(format!("expect: {}", local.expect)),
        );
        plan.steps.push(
            Step::argv(Probe, "Check whether the gateway already has the image (then skip the import)", listed.argv.clone())
                .with_note(format!("skip the next step when it lists {stored}")),
        );
        let save = vec![self.eng(), lit("save"), image.clone()];
        let import = self.ctr(true, &["images", "import", "-"]);
        plan.steps.push(
            Step::new(
                Confirm,
                "Stream the image into the gateway's containerd (no archive upload, no registry)",
                Action::Pipeline(vec![save, import]),
            )
            .with_pre(running)
            .with_post(listed.clone()),
        );
        plan.steps
            .push(Step::argv(Probe, "Check the gateway now lists the image", listed.argv).with_note(format!("expect: {}", listed.expect)));
        plan.steps.push(
            self.recreate(true, "Create the sandbox from the built image (an image reference never takes the upload path)")
                .with_note("the tag is present in the gateway, so it is used without a pull"),
        );
        self.registry_alternative(plan);
    }

    fn registry_alternative(&mut self, plan: &mut Plan) {
        let image = self.image_word();
        let mut registry_ref = vec![Part::Lit("localhost:5000/".to_owned())];
        registry_ref.extend(image.0.clone());
        let registry_ref = Word(registry_ref);
        let container = self.gateway_container();
        let mut steps = vec![
            Step::argv(
                Safe,
                "Run a registry on the loopback address only",
                vec![
                    self.eng(),
                    lit("run"),
                    lit("-d"),
                    lit("--name"),
                    lit("openshell-local-registry"),
                    lit("-p"),
                    lit("127.0.0.1:5000:5000"),
                    lit("registry:2"),
                ],
            )
            .with_note("never publish an unauthenticated registry on every interface"),
            Step::argv(Safe, "Tag the built image for it", vec![self.eng(), lit("tag"), image, registry_ref.clone()]),
        ];
        let mut push = vec![self.eng(), lit("push")];
        if self.engine == Engine::Podman {
            push.push(lit("--tls-verify=false"));
        }
        push.push(registry_ref.clone());
        steps.push(Step::argv(Safe, "Push it", push));
        steps.push(
            Step::argv(
                Probe,
                "Check the gateway reaches the registry",
                vec![self.eng(), lit("exec"), container, lit("wget"), lit("-qO-"), lit("http://host.docker.internal:5000/v2/")],
            )
            .with_note("expect: {} (HTTP 200)"),
        );
        let pushed = self.built_image().and_then(|image| ImageRef::parse(&format!("localhost:5000/{image}")).ok());
        let create = match (self.input.invocation, pushed) {
            (Some(invocation), Some(pushed)) => {
                let rebuilt = reconstruct(invocation, Some(&pushed));
                self.adopt(rebuilt.placeholders);
                Step::argv(Confirm, "Create from the registry reference", rebuilt.words)
            }
            _ => {
                let mut create = Self::openshell(&["sandbox", "create", "--from"]);
                create.push(registry_ref);
                Step::argv(Confirm, "Create from the registry reference, with the original create's other flags", create)
            }
        };
        steps.push(create);
        plan.alternatives.push(Alternative {
            title: "Through a local registry (only when the gateway was created for it)".to_owned(),
            conditions: vec![
                "`localhost` inside the gateway container is the gateway itself, and its containerd wants HTTPS for any other host: this route fails unless the gateway was created with OPENSHELL_REGISTRY_HOST set to the reference's host, OPENSHELL_REGISTRY_ENDPOINT=host.docker.internal:5000, OPENSHELL_REGISTRY_INSECURE=true and IMAGE_REPO_BASE".to_owned(),
                "the registry answers from inside the gateway (`/v2/` returns 200)".to_owned(),
            ],
            steps,
        });
    }

    fn tls(&mut self, plan: &mut Plan) {
        plan.headline = String::from("The CLI no longer trusts the gateway's certificate: the gateway was recreated with new PKI while the CLI kept its old client certificates. (There is no `openshell gateway trust` command.)");
        let gateway = self.gateway();
        plan.steps.push(Step::argv(Probe, "List the gateways the CLI knows", Self::openshell(&["gateway", "list"])));
        let mut certs = vec![Part::Env("HOME".to_owned()), Part::Lit("/.config/openshell/gateways/".to_owned())];
        certs.extend(gateway.0.clone());
        certs.push(Part::Lit("/mtls".to_owned()));
        if self.upload_path_exists() {
            let mut start = Self::openshell(&["gateway", "start", "--name"]);
            start.push(gateway.clone());
            plan.steps.push(Step::argv(Confirm, "Re-store the gateway's certificate bundle (OpenShell 0.0.36 and older)", start));
        } else {
            plan.steps.push(Step::advice(format!(
                "Put the gateway's current client certificates in {} (OpenShell 0.0.37 and newer do not fetch them)",
                Word(certs.clone()).display()
            )));
        }
        let mut add = Self::openshell(&["gateway", "add"]);
        add.push(self.placeholder("GATEWAY_ENDPOINT", "the gateway's address, for example https://127.0.0.1:8080"));
        add.extend([lit("--local"), lit("--name"), gateway]);
        let remove = Step::argv(
            Destructive,
            "Remove the stale client certificates (gateway add skips extraction while old ones are present)",
            vec![lit("rm"), lit("-r"), Word(certs)],
        );
        let mut steps = vec![remove, Step::argv(Confirm, "Register the gateway again", add)];
        steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        plan.alternatives.push(Alternative {
            title: "Register the gateway again".to_owned(),
            conditions: vec!["when re-storing the bundle did not help".to_owned()],
            steps,
        });
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }

    fn gpu(&mut self, plan: &mut Plan) {
        plan.headline =
            "The gateway asked the engine for `--device nvidia.com/gpu=all` and the engine has no CDI specification for it.".to_owned();
        if self.input.host.wsl {
            plan.notes.push("Docker Desktop on WSL reports CDI specification directories without any specification in them.".to_owned());
        }
        let list = argv(&["nvidia-ctk", "cdi", "list"]);
        plan.steps.push(Step::argv(Probe, "List the CDI devices the host defines", list.clone()).with_note("expect: nvidia.com/gpu=all"));
        if self.input.host.os == Os::Linux {
            plan.steps.push(
                Step::argv(
                    Confirm,
                    "Generate the NVIDIA CDI specification",
                    argv(&["sudo", "nvidia-ctk", "cdi", "generate", "--output=/etc/cdi/nvidia.yaml"]),
                )
                .with_post(Check { argv: list, expect: "nvidia.com/gpu=all".to_owned() }),
            );
        }
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        let mut steps = Vec::new();
        match &self.input.frontend {
            Frontend::NemoClaw { cli } => steps.push(Step::argv(
                Confirm,
                "Resume onboarding without GPU passthrough",
                vec![lit(cli), lit("onboard"), lit("--resume"), lit("--no-gpu")],
            )),
            Frontend::OpenShell => steps.push(Step::advice("Create the sandbox without `--gpu`")),
        }
        plan.alternatives.push(Alternative {
            title: "Without GPU passthrough".to_owned(),
            conditions: vec!["when the host cannot provide a CDI specification".to_owned()],
            steps,
        });
    }

    fn sandbox_name(&mut self) -> Word {
        let name =
            self.input.diagnosis.sandbox.clone().or_else(|| self.input.invocation.and_then(|i| i.value("--name")).map(str::to_owned));
        match name {
            Some(name) => lit(&name),
            None => self.placeholder("SANDBOX", "the sandbox's name (`openshell sandbox list` shows it)"),
        }
    }

    fn incomplete(&mut self, plan: &mut Plan) {
        plan.headline =
            String::from("The sandbox was created, then the command failed: it may exist in Provisioning, Error or even Ready.");
        let mut list = Self::openshell(&["sandbox", "list"]);
        if self.input.openshell_version.is_some_and(|v| v > LAST_UPLOAD_RELEASE) {
            list.extend([lit("-o"), lit("json")]);
        }
        plan.steps.push(
            Step::argv(Probe, "See the sandbox's phase", list)
                .with_note("Ready: connect to it, nothing to re-create; Error or Provisioning: delete it, then create again"),
        );
        let mut delete = Self::openshell(&["sandbox", "delete"]);
        delete.push(self.sandbox_name());
        plan.steps.push(Step::argv(
            Destructive,
            "Delete the failed sandbox (creating again under the same name answers AlreadyExists)",
            delete,
        ));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }

    fn build(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let step = d.failed_step.as_ref();
        let where_ = match step.and_then(|s| s.number) {
            Some(n) => format!("Build step {n}{}", step.and_then(|s| s.total).map(|t| format!(" of {t}")).unwrap_or_default()),
            None => "A build step".to_owned(),
        };
        plan.headline =
            format!("{where_} failed: fix the cause, then run the create again (the image upload and the gateway were not involved).");
        let eng = self.eng();
        match d.kind {
            Kind::PluginInstallNetworkDenied => {
                plan.steps.push(Step::argv(
                    Probe,
                    "Check this host reaches the npm registry",
                    argv(&["curl", "-sSI", "https://registry.npmjs.org/"]),
                ));
                plan.steps.push(Step::advice("Allow the build to reach registry.npmjs.org and ClawHub: the network policy presets, the proxy (HTTP_PROXY/HTTPS_PROXY build arguments) or the firewall"));
                if let Frontend::NemoClaw { cli } = &self.input.frontend {
                    let resume = vec![lit("env"), lit("NEMOCLAW_WEB_SEARCH_ENABLED=0"), lit(cli), lit("onboard"), lit("--resume")];
                    plan.alternatives.push(Alternative {
                        title: "Without the plugin".to_owned(),
                        conditions: vec!["when web search is not needed".to_owned()],
                        steps: vec![Step::argv(Confirm, "Resume with web search (and its plugin) turned off", resume)],
                    });
                }
            }
            Kind::BuildStepNetworkFailed => {
                plan.steps.push(Step::advice("Give the build working DNS and egress: the engine's DNS settings, HTTP_PROXY/HTTPS_PROXY build arguments, or the corporate CA when TLS is intercepted"));
            }
            Kind::BuildBaseImagePullFailed => {
                let base = step
                    .and_then(|s| s.command.as_deref())
                    .and_then(|c| c.trim().strip_prefix("FROM "))
                    .and_then(|rest| rest.split_whitespace().next())
                    .and_then(|r| ImageRef::parse(r).ok());
                let base = match base {
                    Some(image) => lit(image.as_str()),
                    None => self.placeholder("BASE_IMAGE", "the Dockerfile's FROM image"),
                };
                plan.steps.push(Step::argv(
                    Probe,
                    "Pull the base image by hand to see the registry's answer",
                    vec![eng.clone(), lit("pull"), base],
                ));
                plan.steps.push(Step::argv(
                    Confirm,
                    "Log in to the registry (rate limits and private images)",
                    vec![eng.clone(), lit("login")],
                ));
            }
            Kind::DiskFull => {
                plan.steps.push(Step::argv(Probe, "See what the engine stores", vec![eng.clone(), lit("system"), lit("df")]));
                plan.steps.push(
                    Step::argv(Probe, "See the free space where the export is written", argv(&["df", "-h", "/tmp", "/var/lib"]))
                        .with_note("the export needs free space in TMPDIR the size of the image"),
                );
                plan.steps.push(Step::argv(Destructive, "Remove the build cache", vec![eng.clone(), lit("builder"), lit("prune")]));
            }
            Kind::PlatformMismatch => {
                plan.notes.push(format!(
                    "This host is {}.",
                    match self.input.host.arch {
                        Arch::Aarch64 => "arm64",
                        Arch::X86_64 => "amd64",
                    }
                ));
                plan.steps.push(Step::advice("Use a base image built for this architecture, or build with `--platform` for it"));
            }
            _ => {
                plan.steps.push(Step::advice("Read the failed step's output above; reproduce the build with the engine's own build command to iterate on the Dockerfile"));
            }
        }
        plan.steps.push(self.recreate(false, "Run the create again"));
        if let Some(resume) = self.resume() {
            plan.alternatives.push(Alternative {
                title: "Resume through NemoClaw".to_owned(),
                conditions: vec!["after fixing the cause: resuming repeats the same build".to_owned()],
                steps: vec![resume],
            });
        }
    }

    fn reset_after_upload(&mut self, plan: &mut Plan) {
        plan.headline =
            "The connection to the gateway was reset after the image reached it: check the gateway is healthy, then create again."
                .to_owned();
        plan.steps.push(Step::argv(Probe, "Check the gateway answers", Self::openshell(&["sandbox", "list"])));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }

    fn unknown(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline = match d.phase {
            Some(Phase::Import) => "No known failure signature. The gateway was importing the image, which prints nothing: a stall or a kill there leaves no message.".to_owned(),
            Some(phase) => format!("No known failure signature; the output ended while {}.", phase.description()),
            None => "No known failure signature in the output.".to_owned(),
        };
        plan.steps.push(Step::argv(Probe, "See whether a sandbox was created", Self::openshell(&["sandbox", "list"])));
        plan.steps
            .push(Step::advice("Read the evidence above, then run the create again; pass its full output to this tool if it fails again"));
        self.push_resume(&mut plan.steps);
    }

    fn gateway_start(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        match d.kind {
            Kind::DockerUnreachable => {
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
                if self.input.frontend == Frontend::OpenShell && self.upload_path_exists() {
                    let mut start = Self::openshell(&["gateway", "start", "--name"]);
                    start.push(self.gateway());
                    plan.steps.push(Step::argv(Confirm, "Start the gateway again", start));
                }
            }
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

    fn provider(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline.clone_from(&d.explanation);
        let advice = match d.kind {
            Kind::Transport => "Check the network path to the provider (proxy, DNS, TLS interception), then retry",
            Kind::Credential => "Enter a valid API key for the provider",
            Kind::Model => "Choose a model the provider serves",
            Kind::Endpoint => "Choose the right provider or base URL",
            _ => "Choose the provider and model again",
        };
        plan.steps.push(Step::advice(advice));
        self.push_resume(&mut plan.steps);
    }
}

/// What the create asked for, for people; nothing secret, nothing host-specific.
#[must_use]
pub fn create_context(invocation: &CreateInvocation) -> CreateContext {
    let source = match invocation.value("--from") {
        None => "the gateway's default image".to_owned(),
        Some(from) => match FromSource::classify(from, |_| PathKind::Missing) {
            FromSource::Image(image) => image.to_string(),
            FromSource::Community { name, .. } => format!("community sandbox {name}"),
            _ => "a local Dockerfile build".to_owned(),
        },
    };
    let gpu = match (invocation.has("--gpu"), invocation.value("--gpu")) {
        (false, _) => "no".to_owned(),
        (true, Some(count)) => format!("yes ({count})"),
        (true, None) => "yes".to_owned(),
    };
    let resources: Vec<String> =
        ["--cpu", "--memory"].iter().filter_map(|f| invocation.value(f).map(|v| format!("{}={v}", f.trim_start_matches('-')))).collect();
    CreateContext {
        source,
        policy: if invocation.has("--policy") { "attached".to_owned() } else { "none".to_owned() },
        providers: invocation.values("--provider").into_iter().map(str::to_owned).collect(),
        gpu,
        resources: (!resources.is_empty()).then(|| resources.join(", ")),
        runtime_environment: "omitted".to_owned(),
    }
}

/// The recovery plan for a diagnosis.
#[must_use]
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let d = input.diagnosis;
    let engine = input.engine.or(d.engine).unwrap_or(Engine::Docker);
    let mut planner = Planner { input, engine, placeholders: Vec::new() };
    let mut plan = Plan {
        kind: d.kind,
        headline: String::new(),
        notes: Vec::new(),
        context: input.invocation.map(create_context),
        steps: Vec::new(),
        alternatives: Vec::new(),
        placeholders: Vec::new(),
    };
    let transfer_phase = matches!(d.phase, None | Some(Phase::Export | Phase::Upload | Phase::Import));
    match d.kind {
        Kind::None => plan.headline = "Nothing failed.".to_owned(),
        Kind::ImageUploadContainerMissing | Kind::ImageUploadFailed => planner.upload_family(&mut plan),
        Kind::ImageTransferTimeout | Kind::ImageTransferReset | Kind::ImageExportOomKilled if transfer_phase => {
            planner.upload_family(&mut plan);
        }
        Kind::ImageTransferTimeout | Kind::ImageTransferReset | Kind::ImageExportOomKilled => planner.reset_after_upload(&mut plan),
        Kind::TlsCertMismatch => planner.tls(&mut plan),
        Kind::GpuCdiInjectionFailed => planner.gpu(&mut plan),
        Kind::SandboxCreateIncomplete => planner.incomplete(&mut plan),
        Kind::PluginInstallNetworkDenied
        | Kind::BuildStepNetworkFailed
        | Kind::BuildStepFailed
        | Kind::BuildBaseImagePullFailed
        | Kind::DiskFull
        | Kind::PlatformMismatch => planner.build(&mut plan),
        Kind::DockerUnreachable | Kind::DatabaseMigrationIncompatible => planner.gateway_start(&mut plan),
        Kind::Transport | Kind::Credential | Kind::Model | Kind::Endpoint => planner.provider(&mut plan),
        Kind::Unknown => match d.stage {
            crate::kind::Stage::SandboxCreate => planner.unknown(&mut plan),
            crate::kind::Stage::GatewayStart => planner.gateway_start(&mut plan),
            crate::kind::Stage::ProviderValidation => planner.provider(&mut plan),
        },
    }
    // Re-checking applicability after steps were assembled: placeholders make steps manual.
    for step in plan.steps.iter_mut().chain(plan.alternatives.iter_mut().flat_map(|a| a.steps.iter_mut())) {
        let fresh = Step::new(step.applicability, "", step.action.clone());
        step.applicability = fresh.applicability;
    }
    plan.placeholders = planner.placeholders;
    plan
}
