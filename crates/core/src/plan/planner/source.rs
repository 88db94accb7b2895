//! The CLI refused `--from` before doing anything. Say how it read the value and why it
//! refused; where a Dockerfile source cannot be used at all, build and tag the image
//! with the gateway's engine and create from the tag.

use crate::command::ValueKind;

use super::{lit, Confirm, Plan, Planner, Probe, Step, Word};

/// Why the CLI refused the source, from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Missing,
    NotADockerfile,
    NoDockerfileInDirectory,
    NotAFileOrDirectory,
    RemoteGateway,
    Windows,
    Removed,
}

impl Refusal {
    fn from_words(said: &str) -> Refusal {
        [
            ("does not exist", Refusal::Missing),
            ("is not a dockerfile", Refusal::NotADockerfile),
            ("no dockerfile found", Refusal::NoDockerfileInDirectory),
            ("not a regular file or directory", Refusal::NotAFileOrDirectory),
            ("only supported for local gateways", Refusal::RemoteGateway),
            ("unsupported on windows", Refusal::Windows),
        ]
        .iter()
        .find(|(words, _)| said.contains(words))
        .map_or(Refusal::Removed, |(_, refusal)| *refusal)
    }

    fn headline(self) -> &'static str {
        match self {
            Refusal::Missing => "The path `--from` names does not exist (a typo?): the CLI checked it before building anything.",
            Refusal::NotADockerfile => "`--from` names a file whose name does not say Dockerfile (a `Containerfile` is refused): the CLI only builds files named `Dockerfile` or `*.dockerfile`.",
            Refusal::NoDockerfileInDirectory => "`--from` names a directory with no `Dockerfile` in it (a `Containerfile` alone is not used).",
            Refusal::NotAFileOrDirectory => "`--from` names something that is neither a regular file nor a directory (a device, a pipe, a socket).",
            Refusal::RemoteGateway => "The gateway is remote: the CLI builds Dockerfile sources only for a local gateway. Build and push the image where the gateway can pull it, then create from its reference.",
            Refusal::Windows => "The Windows CLI cannot build Dockerfile sources: build and tag the image with the gateway's engine (or from WSL), then create from the tag.",
            Refusal::Removed => "This CLI no longer builds Dockerfile sources: build and tag the image with the gateway's engine, then create from the tag.",
        }
    }
}

impl Planner<'_> {
    pub(super) fn invalid_source(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n");
        let refusal = Refusal::from_words(&said);
        plan.headline = refusal.headline().to_owned();
        let from = self.input.invocation.and_then(|i| i.value("--from")).map(str::to_owned);
        let source = match &from {
            Some(from) => lit(from),
            None => self.placeholder("SOURCE", ValueKind::Text, "the `--from` value of the create"),
        };
        match refusal {
            Refusal::Missing | Refusal::NoDockerfileInDirectory | Refusal::NotAFileOrDirectory => {
                plan.steps.push(Step::argv(Probe, "See what is at that path", vec![lit("ls"), lit("-la"), source]));
                plan.steps.push(Step::advice("Point `--from` at an existing Dockerfile, a directory holding one, or an image reference"));
                plan.steps.push(self.recreate(false, "Create again with the corrected `--from`"));
            }
            Refusal::NotADockerfile | Refusal::RemoteGateway | Refusal::Windows | Refusal::Removed => {
                self.build_and_tag(plan, from.as_deref(), source, refusal == Refusal::RemoteGateway);
            }
        }
    }

    /// `<engine> build -t <tag> [-f <file>] <context>`, then create from the tag (pushed to
    /// a registry first when the gateway must pull it).
    fn build_and_tag(&mut self, plan: &mut Plan, from: Option<&str>, source: Word, push: bool) {
        let tag = if push {
            self.placeholder(
                "IMAGE",
                ValueKind::Image,
                "a reference in a registry the gateway can pull from, for example registry.example.com/team/agent:1",
            )
        } else {
            lit("openshell/sandbox-from:local")
        };
        let mut build = vec![self.eng(), lit("build"), lit("-t"), tag.clone()];
        // A file is built from its directory; a directory is the context itself.
        let file = from.filter(|f| {
            !f.ends_with('/') && f.rsplit('/').next().is_some_and(|name| name.contains('.') || name.to_ascii_lowercase().contains("file"))
        });
        match file {
            Some(file) => {
                let context = file.rsplit_once('/').map_or(".", |(dir, _)| if dir.is_empty() { "/" } else { dir });
                build.extend([lit("-f"), lit(file), lit(context)]);
            }
            None => build.push(source),
        }
        plan.steps.push(Step::argv(Confirm, "Build and tag the image with the gateway's engine", build));
        if push {
            plan.steps.push(Step::argv(Confirm, "Push it where the gateway can pull it", vec![self.eng(), lit("push"), tag.clone()]));
        }
        plan.steps.push(self.recreate_with(Some(&tag), "Create the sandbox from the tag"));
    }
}
