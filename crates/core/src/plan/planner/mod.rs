//! From a diagnosis to a recovery plan: the steps that fit the kind, the phase, the
//! container engine, the gateway, the OpenShell version, the host and the front end.
//! Pure: it names commands, it runs none.

// Headlines are assigned once per plan; `match` on the invocation reads better than
// `if let … else` for the two cases.
#![allow(clippy::assigning_clones, clippy::single_match_else)]

use crate::command::{reconstruct_among, CreateInvocation, Part, Placeholders, Spec, ValueKind, Word};
use crate::model::{Arch, Diagnosis, Engine, Era, Host, ImageRef, Kind, Os, Phase, Stage, Version};
use crate::plan::{create_context, Action, Alternative, Applicability, Check, Holds, Plan, Step};

use Applicability::{Confirm, Destructive, Probe, Safe};

mod build;
mod gateway;
mod gpu;
mod image_fit;
mod lifecycle;
mod own;
mod provider;
mod provisioning;
mod reach;
mod readings;
mod refusal;
mod source;
mod store;
mod trust;
mod upload;

/// Who ran the create.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frontend {
    /// `openshell sandbox create`, by hand or from a script.
    OpenShell,
    /// NemoClaw, under its command name (`nemoclaw`, or a branded one such as `nemohermes`).
    NemoClaw {
        /// The command name to resume with.
        cli: String,
    },
}

/// Everything the planner knows.
#[derive(Debug, Clone)]
pub struct PlanInput<'a> {
    /// What failed.
    pub diagnosis: &'a Diagnosis,
    /// Where it ran.
    pub host: Host,
    /// The container engine; else the one the output shows; else Docker.
    pub engine: Option<Engine>,
    /// The OpenShell CLI version, when known.
    pub openshell_version: Option<Version>,
    /// Who ran the create.
    pub frontend: Frontend,
    /// The original create's argv, when given.
    pub invocation: Option<&'a CreateInvocation>,
}

/// What a re-create built from the output alone lacks, said the same way everywhere.
pub(super) const ARGV_MISSING: &str = "built from the output alone: the create's other flags (providers, policy, GPU, resources, environment) are not in it; pass the create's command after `--` to keep them";

const CTR_SOCKET: &str = "/run/k3s/containerd/containerd.sock";

struct Planner<'a> {
    input: &'a PlanInput<'a>,
    engine: Engine,
    placeholders: Placeholders,
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

    /// A value nobody gave, of `kind`.
    fn placeholder(&mut self, name: &str, kind: ValueKind, reason: &str) -> Word {
        self.placeholders.named(name, Spec::asked(kind, reason))
    }

    /// The gateway the create was told to use, else the one the output names.
    fn gateway(&mut self) -> Word {
        let given = self.input.invocation.and_then(|i| i.value("--gateway")).map(str::to_owned);
        match given.or_else(|| self.input.diagnosis.gateway.clone()) {
            Some(name) => lit(&name),
            None => {
                self.placeholder("GATEWAY", ValueKind::Name, "the output does not name the gateway (`openshell gateway list` shows it)")
            }
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
            None => {
                let reason =
                    format!("the output does not show the built image (`{} images openshell/sandbox-from` lists it)", self.engine.as_str());
                self.placeholder("BUILT_IMAGE", ValueKind::Image, &reason)
            }
        }
    }

    fn openshell(rest: &[&str]) -> Vec<Word> {
        let mut words = vec![lit("openshell")];
        words.extend(rest.iter().map(|w| lit(w)));
        words
    }

    /// The releases the create ran with: the version given, else what the output's
    /// wording shows.
    fn era(&self) -> Option<Era> {
        self.input.openshell_version.map(Version::era).or(self.input.diagnosis.era)
    }

    /// Whether the image upload and `openshell gateway start` exist: 0.0.36 and older,
    /// or releases unknown.
    fn upload_path_exists(&self) -> bool {
        self.era() != Some(Era::PackageManaged)
    }

    fn recreate(&mut self, from_image: bool, purpose: &str) -> Step {
        let image = if from_image { Some(self.image_word()) } else { None };
        self.recreate_with(image.as_ref(), purpose)
    }

    /// The create again, from `image` when given, else from its original source.
    fn recreate_with(&mut self, image: Option<&Word>, purpose: &str) -> Step {
        match self.input.invocation {
            Some(invocation) => {
                let rebuilt = reconstruct_among(invocation, image, &self.placeholders);
                self.placeholders = rebuilt.placeholders;
                Step::argv(Confirm, purpose, rebuilt.words)
            }
            None => self.recreate_from_output(image, purpose),
        }
    }

    /// The create again when its argv was not given: every flag the output shows (the
    /// source, the sandbox's name, the gateway), and the same words every time about
    /// what is missing. Only a person knows whether the create had other flags, so
    /// only a person says yes to it.
    pub(super) fn recreate_from_output(&mut self, image: Option<&Word>, purpose: &str) -> Step {
        let d = self.input.diagnosis;
        let mut words = Self::openshell(&["sandbox", "create"]);
        match image {
            Some(image) => words.extend([lit("--from"), image.clone()]),
            None => {
                let source =
                    self.placeholder("SOURCE", ValueKind::Text, "the `--from` value of the create (its Dockerfile, directory or image)");
                words.extend([lit("--from"), source]);
            }
        }
        if let Some(name) = d.sandbox.clone() {
            words.extend([lit("--name"), lit(&name)]);
        }
        if let Some(gateway) = d.gateway.clone() {
            words.extend([lit("-g"), lit(&gateway)]);
        }
        let missing = match &self.input.frontend {
            Frontend::OpenShell => ARGV_MISSING.to_owned(),
            Frontend::NemoClaw { cli } => format!(
                "built from the output alone: NemoClaw's other flags (policy, providers, GPU, resources) and its runtime environment are not in it; add them, or let NemoClaw create the sandbox again (`{cli} onboard --resume`), which builds the image again"
            ),
        };
        Step::argv(Confirm, purpose, words).with_note(missing).in_person("only you know whether the create had other flags")
    }

    /// The create again under a new name (a placeholder): the old one is taken.
    fn recreate_renamed(&mut self, purpose: &str) -> Step {
        let step = self.recreate(self.input.diagnosis.built_image_ref.is_some(), purpose);
        let Action::Argv(mut words) = step.action.clone() else { return step };
        let new_name = self.placeholder("NEW_NAME", ValueKind::Name, "a name no sandbox has yet");
        let displayed: Vec<String> = words.iter().map(Word::display).collect();
        if let Some(at) = displayed.iter().position(|w| w == "--name").filter(|at| at + 1 < words.len()) {
            words[at + 1] = new_name;
        } else if let Some(at) = displayed.iter().position(|w| w.starts_with("--name=")) {
            let mut parts = vec![Part::Lit("--name=".to_owned())];
            parts.extend(new_name.0);
            words[at] = Word(parts);
        } else {
            let at = displayed.iter().position(|w| w == "create").map_or(words.len(), |i| i + 1);
            words.splice(at..at, [lit("--name"), new_name]);
        }
        let mut renamed = Step::argv(step.applicability, purpose, words);
        renamed.note = step.note;
        renamed
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
}

/// The recovery plan for a diagnosis.
#[must_use]
pub fn plan(input: &PlanInput<'_>) -> Plan {
    let d = input.diagnosis;
    let engine = input.engine.or(d.engine).or(d.build_engine).unwrap_or(Engine::Docker);
    let mut planner = Planner { input, engine, placeholders: Placeholders::default() };
    let mut plan = Plan {
        kind: d.kind,
        headline: String::new(),
        notes: Vec::new(),
        context: input.invocation.map(create_context),
        steps: Vec::new(),
        alternatives: Vec::new(),
        placeholders: Placeholders::default(),
        mechanical: false,
        by_users_rule: None,
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
        Kind::Interrupted => planner.interrupted(&mut plan),
        Kind::GatewayUnreachable => planner.gateway_unreachable(&mut plan),
        Kind::ImageNotInGatewayStore => planner.gateway_store(&mut plan),
        Kind::SandboxImagePullFailed => planner.sandbox_pull(&mut plan),
        Kind::InvalidSource => planner.invalid_source(&mut plan),
        Kind::SandboxAlreadyExists => planner.already_exists(&mut plan),
        Kind::ProvisioningTimeout => planner.provisioning_timeout(&mut plan),
        Kind::BuildStalled => planner.build_stalled(&mut plan),
        Kind::ImageImportFailed => planner.import_failed(&mut plan),
        Kind::GatewayAuthFailed => planner.gateway_auth(&mut plan),
        Kind::GatewayRejectedCreate => planner.gateway_rejected(&mut plan),
        Kind::SandboxImageUnsuitable => planner.image_unsuitable(&mut plan),
        Kind::UserKind => planner.users_own(&mut plan),
        Kind::Unknown => match d.stage {
            Stage::GatewayStart => planner.gateway_start(&mut plan),
            Stage::ProviderValidation => planner.provider(&mut plan),
            _ => planner.unknown(&mut plan),
        },
    }
    plan.placeholders = planner.placeholders;
    plan.mechanical = mechanical(d.kind, transfer_phase);
    own::for_a_person(d, &mut plan);
    plan
}

/// Only these plans are one checked sequence; the others branch on what a person sees
/// (which engine to start, what to edit). A taken name is: its check before the delete
/// stops at a sandbox that is Ready or still provisioning.
fn mechanical(kind: Kind, transfer_phase: bool) -> bool {
    match kind {
        Kind::ImageUploadContainerMissing
        | Kind::ImageUploadFailed
        | Kind::ImageNotInGatewayStore
        | Kind::DatabaseMigrationIncompatible
        | Kind::SandboxAlreadyExists => true,
        Kind::ImageTransferTimeout | Kind::ImageTransferReset | Kind::ImageExportOomKilled => transfer_phase,
        _ => false,
    }
}

/// `word` after the literal `head` (`docker.io/` before an image, `name==` before a
/// filter).
fn prefixed(head: &str, word: &Word) -> Word {
    let mut parts = vec![Part::Lit(head.to_owned())];
    parts.extend(word.0.iter().cloned());
    Word(parts)
}

/// `step`'s command run under `env NAME=VALUE …`.
fn with_env(step: Step, vars: &[(&str, String)]) -> Step {
    let Action::Argv(words) = &step.action else { return step };
    let mut prefixed = vec![lit("env")];
    prefixed.extend(vars.iter().map(|(name, value)| lit(&format!("{name}={value}"))));
    prefixed.extend(words.iter().cloned());
    Step { action: Action::Argv(prefixed), ..step }
}
