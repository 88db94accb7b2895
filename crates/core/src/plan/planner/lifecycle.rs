//! A sandbox that was created and then failed, and output with no known failure.

use crate::command::ValueKind;

use super::{lit, Check, Destructive, Era, Frontend, Holds, Phase, Plan, Planner, Probe, Stage, Step, Word};

impl Planner<'_> {
    /// The name the create was given, else the one the output reports (OpenShell
    /// generates one when none is given): what the user typed outranks output a build
    /// step or the sandbox itself could have printed.
    pub(super) fn sandbox_name(&mut self) -> Word {
        let given = self.input.invocation.and_then(|i| i.value("--name")).map(str::to_owned);
        let name = given.or_else(|| self.input.diagnosis.sandbox.clone());
        match name {
            Some(name) => lit(&name),
            None => self.placeholder("SANDBOX", ValueKind::Name, "the sandbox's name (`openshell sandbox list` shows it)"),
        }
    }

    /// `openshell <sandbox subcommand> … [-g <gateway>]`: on the create's gateway when it is
    /// known, never on whichever gateway happens to be active.
    pub(super) fn on_gateway(&self, mut words: Vec<Word>) -> Vec<Word> {
        if let Some(gateway) = self.given_gateway() {
            words.extend([lit("-g"), gateway]);
        }
        words
    }

    /// `openshell sandbox delete <name>`, destructive.
    pub(super) fn delete_sandbox(&mut self, purpose: &str) -> Step {
        let mut delete = Self::openshell(&["sandbox", "delete"]);
        delete.push(self.sandbox_name());
        Step::argv(Destructive, purpose, self.on_gateway(delete))
    }

    /// When OpenShell's own output shows the sandbox was created (`Created sandbox:`;
    /// it then failed in provisioning), its deletion, carried out only while the sandbox
    /// list shows it in Error: a create under the same name would answer `AlreadyExists`.
    /// A create that may never have reached the gateway deletes nothing.
    pub(super) fn delete_if_created(&mut self, steps: &mut Vec<Step>) {
        self.delete_if_failed(
            steps,
            "Delete the sandbox the failure left in Error (creating again under the same name answers AlreadyExists)",
        );
    }

    /// The sandbox the output names deleted, only while the sandbox list shows it in
    /// Error (a Ready or provisioning one stops the plan, saying so); skipped when it is
    /// gone already.
    pub(super) fn delete_if_failed(&mut self, steps: &mut Vec<Step>, purpose: &str) {
        let Some(created) = self.input.diagnosis.sandbox.clone() else { return };
        // The create's argv names another sandbox than the output shows created: the
        // log and the command do not belong together, and nothing is deleted by guess.
        if let Some(given) = self.input.invocation.and_then(|i| i.value("--name")).filter(|given| *given != created) {
            steps.push(Step::advice(format!(
                "The output shows sandbox {created} created, but the create's command names {given}: see `openshell sandbox list`, and delete the one left in Error yourself"
            )));
            return;
        }
        let name = self.sandbox_name();
        let list = self.on_gateway(Self::openshell(&["sandbox", "list"]));
        let failed =
            Check::prints_row(list.clone(), name.clone(), "Error", format!("a row `{} … Error` (it exists, failed)", name.display()))
                .with_readings(Self::sandbox_phase_readings(&name));
        // Gone already (deleted by hand since): nothing to delete, and the create goes on.
        let expect = format!("no row `{} …` (it is gone)", name.display());
        let gone = Check { argv: list, expect, holds: Holds::LacksRow { first: name }, readings: Vec::new() };
        steps.push(self.delete_sandbox(purpose).with_skip_if(gone).with_pre(failed));
    }

    pub(super) fn incomplete(&mut self, plan: &mut Plan) {
        plan.headline =
            String::from("The sandbox was created, then the command failed: it may exist in Provisioning, Error or even Ready.");
        let mut list = Self::openshell(&["sandbox", "list"]);
        if self.era() == Some(Era::PackageManaged) {
            list.extend([lit("-o"), lit("json")]);
        }
        let exited = self.input.diagnosis.reported_status.as_deref().is_some_and(|s| s.starts_with("ContainerExited"));
        if exited {
            plan.headline =
                "The sandbox's container exited while provisioning: the create does not say why; the container's log does.".to_owned();
            self.container_log_probe(&mut plan.steps);
        }
        plan.steps.push(
            Step::argv(Probe, "See the sandbox's phase", list)
                .with_note("Ready: connect to it, nothing to re-create; Error or Provisioning: delete it, then create again"),
        );
        plan.steps.push(self.delete_sandbox("Delete the failed sandbox (creating again under the same name answers AlreadyExists)"));
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
    }

    pub(super) fn interrupted(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline = "The run was stopped from outside (Ctrl-C, SIGTERM or a hang-up) before it failed on its own: nothing needs fixing; run it again.".to_owned();
        if let Some(resume) = self.resume() {
            plan.steps.push(resume.with_note("onboarding continues from the last step it finished"));
            return;
        }
        if d.stage != Stage::SandboxCreate {
            plan.steps.push(Step::advice("Run the command again"));
            return;
        }
        plan.steps.push(Step::argv(
            Probe,
            "See whether a sandbox was created before the interruption",
            Self::openshell(&["sandbox", "list"]),
        ));
        // An image the output proves was built is reused: no rebuild.
        let built = d.built_image_ref.is_some() && d.phase.is_some_and(|p| p > Phase::Build);
        plan.steps.push(self.recreate(built, "Run the create again"));
    }

    pub(super) fn unknown(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        plan.headline = match d.phase {
            Some(Phase::Import) => "No known failure signature. The gateway was importing the image, which prints nothing: a stall or a kill there leaves no message.".to_owned(),
            Some(phase) => format!("No known failure signature; the output ended while {}.", phase.description()),
            None => "No known failure signature in the output.".to_owned(),
        };
        plan.steps.push(Step::argv(Probe, "See whether a sandbox was created", Self::openshell(&["sandbox", "list"])));
        // Evidence is only "above" when some line was shown. NemoClaw runs the create
        // itself: its operator resumes onboarding (the step below), not the create.
        let nemoclaw = matches!(self.input.frontend, Frontend::NemoClaw { .. });
        let read = match (d.evidence.is_empty(), d.bytes, nemoclaw) {
            (false, _, true) => "Read the evidence above, then resume onboarding",
            (true, 0, true) => "The output is empty: resume onboarding, and read all the create prints",
            (true, _, true) => "No line of the output looks like an error: resume onboarding, and read all the create prints (stderr included)",
            (false, _, false) => "Read the evidence above, then run the create again; pass its full output to this tool if it fails again",
            (true, 0, false) => "The output is empty: run the create by hand to see what it does, then pass all it prints to this tool",
            (true, _, false) => {
                "No line of the output looks like an error: run the create again, and pass all it prints (stderr included) to this tool if it fails again"
            }
        };
        plan.steps.push(Step::advice(read));
        self.push_resume(&mut plan.steps);
    }
}
