//! The upload family (OpenShell 0.0.36 and older): the image is built and local; only
//! the hand-off failed. Stream it into the gateway's containerd instead of rebuilding.

use super::{
    lit, prefixed, reconstruct_among, Action, Alternative, Check, Confirm, Engine, ImageRef, Kind, Part, Plan, Planner, Probe, Safe, Step,
    Word,
};

impl Planner<'_> {
    pub(super) fn upload_family(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let kind = d.kind;
        plan.headline = String::from("The image was built and is still in the local engine; only the hand-off to the gateway failed. Do not rebuild: stream the image into the gateway's containerd, then create from it.");
        if !self.upload_path_exists() {
            plan.notes.push(format!(
                "OpenShell {} has no image upload (it ended with 0.0.36): this output comes from an older CLI, or the failure is something else.",
                self.input.openshell_version.map(|v| v.to_string()).unwrap_or_default()
            ));
        }
        plan.notes.extend(self.upload_note(kind));
        let container = self.gateway_container();
        let image = self.image_word();
        let running =
            Check::prints_line(vec![self.eng(), lit("inspect"), lit("--format"), lit("{{.State.Running}}"), container.clone()], "true")
                .with_readings(self.gateway_container_readings(&container));
        let local = Check::succeeds(
            vec![self.eng(), lit("image"), lit("inspect"), lit("--format"), lit("{{.Id}}"), image.clone()],
            "an image id (sha256:…)",
        )
        .with_readings(self.local_image_readings(&image));
        // containerd keeps a short name under `docker.io/`; a built image is always
        // `openshell/sandbox-from:<ts>`, which has no `library/` to add.
        let stored = match self.built_image() {
            Some(built) => lit(&built.normalized()),
            None => prefixed("docker.io/", &image),
        };
        // An import whose unpack failed can leave the image listed: only the UNPACKED
        // column of `images check` says the gateway can run it.
        let mut check = self.ctr(false, &["images", "check"]);
        check.push(prefixed("name==", &stored));
        let expect = format!("a row `{} … true` (stored and unpacked)", stored.display());
        let unpacked = Check::prints_row(check, stored.clone(), "true", expect).with_readings(self.import_readings(&stored));
        plan.steps.push(Step::probe("Check the gateway container is running", running.clone()));
        plan.steps.push(Step::probe("Check the built image is still in the local engine", local));
        // Podman names its images `localhost/<name>`, and an archive it writes carries
        // that name into containerd, where the create's `docker.io/<name>` would not
        // find it: the archive must carry the full Docker Hub name.
        let saved = if self.engine == Engine::Podman {
            plan.steps.push(Step::argv(
                Safe,
                "Give the image its full name (Podman's own is localhost/…, which the gateway's containerd would keep)",
                vec![self.eng(), lit("tag"), image.clone(), stored.clone()],
            ));
            stored.clone()
        } else {
            image.clone()
        };
        let save = vec![self.eng(), lit("save"), saved];
        let import = self.ctr(true, &["images", "import", "-"]);
        plan.steps.push(
            Step::new(
                Confirm,
                "Stream the image into the gateway's containerd (no archive upload, no registry)",
                Action::Pipeline(vec![save, import]),
            )
            .with_skip_if(unpacked.clone())
            .with_pre(running)
            .with_post(unpacked.clone()),
        );
        plan.steps.push(Step::probe("Check the gateway's containerd has the image unpacked", unpacked));
        plan.steps.push(
            self.recreate(true, "Create the sandbox from the built image (an image reference never takes the upload path)")
                .and_note("the tag is present in the gateway, so it is used without a pull"),
        );
        self.registry_alternative(plan);
    }

    /// What the operator should know about this way of failing.
    fn upload_note(&self, kind: Kind) -> Option<String> {
        match kind {
            Kind::ImageUploadContainerMissing if self.engine == Engine::Podman => Some(
                "The 404 wording `no container with name or ID … found` is Podman's compat API answering the archive upload, not proof that the gateway container is gone: step 1 checks whether it runs. It is not an ARM64 limitation.".to_owned(),
            ),
            Kind::ImageUploadContainerMissing => Some("The archive upload answered 404: step 1 checks whether the gateway container really runs.".to_owned()),
            Kind::ImageUploadFailed => Some("Writing the archive to the engine's API failed; on macOS a single write over 2 GiB fails with EINVAL in OpenShell before 0.0.20: upgrade.".to_owned()),
            Kind::ImageTransferTimeout => Some("The transfer hit the Docker client's timeout: OpenShell 0.0.35 and older allow 120 s for the whole request; 0.0.36 allows 3600 s (OPENSHELL_DOCKER_TIMEOUT_SECS). Upgrade, or use the route below.".to_owned()),
            Kind::ImageTransferReset => Some("The connection was reset during the hand-off; a reset reported as `transport error` came from the gateway's gRPC connection: check the gateway is healthy before retrying.".to_owned()),
            Kind::ImageExportOomKilled => Some("The CLI was killed (out of memory) while exporting: OpenShell 0.0.19 and older hold about three times the image in memory; 0.0.20 streams it. Upgrade and free memory.".to_owned()),
            _ => None,
        }
    }

    pub(super) fn registry_alternative(&mut self, plan: &mut Plan) {
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
                let rebuilt = reconstruct_among(invocation, Some(&Word::lit(pushed.as_str())), &self.placeholders);
                self.placeholders = rebuilt.placeholders;
                Step::argv(Confirm, "Create from the registry reference", rebuilt.words)
            }
            _ => self.recreate_from_output(Some(&registry_ref), "Create from the registry reference"),
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

    /// The archive arrived but `ctr images import` failed in the gateway (0.0.36 and
    /// older): see why, then import it again as a stream.
    pub(super) fn import_failed(&mut self, plan: &mut Plan) {
        self.upload_family(plan);
        plan.headline = "The image archive reached the gateway, but its import into containerd failed (ctr's own words are in the evidence). Do not rebuild: check the gateway's free space, then stream the image into its containerd again.".to_owned();
        plan.notes.retain(|note| !note.starts_with("OpenShell"));
        let mut df = vec![self.eng(), lit("exec"), self.gateway_container()];
        df.extend([lit("df"), lit("-h"), lit("/var/lib/rancher")]);
        plan.steps.insert(
            0,
            Step::argv(Probe, "See the free space where the gateway's containerd stores images", df)
                .with_note("an import needs about twice the image's size"),
        );
    }

    pub(super) fn reset_after_upload(&mut self, plan: &mut Plan) {
        plan.headline =
            "The connection to the gateway was reset after the image reached it: check the gateway is healthy, then create again."
                .to_owned();
        plan.steps.push(Step::argv(Probe, "Check the gateway answers", Self::openshell(&["sandbox", "list"])));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }
}
