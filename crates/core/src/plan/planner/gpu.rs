//! The gateway could not inject the NVIDIA GPU through CDI.

use super::{argv, lit, Alternative, Check, Confirm, Frontend, Os, Plan, Planner, Step};

impl Planner<'_> {
    pub(super) fn gpu(&mut self, plan: &mut Plan) {
        plan.headline =
            "The gateway asked the engine for `--device nvidia.com/gpu=all` and the engine has no CDI specification for it.".to_owned();
        if self.input.host.wsl {
            plan.notes.push("Docker Desktop on WSL reports CDI specification directories without any specification in them.".to_owned());
        }
        let list = argv(&["nvidia-ctk", "cdi", "list"]);
        plan.steps.push(Step::probe("List the CDI devices the host defines", Check::prints_line(list.clone(), "nvidia.com/gpu=all")));
        if self.input.host.os == Os::Linux {
            plan.steps.push(
                Step::argv(
                    Confirm,
                    "Generate the NVIDIA CDI specification",
                    argv(&["sudo", "nvidia-ctk", "cdi", "generate", "--output=/etc/cdi/nvidia.yaml"]),
                )
                .with_post(Check::prints_line(list, "nvidia.com/gpu=all")),
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
}
