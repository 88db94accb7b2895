//! Failures inside the image build: fix the cause, then run the create again.

use crate::command::ValueKind;

use super::{
    argv, lit, with_env, Alternative, Arch, Confirm, Destructive, Engine, Frontend, ImageRef, Kind, Os, Plan, Planner, Probe, Step,
};

impl Planner<'_> {
    pub(super) fn build(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let step = d.failed_step.as_ref();
        let where_ = match step.and_then(|s| s.number) {
            Some(n) => format!("Build step {n}{}", step.and_then(|s| s.total).map(|t| format!(" of {t}")).unwrap_or_default()),
            None => "A build step".to_owned(),
        };
        plan.headline = match d.phase {
            // The disk filled after the build: exporting or uploading the built image.
            Some(phase) if d.kind == Kind::DiskFull && phase != crate::model::Phase::Build => format!(
                "The disk filled up after the build, in phase {phase} ({}): free space where the engine and the export write, then run the create again.",
                phase.description()
            ),
            _ => format!("{where_} failed: fix the cause, then run the create again (the image upload and the gateway were not involved)."),
        };
        self.build_cause(plan);
        plan.steps.push(self.recreate(false, "Run the create again"));
        if let Some(resume) = self.resume() {
            plan.alternatives.push(Alternative {
                title: "Resume through NemoClaw".to_owned(),
                conditions: vec!["after fixing the cause: resuming repeats the same build".to_owned()],
                steps: vec![resume],
            });
        }
    }

    /// The steps that find and fix the cause, by kind.
    fn build_cause(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let eng = self.eng();
        match d.kind {
            Kind::PluginInstallNetworkDenied => self.plugin_network(plan),
            Kind::BuildStepNetworkFailed => {
                plan.steps.push(Step::advice("Give the build working DNS and egress: the engine's DNS settings, HTTP_PROXY/HTTPS_PROXY build arguments, or the corporate CA when TLS is intercepted"));
            }
            Kind::BuildBaseImagePullFailed => self.base_image_pull(plan),
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
            _ => plan.steps.push(Step::advice(fix_the_step(d))),
        }
    }

    /// The builder printed nothing for the no-progress limit (0.0.37 and newer): an
    /// engine short of CPU or memory deadlocks, or a step is legitimately quiet.
    pub(super) fn build_stalled(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let limit = d.timeout_secs.map_or_else(|| "the no-output limit".to_owned(), |s| format!("{s} s"));
        plan.headline = format!("The build printed nothing for {limit} and OpenShell stopped it: give the engine more CPU and memory, or allow a quiet step more time.");
        plan.steps.push(Step::argv(
            Probe,
            "See the engine's CPUs and memory",
            vec![self.eng(), lit("info"), lit("--format"), lit(self.engine_resources_template())],
        ));
        let more = match self.input.host.os {
            Os::Macos => {
                "Give the engine's VM more CPUs and memory (`colima start --cpu 4 --memory 8`, or Docker Desktop's Resources settings)"
            }
            _ if self.input.host.wsl => "Give WSL more CPUs and memory (`.wslconfig`), or Docker Desktop's Resources settings",
            _ => "Free CPU and memory on this host for the build (other containers, other builds)",
        };
        plan.steps.push(Step::advice(more));
        plan.steps.push(self.recreate(false, "Run the create again"));
        let quiet = d.timeout_secs.map_or(3600, |s| s.saturating_mul(2));
        let again = self.recreate(false, "Run the create again, allowing the quiet step more time (seconds)");
        plan.alternatives.push(Alternative {
            title: "A step that is legitimately quiet".to_owned(),
            conditions: vec!["when the engine has enough CPU and memory and the step just prints nothing for long".to_owned()],
            steps: vec![with_env(again, &[("OPENSHELL_BUILD_NO_PROGRESS_TIMEOUT_SECS", quiet.to_string())])],
        });
    }

    fn plugin_network(&mut self, plan: &mut Plan) {
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

    fn base_image_pull(&mut self, plan: &mut Plan) {
        let step = self.input.diagnosis.failed_step.as_ref();
        let eng = self.eng();
        let base = step
            .and_then(|s| s.command.as_deref())
            .and_then(|c| c.trim().strip_prefix("FROM "))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|r| ImageRef::parse(r).ok());
        let base = match base {
            Some(image) => lit(image.as_str()),
            None => self.placeholder("BASE_IMAGE", ValueKind::Image, "the Dockerfile's FROM image"),
        };
        // Not a probe: a pull contacts the registry and stores the image, and the name
        // comes from build output a step could have printed.
        plan.steps.push(Step::argv(
            Confirm,
            "Pull the base image by hand to see the registry's answer",
            vec![eng.clone(), lit("pull"), base],
        ));
        plan.steps.push(Step::argv(Confirm, "Log in to the registry (rate limits and private images)", vec![eng.clone(), lit("login")]));
    }

    /// `info --format` for the engine's CPUs and memory, in the engine's own field names
    /// (Docker's `info` is flat; Podman's puts them under `Host`).
    fn engine_resources_template(&self) -> &'static str {
        match self.engine {
            Engine::Podman => "{{.Host.CPUs}} CPUs, {{.Host.MemTotal}} bytes of memory",
            _ => "{{.NCPU}} CPUs, {{.MemTotal}} bytes of memory",
        }
    }
}

/// What to fix, as precisely as the output and the Dockerfile show it: the instruction's
/// lines, the failed command, the line that says why.
fn fix_the_step(d: &crate::model::Diagnosis) -> String {
    let again = "reproduce the build with the engine's own build command to iterate on the Dockerfile";
    let cause = d.cause.as_ref().map(|c| format!("line {} of the output says why: `{}`", c.line, c.text.trim()));
    let place = d.dockerfile.as_ref().and_then(|spot| {
        let line = spot.line?;
        let lines = spot.end_line.map_or(line.to_string(), |end| format!("{line}-{end}"));
        let command = spot.failed_command.as_ref().map(|c| format!(", where `{c}` failed")).unwrap_or_default();
        Some(format!("{}:{lines}{command}", spot.path.as_deref().unwrap_or("Dockerfile")))
    });
    match (place, cause) {
        (Some(place), Some(cause)) => format!("Fix the instruction at {place}: {cause}; {again}"),
        (Some(place), None) => format!("Fix the instruction at {place} (its output above says why); {again}"),
        (None, Some(cause)) => format!("Fix the failed step: {cause}; {again}"),
        (None, None) => format!("Read the failed step's output above; {again}"),
    }
}
