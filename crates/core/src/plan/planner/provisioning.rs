//! The sandbox request reached the gateway and then could not finish: the name is
//! taken, or the sandbox was not ready in time.

use super::{with_env, Alternative, Plan, Planner, Probe, Step};

/// A longer provisioning limit than the one that ran out.
fn longer_limit(secs: Option<u64>) -> u64 {
    secs.map_or(900, |s| s.saturating_mul(3).max(900))
}

impl Planner<'_> {
    /// A name taken by a sandbox a failed create left in Error is freed and the create run
    /// again, from the image it built when it built one; a Ready or provisioning sandbox
    /// of that name is someone's: the check before the delete stops there, saying so.
    pub(super) fn already_exists(&mut self, plan: &mut Plan) {
        plan.headline = "A sandbox of that name already exists: when a failed create left it in Error, delete it and create again; when it is Ready, use it or create under another name.".to_owned();
        let list = self.on_gateway(Self::openshell(&["sandbox", "list"]));
        plan.steps.push(Step::argv(Probe, "See the sandbox's phase", list));
        if self.input.diagnosis.sandbox.is_some() {
            self.delete_if_failed(&mut plan.steps, "Delete the sandbox left in Error (its name is taken while it exists)");
        } else {
            plan.steps.push(
                self.delete_sandbox("Delete it when it is in Error (its files go with it)")
                    .in_person("the output does not name the sandbox: only you can tell which one it is"),
            );
        }
        plan.steps.push(self.recreate(self.input.diagnosis.built_image_ref.is_some(), "Create the sandbox again"));
        let renamed = self.recreate_renamed("Create under another name");
        plan.alternatives.push(Alternative {
            title: "Keep the existing sandbox".to_owned(),
            conditions: vec!["when the existing sandbox is still wanted".to_owned()],
            steps: vec![renamed],
        });
    }

    pub(super) fn provisioning_timeout(&mut self, plan: &mut Plan) {
        let d = self.input.diagnosis;
        let status = d.reported_status.clone().unwrap_or_default();
        let said = d.evidence.iter().map(|e| e.text.to_ascii_lowercase()).collect::<Vec<_>>().join("\n") + &status.to_ascii_lowercase();
        let limit = d.timeout_secs.map_or_else(|| "its limit".to_owned(), |s| format!("{s} s"));
        plan.headline = format!("The sandbox was created but not ready within {limit}: see where it stopped, then delete it and create again (with more time when it was still making progress).");
        if !status.is_empty() {
            plan.notes.push(format!("The gateway last reported: {status}."));
        }
        if said.contains("supervisornotconnected") || said.contains("supervisor session") {
            plan.notes.push("The container started but OpenShell's supervisor never connected: an image whose ENTRYPOINT or CMD replaces the supervisor, or one without it, never becomes ready.".to_owned());
        }
        let gpu = said.contains("gpu is already in use");
        plan.steps.push(Step::argv(Probe, "See the sandbox's phase (and which sandboxes exist)", Self::openshell(&["sandbox", "list"])));
        if gpu {
            plan.steps.push(Step::advice("Find the sandbox that holds the GPU in the list; delete it only if it is no longer needed"));
        }
        plan.steps
            .push(self.delete_sandbox("Delete the sandbox that timed out (creating again under the same name answers AlreadyExists)"));
        let again = self.recreate(
            d.built_image_ref.is_some(),
            "Create the sandbox again with a longer provisioning limit (seconds; a large image's first pull takes minutes)",
        );
        plan.steps.push(with_env(again, &[("OPENSHELL_PROVISION_TIMEOUT", longer_limit(d.timeout_secs).to_string())]));
    }
}
